/** Edit distance (insert, delete, substitute, and swap of neighbours: "repsonse" is one slip). */
export function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      }
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known word closest to `word`, if it is close enough to be a slip rather than a different
 * word: one edit per three letters, so "S5" suggests nothing (it is not a slip for "S1") while
 * "respone_target" suggests "response_target". Case differences count as no edit.
 */
export function closest(word: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  const all = [...known];
  for (const k of all) {
    if (k === word) continue;
    const dist = distance(lower, k.toLowerCase());
    if (dist <= allowed(lower, k.toLowerCase()) && dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  if (best !== undefined) return best;
  // A part of a longer key ("severity" for "default_severity"), when only one key has it.
  const parts = all.filter((k) => k.toLowerCase().split(/[_.-]/).includes(lower));
  return parts.length === 1 ? parts[0] : undefined;
}

/**
 * One edit per three letters of what differs: a shared dotted prefix ("incident.") is not
 * counted, so "incident.judul" is not taken for a slip of "incident.url".
 */
function allowed(word: string, candidate: string): number {
  let shared = 0;
  for (let i = 0; i < Math.min(word.length, candidate.length) && word[i] === candidate[i]; i++) {
    if (word[i] === '.') shared = i + 1;
  }
  return Math.floor((word.length - shared) / 3);
}

/** ` did you mean "x"?` or nothing; meant to be appended to a message. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const hit = closest(word, known);
  return hit === undefined ? '' : ` did you mean "${hit}"?`;
}

/** A list for a message, cut short when long so a message stays one readable line. */
export function listForMessage(items: readonly string[], max = 12): string {
  if (items.length === 0) return '(none)';
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')}, … (${items.length - max} more)`;
}

/** `unknown severity "S5"; known: S1, S2, S3, S4`, with a did-you-mean when one is close. */
export function unknownMessage(what: string, key: string, known: readonly string[]): string {
  const hint = didYouMean(key, known);
  const list = known.length === 0 ? `the plan defines no ${what} keys` : `known: ${listForMessage(known)}`;
  return `unknown ${what} "${key}";${hint} ${list}`;
}
