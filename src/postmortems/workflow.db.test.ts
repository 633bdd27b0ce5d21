import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { readPlan, withPlan } from '../../test/support/incidents.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { changeStatus } from '../incidents/verbs/lifecycle.ts';
import { assignRole } from '../incidents/verbs/people.ts';
import { runVerb } from '../kernel/verb.ts';
import { postmortemsModule } from './module.ts';

let w: TestWorld;
let api: Api;

beforeEach(async () => {
  w = await createWorld();
  w.clock.set(new Date('2026-03-02T02:00:00.000Z'));
  postmortemsModule().hooks!(w.env.hooks, w.env);
  await withPlan(w, readPlan('rekberkan.yaml'));
  api = await apiFor(w, { plugins: [(app, env) => postmortemsModule().routes!(app, env)] });
});
afterEach(() => w.close());

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(w.env, w.admin.scope, fn);

async function resolvedS1(title = 'Ledger mismatch') {
  const d = await as((ctx) => declareIncident(ctx, { title, type: 'financial', severity: 'S1' }));
  await as((ctx) => changeStatus(ctx, d.ref, 'resolved'));
  return d.ref;
}

describe('editing and publishing a post-mortem over HTTP', () => {
  it('refuses an unknown section, naming it, and changes nothing', async () => {
    await resolvedS1();
    const before = (await api.call('GET', '/api/v1/incidents/INC-1/postmortem')).json();
    const res = await api.call('PATCH', '/api/v1/incidents/INC-1/postmortem', {
      sections: { root_cause: 'Webhook retried twice', nope: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0]).toMatchObject({ field: 'sections.nope', pointer: '/sections/nope' });
    const after = (await api.call('GET', '/api/v1/incidents/INC-1/postmortem')).json();
    expect(after.version).toBe(before.version);
    expect(after.sections.find((s: { key: string }) => s.key === 'root_cause').body).toBe(
      '[Detailed technical explanation]',
    );
  });

  it('refuses a stale version and an unknown reviewer, naming the field', async () => {
    await resolvedS1();
    const stale = await api.call('PATCH', '/api/v1/incidents/INC-1/postmortem', { version: 99, title: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].field).toBe('version');
    const who = await api.call('PATCH', '/api/v1/incidents/INC-1/postmortem', {
      reviewers: ['nobody@elsewhere.test'],
    });
    expect(who.statusCode).toBe(400);
    expect(who.json().errors[0].field).toBe('reviewers[0]');
  });

  it('goes draft → in review → published, with the required sections written and reviewers approving', async () => {
    const reviewer = await w.addMember({ email: 'cfo@rekberkan.test' });
    await resolvedS1();
    const url = '/api/v1/incidents/INC-1/postmortem';
    const early = await api.call('POST', `${url}/publish`);
    expect(early.statusCode).toBe(422);
    expect(early.json().errors[0]).toMatchObject({ field: 'state' });

    expect(
      (await api.call('PATCH', url, { reviewers: [reviewer.email], root_causes: ['Webhook-Retry'] }))
        .statusCode,
    ).toBe(200);
    expect((await api.call('POST', `${url}/submit`)).json().state).toBe('in_review');
    const unwritten = await api.call('POST', `${url}/publish`);
    expect(unwritten.statusCode).toBe(422);
    expect(unwritten.json().errors.map((e: { field: string }) => e.field)).toEqual(['sections.root_cause']);

    expect((await api.call('POST', `${url}/request_changes`)).json().state).toBe('draft');
    await api.call('PATCH', url, {
      sections: { root_cause: 'The gateway retried a webhook we had not acknowledged.' },
    });
    await api.call('POST', `${url}/submit`);
    const notApproved = await api.call('POST', `${url}/publish`);
    expect(notApproved.json().errors[0].field).toBe('reviewers');
    const notReviewer = await api.call('POST', `${url}/approve`);
    expect(notReviewer.statusCode).toBe(422);

    const rt = await api.tokenFor(reviewer.scope);
    const approved = await api.call('POST', `${url}/approve`, undefined, { token: rt });
    expect(approved.json().reviewers).toEqual([{ email: reviewer.email, approved_at: expect.any(String) }]);
    const pub = await api.call('POST', `${url}/publish`);
    expect(pub.json()).toMatchObject({ state: 'published', root_causes: ['webhook-retry'] });

    const edit = await api.call('PATCH', url, { title: 'changed' });
    expect(edit.statusCode).toBe(422);

    const md = await api.call('GET', `${url}.md`);
    expect(md.headers['content-type']).toContain('text/markdown');
    expect(md.body.split('\n---\n')[0]).toBe(
      [
        '---',
        'incident: INC-1',
        'title: "Incident Post-Mortem: Ledger mismatch"',
        'state: published',
        'severity: S1',
        'type: financial',
        'drill: false',
        'detected_at: 2026-03-02T02:00:00.000Z',
        'resolved_at: 2026-03-02T02:00:00.000Z',
        'author: admin@acme.test',
        'reviewers:',
        '  - cfo@rekberkan.test',
        'due_at: 2026-03-09T02:00:00.000Z',
        'published_at: 2026-03-02T02:00:00.000Z',
        'root_causes:',
        '  - webhook-retry',
        'action_items: 0',
      ].join('\n'),
    );
    expect(md.body).toContain('## Root Cause\nThe gateway retried a webhook we had not acknowledged.\n');
  });

  it('takes the incident commander as the author', async () => {
    const ic = await w.addMember({ email: 'ic@rekberkan.test' });
    const d = await as((ctx) => declareIncident(ctx, { title: 'x', type: 'financial', severity: 'S2' }));
    await as((ctx) => assignRole(ctx, d.ref, 'ic', ic.email));
    await as((ctx) => changeStatus(ctx, d.ref, 'resolved'));
    expect((await api.call('GET', '/api/v1/incidents/INC-1/postmortem')).json().author).toBe(ic.email);
  });
});

describe('action items', () => {
  it("are written into the document in the plan's table, and listed across incidents", async () => {
    await resolvedS1('First');
    await resolvedS1('Second');
    const bad = await api.call('POST', '/api/v1/incidents/INC-1/action-items', {
      title: 'Idempotent webhooks',
      priority: 'P7',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('priority');
    const badUrl = await api.call('POST', '/api/v1/incidents/INC-1/action-items', {
      title: 'x',
      priority: 'P0',
      tracker_url: 'javascript:alert(1)',
      due_on: '2026-02-30',
    });
    expect(badUrl.statusCode).toBe(400);
    expect(
      badUrl
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['due_on', 'tracker_url']);
    expect((await api.call('GET', '/api/v1/action-items')).json().action_items).toEqual([]);

    const a = await api.call('POST', '/api/v1/incidents/INC-1/action-items', {
      title: 'Idempotent webhooks',
      owner_label: 'Dev Team',
      priority: 'p0',
      due_on: '2026-03-09',
      tracker_url: 'https://github.com/rekberkan/ledger/issues/12',
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ number: 1, priority: 'P0', status: 'open', overdue: false });
    await api.call('POST', '/api/v1/incidents/INC-2/action-items', {
      title: 'Runbook for replays',
      owner: w.admin.email,
      priority: 'P1',
      due_on: '2026-03-01',
    });
    const list = (await api.call('GET', '/api/v1/action-items')).json().action_items;
    expect(list.map((i: { incident: string; overdue: boolean }) => [i.incident, i.overdue])).toEqual([
      ['INC-2', true],
      ['INC-1', false],
    ]);
    const overdue = (await api.call('GET', '/api/v1/action-items?overdue=true')).json().action_items;
    expect(overdue.map((i: { title: string }) => i.title)).toEqual(['Runbook for replays']);

    const md = (await api.call('GET', '/api/v1/incidents/INC-1/postmortem')).json().markdown;
    expect(md).toContain(
      '## Action Items\n| Action | Owner | Deadline | Priority |\n|--------|-------|----------|----------|\n' +
        '| [Idempotent webhooks](https://github.com/rekberkan/ledger/issues/12) | Dev Team | 2026-03-09 | P0 |\n',
    );
    const done = await api.call('PATCH', `/api/v1/action-items/${a.json().id}`, { status: 'done' });
    expect(done.json()).toMatchObject({ status: 'done', completed_at: expect.any(String) });
  });

  it('links recurrences, earlier to later only', async () => {
    await resolvedS1('First');
    await resolvedS1('Again');
    const backwards = await api.call('POST', '/api/v1/incidents/INC-1/recurrence', { of: 'INC-1' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].field).toBe('of');
    expect((await api.call('POST', '/api/v1/incidents/INC-2/recurrence', { of: 'INC-1' })).statusCode).toBe(
      204,
    );
    const pm = (await api.call('GET', '/api/v1/incidents/INC-2/postmortem')).json();
    expect(pm.recurrence_of).toEqual([{ incident: 'INC-1', title: 'First' }]);
  });
});
