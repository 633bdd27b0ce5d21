import type { Indicator } from './model.ts';
import type { ComponentStatus } from './tables.ts';

const COLOR: Record<string, string> = {
  none: '#2fcc66',
  operational: '#2fcc66',
  minor: '#f1c40f',
  degraded_performance: '#f1c40f',
  major: '#e67e22',
  partial_outage: '#e67e22',
  critical: '#e74c3c',
  major_outage: '#e74c3c',
  under_maintenance: '#3498db',
};

export const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

/** A shields-style badge: label on grey, value on the status colour. Widths from a fixed advance. */
export function badgeSvg(label: string, value: string, state: Indicator | ComponentStatus): string {
  const w = (s: string) => Math.round(s.length * 6.5 + 12);
  const lw = w(label);
  const vw = w(value);
  const color = COLOR[state] ?? '#9f9f9f';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + vw}" height="20" role="img" aria-label="${escapeXml(label)}: ${escapeXml(value)}"><title>${escapeXml(label)}: ${escapeXml(value)}</title><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${vw}" height="20" fill="${color}"/><g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle"><text x="${lw / 2}" y="14">${escapeXml(label)}</text><text x="${lw + vw / 2}" y="14">${escapeXml(value)}</text></g></svg>`;
}
