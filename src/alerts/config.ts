/** The alerts module's settings, read from the environment by the module itself. */
export type AlertsConfig = { bodyLimit: number; ratePerSecond: number; rateBurst: number };

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function alertsConfig(env: NodeJS.ProcessEnv): AlertsConfig {
  return {
    bodyLimit: positive(env, 'SIAGA_ALERTS_BODY_LIMIT', 1024 * 1024),
    ratePerSecond: positive(env, 'SIAGA_ALERTS_RATE', 200),
    rateBurst: positive(env, 'SIAGA_ALERTS_BURST', 400),
  };
}
