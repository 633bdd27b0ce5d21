/**
 * Means and percentiles computed in the process from the durations the database hands over.
 * PostgreSQL's ordered-set aggregates sort their input again for every grouping set (five
 * groupings × three durations over a year's incidents cost most of a second); here each group's
 * values are laid out once and the three ranks are found by selection, in linear time. The
 * definition is percentile_cont's, so the figures are the ones the database would give.
 */

export type Stat = {
  n: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p90_ms: number | null;
  p99_ms: number | null;
};

const FRACTIONS = [0.5, 0.9, 0.99] as const;

/** Puts the k-th smallest of a[lo..hi] at a[k], smaller ones before it and larger after (Hoare). */
function select(a: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** Smallest of a[lo..hi]. */
function min(a: Float64Array, lo: number, hi: number): number {
  let m = a[lo]!;
  for (let i = lo + 1; i <= hi; i++) if (a[i]! < m) m = a[i]!;
  return m;
}

/**
 * percentile_cont at 0.5, 0.9 and 0.99: linear interpolation between the two ranks around
 * fraction × (n − 1). Reorders `a` (a scratch copy); rising fractions let each selection start
 * where the last one ended.
 */
export function percentiles(a: Float64Array): [number, number, number] | null {
  const n = a.length;
  if (n === 0) return null;
  const out: number[] = [];
  let from = 0;
  for (const f of FRACTIONS) {
    const pos = f * (n - 1);
    const lo = Math.floor(pos);
    select(a, from, n - 1, lo);
    const low = a[lo]!;
    // After selecting rank lo, rank lo + 1 is the smallest of what lies above it.
    out.push(lo + 1 < n && pos > lo ? low + (pos - lo) * (min(a, lo + 1, n - 1) - low) : low);
    from = lo;
  }
  return out as [number, number, number];
}

/** The stat of reached durations (no NaN); reorders `values`. */
export function statOf(values: Float64Array): Stat {
  const n = values.length;
  if (n === 0) return { n: 0, mean_ms: null, p50_ms: null, p90_ms: null, p99_ms: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const [p50, p90, p99] = percentiles(values)!;
  return {
    n,
    mean_ms: Math.round(sum / n),
    p50_ms: Math.round(p50),
    p90_ms: Math.round(p90),
    p99_ms: Math.round(p99),
  };
}

/**
 * Per group, the stat of the values of its rows. `rows[k]` belongs to `groups[k]` (a row may
 * appear under several groups, as an incident under each of its services); NaN marks a row that
 * has not reached this duration. The values are laid out group by group in one array (a
 * counting sort), so each group is a view and nothing is sorted.
 */
export function statsByGroup(
  values: Float64Array,
  rows: Int32Array,
  groups: Int32Array,
  groupCount: number,
): Stat[] {
  const counts = new Int32Array(groupCount + 1);
  for (let k = 0; k < rows.length; k++) if (!Number.isNaN(values[rows[k]!]!)) counts[groups[k]! + 1]!++;
  for (let g = 1; g <= groupCount; g++) counts[g]! += counts[g - 1]!;
  const laid = new Float64Array(counts[groupCount]!);
  const next = counts.slice(0, groupCount);
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]!]!;
    if (!Number.isNaN(v)) laid[next[groups[k]!]!++] = v;
  }
  return Array.from({ length: groupCount }, (_, g) => statOf(laid.subarray(counts[g]!, counts[g + 1]!)));
}

/** Big-endian float8 values packed end to end (what `string_agg(float8send(x), '')` returns). */
export function float8s(bytes: Uint8Array): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(bytes.byteLength >>> 3);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(i * 8, false);
  return out;
}
