import type { z } from 'zod';
import type { SilenceView } from '../../src/alerts/silences.ts';
import type { AlertView } from '../../src/alerts/views.ts';
import type {
  ClockView,
  IncidentDetail,
  IncidentListItem,
  TimelineEntry,
} from '../../src/incidents/views.ts';
import type { GroupRow } from '../../src/metrics/queries.ts';
import type { ContactView, RuleView } from '../../src/notify/schemas.ts';
import type { OverrideView } from '../../src/oncall/overrides.ts';
import type { PlanDocument } from '../../src/plans/schema/plan.ts';
import type { ComponentView, PageView } from '../../src/statuspage/views.ts';
import { createStore } from './store.ts';

// Types come from the server's own schemas; `import type` keeps zod out of the bundle.
export type Incident = z.infer<typeof IncidentDetail>;
export type ListItem = z.infer<typeof IncidentListItem>;
export type Clock = z.infer<typeof ClockView>;
export type Entry = z.infer<typeof TimelineEntry>;
export type Plan = PlanDocument;
export type Me = { user_id: string; email: string; name: string; role: string; workspace: string };
export type Member = { id: string; email: string; name: string; role: string };
export type PlanVersion = {
  version: number;
  name: string;
  comment: string | null;
  created_at: string;
  created_by: string;
  active: boolean;
  sha256: string;
};
export type Preview = {
  audience: string;
  template: string | null;
  subject: string | null;
  body: string;
  fields: Record<string, string>;
  missing: string[];
  next_update_at: string | null;
};
export type DiffLine = {
  op: 'same' | 'added' | 'removed';
  text: string;
  old: number | null;
  new: number | null;
};
export type PlanDiff = {
  from: number;
  to: number;
  sections: { section: string; added: string[]; removed: string[]; changed: string[] }[];
  hunks: { old_start: number; new_start: number; lines: DiffLine[] }[];
};

export type StatusPage = z.infer<typeof PageView>;
export type Component = z.infer<typeof ComponentView>;
export type PageDetail = StatusPage & { components: Component[] };
export type Contact = z.infer<typeof ContactView>;
export type Alert = z.infer<typeof AlertView>;
export type Silence = z.infer<typeof SilenceView>;
export type Rule = z.infer<typeof RuleView>;
/** GET /api/v1/monitors: the fields the screen shows (src/monitors/routes.ts view()). */
export type Monitor = {
  key: string;
  name: string;
  kind: string;
  target: string;
  state: 'unknown' | 'up' | 'down';
  down_since: string | null;
  alert_firing: boolean;
  enabled: boolean;
  last_heartbeat_at: string | null;
  next_check_at: string | null;
  component_id: string | null;
};

export type MetricsGroup = GroupRow;
/** GET /api/v1/metrics/dashboard: the parts the metrics screen draws (src/metrics/service.ts). */
export type MetricsDashboard = {
  from: string;
  to: string;
  overall: GroupRow | null;
  by_severity: GroupRow[];
  by_month: GroupRow[];
};

/** GET /api/v1/schedules and /api/v1/oncall (src/oncall/routes.ts ScheduleOut, OnCallNow). */
export type Schedule = {
  key: string;
  name: string;
  time_zone: string;
  on_call_now: string[];
  from_file: boolean;
};
/** A shift of GET /api/v1/schedules/:key/shifts; `layer` is -1 for an override. */
export type Shift = { user: string; start: string; end: string; layer: number };
/** GET /api/v1/schedules/:key/overrides: in progress or to come, soonest first. */
export type Override = OverrideView;
/** DELETE of an override: `removed` if it had not begun, `ended` now (at `to`) if it had. */
export type Cancelled = { outcome: 'removed' | 'ended'; to: string };
export type OnCallNow = { at: string; on_call: { kind: string; key: string; people: string[] }[] };

export type FieldError = { field: string; message: string };

