import type { Plan } from './api.ts';
import { type Lang, pick } from './i18n.ts';

/** Lookups in one plan version that several screens need. */
export function severityRank(plan: Plan | undefined, key: string): number {
  const i = plan?.severities.findIndex((s) => s.key === key) ?? -1;
  return i < 0 ? 4 : i;
}

export function label(
  plan: Plan | undefined,
  kind: 'severities' | 'incident_types' | 'roles' | 'services',
  key: string,
  lang: Lang,
): string {
  const list = (plan?.[kind] ?? []) as { key: string; label: Parameters<typeof pick>[0] }[];
  const found = list.find((x) => x.key === key);
  return found ? pick(found.label, lang) : key;
}
