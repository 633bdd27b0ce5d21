/** One Server-Sent Events frame as a client sees it. */
export type SseFrame = { id?: string; event: string; data: string; comment?: string };

/**
 * Reads an SSE stream over fetch and parses frames as the EventSource spec does (fields per line,
 * frames end at a blank line, lines starting with ":" are comments), so tests see exactly what a
 * browser would.
 */
export async function openStream(
  url: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  contentType: string | null;
  next(pred?: (f: SseFrame) => boolean): Promise<SseFrame>;
  close(): void;
  body: string;
}> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  const frames: SseFrame[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let body = '';
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = decoder.decode(value, { stream: true });
        body += text;
        buffer += text;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const raw = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const f: SseFrame = { event: 'message', data: '' };
          for (const line of raw.split('\n')) {
            if (line.startsWith(':')) f.comment = line.slice(1).trim();
            const m = /^(\w+): ?(.*)$/.exec(line);
            if (m?.[1] === 'id') f.id = m[2];
            if (m?.[1] === 'event') f.event = m[2]!;
            if (m?.[1] === 'data') f.data = f.data ? `${f.data}\n${m[2]}` : m[2]!;
          }
          frames.push(f);
          for (const w of waiters.splice(0)) w();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {}
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    get body() {
      return body;
    },
    async next(pred = () => true) {
      for (;;) {
        const i = frames.findIndex(pred);
        if (i !== -1) return frames.splice(0, i + 1).at(-1)!;
        await new Promise<void>((r) => waiters.push(r));
      }
    },
    close: () => ctrl.abort(),
  };
}
