/** One thing wrong with a plan file, located at the node a person has to change. */
export type PlanProblem = { path: string; line: number; column: number; message: string };

/** A path into the document, before it is located in the source. */
export type DocPath = readonly (string | number)[];

/** A problem found on parsed data, located later against the YAML source. */
export type PathProblem = {
  path: DocPath;
  message: string;
  /** Point at the key of the last path segment rather than its value (unknown keys). */
  at?: 'key' | 'value';
  /** Text inside the node to point at (a placeholder within a long template body). */
  needle?: string;
  /** Exact source offset, when the problem was found in the YAML itself. */
  offset?: number;
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `severities[2].response_target`; keys that are not identifiers are quoted: `match["team.name"]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** `plan.yaml:12:5  severities[2].response_target  expected a duration …`, one line per problem. */
export function formatProblems(problems: readonly PlanProblem[], filename = 'plan.yaml'): string[] {
  return problems.map((p) => {
    const where = `${filename}:${p.line}:${p.column}`;
    return p.path === '' ? `${where}  ${p.message}` : `${where}  ${p.path}  ${p.message}`;
  });
}

/** Document order, so a reader can fix a file top to bottom. */
export function sortProblems(problems: PlanProblem[]): PlanProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
