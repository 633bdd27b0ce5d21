import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { withPlan } from '../../test/support/incidents.ts';
import { auditHeads } from '../audit/tables.ts';
import { verifyWorkspace } from '../audit/verify.ts';
import { runVerb } from '../kernel/verb.ts';
import { type AppError, InvalidInput, NotAllowed } from '../shared/errors.ts';
import { findIncident, incidentClocks, listTasks, listTimeline } from './queries.ts';
import { incidents } from './tables.ts';
import { declareIncident } from './verbs/declare.ts';
import { acknowledge, advancePhase, changeSeverity, changeStatus, changeType } from './verbs/lifecycle.ts';
import { setObligation } from './verbs/obligations.ts';
import { assignRole } from './verbs/people.ts';
import { postUpdate, previewUpdate } from './verbs/updates.ts';
import { addNote, updateTask } from './verbs/work.ts';

let w: TestWorld;
const MIN = 60_000;

beforeEach(async () => {
  w = await createWorld();
  await withPlan(w);
});
afterEach(() => w.close());

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(w.env, w.admin.scope, fn);
const clocks = async (ref: string) => {
  const found = await incidentClocks(
    w.database.db,
    (await findIncident(w.database.db, w.workspaceId, ref)).id,
    w.clock.now(),
  );
  return found!.clocks;
};
const clock = async (ref: string, key: string) => (await clocks(ref)).find((c) => c.key === key);

describe('declaring', () => {
  it('numbers incidents per workspace, defaults the severity from the type and starts the first phase', async () => {
    const a = await as((ctx) =>
      declareIncident(ctx, { title: 'API down', type: 'outage', services: ['api'] }),
    );
    const b = await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    expect([a.ref, b.ref]).toEqual(['INC-1', 'INC-2']);
    const row = await findIncident(w.database.db, w.workspaceId, 'INC-1');
    expect(row).toMatchObject({
      severityKey: 'P2',
      status: 'investigating',
      phaseKey: 'triage',
      services: ['api'],
    });
    expect((await findIncident(w.database.db, w.workspaceId, 'INC-2')).severityKey).toBe('P1');
  });

  it("turns the type's containment and the phases' checklists into tasks", async () => {
    const d = await as((ctx) => declareIncident(ctx, { title: 'API down', type: 'outage' }));
    const tasks = await listTasks(w.database.db, d.id);
    expect(tasks.map((t) => [t.source, t.title, t.roleKey])).toEqual([
      ['containment', 'Fail over to the standby', null],
      ['containment', 'Enable maintenance mode', 'ic'],
      ['phase', 'Severity assessed', null],
    ]);
  });

  it('refuses unknown types, severities and services, naming the field, and writes nothing', async () => {
    const before = await w.database.db
      .select()
      .from(auditHeads)
      .where(eq(auditHeads.workspaceId, w.workspaceId));
    for (const [input, field] of [
      [{ title: 'x', type: 'outgae' }, 'type'],
      [{ title: 'x', type: 'outage', severity: 'P9' }, 'severity'],
      [{ title: 'x', type: 'outage', services: ['api', 'nope'] }, 'services[1]'],
      [
        { title: 'x', type: 'outage', detected_at: new Date(w.clock.now().getTime() + 3600_000) },
        'detected_at',
      ],
    ] as const) {
      const err = await as((ctx) => declareIncident(ctx, input as never)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidInput);
      expect((err as AppError).errors[0]?.field).toBe(field);
    }
    expect(
      await as((ctx) => declareIncident(ctx, { title: 'x', type: 'outgae' })).catch((e: Error) => e.message),
    ).toContain('did you mean "outage"');
    const after = await w.database.db
      .select()
      .from(auditHeads)
      .where(eq(auditHeads.workspaceId, w.workspaceId));
    expect(after).toEqual(before);
    expect(await w.database.db.select().from(incidents)).toHaveLength(0);
  });

  it('is all or nothing: a failing subscriber rolls back the incident, its tasks, timeline and audit', async () => {
    w.env.hooks.on('incident.declared', async () => {
      throw new Error('escalation could not start');
    });
    await expect(as((ctx) => declareIncident(ctx, { title: 'x', type: 'outage' }))).rejects.toThrow(
      'escalation',
    );
    expect(await w.database.db.select().from(incidents)).toHaveLength(0);
    expect(await w.database.query('SELECT * FROM incident_tasks')).toHaveLength(0);
    expect(await w.database.query('SELECT * FROM incident_events')).toHaveLength(0);
    expect((await verifyWorkspace(w.database.db, w.workspaceId)).records).toBe(2);
  });
});