/** A problem+json answer, kept whole so a form can show each field's message beside the field. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: FieldError[];
  constructor(status: number, message: string, errors: FieldError[] = []) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
  field(name: string): string | undefined {
    return this.errors.find((e) => e.field === name || e.field.endsWith(`.${name}`))?.message;
  }
}

/** Who is logged in: undefined while asking, null when nobody. */
export const session = createStore<Me | null | undefined>(undefined);

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, text/markdown', 'x-siaga-csrf': '1' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!res.ok) {
    const p = type.includes('json') ? await res.json().catch(() => ({})) : {};
    if (res.status === 401 && !path.endsWith('/auth/login')) session.set(null);
    throw new ApiError(res.status, p.detail ?? p.title ?? res.statusText, p.errors ?? []);
  }
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

const enc = encodeURIComponent;
const inc = (ref: string, rest = '') => `/api/v1/incidents/${enc(ref)}${rest}`;
const sp = (slug?: string, rest = '') =>
  `/api/v1/statuspage/pages${slug === undefined ? '' : `/${enc(slug)}`}${rest}`;
const qs = (q: Record<string, string | number | undefined>) => {
  const p = Object.entries(q).filter(([, v]) => v !== undefined && v !== '');
  return p.length ? `?${p.map(([k, v]) => `${k}=${enc(String(v))}`).join('&')}` : '';
};

