import { runVerb } from '../../src/kernel/verb.ts';
import { notifyModule } from '../../src/notify/module.ts';
import { loadNotifySettings, type NotifySettings } from '../../src/notify/settings.ts';
import { applyPlan } from '../../src/plans/store.ts';
import { FIXTURE_PLAN } from './incidents.ts';
import { createScenario, type Scenario } from './scenario.ts';

export function testSettings(over: NodeJS.ProcessEnv = {}): NotifySettings {
  return loadNotifySettings({ SIAGA_NOTIFY_TIMEOUT: '5s', ...over });
}

export async function notifyScenario(settings: NotifySettings, start?: string): Promise<Scenario> {
  return createScenario({ modules: [notifyModule({ settings })], start });
}

/**
 * Moves the scenario clock in small steps until `done` holds: jobs fire on the fake clock, but
 * the sends they make (SMTP, HTTP) take real time on loopback.
 */
export async function until(
  s: Scenario,
  done: () => boolean | Promise<boolean>,
  stepMs = 500,
  maxSteps = 200,
): Promise<void> {
  for (let i = 0; i < maxSteps; i++) {
    if (await done()) return;
    await s.clock.pass(stepMs);
    await new Promise((r) => setTimeout(r, 15));
  }
  if (!(await done())) throw new Error('condition not reached');
}

/** Lets in-flight real I/O finish without moving the fake clock. */
export function settle(ms = 200): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Applies a plan in a scenario (withPlan wants a FakeClock world). */
export function applyIn(s: Scenario, source: string = FIXTURE_PLAN) {
  return runVerb(s.env, s.admin.scope, (ctx) => applyPlan(ctx, { source }));
}
