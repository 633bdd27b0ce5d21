/** Markdown building blocks for the rendered plan: tables, fences, durations in words. */
import type { Duration } from '../shared/duration.ts';
import { type Language, pick, type Text } from '../shared/text.ts';

export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A table without the columns that are empty in every row (a plan without phone numbers). */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const keep = head.map((_, i) => i === 0 || rows.some((r) => (r[i] ?? '') !== ''));
  const pickCols = (cells: readonly string[]) => cells.filter((_, i) => keep[i]);
  const line = (cells: readonly string[]) => `| ${pickCols(cells).map(cell).join(' | ')} |`;
  return [
    line(head),
    `|${pickCols(head)
      .map(() => '---')
      .join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** A fence longer than any run of backticks inside, so commands and templates show verbatim. */
export function fence(content: string, language = ''): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${content.replace(/\n$/, '')}\n${ticks}`;
}

export function bullets(items: readonly string[]): string {
  return items.map((i) => `- ${i.replace(/\n/g, '\n  ')}`).join('\n');
}

export function numbered(items: readonly string[]): string {
  return items.map((i, n) => `${n + 1}. ${i.replace(/\n/g, '\n   ')}`).join('\n');
}

export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest > 0 ? `${ticks} ${text} ${ticks}` : `${ticks}${text}${ticks}`;
}

const UNITS: Record<Language, Record<'w' | 'd' | 'h' | 'm' | 's' | 'mo' | 'bd', [string, string]>> = {
  en: {
    w: ['week', 'weeks'],
    d: ['day', 'days'],
    h: ['hour', 'hours'],
    m: ['minute', 'minutes'],
    s: ['second', 'seconds'],
    mo: ['month', 'months'],
    bd: ['business day', 'business days'],
  },
  id: {
    w: ['minggu', 'minggu'],
    d: ['hari', 'hari'],
    h: ['jam', 'jam'],
    m: ['menit', 'menit'],
    s: ['detik', 'detik'],
    mo: ['bulan', 'bulan'],
    bd: ['hari kerja', 'hari kerja'],
  },
};

/** "1 hour 30 minutes", "5 business days", "immediate", as written in the plan, in words. */
export function duration(d: Duration, lang: Language): string {
  if (d.ms === 0 && d.months === 0 && d.businessDays === 0) return lang === 'id' ? 'segera' : 'immediate';
  const units = UNITS[lang];
  const say = (n: number, u: keyof typeof units) => `${n} ${units[u][n === 1 ? 0 : 1]}`;
  const parts: string[] = [];
  if (d.months) parts.push(say(d.months, 'mo'));
  if (d.businessDays) parts.push(say(d.businessDays, 'bd'));
  if (parts.length === 0) {
    for (const m of d.text.matchAll(/(\d+)(w|d|h|m|s)/g)) parts.push(say(Number(m[1]), m[2] as 'w'));
  }
  return parts.join(' ');
}

/** A label picked in the document's language. */
export function t(text: Text | undefined, lang: Language): string {
  return pick(text, lang);
}
