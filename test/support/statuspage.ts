import type { SiagaModule } from '../../src/server/modules.ts';
import type { Mail, Mailer } from '../../src/statuspage/mail.ts';
import { type StatuspageModule, statuspageModule } from '../../src/statuspage/module.ts';
import { type Api, apiFor } from './http.ts';
import { readPlan, withPlan } from './incidents.ts';
import { createScenario, type Scenario } from './scenario.ts';

/** The starter plan with a service shown on the status page. */
export const PLAN_WITH_SERVICES = readPlan('starter.yaml').replace(
  '\nseverities:',
  '\nservices:\n  - key: checkout\n    label: Checkout\n    component: Checkout\n  - key: search\n    label: Search\n\nseverities:',
);

export type StatusWorld = Scenario & { api: Api; mod: StatuspageModule; mails: Mail[] };

/** A scenario with the status page module wired, its routes on an app, and the plan applied. */
export async function statusWorld(
  opts: { mailer?: Mailer; environment?: NodeJS.ProcessEnv; modules?: SiagaModule[] } = {},
): Promise<StatusWorld> {
  const mails: Mail[] = [];
  const mailer = opts.mailer ?? { send: async (m: Mail) => void mails.push(m) };
  const mod = statuspageModule({ environment: opts.environment ?? {}, mailer });
  const s = await createScenario({ modules: [mod, ...(opts.modules ?? [])] });
  await withPlan(s as never, PLAN_WITH_SERVICES);
  const api = await apiFor(s as never, { plugins: [(a, e) => mod.routes!(a, e)] });
  return { ...s, api, mod, mails };
}