/** Every call the app makes: the documented /api/v1 endpoints, the same ones the CLI uses. */
export const api = {
  me: () => request<Me>('GET', '/api/v1/me'),
  login: (email: string, password: string, workspace?: string) =>
    request<Me>('POST', '/api/v1/auth/login', { email, password, ...(workspace ? { workspace } : {}) }),
  logout: () => request<void>('POST', '/api/v1/auth/logout'),
  members: () => request<{ users: Member[] }>('GET', '/api/v1/users'),
  incidents: (q: Record<string, string | undefined>) =>
    request<{ incidents: ListItem[] }>('GET', `/api/v1/incidents${qs(q)}`),
  incident: (ref: string) => request<Incident>('GET', inc(ref)),
  declare: (body: Record<string, unknown>) => request<Incident>('POST', '/api/v1/incidents', body),
  acknowledge: (ref: string) => request<Incident>('POST', inc(ref, '/acknowledge'), {}),
  status: (ref: string, status: string, reason?: string) =>
    request<Incident>('POST', inc(ref, '/status'), { status, ...(reason ? { reason } : {}) }),
  severity: (ref: string, severity: string, reason: string) =>
    request<Incident>('POST', inc(ref, '/severity'), { severity, reason }),
  type: (ref: string, type: string, reason: string) =>
    request<Incident>('POST', inc(ref, '/type'), { type, reason }),
  phase: (ref: string) => request<Incident>('POST', inc(ref, '/phase'), {}),
  note: (ref: string, text: string) => request<Incident>('POST', inc(ref, '/notes'), { text }),
  addTask: (ref: string, title: string) => request<Incident>('POST', inc(ref, '/tasks'), { title }),
  patchTask: (ref: string, task: string, patch: { done?: boolean; assignee?: string | null }) =>
    request<Incident>('PATCH', inc(ref, `/tasks/${enc(task)}`), patch),
  assignRole: (ref: string, role: string, user: string) =>
    request<Incident>('PUT', inc(ref, `/roles/${enc(role)}`), { user }),
  unassignRole: (ref: string, role: string) => request<Incident>('DELETE', inc(ref, `/roles/${enc(role)}`)),
  preview: (ref: string, body: Record<string, unknown>) =>
    request<Preview>('POST', inc(ref, '/updates/preview'), body),
  postUpdate: (ref: string, body: Record<string, unknown>) =>
    request<Incident>('POST', inc(ref, '/updates'), body),
  timeline: (ref: string, after?: string) =>
    request<{ entries: Entry[] }>('GET', inc(ref, `/timeline${qs({ after, limit: 5000 })}`)),
  plan: (version: number | 'active') =>
    request<{ version: number; source: string; plan: Plan }>('GET', `/api/v1/plan/versions/${version}`),
  planVersions: () => request<{ versions: PlanVersion[] }>('GET', '/api/v1/plan/versions'),
  planDocument: (version: number, lang: string) =>
    request<string>('GET', `/api/v1/plan/versions/${version}/document${qs({ lang })}`),
  planDiff: (version: number) => request<PlanDiff>('GET', `/api/v1/plan/versions/${version}/diff`),
  statusPages: () => request<{ pages: StatusPage[] }>('GET', sp()),
  statusPage: (slug: string) => request<PageDetail>('GET', sp(slug)),
  createStatusPage: (body: Record<string, unknown>) => request<PageDetail>('POST', sp(), body),
  addComponent: (slug: string, body: Record<string, unknown>) =>
    request<Component>('POST', sp(slug, '/components'), body),
  componentStatus: (slug: string, id: string, status: string) =>
    request<unknown>('PUT', sp(slug, `/components/${enc(id)}/status`), { status }),
  publicIncident: (slug: string, body: Record<string, unknown>) =>
    request<{ id: string }>('POST', sp(slug, '/incidents'), body),
  maintenance: (slug: string, body: Record<string, unknown>) =>
    request<{ id: string }>('POST', sp(slug, '/maintenances'), body),
  metrics: (period: { from: string; to: string }) =>
    request<MetricsDashboard>('GET', `/api/v1/metrics/dashboard${qs(period)}`),
  onCall: () => request<OnCallNow>('GET', '/api/v1/oncall'),
  schedules: () => request<{ schedules: Schedule[] }>('GET', '/api/v1/schedules'),
  addOverride: (key: string, body: { user: string; from: string; to: string }) =>
    request<{ id: string }>('POST', `/api/v1/schedules/${enc(key)}/overrides`, body),
  overrides: (key: string) =>
    request<{ overrides: Override[] }>('GET', `/api/v1/schedules/${enc(key)}/overrides`),
  cancelOverride: (key: string, id: string) =>
    request<Cancelled>('DELETE', `/api/v1/schedules/${enc(key)}/overrides/${enc(id)}`),
  /** Without a window, the server's default: the next 14 days. */
  shifts: (key: string, window: { from?: string; to?: string } = {}) =>
    request<{ shifts: Shift[] }>('GET', `/api/v1/schedules/${enc(key)}/shifts${qs(window)}`),
  monitors: () => request<{ monitors: Monitor[] }>('GET', '/api/v1/monitors'),
  alerts: (status: 'firing' | 'resolved') =>
    request<{ alerts: Alert[] }>('GET', `/api/v1/alerts${qs({ status, limit: 500 })}`),
  silences: () => request<{ silences: Silence[] }>('GET', '/api/v1/silences'),
  createSilence: (body: Record<string, unknown>) => request<Silence>('POST', '/api/v1/silences', body),
  expireSilence: (id: string) => request<Silence>('POST', `/api/v1/silences/${enc(id)}/expire`, {}),
  contacts: () => request<{ contacts: Contact[] }>('GET', '/api/v1/me/contacts'),
  addContact: (body: Record<string, unknown>) => request<Contact>('POST', '/api/v1/me/contacts', body),
  removeContact: (id: string) => request<void>('DELETE', `/api/v1/me/contacts/${enc(id)}`),
  rules: () => request<{ rules: Rule[] }>('GET', '/api/v1/me/rules'),
  setRules: (rules: { contact_id: string; after: string }[]) =>
    request<{ rules: Rule[] }>('PUT', '/api/v1/me/rules', { rules }),
};

/** Plan versions never change once stored, so each is fetched once per tab. */
const plans = new Map<number | 'active', Promise<Plan>>();
export function planVersion(version: number | 'active'): Promise<Plan> {
  let p = plans.get(version);
  if (!p) {
    p = api.plan(version).then((r) => r.plan);
    p.catch(() => plans.delete(version));
    if (version !== 'active') plans.set(version, p);
  }
  return p;
}
