/**
 * Runs a drill scenario against a server over its public HTTP API, as a responder would: one
 * request per step, real time between steps divided by `speed`, then the drill report.
 *
 * Clocks are judged by the server on its own time. A scenario run at --speed 60 compresses
 * 25 minutes into 25 seconds, so a target is met or missed on the time that actually passed;
 * the report says so (`compressed`) instead of backdating the incident to fake the scenario's time.
 */
import type { Client } from '../cli/client.ts';
import { type Action, actionOf, type Expectation, type Scenario, type Step } from './scenario-schema.ts';

type Clock = {
  key: string;
  kind: string;
  state: string;
  deadline: string | null;
  met_at: string | null;
  slack_ms: number | null;
};
type Task = { id: string; title: string; done_at: string | null };
export type Incident = {
  ref: string;
  drill: boolean;
  status: string;
  severity: string;
  clocks: Clock[];
  tasks: Task[];
};

export type StepResult = {
  n: number;
  at_ms: number;
  action: Action;
  outcome: 'ok' | 'failed' | 'skipped';
  detail: string;
  expectations: { check: string; passed: boolean; found: string }[];
};
export type DrillReport = {
  title: string;
  incident: string | null;
  speed: number;
  /** Scenario time run in less real time: clock results are on the real (shorter) time. */
  compressed: boolean;
  steps: StepResult[];
  clocks: {
    key: string;
    kind: string;
    state: string;
    result: 'met' | 'missed' | 'open' | 'waived';
    slack_ms: number | null;
  }[];
  held: string | null;
  ok: boolean;
};

export type RunOptions = {
  speed: number;
  alertUrl?: string;
  sleep?: (ms: number) => Promise<void>;
  progress?: (r: StepResult, total: number) => void;
};

/** The CLI's own wall clock (not domain code): when the next update is promised, in real time. */
const now = () => Date.now();
const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runScenario(client: Client, s: Scenario, opts: RunOptions): Promise<DrillReport> {
  const sleep = opts.sleep ?? wait;
  const alertUrl = opts.alertUrl ?? s.alert_url;
  const steps: StepResult[] = [];
  let inc: Incident | null = null;
  let me: string | undefined;
  let elapsed = 0;
  for (const [i, step] of s.steps.entries()) {
    if (step.at > elapsed) await sleep((step.at - elapsed) / opts.speed);
    elapsed = step.at;
    const action = actionOf(step);
    const r: StepResult = { n: i + 1, at_ms: step.at, action, outcome: 'ok', detail: '', expectations: [] };
    try {
      if (action === 'alert') {
        Object.assign(r, await sendAlert(alertUrl, step, s));
      } else if (action === 'declare') {
        inc = await declare(client, s, step);
        r.detail = `declared ${inc.ref} (drill, ${s.type}, ${s.severity})`;
      } else if (!inc) {
        Object.assign(r, { outcome: 'failed', detail: 'no incident: the declare step failed' });
      } else {
        if (action === 'assign' && !step.assign?.user && me === undefined)
          me = (await client.request<{ email: string }>('GET', '/api/v1/me')).email;
        const done = await act(client, inc, step, action, me, opts.speed);
        inc = done.incident;
        r.detail = done.detail;
      }
    } catch (err) {
      r.outcome = 'failed';
      r.detail = `${(err as Error).message}${lines(err)}`;
    }
    if (inc && step.expect && r.outcome === 'ok') {
      r.expectations = step.expect.map((e) => check(inc as Incident, e));
      if (r.expectations.some((e) => !e.passed)) r.outcome = 'failed';
    }
    steps.push(r);
    opts.progress?.(r, s.steps.length);
  }
  let held: string | null = null;
  if (inc) {
    inc = await client.request<Incident>('GET', `/api/v1/incidents/${encodeURIComponent(inc.ref)}`);
    if (s.drill) {
      const failed = steps.filter((x) => x.outcome === 'failed').length;
      await client.request('POST', `/api/v1/drills/${encodeURIComponent(s.drill)}/held`, {
        incident: inc.ref,
        note: `${s.title}: scenario run at speed ${opts.speed}, ${steps.length} steps, ${failed} failed`,
      });
      held = s.drill;
    }
  }
  const clocks = (inc?.clocks ?? []).map((c) => ({
    key: c.key,
    kind: c.kind,
    state: c.state,
    result:
      c.state === 'met'
        ? ('met' as const)
        : c.state === 'breached'
          ? ('missed' as const)
          : c.state === 'waived'
            ? ('waived' as const)
            : ('open' as const),
    slack_ms: c.slack_ms,
  }));
  return {
    title: s.title,
    incident: inc?.ref ?? null,
    speed: opts.speed,
    compressed: opts.speed !== 1 && elapsed > 0,
    steps,
    clocks,
    held,
    ok: inc !== null && steps.every((x) => x.outcome !== 'failed'),
  };
}

function lines(err: unknown): string {
  const ls = (err as { lines?: string[] }).lines;
  return ls && ls.length > 0 ? ` (${ls.join('; ')})` : '';
}