describe('clocks on a fake clock', () => {
  it('response target: pending, then breached when 15 minutes pass unacknowledged', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    expect(await clock('INC-1', 'response')).toMatchObject({ state: 'pending', slackMs: 15 * MIN });
    w.clock.advanceMinutes(16);
    expect(await clock('INC-1', 'response')).toMatchObject({ state: 'breached', slackMs: -1 * MIN });
    await as((ctx) => acknowledge(ctx, 'INC-1'));
    expect(await clock('INC-1', 'response')).toMatchObject({ state: 'breached', slackMs: -1 * MIN });
  });

  it('response target met when acknowledged in time; a second acknowledgement changes nothing', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    w.clock.advanceMinutes(4);
    expect(await as((ctx) => acknowledge(ctx, 'INC-1'))).toEqual({ acknowledged: true });
    w.clock.advanceMinutes(1);
    expect(await as((ctx) => acknowledge(ctx, 'INC-1'))).toEqual({ acknowledged: false });
    expect(await clock('INC-1', 'response')).toMatchObject({ state: 'met', slackMs: 11 * MIN });
    const row = await findIncident(w.database.db, w.workspaceId, 'INC-1');
    expect(row.acknowledgedAt?.getTime()).toBe(row.declaredAt.getTime() + 4 * MIN);
  });

  it('measures from detected-at, not declared-at', async () => {
    const detected = new Date(w.clock.now().getTime() - 10 * MIN);
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach', detected_at: detected }));
    expect(await clock('INC-1', 'response')).toMatchObject({ state: 'pending', slackMs: 5 * MIN });
  });

  it('phase targets follow the severity and are met by advancing in order', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'API down', type: 'outage' }));
    // P2: contain has no target at P2, triage has 15m.
    expect((await clocks('INC-1')).filter((c) => c.kind === 'phase').map((c) => c.key)).toEqual([
      'phase:triage',
    ]);
    w.clock.advanceMinutes(10);
    expect(await as((ctx) => advancePhase(ctx, 'INC-1'))).toBe('contain');
    expect(await clock('INC-1', 'phase:triage')).toMatchObject({ state: 'met', slackMs: 5 * MIN });
    await expect(as((ctx) => advancePhase(ctx, 'INC-1', 'triage'))).rejects.toBeInstanceOf(NotAllowed);
    await as((ctx) => changeSeverity(ctx, 'INC-1', 'P1', 'customers affected'));
    expect(await clock('INC-1', 'phase:contain')).toMatchObject({ state: 'pending', slackMs: 50 * MIN });
  });

  it('next update per audience follows the cadence from the last update', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    expect(await clock('INC-1', 'update:internal')).toMatchObject({ state: 'pending', slackMs: 30 * MIN });
    w.clock.advanceMinutes(31);
    expect((await clock('INC-1', 'update:internal'))?.state).toBe('breached');
    await as((ctx) => postUpdate(ctx, 'INC-1', { audience: 'internal' }));
    expect(await clock('INC-1', 'update:internal')).toMatchObject({ state: 'pending', slackMs: 30 * MIN });
    expect(await clock('INC-1', 'update:customers')).toMatchObject({ state: 'pending', slackMs: 29 * MIN });
  });

  it('obligations: started by the event the plan names, or by hand; met, late or waived', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    expect(await clock('INC-1', 'obligation:gdpr')).toMatchObject({
      state: 'pending',
      slackMs: 72 * 60 * MIN,
    });
    expect(await clock('INC-1', 'obligation:sla')).toMatchObject({ state: 'not_started', deadline: null });
    await as((ctx) => setObligation(ctx, 'INC-1', 'sla', { action: 'start' }));
    // 2026-01-05 is a Monday: one business day later is Tuesday at the same time.
    expect((await clock('INC-1', 'obligation:sla'))?.deadline?.toISOString()).toBe(
      '2026-01-06T09:00:00.000Z',
    );
    w.clock.advanceMinutes(73 * 60);
    await as((ctx) => setObligation(ctx, 'INC-1', 'gdpr', { action: 'met' }));
    expect(await clock('INC-1', 'obligation:gdpr')).toMatchObject({ state: 'breached', slackMs: -60 * MIN });
    await expect(as((ctx) => setObligation(ctx, 'INC-1', 'sla', { action: 'waive' }))).rejects.toMatchObject({
      errors: [{ field: 'note' }],
    });
    await as((ctx) =>
      setObligation(ctx, 'INC-1', 'sla', { action: 'waive', note: 'no enterprise tenant affected' }),
    );
    expect((await clock('INC-1', 'obligation:sla'))?.state).toBe('waived');
  });

  it('MTTR and post-mortem clocks start and stop with resolution', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    expect(await clock('INC-1', 'postmortem')).toMatchObject({ state: 'not_started' });
    w.clock.advanceMinutes(3 * 60);
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved', 'patched'));
    expect(await clock('INC-1', 'mttr')).toMatchObject({ state: 'met', slackMs: 60 * MIN });
    expect(await clock('INC-1', 'postmortem')).toMatchObject({ state: 'pending', slackMs: 72 * 60 * MIN });
    expect((await clocks('INC-1')).some((c) => c.key.startsWith('update:'))).toBe(false);
  });
});

