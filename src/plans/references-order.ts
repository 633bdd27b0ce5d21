/** Clocks that only make sense in order: escalation steps, and a phase's window and target. */
import type { Duration } from '../shared/duration.ts';
import { isDuration, roughMinMs, roughMs } from './durations.ts';
import { type Checker, entries } from './ref-index.ts';
import type { Plan } from './regimes.ts';

function before(a: Duration, b: Duration): boolean {
  return roughMs(a) < roughMinMs(b);
}

export function checkOrdering(c: Checker, plan: Plan): void {
  for (const [i, path] of entries(plan.escalation.paths)) {
    let latest: Duration | undefined;
    path.steps.forEach((step, j) => {
      if (!step.after) return;
      if (latest && before(step.after, latest)) {
        c.add(
          ['escalation', 'paths', i, 'steps', j, 'after'],
          `step is due after ${step.after.text}, earlier than a step above it (after ${latest.text}); ` +
            'steps run in order, each "after" measured from the start of the escalation',
        );
      } else {
        latest = step.after;
      }
    });
  }
  for (const [i, phase] of entries(plan.phases)) {
    const starts = phase.starts;
    const t = phase.target;
    if (!starts || t === undefined) continue;
    const targets: [string | undefined, Duration][] = isDuration(t)
      ? [[undefined, t]]
      : Object.entries(t).map(([sev, d]): [string, Duration] => [sev, d]);
    for (const [sev, d] of targets) {
      if (!before(d, starts)) continue;
      const path = sev === undefined ? ['phases', i, 'target'] : ['phases', i, 'target', sev];
      c.add(
        path,
        `target ${d.text} is before the phase starts (starts: ${starts.text}); both count from detection`,
      );
    }
  }
}
