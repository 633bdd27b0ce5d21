import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWorkspace } from '../src/audit/verify.ts';
import { type Plan, parsePlan, pick } from '../src/plans/index.ts';
import { createWorld, type TestWorld } from './support/env.ts';
import { type Api, apiFor } from './support/http.ts';
import { readPlan } from './support/incidents.ts';

/**
 * Every example plan, run end to end through the HTTP API: each incident type declared, its
 * containment tasks ticked, every template posted to its audience, every phase entered in
 * order, every applicable obligation met, resolved and closed, with the audit chain intact.
 */
const files = readdirSync(join(import.meta.dirname, '../examples/plans')).filter((f) => f.endsWith('.yaml'));

describe.each(files)('%s runs end to end', (file) => {
  let w: TestWorld;
  let api: Api;
  let plan: Plan;

  beforeAll(async () => {
    w = await createWorld({ slug: file.replace('.yaml', '').replace(/[^a-z0-9-]/g, '-') });
    api = await apiFor(w);
    const source = readPlan(file);
    const parsed = parsePlan(source);
    if (!parsed.ok) throw new Error(`${file} does not parse`);
    plan = parsed.plan;
    expect((await api.call('POST', '/api/v1/plan/versions', { source })).statusCode).toBe(201);
  });
  afterAll(async () => {
    await api.app.close();
    await w.close();
  });

  it('declares every incident type and drives it through the whole plan', async () => {
    for (const type of plan.incident_types) {
      const severity = type.default_severity ?? plan.severities[0]!.key;
      const declared = await api.call('POST', '/api/v1/incidents', {
        title: `Drill of ${type.key}`,
        type: type.key,
        severity,
        impact: 'Some users cannot check out',
        services: plan.services.slice(0, 1).map((s) => s.key),
      });
      expect(declared.statusCode, declared.body).toBe(201);
      const inc = declared.json();
      const ref: string = inc.ref;
      const containment = (type.containment ?? []).length;
      expect(inc.tasks.filter((t: { source: string }) => t.source === 'containment')).toHaveLength(
        containment,
      );
      expect(inc.clocks.find((c: { key: string }) => c.key === 'response')).toBeDefined();

      expect((await api.call('POST', `/api/v1/incidents/${ref}/acknowledge`, {})).statusCode).toBe(200);
      const commander = plan.roles.find((r) => r.commander);
      if (commander) {
        const r = await api.call('PUT', `/api/v1/incidents/${ref}/roles/${commander.key}`, {
          user: w.admin.email,
        });
        expect(r.statusCode, r.body).toBe(200);
      }
      for (const task of inc.tasks.slice(0, 3)) {
        expect(
          (await api.call('PATCH', `/api/v1/incidents/${ref}/tasks/${task.id}`, { done: true })).statusCode,
        ).toBe(200);
      }

      for (const t of plan.communications.templates) {
        const body = {
          audience: t.audience,
          template: t.key,
          fields: Object.fromEntries(
            (t.fields ?? []).map((f) => [f.key, `${pick(f.label)} for ${type.key}`]),
          ),
        };
        const preview = await api.call('POST', `/api/v1/incidents/${ref}/updates/preview`, body);
        expect(preview.statusCode, preview.body).toBe(200);
        // Where the plan sets no cadence for the audience, the writer says when the next update comes.
        const missing: string[] = preview.json().missing;
        expect(missing.filter((m) => m !== 'next_update' && !m.startsWith('recipient.'))).toEqual([]);
        const nextAt = missing.includes('next_update')
          ? new Date(Date.now() + 3600_000).toISOString()
          : undefined;
        const posted = await api.call('POST', `/api/v1/incidents/${ref}/updates`, {
          ...body,
          next_update_at: nextAt,
        });
        expect(posted.statusCode, posted.body).toBe(200);
        expect(posted.json().updates.at(-1).body).not.toMatch(/\[(incident|fields|next_update)[^\]]*\]/);
      }

      for (let i = 1; i < plan.phases.length; i++) {
        const r = await api.call('POST', `/api/v1/incidents/${ref}/phase`, {});
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().phase).toBe(plan.phases[i]!.key);
      }

      const now = (await api.call('GET', `/api/v1/incidents/${ref}`)).json();
      for (const clock of now.clocks.filter((c: { kind: string }) => c.kind === 'obligation')) {
        const action = clock.state === 'not_started' ? 'start' : 'met';
        const r = await api.call('POST', `/api/v1/incidents/${ref}/obligations/${clock.ref}`, { action });
        expect(r.statusCode, r.body).toBe(200);
      }

      expect(
        (await api.call('POST', `/api/v1/incidents/${ref}/status`, { status: 'resolved', reason: 'fixed' }))
          .statusCode,
      ).toBe(200);
      const closed = await api.call('POST', `/api/v1/incidents/${ref}/status`, { status: 'closed' });
      expect(closed.json().status).toBe('closed');
      expect(
        closed
          .json()
          .clocks.filter((c: { kind: string; state: string }) => c.kind === 'phase' && c.state === 'pending'),
      ).toEqual([]);
    }
    const chain = await verifyWorkspace(w.database.db, w.workspaceId);
    expect(chain.ok).toBe(true);
    expect(chain.records).toBeGreaterThan(plan.incident_types.length * 5);
  });

  it('renders its plan document in both languages', async () => {
    for (const lang of ['en', 'id']) {
      const doc = await api.call('GET', `/api/v1/plan/versions/active/document?lang=${lang}`);
      expect(doc.statusCode).toBe(200);
      for (const s of plan.severities) expect(doc.body).toContain(s.key);
    }
  });
});