describe('lifecycle', () => {
  it('allows the domain’s transitions, refuses the rest, and reopens', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'API down', type: 'outage' }));
    await as((ctx) => changeStatus(ctx, 'INC-1', 'identified'));
    await as((ctx) => changeStatus(ctx, 'INC-1', 'monitoring'));
    const err = await as((ctx) => changeStatus(ctx, 'INC-1', 'closed')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAllowed);
    expect((err as Error).message).toBe(
      'an incident cannot go from monitoring to closed; from monitoring it can go to investigating, identified, resolved',
    );
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved'));
    const resolved = await findIncident(w.database.db, w.workspaceId, 'INC-1');
    expect(resolved.mitigatedAt).not.toBeNull();
    expect(resolved.resolvedAt).not.toBeNull();
    await as((ctx) => changeStatus(ctx, 'INC-1', 'investigating', 'it came back'));
    expect(await findIncident(w.database.db, w.workspaceId, 'INC-1')).toMatchObject({
      status: 'investigating',
      resolvedAt: null,
    });
    const kinds = (await listTimeline(w.database.db, resolved.id)).map((e) => e.kind);
    expect(kinds).toEqual(['declared', 'status_changed', 'status_changed', 'status_changed', 'reopened']);
  });

  it('changing the type adds its containment tasks once; severity needs a known key', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    await as((ctx) => changeType(ctx, 'INC-1', 'outage', 'it was an outage after all'));
    const id = (await findIncident(w.database.db, w.workspaceId, 'INC-1')).id;
    expect((await listTasks(w.database.db, id)).filter((t) => t.source === 'containment')).toHaveLength(2);
    await expect(as((ctx) => changeSeverity(ctx, 'INC-1', 'S1', 'x'))).rejects.toMatchObject({
      errors: [{ field: 'severity' }],
    });
  });

  it('assigns plan roles to members only, ticks tasks, and keeps it all on the timeline and in the audit chain', async () => {
    const bob = await w.addMember({ email: 'bob@acme.test' });
    const d = await as((ctx) => declareIncident(ctx, { title: 'API down', type: 'outage' }));
    await as((ctx) => assignRole(ctx, 'INC-1', 'ic', 'BOB@acme.test'));
    await expect(as((ctx) => assignRole(ctx, 'INC-1', 'cto', bob.email))).rejects.toMatchObject({
      errors: [{ field: 'role' }],
    });
    await expect(as((ctx) => assignRole(ctx, 'INC-1', 'ic', 'eve@evil.test'))).rejects.toMatchObject({
      errors: [{ field: 'user' }],
    });
    const [task] = await listTasks(w.database.db, d.id);
    await runVerb(w.env, bob.scope, (ctx) => updateTask(ctx, 'INC-1', task!.id, { done: true }));
    await as((ctx) => addNote(ctx, 'INC-1', 'Failover started'));
    const entries = await listTimeline(w.database.db, d.id);
    expect(entries.map((e) => [e.kind, e.actor.name])).toEqual([
      ['declared', w.admin.email],
      ['role_assigned', w.admin.email],
      ['task_done', 'bob@acme.test'],
      ['note', w.admin.email],
    ]);
    const chain = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(chain.ok).toBe(true);
    expect(chain.records).toBeGreaterThanOrEqual(7);
  });
});

