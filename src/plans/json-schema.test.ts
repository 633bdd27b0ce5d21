import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planJsonSchema, planJsonSchemaText } from './json-schema.ts';
import { CATALOGUE } from './placeholders.ts';
import { REGIMES } from './regimes.ts';
import { PlanSchema } from './schema/plan.ts';

const ROOT = new URL('../../', import.meta.url);

describe('schema/plan.schema.json', () => {
  it('is up to date with the Zod schema', () => {
    const committed = readFileSync(new URL('schema/plan.schema.json', ROOT), 'utf8');
    // On failure: run `node scripts/gen-plan-schema.ts` and commit the result.
    expect(committed, 'schema/plan.schema.json is out of date: run `node scripts/gen-plan-schema.ts`').toBe(
      planJsonSchemaText(),
    );
  });

  it('describes the plan sections, closed to unknown keys', () => {
    const schema = planJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(Object.keys(PlanSchema.shape));
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['siaga', 'key', 'name', 'severities', 'incident_types']);
  });

  it('gives every field of every section a description', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((n, i) => {
          walk(n, `${path}[${i}]`);
        });
      }
      if (node === null || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      const props = o.properties as Record<string, Record<string, unknown>> | undefined;
      // Inside the shared building blocks (Text's en/id, Target's role/contact…) the names say it all.
      const shared = /^\$defs\.(Text|Target|Matcher)/.test(path);
      for (const [k, v] of Object.entries(props ?? {})) {
        if (!shared && typeof v.description !== 'string') undescribed.push(`${path}.${k}`);
      }
      for (const [k, v] of Object.entries(o)) walk(v, path === '' ? k : `${path}.${k}`);
    };
    walk(planJsonSchema(), '');
    expect(undescribed).toEqual([]);
  });
});

describe('example plans', () => {
  const dir = new URL('examples/plans/', ROOT);
  it.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('%s points editors at the schema', (file) => {
    const first = readFileSync(new URL(file, dir), 'utf8').split('\n')[0];
    expect(first).toBe('# yaml-language-server: $schema=../../schema/plan.schema.json');
  });
});

describe('docs/plan-format.md', () => {
  // Tables are padded by the formatter; compare with runs of spaces collapsed.
  const doc = readFileSync(new URL('docs/plan-format.md', ROOT), 'utf8').replace(/ {2,}/g, ' ');

  it('lists every placeholder of the catalogue and every regime', () => {
    for (const e of CATALOGUE)
      expect(doc).toContain(`| \`{{${e.name}}}\` | ${e.description} | ${e.example} |`);
    for (const r of REGIMES) expect(doc).toContain(`| \`${r.key}\` |`);
  });

  it('documents every plan section', () => {
    for (const section of Object.keys(PlanSchema.shape)) {
      if (section === 'siaga' || section === 'key' || section === 'name') continue;
      expect(doc, section).toContain(`\`${section}\``);
    }
  });
});
