/**
 * The template language of plan messages: `{{ name }}` with a dotted name, and nothing else.
 * No conditions, loops or filters: a template a tired responder can read is worth more than
 * one that can compute, and a message that went out is reproducible from its variables.
 */

const NAME = '[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z0-9_]+)*';
const PLACEHOLDER = new RegExp(`\\{\\{\\s*(${NAME})\\s*\\}\\}`, 'g');
/** Anything between double braces, to catch `{{ if x }}` or `{{incident-number}}` that PLACEHOLDER skips. */
const BRACED = /\{\{([^{}]*)\}\}/g;
const NAME_ONLY = new RegExp(`^\\s*${NAME}\\s*$`);

/** Names used in `text`, each once, in order of first use. */
export function extractPlaceholders(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) seen.add(m[1]!);
  return [...seen];
}

/** Each name with the text of its first use (`{{ incident.title }}`), for pointing at it. */
export function extractPlaceholderUses(text: string): Map<string, string> {
  const uses = new Map<string, string>();
  for (const m of text.matchAll(PLACEHOLDER)) if (!uses.has(m[1]!)) uses.set(m[1]!, m[0]);
  return uses;
}

/** Double-braced snippets that are not a valid placeholder, so validation can point at them. */
export function malformedPlaceholders(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(BRACED)) {
    if (!NAME_ONLY.test(m[1]!)) out.push(m[0]);
  }
  return out;
}

export type Rendered = { text: string; missing: string[] };

/**
 * Replaces each placeholder with its value. A name without a value is left visible as
 * `[name]` (the bracket convention the seeds' own templates use) and reported in `missing`,
 * so a half-filled update is obvious to its writer rather than silently blank. Values are
 * inserted as they are and never scanned again.
 */
export function renderTemplate(text: string, vars: Record<string, string | undefined>): Rendered {
  const missing = new Set<string>();
  const out = text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (value === undefined) {
      missing.add(name);
      return `[${name}]`;
    }
    return value;
  });
  return { text: out, missing: [...missing] };
}

export type CatalogueEntry = { name: string; description: string; example: string };

/** The incident variables every template may use. Template fields add `fields.<key>`. */
export const CATALOGUE: readonly CatalogueEntry[] = [
  { name: 'incident.number', description: 'The incident number', example: 'INC-42' },
  { name: 'incident.title', description: 'One-line title of the incident', example: 'Checkout errors' },
  {
    name: 'incident.description',
    description: 'What is happening, as the responders describe it',
    example: 'Payments time out at the gateway',
  },
  {
    name: 'incident.impact',
    description: 'Who and what is affected, in words',
    example: '1,200 customers cannot pay',
  },
  {
    name: 'incident.affected',
    description: 'Affected services and tenants, as a list',
    example: 'Payments, tenant acme',
  },
  { name: 'incident.status', description: 'Status key', example: 'investigating' },
  { name: 'incident.status_label', description: 'Status as a label', example: 'Investigating' },
  { name: 'incident.severity', description: 'Severity key', example: 'S1' },
  { name: 'incident.severity_label', description: 'Severity label', example: 'Critical' },
  { name: 'incident.type', description: 'Incident type key', example: 'data_breach' },
  { name: 'incident.type_label', description: 'Incident type label', example: 'Data breach' },
  { name: 'incident.phase', description: 'Current phase key', example: 'containment' },
  { name: 'incident.phase_label', description: 'Current phase label', example: 'Containment' },
  { name: 'incident.services', description: 'Affected services', example: 'Payments, Ledger' },
  { name: 'incident.tenants', description: 'Affected tenants', example: 'acme, globex' },
  {
    name: 'incident.correlation_ids',
    description: 'Correlation or request IDs attached to the incident',
    example: 'req-7f3a, req-91c2',
  },
  { name: 'incident.detected_at', description: 'When it was detected', example: '2026-03-02 14:05 UTC+7' },
  { name: 'incident.declared_at', description: 'When it was declared', example: '2026-03-02 14:09 UTC+7' },
  { name: 'incident.resolved_at', description: 'When it was resolved', example: '2026-03-02 16:40 UTC+7' },
  {
    name: 'incident.duration',
    description: 'Time from detection to resolution (or to now)',
    example: '2h35m',
  },
  { name: 'incident.commander', description: 'Who holds the commander role', example: 'Dewi Lestari' },
  {
    name: 'incident.url',
    description: 'Link to the incident in Siaga',
    example: 'https://siaga.example/i/42',
  },
  {
    name: 'next_update',
    description: 'When the next update to this audience is due',
    example: '2026-03-02 14:45 UTC+7',
  },
  {
    name: 'update_cadence',
    description: "This audience's update cadence at this severity",
    example: '30 minutes',
  },
  { name: 'plan.name', description: 'Name of the plan', example: 'Rekberkan incident response plan' },
  { name: 'recipient.name', description: 'Name of the person or organisation addressed', example: 'Budi' },
  { name: 'now', description: 'Time of writing', example: '2026-03-02 14:30 UTC+7' },
  { name: 'date', description: 'Date of writing', example: '2026-03-02' },
];

const CATALOGUE_NAMES = new Set(CATALOGUE.map((e) => e.name));

/** Whether `name` can be filled for a template with these field keys. */
export function isKnownPlaceholder(name: string, fieldKeys: readonly string[] = []): boolean {
  if (CATALOGUE_NAMES.has(name)) return true;
  return name.startsWith('fields.') && fieldKeys.includes(name.slice('fields.'.length));
}

/** Names a template may use, for did-you-mean on unknown placeholders. */
export function knownPlaceholders(fieldKeys: readonly string[] = []): string[] {
  return [...CATALOGUE_NAMES, ...fieldKeys.map((k) => `fields.${k}`)];
}
