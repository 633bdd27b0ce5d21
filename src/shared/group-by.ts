/** Groups items by a key, keeping each group's items in their original order. */
export function groupBy<T, K, V = T>(
  xs: Iterable<T>,
  key: (x: T) => K,
  value: (x: T) => V = (x) => x as unknown as V,
): Map<K, V[]> {
  const m = new Map<K, V[]>();
  for (const x of xs) {
    const list = m.get(key(x));
    if (list) list.push(value(x));
    else m.set(key(x), [value(x)]);
  }
  return m;
}
