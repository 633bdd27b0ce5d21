import type { ReactNode } from 'react';

/**
 * The subset of Markdown the plan renderer writes: headings, paragraphs, lists (with task
 * boxes), tables, quotes, fenced code, **bold**, _italic_, `code`, [links](url). Built as React
 * elements, never as HTML, so nothing in a plan can inject markup.
 */
export function Markdown(props: { source: string }) {
  return <div className="markdown">{blocks(props.source.split('\n'))}</div>;
}

function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|`[^`]+`|_[^_\s][^_]*_|\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let k = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const s = m[0];
    if (s.startsWith('**')) out.push(<strong key={k++}>{s.slice(2, -2)}</strong>);
    else if (s.startsWith('`')) out.push(<code key={k++}>{s.slice(1, -1)}</code>);
    else if (s.startsWith('_')) out.push(<em key={k++}>{s.slice(1, -1)}</em>);
    else {
      const l = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s)!;
      const url = /^(https?:|mailto:|#)/.test(l[2]!) ? l[2] : undefined;
      out.push(
        <a key={k++} href={url} rel="noreferrer">
          {l[1]}
        </a>,
      );
    }
    last = m.index + s.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function blocks(lines: string[]): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  let k = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (!line.trim() || line.startsWith('<!--')) {
      i++;
    } else if (h) {
      const level = Math.min(h[1]!.length + 1, 6);
      const Tag = `h${level}` as 'h2';
      out.push(<Tag key={k++}>{inline(h[2]!)}</Tag>);
      i++;
    } else if (line.startsWith('```')) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!);
      i++;
      out.push(<pre key={k++}>{code.join('\n')}</pre>);
    } else if (line.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) {
        const cells = lines[i]!.replace(/^\||\|$/g, '')
          .split('|')
          .map((c) => c.trim());
        if (!cells.every((c) => /^-+$/.test(c))) rows.push(cells);
        i++;
      }
      // A document's rows never move, so their position is a stable key.
      const keyed = rows.map((cells, r) => ({
        key: `r${r}`,
        cells: cells.map((c, n) => ({ key: `c${n}`, c })),
      }));
      const [head, ...body] = keyed;
      out.push(
        <table key={k++}>
          <thead>
            <tr>
              {head?.cells.map((x) => (
                <th key={x.key} scope="col">
                  {inline(x.c)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.map((r) => (
              <tr key={r.key}>
                {r.cells.map((x) => (
                  <td key={x.key}>{inline(x.c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else if (line.startsWith('> ')) {
      const q: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('> ')) q.push(lines[i++]!.slice(2));
      out.push(<blockquote key={k++}>{inline(q.join(' '))}</blockquote>);
    } else if (/^(\s*)(-|\d+\.)\s/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: ReactNode[] = [];
      while (i < lines.length && /^(\s*)(-|\d+\.)\s|^\s{2,}\S/.test(lines[i]!)) {
        const l = lines[i++]!;
        const task = /^\s*-\s\[( |x)\]\s(.*)$/.exec(l);
        const text = task ? task[2]! : l.replace(/^\s*(-|\d+\.)\s/, '').trim();
        if (/^\s{2,}\S/.test(l) && !/^\s*(-|\d+\.)\s/.test(l)) {
          items.push(
            <p key={`${k}-${i}`} className="cont">
              {inline(l.trim())}
            </p>,
          );
          continue;
        }
        items.push(
          <li key={`${k}-${i}`} className={/^\s{2,}/.test(l) ? 'nested' : undefined}>
            {task && <span aria-hidden="true">{task[1] === 'x' ? '☑ ' : '☐ '}</span>}
            {inline(text)}
          </li>,
        );
      }
      out.push(ordered ? <ol key={k++}>{items}</ol> : <ul key={k++}>{items}</ul>);
    } else {
      const para: string[] = [];
      while (i < lines.length && lines[i]!.trim() && !/^(#|\||```|> |\s*(-|\d+\.)\s)/.test(lines[i]!))
        para.push(lines[i++]!);
      out.push(<p key={k++}>{inline(para.join(' '))}</p>);
    }
  }
  return out;
}
