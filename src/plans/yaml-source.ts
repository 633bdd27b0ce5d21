/**
 * The YAML side of parsing: syntax errors, duplicate keys (which YAML would resolve by letting
 * the later value silently win) and mapping a document path back to a line and column.
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type DocPath, formatPath, type PathProblem, type PlanProblem } from './problems.ts';

export type YamlSource = {
  source: string;
  doc: Document;
  lines: LineCounter;
  /** Problems YAML itself finds; if any is a syntax error, the content cannot be trusted. */
  syntax: PlanProblem[];
  duplicates: PathProblem[];
};

const FRIENDLY: Record<string, string> = {
  MULTIPLE_DOCS: 'a plan file holds one YAML document; remove the "---" separator and what follows it',
  TAB_AS_INDENT: 'tabs cannot indent YAML; indent with spaces',
};

export function readYaml(source: string): YamlSource {
  const lines = new LineCounter();
  // Duplicates are found below with their path; YAML's own check only knows an offset.
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const syntax = [...doc.errors, ...doc.warnings].map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    const text = FRIENDLY[e.code] ?? e.message.split('\n')[0]!;
    return { path: '', line, column: col, message: `YAML syntax error: ${text}` };
  });
  const duplicates: PathProblem[] = [];
  findDuplicates(doc.contents, [], duplicates, lines);
  return { source, doc, lines, syntax, duplicates };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function findDuplicates(node: unknown, path: DocPath, out: PathProblem[], lines: LineCounter): void {
  if (isMap(node)) {
    const first = new Map<string, number>();
    for (const pair of node.items) {
      const key = keyText(pair.key);
      if (key === undefined) continue;
      const seen = first.get(key);
      if (seen !== undefined) {
        const { line } = lines.linePos(seen);
        out.push({
          path: [...path, key],
          at: 'key',
          ...(isScalar(pair.key) && pair.key.range ? { offset: pair.key.range[0] } : {}),
          message: `duplicate key "${key}" (first set on line ${line}); YAML would keep only the last one, so remove or rename one of them`,
        });
      } else if (isScalar(pair.key) && pair.key.range) {
        first.set(key, pair.key.range[0]);
      }
      findDuplicates(pair.value, [...path, key], out, lines);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      findDuplicates(item, [...path, i], out, lines);
    });
  }
}

/** 1-based line and column of the node at `path`, or of the nearest ancestor that exists. */
export function locate(src: YamlSource, p: PathProblem): { line: number; column: number } {
  const { path, at = 'value' } = p;
  if (p.offset !== undefined) return position(src, p.offset);
  let node: unknown = src.doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      if (last && at === 'key') {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      // `key:` with nothing after it: point at the key, which is what the reader sees.
      const valueStart = rangeStart(pair.value);
      offset = valueStart ?? rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
    if (isAlias(node)) break;
  }
  if (p.needle !== undefined && node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    const found = range ? src.source.slice(range[0], range[1]).indexOf(p.needle) : -1;
    if (range && found >= 0) offset = range[0] + found;
  }
  return position(src, offset);
}

function position(src: YamlSource, offset: number): { line: number; column: number } {
  const { line, col } = src.lines.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object' || !('range' in node)) return undefined;
  const range = (node as Node).range;
  return range ? range[0] : undefined;
}

export function toPlanProblem(src: YamlSource, p: PathProblem): PlanProblem {
  return { path: formatPath(p.path), ...locate(src, p), message: p.message };
}
