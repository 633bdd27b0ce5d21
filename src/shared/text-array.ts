/**
 * A text[] literal, every element quoted: one bind value (`$1::text[]`) that the planner folds
 * into a constant array whose length it knows, where a JSON parameter or a list of binds is a
 * guess or thousands of values.
 */
export function formatTextArray(values: Iterable<string>): string {
  return `{${[...values].map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/**
 * A one-dimensional text[] as PostgreSQL prints it (`{ledger,"two words","a\"b"}`), read back.
 * Printing the array is several times cheaper per row than array_to_json; only the few distinct
 * combinations are parsed here. A NULL element reads as null.
 */
export function parseTextArray(text: string): (string | null)[] {
  if (text.length < 2 || text[0] !== '{' || text.at(-1) !== '}')
    throw new Error(`not an array literal: ${text}`);
  const out: (string | null)[] = [];
  const end = text.length - 1;
  let i = 1;
  if (i === end) return out;
  for (;;) {
    if (text[i] === '"') {
      let v = '';
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') i++;
        v += text[i++];
        if (i >= end) throw new Error(`unterminated element in ${text}`);
      }
      i++;
      out.push(v);
    } else {
      const stop = text.indexOf(',', i);
      const v = text.slice(i, stop === -1 ? end : stop);
      out.push(v === 'NULL' ? null : v);
      i = stop === -1 ? end : stop;
    }
    if (i >= end) return out;
    i++; // the comma
  }
}
