/**
 * The post-mortem's Markdown as HTML, for the PDF that people outside engineering read. Only
 * what the templates produce: headings, paragraphs, bullet, numbered and check lists, pipe
 * tables, **bold**, `code` and [links](url). Everything else is text, escaped.
 */

const esc = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export function inline(s: string): string {
  return esc(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)/g, '<a href="$2">$1</a>');
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replaceAll('\\|', '|'));

export function markdownToHtml(md: string): string {
  const lines = md.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
    if (list) out.push(`<${list.tag}>${list.items.join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      out.push(`<h${h[1]!.length}>${inline(h[2]!)}</h${h[1]!.length}>`);
      continue;
    }
    if (/^\s*\|/.test(line) && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      flush();
      const head = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && /^\s*\|/.test(lines[i]!)) rows.push(cells(lines[i++]!));
      i--;
      out.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      );
      continue;
    }
    const item = /^\s*(?:([-*])|(\d+)\.)\s+(.*)$/.exec(line);
    if (item) {
      const tag = item[2] ? 'ol' : 'ul';
      if (para.length || (list && list.tag !== tag)) flush();
      list ??= { tag, items: [] };
      const check = /^\[( |x)\]\s+(.*)$/.exec(item[3]!);
      list.items.push(
        check
          ? `<li class="task"><span class="box">${check[1] === 'x' ? '☑' : '☐'}</span> ${inline(check[2]!)}</li>`
          : `<li>${inline(item[3]!)}</li>`,
      );
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (list) flush();
    para.push(line);
  }
  flush();
  return out.join('\n');
}

const STYLE = `body{font:11pt/1.45 "DejaVu Sans",Arial,sans-serif;color:#1b1f24;margin:0}
h1,h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em}h1{font-size:20pt}h2{font-size:15pt}h3{font-size:12.5pt}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left}
th{background:#f2f4f7}code{font-family:"DejaVu Sans Mono",monospace;background:#f2f4f7;padding:0 3px}
li.task{list-style:none;margin-left:-1.2em}.box{font-size:12pt}.meta{color:#57606a;font-size:9pt;margin-bottom:1.2em}`;

/** A standalone page: the document, and a line of who, what and when for readers of the print. */
export function postmortemPage(title: string, meta: string, markdown: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body><div class="meta">${esc(meta)}</div>${markdownToHtml(markdown)}</body></html>`;
}
