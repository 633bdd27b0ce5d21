import { obligationsFor, type Plan, phaseTarget, severity, updateCadence } from '../plans/index.ts';
import { addDuration } from '../shared/calendar.ts';
import type { Duration } from '../shared/duration.ts';
import type { Text } from '../shared/text.ts';
import type { Status } from './model.ts';

export type ClockKind = 'response' | 'phase' | 'update' | 'obligation' | 'postmortem' | 'mttr';
export type ClockState = 'pending' | 'met' | 'breached' | 'not_started' | 'waived';

export type IncidentClock = {
  key: string;
  kind: ClockKind;
  label: Text;
  /** The phase, audience or obligation the clock belongs to. */
  ref?: string;
  startsAt: Date | null;
  deadline: Date | null;
  state: ClockState;
  metAt: Date | null;
  /**
   * Milliseconds to spare: time left while pending, the margin it was met by; negative when
   * breached (how late, or how overdue so far).
   */
  slackMs: number | null;
};

/** What the clocks are computed from: the incident's own timestamps and records. */
export type ClockFacts = {
  severityKey: string;
  typeKey: string;
  status: Status;
  detectedAt: Date;
  declaredAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  postmortemPublishedAt: Date | null;
  phases: { key: string; enteredAt: Date; completedAt: Date | null }[];
  updates: { audience: string; postedAt: Date; nextUpdateDueAt: Date | null }[];
  obligations: { key: string; startedAt: Date | null; metAt: Date | null; waivedAt: Date | null }[];
};

function judge(
  base: Omit<IncidentClock, 'state' | 'slackMs' | 'metAt'>,
  metAt: Date | null,
  now: Date,
): IncidentClock {
  const { deadline } = base;
  if (!base.startsAt || !deadline) return { ...base, metAt, state: 'not_started', slackMs: null };
  if (metAt) {
    const slack = deadline.getTime() - metAt.getTime();
    return { ...base, metAt, state: slack >= 0 ? 'met' : 'breached', slackMs: slack };
  }
  const slack = deadline.getTime() - now.getTime();
  return { ...base, metAt: null, state: slack >= 0 ? 'pending' : 'breached', slackMs: slack };
}

/**
 * Every clock of an incident, as the plan it was declared under defines them. Pure: the same
 * facts and instant give the same clocks, which is what the property tests lean on.
 */
export function computeClocks(plan: Plan, f: ClockFacts, now: Date): IncidentClock[] {
  const cal = plan.calendar;
  const add = (start: Date, d: Duration) => addDuration(start, d, cal);
  const sev = severity(plan, f.severityKey);
  const clocks: IncidentClock[] = [];
  const open = f.resolvedAt === null;

  if (sev) {
    clocks.push(
      judge(
        {
          key: 'response',
          kind: 'response',
          label: { en: 'Response target', id: 'Target respons' },
          startsAt: f.detectedAt,
          deadline: add(f.detectedAt, sev.response_target),
        },
        f.acknowledgedAt,
        now,
      ),
    );
  }

  for (const p of plan.phases) {
    const target = phaseTarget(plan, p.key, f.severityKey);
    if (!target) continue;
    const record = f.phases.find((x) => x.key === p.key);
    clocks.push(
      judge(
        {
          key: `phase:${p.key}`,
          kind: 'phase',
          label: p.label,
          ref: p.key,
          startsAt: f.detectedAt,
          deadline: add(f.detectedAt, target),
        },
        record?.completedAt ?? null,
        now,
      ),
    );
  }

  // First update owed to an audience by the escalation matrix (seed 004: affected users at 1h).
  for (const row of plan.escalation.matrix?.rows ?? []) {
    if (!('audience' in row.target)) continue;
    const due = row.by_severity[f.severityKey];
    if (!due || due === '-') continue;
    const aud = row.target.audience;
    const first = f.updates.find((u) => u.audience === aud);
    clocks.push(
      judge(
        {
          key: `first_update:${aud}`,
          kind: 'update',
          label: row.label ?? { en: `First update to ${aud}`, id: `Pembaruan pertama ke ${aud}` },
          ref: aud,
          startsAt: f.detectedAt,
          deadline: add(f.detectedAt, due),
        },
        first?.postedAt ?? null,
        now,
      ),
    );
  }

  // The next update each audience is owed, while the incident is open.
  if (open) {
    for (const a of plan.communications.audiences) {
      const cadence = updateCadence(plan, f.severityKey, a.key);
      if (!cadence) continue;
      const mine = f.updates.filter((u) => u.audience === a.key);
      const last = mine[mine.length - 1];
      const from = last?.postedAt ?? f.declaredAt;
      const deadline = last?.nextUpdateDueAt ?? add(from, cadence);
      clocks.push(
        judge(
          { key: `update:${a.key}`, kind: 'update', label: a.label, ref: a.key, startsAt: from, deadline },
          null,
          now,
        ),
      );
    }
  }

  const states = new Map(f.obligations.map((o) => [o.key, o]));
  for (const o of obligationsFor(plan, f.typeKey, f.severityKey)) {
    const st = states.get(o.key);
    let start: Date | null = null;
    if (o.starts_at === 'detected') start = f.detectedAt;
    else if (o.starts_at === 'declared') start = f.declaredAt;
    else if (o.starts_at === 'acknowledged') start = f.acknowledgedAt;
    else if (o.starts_at === 'resolved') start = f.resolvedAt;
    else if (o.starts_at === 'manual') start = st?.startedAt ?? null;
    else start = states.get(o.starts_at.slice('obligation:'.length))?.metAt ?? null;
    const base = {
      key: `obligation:${o.key}`,
      kind: 'obligation' as const,
      label: o.label,
      ref: o.key,
      startsAt: start,
      // A regime counts business days in its own jurisdiction (SEC: New York; OJK: Jakarta).
      deadline: start
        ? addDuration(start, o.deadline, o.timezone ? { ...cal, timezone: o.timezone } : cal)
        : null,
    };
    if (st?.waivedAt) clocks.push({ ...base, state: 'waived', metAt: null, slackMs: null });
    else clocks.push(judge(base, st?.metAt ?? null, now));
  }

  if (sev?.mttr_target) {
    clocks.push(
      judge(
        {
          key: 'mttr',
          kind: 'mttr',
          label: { en: 'Resolution target (MTTR)', id: 'Target pemulihan (MTTR)' },
          startsAt: f.detectedAt,
          deadline: add(f.detectedAt, sev.mttr_target),
        },
        f.resolvedAt,
        now,
      ),
    );
  }

  if (sev?.postmortem?.required) {
    const due = sev.postmortem.due;
    clocks.push(
      judge(
        {
          key: 'postmortem',
          kind: 'postmortem',
          label: { en: 'Post-mortem due', id: 'Batas postmortem' },
          startsAt: f.resolvedAt,
          deadline: f.resolvedAt && due ? add(f.resolvedAt, due) : null,
        },
        f.postmortemPublishedAt,
        now,
      ),
    );
  }
  return clocks;
}

/** The clock that needs attention first: breached before pending, then the nearest deadline. */
export function mostUrgent(clocks: IncidentClock[]): IncidentClock | undefined {
  const live = clocks.filter((c) => c.state === 'pending' || (c.state === 'breached' && c.metAt === null));
  return live.sort((a, b) => (a.slackMs ?? 0) - (b.slackMs ?? 0))[0];
}
