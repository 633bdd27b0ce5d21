/** What changed between two plan versions: a line diff of the YAML and a summary per section. */

export type DiffLine = {
  op: 'same' | 'added' | 'removed';
  text: string;
  old: number | null;
  new: number | null;
};
export type Hunk = { old_start: number; new_start: number; lines: DiffLine[] };
export type SectionChange = { section: string; added: string[]; removed: string[]; changed: string[] };

/**
 * Myers' O((N+M)·D) shortest edit script over lines. Plans are a few thousand lines and change a
 * little between versions, so this stays fast where a full LCS table would not.
 */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m) to (0, 0).
  const out: DiffLine[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      out.push({ op: 'same', text: a[x - 1]!, old: x, new: y });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) out.push({ op: 'added', text: b[y - 1]!, old: null, new: y });
    else out.push({ op: 'removed', text: a[x - 1]!, old: x, new: null });
    x = prevX;
    y = prevY;
  }
  return out.reverse();
}

/** Groups a diff into hunks with `context` unchanged lines around each run of changes. */
export function hunks(lines: DiffLine[], context = 3): Hunk[] {
  const changes: number[] = [];
  lines.forEach((l, i) => {
    if (l.op !== 'same') changes.push(i);
  });
  const out: Hunk[] = [];
  let g = 0;
  while (g < changes.length) {
    let last = changes[g]!;
    let h = g + 1;
    while (h < changes.length && changes[h]! - last <= 2 * context + 1) last = changes[h++]!;
    const from = Math.max(0, changes[g]! - context);
    const to = Math.min(lines.length - 1, last + context);
    const slice = lines.slice(from, to + 1);
    out.push({
      old_start: startOf(lines, from, 'old'),
      new_start: startOf(lines, from, 'new'),
      lines: slice,
    });
    g = h;
  }
  return out;
}

/** The first old (or new) line number at or after index i, as `diff -u` numbers a hunk. */
function startOf(lines: DiffLine[], i: number, side: 'old' | 'new'): number {
  for (let j = i; j < lines.length; j++) if (lines[j]![side] !== null) return lines[j]![side]!;
  for (let j = i - 1; j >= 0; j--) if (lines[j]![side] !== null) return lines[j]![side]! + 1;
  return 1;
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val).sort(([x], [y]) => (x < y ? -1 : 1)))
      : val,
  );

/**
 * Per top-level section of the parsed plan: which keyed entries (severities, types, roles…) were
 * added, removed or changed; a section without keyed entries is "changed" as a whole.
 */
export function sectionChanges(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): SectionChange[] {
  const out: SectionChange[] = [];
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const section of names) {
    const a = before[section];
    const b = after[section];
    if (stable(a) === stable(b)) continue;
    const ka = keyed(a);
    const kb = keyed(b);
    if (ka && kb) {
      const added = [...kb.keys()].filter((k) => !ka.has(k));
      const removed = [...ka.keys()].filter((k) => !kb.has(k));
      const changed = [...kb.keys()].filter((k) => ka.has(k) && stable(ka.get(k)) !== stable(kb.get(k)));
      // Same entries in another order is still a change a reader should see.
      out.push({
        section,
        added,
        removed,
        changed: changed.length + added.length + removed.length ? changed : ['(order)'],
      });
    } else {
      out.push({
        section,
        added: a === undefined ? [section] : [],
        removed: b === undefined ? [section] : [],
        changed: a !== undefined && b !== undefined ? [section] : [],
      });
    }
  }
  return out;
}

function keyed(v: unknown): Map<string, unknown> | null {
  if (!Array.isArray(v)) return null;
  const m = new Map<string, unknown>();
  for (const item of v) {
    const key = item && typeof item === 'object' ? (item as { key?: unknown }).key : undefined;
    if (typeof key !== 'string') return null;
    m.set(key, item);
  }
  return m;
}
