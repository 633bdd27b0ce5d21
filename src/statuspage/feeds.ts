import { escapeXml as esc } from './badge.ts';
import type { IncidentModel, PageModel } from './snapshot.ts';

const FEED_ITEMS = 25;

/** Newest first, incidents and maintenances together, each with its updates as the content. */
function items(m: PageModel): IncidentModel[] {
  return [...m.incidents, ...m.maintenances]
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .slice(0, FEED_ITEMS);
}

function content(i: IncidentModel): string {
  return i.updates
    .map(
      (u) =>
        `<p><small>${u.createdAt.toISOString()}</small><br><strong>${esc(u.status)}</strong> - ${esc(u.body)}</p>`,
    )
    .join('');
}

export function renderRss(m: PageModel): string {
  const entries = items(m)
    .map(
      (i) =>
        `<item><title>${esc(i.name)}</title><description>${esc(content(i))}</description><pubDate>${i.updatedAt.toUTCString()}</pubDate><link>${esc(`${m.url}/incidents/${i.id}`)}</link><guid isPermaLink="false">${i.id}</guid></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>${esc(m.page.name)} Status - Incident History</title><link>${esc(m.url)}</link><description>Statuspage</description><atom:link href="${esc(`${m.url}/history.rss`)}" rel="self" type="application/rss+xml"/><lastBuildDate>${m.builtAt.toUTCString()}</lastBuildDate>${entries}</channel></rss>`;
}

export function renderAtom(m: PageModel): string {
  const list = items(m);
  const updated = (list[0]?.updatedAt ?? m.page.updatedAt).toISOString();
  const entries = list
    .map(
      (i) =>
        `<entry><id>urn:uuid:${i.id}</id><published>${i.createdAt.toISOString()}</published><updated>${i.updatedAt.toISOString()}</updated><link rel="alternate" type="text/html" href="${esc(`${m.url}/incidents/${i.id}`)}"/><title>${esc(i.name)}</title><content type="html">${esc(content(i))}</content></entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-US"><id>urn:uuid:${m.page.id}</id><link rel="alternate" type="text/html" href="${esc(m.url)}"/><link rel="self" type="application/atom+xml" href="${esc(`${m.url}/history.atom`)}"/><title>${esc(m.page.name)} Status - Incident History</title><updated>${updated}</updated><author><name>${esc(m.page.name)}</name></author>${entries}</feed>`;
}
