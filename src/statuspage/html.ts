import { escapeXml as esc } from './badge.ts';
import { type Lang, STATUS_WORDS, UPDATE_WORDS, WORDS } from './i18n.ts';
import { INDICATOR_TEXT, MAINTENANCE_TEXT, overall } from './model.ts';
import { type ComponentModel, effectiveStatus, type IncidentModel, type PageModel } from './snapshot.ts';
import { uptimePercent } from './uptime.ts';
import { active, unresolved, upcoming } from './v2.ts';

/** Where the page is mounted: under /status/<slug> or at the root of its own host name. */
export type Mount = 'path' | 'host';
export type RenderOpts = { lang: Lang; mount: Mount; now: Date; stale: boolean };

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#f7f7f8}
main{max-width:860px;margin:0 auto;padding:1rem}h1{font-size:1.6rem}a{color:#0a58ca}
.banner{padding:1rem 1.25rem;border-radius:6px;color:#fff;font-weight:600;margin:1rem 0}
.none{background:#2fcc66}.minor{background:#d4a600}.major{background:#e67e22}.critical{background:#e74c3c}.maint{background:#3498db}
.stale{background:#fff3cd;color:#5c4400;padding:.6rem 1rem;border-radius:6px}
section{background:#fff;border:1px solid #e3e3e6;border-radius:6px;padding:1rem 1.25rem;margin:1rem 0}
.comp{border-top:1px solid #eee;padding:.6rem 0}.comp:first-of-type{border-top:0}.row{display:flex;justify-content:space-between}
.s-operational{color:#1e8e4a}.s-degraded_performance{color:#9a7b00}.s-partial_outage{color:#c0620f}.s-major_outage{color:#c0392b}.s-under_maintenance{color:#2471a3}
.bars{display:flex;gap:1px;height:28px;margin:.3rem 0}.bars span{flex:1;border-radius:1px;background:#2fcc66}
.bars .d-none{background:#ddd}.bars .d-minor{background:#f1c40f}.bars .d-major{background:#e67e22}.bars .d-critical{background:#e74c3c}
.legend{display:flex;justify-content:space-between;font-size:.8rem;color:#777}
.update{margin:.5rem 0 .8rem}.update b{margin-right:.4rem}small{color:#666}.group>.comp{margin-left:1rem}
form{display:flex;gap:.5rem;flex-wrap:wrap}input[type=email]{flex:1;min-width:14rem;padding:.4rem}`;

function fmt(d: Date, lang: Lang, tz: string): string {
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: tz,
    timeZoneName: 'short',
  }).format(d);
}

function monthKey(d: Date, tz: string): string {
  const p = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: tz }).format(d);
  return p.slice(0, 7);
}

function monthLabel(key: string, lang: Lang): string {
  const [y, m] = key.split('-').map(Number);
  return new Intl.DateTimeFormat(lang === 'id' ? 'id-ID' : 'en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y!, m! - 1, 15)));
}

export function basePath(m: PageModel, mount: Mount): string {
  return mount === 'host' ? '' : `/status/${m.page.slug}`;
}

function shell(m: PageModel, o: RenderOpts, title: string, body: string): string {
  const base = basePath(m, o.mount);
  const other: Lang = o.lang === 'en' ? 'id' : 'en';
  const w = WORDS[o.lang];
  const stale = o.stale
    ? `<p class="stale" role="status">${w.stale} ${esc(fmt(m.builtAt, o.lang, m.page.timeZone))} (${Math.max(1, Math.round((o.now.getTime() - m.builtAt.getTime()) / 60_000))} min ${w.ago}).</p>`
    : '';
  return `<!doctype html><html lang="${o.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style>
<link rel="alternate" type="application/rss+xml" title="${esc(m.page.name)}" href="${base}/history.rss">
<link rel="alternate" type="application/atom+xml" title="${esc(m.page.name)}" href="${base}/history.atom"></head>
<body><main><header class="row"><h1><a href="${base}/?lang=${o.lang}" style="color:inherit;text-decoration:none">${esc(m.page.name)}</a></h1>
<nav><a href="?lang=${other}" hreflang="${other}">${WORDS[o.lang].language}</a></nav></header>${stale}${body}
<footer><small><a href="${base}/history.rss">RSS</a> · <a href="${base}/history.atom">Atom</a> · <a href="${base}/api/v2/summary.json">API</a> · ${w.poweredBy}</small></footer></main></body></html>`;
}

function updatesHtml(i: IncidentModel, o: RenderOpts, tz: string): string {
  return i.updates
    .map(
      (u) =>
        `<div class="update"><b>${esc((UPDATE_WORDS[u.status] ?? { en: u.status, id: u.status })[o.lang])}</b> – ${esc(u.body).replace(/\n/g, '<br>')}<br><small>${esc(fmt(u.createdAt, o.lang, tz))}</small></div>`,
    )
    .join('');
}

function incidentBlock(m: PageModel, i: IncidentModel, o: RenderOpts): string {
  const base = basePath(m, o.mount);
  const when =
    i.kind === 'maintenance' && i.scheduledFor && i.scheduledUntil
      ? `<p><small>${WORDS[o.lang].scheduledFor} ${esc(fmt(i.scheduledFor, o.lang, m.page.timeZone))} ${WORDS[o.lang].until} ${esc(fmt(i.scheduledUntil, o.lang, m.page.timeZone))}</small></p>`
      : '';
  return `<article class="incident" data-impact="${i.impact}"><h3><a href="${base}/incidents/${i.id}?lang=${o.lang}">${esc(i.name)}</a></h3>${when}${updatesHtml(i, o, m.page.timeZone)}</article>`;
}

function bars(c: ComponentModel, o: RenderOpts): string {
  const w = WORDS[o.lang];
  const spans = c.uptime
    .map((d) => {
      const cls =
        d.uptime === null
          ? 'd-none'
          : d.uptime >= 0.9999
            ? ''
            : d.uptime >= 0.99
              ? 'd-minor'
              : d.uptime >= 0.95
                ? 'd-major'
                : 'd-critical';
      const label =
        d.uptime === null
          ? w.noData
          : `${(d.uptime * 100).toFixed(2)}% (${Math.round(d.downSeconds / 60)} min)`;
      return `<span${cls ? ` class="${cls}"` : ''} title="${new Date(d.day).toISOString().slice(0, 10)}: ${label}"></span>`;
    })
    .join('');
  const pct = uptimePercent(c.uptime);
  return `<div class="bars" aria-hidden="true">${spans}</div><div class="legend"><span>${w.daysAgo}</span><span>${pct === null ? w.noData : `${pct.toFixed(2)} % ${w.uptime}`}</span><span>${w.today}</span></div>`;
}

function componentHtml(m: PageModel, c: ComponentModel, o: RenderOpts): string {
  const s = effectiveStatus(m, c);
  const head = `<div class="row"><span class="name">${esc(c.name)}</span><span class="status s-${s}" data-status="${s}">${STATUS_WORDS[s][o.lang]}</span></div>`;
  if (c.isGroup) {
    const kids = m.components.filter((x) => x.groupId === c.id).map((x) => componentHtml(m, x, o));
    return `<div class="comp group" data-component="${c.id}">${head}${kids.join('')}</div>`;
  }
  return `<div class="comp" data-component="${c.id}">${head}${bars(c, o)}</div>`;
}

export function renderPage(m: PageModel, o: RenderOpts): string {
  const w = WORDS[o.lang];
  const leaf = m.components.filter((c) => !c.isGroup).map((c) => effectiveStatus(m, c));
  const ov = overall(
    leaf,
    unresolved(m).map((i) => i.impact),
  );
  const cls = ov.maintenance ? 'maint' : ov.indicator;
  const text = ov.maintenance ? MAINTENANCE_TEXT[o.lang] : INDICATOR_TEXT[ov.indicator][o.lang];
  const parts = [`<div class="banner ${cls}" data-indicator="${ov.indicator}">${esc(text)}</div>`];
  const open = unresolved(m);
  if (open.length > 0)
    parts.push(
      `<section id="active"><h2>${w.active}</h2>${open.map((i) => incidentBlock(m, i, o)).join('')}</section>`,
    );
  const windows = [...active(m), ...upcoming(m)];
  if (windows.length > 0)
    parts.push(
      `<section id="maintenance"><h2>${w.maintenance}</h2>${windows.map((i) => incidentBlock(m, i, o)).join('')}</section>`,
    );
  const top = m.components.filter((c) => !c.groupId);
  parts.push(
    `<section id="components"><h2>${w.components}</h2>${top.map((c) => componentHtml(m, c, o)).join('')}</section>`,
  );
  parts.push(historyHtml(m, o));
  parts.push(subscribeHtml(m, o));
  return shell(m, o, m.page.name, parts.join('\n'));
}

/** Past incidents by month: this month and the two before, each said even when empty. */
function historyHtml(m: PageModel, o: RenderOpts): string {
  const w = WORDS[o.lang];
  const tz = m.page.timeZone;
  const months: string[] = [];
  const [y, mo] = monthKey(o.now, tz).split('-').map(Number);
  for (let k = 0; k < 3; k++) {
    const d = new Date(Date.UTC(y!, mo! - 1 - k, 15));
    months.push(d.toISOString().slice(0, 7));
  }
  const past = m.incidents.filter((i) => i.status === 'resolved' || i.status === 'postmortem');
  const blocks = months.map((key) => {
    const list = past.filter((i) => monthKey(i.startedAt, tz) === key);
    return `<h3>${esc(monthLabel(key, o.lang))}</h3>${list.length === 0 ? `<p><small>${w.noIncidents}</small></p>` : list.map((i) => incidentBlock(m, i, o)).join('')}`;
  });
  return `<section id="history"><h2>${w.history}</h2>${blocks.join('')}</section>`;
}

function subscribeHtml(m: PageModel, o: RenderOpts): string {
  const w = WORDS[o.lang];
  const base = basePath(m, o.mount);
  const comps = m.components
    .filter((c) => !c.isGroup)
    .map((c) => `<label><input type="checkbox" name="components" value="${c.id}"> ${esc(c.name)}</label>`)
    .join(' ');
  // The component choices sit inside the form, so they are posted without any script.
  return `<section id="subscribe"><h2>${w.subscribe}</h2><form method="post" action="${base}/subscribe">
<input type="hidden" name="lang" value="${o.lang}"><label for="email">${w.email}</label>
<input type="email" id="email" name="email" required maxlength="254" autocomplete="email">
<button type="submit">${w.subscribeButton}</button><p><small>${w.wholePage}, ${comps}</small></p></form></section>`;
}

export function renderIncident(m: PageModel, i: IncidentModel, o: RenderOpts): string {
  return shell(m, o, `${i.name} · ${m.page.name}`, `<section>${incidentBlock(m, i, o)}</section>`);
}

export function renderMessage(m: PageModel, o: RenderOpts, title: string, text: string, extra = ''): string {
  return shell(
    m,
    o,
    `${title} · ${m.page.name}`,
    `<section><h2>${esc(title)}</h2><p>${esc(text)}</p>${extra}</section>`,
  );
}

export function renderUnsubscribe(m: PageModel, o: RenderOpts): string {
  const w = WORDS[o.lang];
  const base = basePath(m, o.mount);
  // The token travels in the query string; the form re-posts it, so no script is needed.
  return renderMessage(
    m,
    o,
    w.unsubscribeTitle,
    '',
    `<form method="post" action="${base}/unsubscribe"><input type="hidden" name="lang" value="${o.lang}"><input type="hidden" name="token" value="__TOKEN__"><button type="submit">${w.unsubscribeButton}</button></form>`,
  );
}
