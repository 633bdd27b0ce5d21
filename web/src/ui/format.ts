/** "2h 05m", "4m 09s", "3d 2h": the two largest units, enough to act on under stress. */
export function span(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  return `${m}m ${two(sec)}s`;
}

export function time(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** A plan duration as the API sends it (the parsed form keeps the text as written). */
export function duration(d: unknown): string {
  if (typeof d === 'string') return d;
  if (d && typeof d === 'object' && 'text' in d) return String((d as { text: unknown }).text);
  return '';
}
