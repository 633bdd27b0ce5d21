import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld, type TestWorld } from '../../test/support/env.ts';
import { type Api, apiFor } from '../../test/support/http.ts';
import { readPlan, withPlan } from '../../test/support/incidents.ts';
import { declareIncident } from '../incidents/verbs/declare.ts';
import { acknowledge, changeStatus } from '../incidents/verbs/lifecycle.ts';
import { assignRole } from '../incidents/verbs/people.ts';
import { runVerb } from '../kernel/verb.ts';
import { postmortemsModule } from './module.ts';

let w: TestWorld;
let api: Api;
const MIN = 60_000;

beforeEach(async () => {
  w = await createWorld();
  w.clock.set(new Date('2026-03-02T02:00:00.000Z'));
  postmortemsModule().hooks!(w.env.hooks, w.env);
});
afterEach(() => w.close());

const as = <T>(fn: Parameters<typeof runVerb<T>>[2]) => runVerb(w.env, w.admin.scope, fn);
const pass = (m: number) => w.clock.set(new Date(w.clock.now().getTime() + m * MIN));

async function markdown(ref: string): Promise<string> {
  const res = await api.call('GET', `/api/v1/incidents/${ref}/postmortem`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().markdown;
}

describe('the draft a resolved incident starts with', () => {
  it("comes out in seed 001's format, filled from the incident's real events and clocks", async () => {
    await withPlan(w, readPlan('rekberkan.yaml'));
    api = await apiFor(w, { plugins: [(app, env) => postmortemsModule().routes!(app, env)] });
    const tech = await w.addMember({ email: 'tech@rekberkan.test' });
    const detectedAt = w.clock.now();
    pass(5);
    await as((ctx) =>
      declareIncident(ctx, {
        title: 'Ledger balance mismatch',
        type: 'financial',
        severity: 'S1',
        impact: '312 escrow accounts showed wrong balances',
        services: ['ledger'],
        detected_at: detectedAt,
      }),
    );
    pass(5);
    await as((ctx) => acknowledge(ctx, 'INC-1'));
    pass(2);
    await as((ctx) => assignRole(ctx, 'INC-1', 'ic', w.admin.email));
    await as((ctx) => assignRole(ctx, 'INC-1', 'tech_lead', tech.email));
    pass(28);
    await as((ctx) => changeStatus(ctx, 'INC-1', 'identified', 'double-posted webhook'));
    pass(30);
    await as((ctx) => changeStatus(ctx, 'INC-1', 'monitoring'));
    pass(20);
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved'));
    expect(await markdown('INC-1')).toBe(REKBERKAN_DRAFT);
  });

  it("comes out in seed 004's format: title, then Date/Duration/Severity/Author, then sections", async () => {
    await withPlan(w, readPlan('provider-sync.yaml'));
    api = await apiFor(w, { plugins: [(app, env) => postmortemsModule().routes!(app, env)] });
    await as((ctx) =>
      declareIncident(ctx, {
        title: 'Provider sync failing',
        description: 'Sync jobs to two providers failed after a credentials rotation.',
        type: 'service_outage',
        severity: 'P2',
        impact: 'Orders from 2 providers delayed',
      }),
    );
    pass(20);
    await as((ctx) => acknowledge(ctx, 'INC-1'));
    pass(100);
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved', 'credentials restored'));
    expect(await markdown('INC-1')).toBe(PROVIDER_SYNC_DRAFT);
  });

  it('is not created when the severity does not require one, and can be started by hand', async () => {
    await withPlan(w, readPlan('provider-sync.yaml'));
    api = await apiFor(w, { plugins: [(app, env) => postmortemsModule().routes!(app, env)] });
    await as((ctx) => declareIncident(ctx, { title: 'Slow UI', type: 'performance', severity: 'P4' }));
    await as((ctx) => changeStatus(ctx, 'INC-1', 'resolved'));
    expect((await api.call('GET', '/api/v1/incidents/INC-1/postmortem')).statusCode).toBe(404);
    const started = await api.call('POST', '/api/v1/incidents/INC-1/postmortem');
    expect(started.statusCode, started.body).toBe(201);
    expect(started.json()).toMatchObject({ state: 'draft', due_at: null });
  });
});

const REKBERKAN_DRAFT = `# Incident Post-Mortem: Ledger balance mismatch

## Incident Summary
- Date: 2026-03-02 09:00 UTC+7
- Severity: S1
- Duration: 1h30m
- Impact: 312 escrow accounts showed wrong balances

## Timeline
- 09:00 - Incident detected
- 09:05 - Incident declared (S1, financial)
- 09:10 - Acknowledged by admin@acme.test
- 09:12 - Incident Commander (IC) assigned: admin@acme.test
- 09:12 - Technical Lead assigned: tech@rekberkan.test
- 09:40 - Root cause identified: double-posted webhook
- 10:10 - Fix deployed; monitoring
- 10:30 - Incident resolved

Targets:
- Response target: missed by 10m
- Detection & Triage: missed, not completed (1h15m past the deadline at resolution)
- Initial Response: missed, not completed (30m past the deadline at resolution)
- Investigation & Containment: not completed (the deadline was 2h30m away at resolution)
- Resolution: not completed (the deadline was 22h30m away at resolution)
- Recovery: not completed (the deadline was 2d22h30m away at resolution)
- Post-Incident Review: not completed (the deadline was 6d22h30m away at resolution)
- Resolution target (MTTR): met, 2h30m to spare

## Root Cause
[Detailed technical explanation]

## Contributing Factors
1. [Factor 1]
2. [Factor 2]

## What Went Well
- [Success 1]
- [Success 2]

## What Went Poorly
- [Issue 1]
- [Issue 2]

## Action Items
| Action | Owner | Deadline | Priority |
|--------|-------|----------|----------|
| Fix X | Dev Team | YYYY-MM-DD | P0 |
| Document Y | Ops Team | YYYY-MM-DD | P1 |

## Lessons Learned
[Key takeaways]
`;

const PROVIDER_SYNC_DRAFT = `## Incident Post-Mortem: Provider sync failing
**Date**: 2026-03-02
**Duration**: 2026-03-02 02:00 UTC - 2026-03-02 04:00 UTC
**Severity**: P2
**Author**: [Name]

### Summary
Sync jobs to two providers failed after a credentials rotation.

### Timeline
- 02:00 - Incident detected
- 02:20 - Acknowledged by admin@acme.test
- 04:00 - Incident resolved: credentials restored

Targets:
- Response target: met, 40m to spare
- Affected users: not completed (the deadline was 2h away at resolution)

### Root Cause
[Technical explanation]

### Impact
Orders from 2 providers delayed

- Users affected: [count]
- Revenue impact: [if applicable]
- Data impact: [if applicable]

### Resolution
[What fixed it]

### Action Items
- [ ] [Preventive measure] - Owner: [Name] - Due: [Date]
- [ ] [Monitoring improvement] - Owner: [Name] - Due: [Date]

### Lessons Learned
[What we learned]
`;