async function declare(client: Client, s: Scenario, step: Step): Promise<Incident> {
  const d = step.declare ?? {};
  return client.request<Incident>('POST', '/api/v1/incidents', {
    title: d.title ?? s.title,
    type: s.type,
    severity: s.severity,
    drill: true,
    ...(d.description ? { description: d.description } : {}),
    ...(d.impact ? { impact: d.impact } : {}),
    ...(d.services ? { services: d.services } : {}),
  });
}

async function act(
  client: Client,
  inc: Incident,
  step: Step,
  action: Action,
  me: string | undefined,
  speed: number,
): Promise<{ incident: Incident; detail: string }> {
  const base = `/api/v1/incidents/${encodeURIComponent(inc.ref)}`;
  const send = (method: string, path: string, body?: unknown) =>
    client.request<Incident>(method, base + path, body);
  switch (action) {
    case 'ack':
      return { incident: await send('POST', '/acknowledge', {}), detail: 'acknowledged' };
    case 'assign': {
      const a = step.assign!;
      const user = a.user ?? me!;
      return {
        incident: await send('PUT', `/roles/${encodeURIComponent(a.role)}`, { user }),
        detail: `${a.role} → ${user}`,
      };
    }
    case 'phase': {
      const body = typeof step.phase === 'string' ? { phase: step.phase } : {};
      const next = await send('POST', '/phase', body);
      return { incident: next, detail: `phase ${(next as Incident & { phase?: string }).phase ?? '?'}` };
    }
    case 'tick': {
      const want = step.tick!.toLowerCase();
      const task =
        inc.tasks.find((t) => !t.done_at && t.title.toLowerCase().includes(want)) ??
        inc.tasks.find((t) => t.title.toLowerCase().includes(want));
      if (!task)
        throw new Error(
          `no task contains "${step.tick}" (tasks: ${inc.tasks.map((t) => t.title).join('; ') || 'none'})`,
        );
      return {
        incident: await send('PATCH', `/tasks/${task.id}`, { done: true }),
        detail: `ticked "${task.title}"`,
      };
    }
    case 'update': {
      const { next_update, ...u } = step.update!;
      const body =
        next_update === undefined
          ? u
          : { ...u, next_update_at: new Date(now() + next_update / speed).toISOString() };
      const next = await send('POST', '/updates', body);
      return { incident: next, detail: `update to ${u.audience}${u.template ? ` (${u.template})` : ''}` };
    }
    case 'status': {
      const st = step.status!;
      return {
        incident: await send('POST', '/status', {
          status: st.to,
          ...(st.reason ? { reason: st.reason } : {}),
        }),
        detail: `status ${st.to}`,
      };
    }
    case 'severity': {
      const sv = step.severity!;
      return {
        incident: await send('POST', '/severity', { severity: sv.to, reason: sv.reason }),
        detail: `severity ${sv.to}`,
      };
    }
    case 'note':
      return {
        incident: await send('POST', '/notes', { text: step.note }),
        detail: `note "${short(step.note!)}"`,
      };
    default:
      throw new Error(`"${action}" is not an incident action`);
  }
}

const short = (t: string) => (t.length > 48 ? `${t.slice(0, 47)}…` : t);

/** Alertmanager's webhook shape, which alert intakes commonly read; never sent when there is nowhere to send it. */
async function sendAlert(url: string | undefined, step: Step, s: Scenario): Promise<Partial<StepResult>> {
  const a = step.alert!;
  const name = a.labels.alertname ?? Object.values(a.labels)[0] ?? 'alert';
  if (!url)
    return {
      outcome: 'skipped',
      detail: `alert ${name} ${a.status} not sent: no alert integration URL (--alert-url or alert_url)`,
    };
  const body = {
    version: '4',
    status: a.status,
    receiver: 'siaga-drill',
    commonLabels: { ...a.labels, drill: 'true' },
    alerts: [
      {
        status: a.status,
        labels: { ...a.labels, drill: 'true' },
        annotations: { summary: a.summary ?? s.title },
      },
    ],
  };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    return { outcome: 'failed', detail: `alert ${name} ${a.status}: ${url} answered ${res.status}` };
  return { detail: `alert ${name} ${a.status} sent (${res.status})` };
}

export function check(inc: Incident, e: Expectation): StepResult['expectations'][number] {
  if (e.clock !== undefined) {
    const c = inc.clocks.find((x) => x.key === e.clock) ?? inc.clocks.find((x) => x.kind === e.clock);
    return {
      check: `clock ${e.clock} ${e.state}`,
      passed: c?.state === e.state,
      found: c ? c.state : 'no such clock',
    };
  }
  if (e.status !== undefined)
    return { check: `status ${e.status}`, passed: inc.status === e.status, found: inc.status };
  if (e.severity !== undefined)
    return { check: `severity ${e.severity}`, passed: inc.severity === e.severity, found: inc.severity };
  const want = e.task_done!.toLowerCase();
  const tasks = inc.tasks.filter((t) => t.title.toLowerCase().includes(want));
  const done = tasks.find((t) => t.done_at);
  return {
    check: `task "${e.task_done}" done`,
    passed: done !== undefined,
    found: done ? `"${done.title}" done` : tasks.length ? 'not done' : 'no such task',
  };
}
