/**
 * The small path syntax a generic webhook's mapping uses to say where a field is in the sender's
 * JSON: `$.alert.title`, `labels.host`, `items[0].name`, `tags["team name"]`. The leading `$.` is
 * optional. Deliberately not JSONPath: no wildcards or filters, so a path names one value and a
 * mapping reads the same way to everyone.
 */
export type PathStep = string | number;

export class PathSyntaxError extends Error {}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*/;

export function parsePath(text: string): PathStep[] {
  let rest = text.trim();
  if (rest === '$' || rest === '') throw new PathSyntaxError('expected a path such as "$.alert.title"');
  if (rest.startsWith('$')) rest = rest.slice(1);
  else rest = `.${rest}`;
  const steps: PathStep[] = [];
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const m = NAME.exec(rest.slice(1));
      if (!m) throw new PathSyntaxError(`expected a field name after "." at "${rest}"`);
      steps.push(m[0]);
      rest = rest.slice(1 + m[0].length);
    } else if (rest.startsWith('[')) {
      const index = /^\[(\d{1,6})\]/.exec(rest);
      const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(rest);
      if (index) {
        steps.push(Number(index[1]));
        rest = rest.slice(index[0].length);
      } else if (quoted) {
        steps.push(JSON.parse(`"${quoted[1]}"`) as string);
        rest = rest.slice(quoted[0].length);
      } else throw new PathSyntaxError(`expected [index] or ["key"] at "${rest}"`);
    } else throw new PathSyntaxError(`expected "." or "[" at "${rest}"`);
  }
  return steps;
}

export function formatPath(steps: PathStep[]): string {
  return `$${steps
    .map((s) =>
      typeof s === 'number' ? `[${s}]` : NAME.exec(s)?.[0] === s ? `.${s}` : `[${JSON.stringify(s)}]`,
    )
    .join('')}`;
}

/** The value at the path, or undefined when any step is missing. */
export function getPath(value: unknown, steps: PathStep[]): unknown {
  let cur = value;
  for (const s of steps) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[s];
    } else {
      if (Array.isArray(cur) || !Object.hasOwn(cur, s)) return undefined;
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return cur;
}