describe('updates from templates', () => {
  it("renders seed-style messages from the incident's fields with the next update time in the plan's zone", async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    const u = await as((ctx) => postUpdate(ctx, 'INC-1', { audience: 'internal' }));
    // 09:00Z is 16:00 in Jakarta; the next internal update is due 30 minutes later.
    expect(u.body).toBe(
      '[P1][Data breach] - Leak | status Investigating | next update 2026-01-05 16:30 UTC+7',
    );
    expect(u.nextUpdateAt?.toISOString()).toBe('2026-01-05T09:30:00.000Z');
  });

  it('requires the template’s required fields and keeps per-recipient placeholders for delivery', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    const inc = await findIncident(w.database.db, w.workspaceId, 'INC-1');
    const preview = await previewUpdate(
      w.database.db,
      inc,
      { audience: 'customers' },
      w.clock.now(),
      'http://x',
    );
    expect(preview.missing).toEqual(['fields.what_happened']);
    await expect(as((ctx) => postUpdate(ctx, 'INC-1', { audience: 'customers' }))).rejects.toMatchObject({
      errors: [{ field: 'fields.what_happened' }],
    });
    await expect(
      as((ctx) => postUpdate(ctx, 'INC-1', { audience: 'customers', fields: { what_hapened: 'x' } })),
    ).rejects.toMatchObject({ errors: [{ field: 'fields.what_hapened' }] });
    const u = await as((ctx) =>
      postUpdate(ctx, 'INC-1', { audience: 'customers', fields: { what_happened: 'We found a leak.' } }),
    );
    expect(u.subject).toBe('Update on Leak');
    expect(u.body).toBe('Dear {{recipient.name}}, We found a leak. Next update by 2026-01-05 17:00 UTC+7.');
  });

  it('asks the writer when the next update comes where the plan sets no cadence for the audience', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'API down', type: 'outage' }));
    const fields = { what_happened: 'Checkout fails.' };
    await expect(
      as((ctx) => postUpdate(ctx, 'INC-1', { audience: 'customers', fields })),
    ).rejects.toMatchObject({
      errors: [
        {
          field: 'next_update_at',
          message: expect.stringContaining('no update cadence for customers at P2'),
        },
      ],
    });
    const at = new Date(w.clock.now().getTime() + 45 * MIN);
    const u = await as((ctx) =>
      postUpdate(ctx, 'INC-1', { audience: 'customers', fields, next_update_at: at }),
    );
    expect(u.body).toContain('Next update by 2026-01-05 16:45 UTC+7');
  });
});

describe('plan versions', () => {
  it('keeps the version an incident was declared under when the plan changes', async () => {
    await as((ctx) => declareIncident(ctx, { title: 'Leak', type: 'breach' }));
    const { FIXTURE_PLAN } = await import('../../test/support/incidents.ts');
    const v2 = await withPlan(w, FIXTURE_PLAN.replace('response_target: 15m', 'response_target: 5m'));
    expect(v2.version.version).toBe(2);
    expect(await clock('INC-1', 'response')).toMatchObject({ slackMs: 15 * MIN });
    await as((ctx) => declareIncident(ctx, { title: 'Leak 2', type: 'breach' }));
    expect(await clock('INC-2', 'response')).toMatchObject({ slackMs: 5 * MIN });
    expect(
      (await withPlan(w, FIXTURE_PLAN.replace('response_target: 15m', 'response_target: 5m'))).unchanged,
    ).toBe(true);
  });
});
