/**
 * When a file has shape problems, the valid parts are still checked for references, so one
 * run reports everything. Lists are kept item by item at their original indexes (an invalid
 * item leaves a hole), and the keys of invalid items are remembered so that referring to them
 * is not reported as "unknown" on top of the item's own problem.
 */
import { z } from 'zod';
import type { AlsoKnown, Kind } from './ref-index.ts';
import type { PlanDocument } from './schema/plan.ts';
import { PlanSchema } from './schema/plan.ts';
import { kind, type Schema, unwrap } from './schema-walk.ts';

const LIST_KINDS: Record<string, Kind> = {
  severities: 'severity',
  roles: 'role',
  incident_types: 'type',
  phases: 'phase',
  checklists: 'checklist',
  obligations: 'obligation',
  runbooks: 'runbook',
  switches: 'switch',
  services: 'service',
  contacts: 'contact',
  drills: 'drill',
  'communications.audiences': 'audience',
  'communications.channels': 'channel',
  'communications.templates': 'template',
  'escalation.paths': 'path',
};

/** Sections made of several lists, salvaged list by list. */
const NESTED = new Set(['communications', 'escalation', 'routing']);

type Shape = Record<string, Schema>;

function shapeOf(s: Schema): Shape {
  return ((unwrap(s)._zod.def as unknown as { shape?: Shape }).shape ?? {}) as Shape;
}

export function salvage(raw: Record<string, unknown>): { plan: PlanDocument; alsoKnown: AlsoKnown } {
  const alsoKnown: Partial<Record<Kind, Set<string>>> = {};
  const remember = (name: string, item: unknown): void => {
    const k = LIST_KINDS[name];
    const key = item !== null && typeof item === 'object' ? (item as { key?: unknown }).key : undefined;
    if (k === undefined || typeof key !== 'string') return;
    alsoKnown[k] ??= new Set();
    alsoKnown[k].add(key);
  };

  const section = (name: string, schema: Schema, value: unknown): unknown => {
    const whole = z.safeParse(schema, value);
    if (whole.success) return whole.data;
    const inner = unwrap(schema);
    if (kind(inner) === 'array' && Array.isArray(value)) {
      const element = (inner._zod.def as unknown as { element: Schema }).element;
      const out: unknown[] = new Array(value.length);
      value.forEach((item, i) => {
        const r = z.safeParse(element, item);
        if (r.success) out[i] = r.data;
        else remember(name, item);
      });
      return out;
    }
    const short = name.split('.').pop()!;
    if (NESTED.has(short) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(shapeOf(inner))) {
        const v = section(`${name}.${key}`, sub, (value as Record<string, unknown>)[key]);
        if (v !== undefined) out[key] = v;
      }
      return out;
    }
    // Fall back to the section's default, if it has one.
    const empty = z.safeParse(schema, undefined);
    return empty.success ? empty.data : undefined;
  };

  const plan: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(PlanSchema.shape as unknown as Shape)) {
    plan[name] = section(name, schema, raw[name]);
  }
  // Lists that must exist for the checks to run at all.
  for (const name of ['severities', 'incident_types']) plan[name] ??= [];
  for (const name of ['communications', 'escalation']) plan[name] ??= {};
  const comms = plan.communications as Record<string, unknown>;
  for (const name of ['audiences', 'channels', 'templates']) comms[name] ??= [];
  const esc = plan.escalation as Record<string, unknown>;
  esc.paths ??= [];
  plan.routing ??= { rules: [] };
  (plan.routing as Record<string, unknown>).rules ??= [];
  return { plan: plan as unknown as PlanDocument, alsoKnown };
}
