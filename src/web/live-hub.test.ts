import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveHub } from './live-hub.ts';

const payload = (w: string, n: number) =>
  JSON.stringify({ w, e: [{ type: 'incident.changed', id: String(n) }] });

describe('LiveHub catch-up', () => {
  it('replays exactly the missed events of the workspace, or says there is a gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.constantFrom('a', 'b'), { maxLength: 60 }),
        fc.nat(),
        (capacity, workspaces, pick) => {
          const hub = new LiveHub(capacity, 'e1');
          const seen: string[] = [hub.lastId];
          workspaces.forEach((w, n) => {
            hub.receive(payload(w, n));
            seen.push(hub.lastId);
          });
          const k = pick % seen.length;
          const r = hub.since(seen[k]!, 'a');
          const dropped = Math.max(0, workspaces.length - capacity);
          if (k < dropped) {
            expect(r.kind).toBe('gap');
          } else {
            expect(r.kind).toBe('events');
            const want = workspaces.map((w, n) => ({ w, n })).filter((x) => x.n >= k && x.w === 'a');
            if (r.kind === 'events')
              expect(r.events.map((e) => e.event.id)).toEqual(want.map((x) => String(x.n)));
          }
        },
      ),
    );
  });

  it('treats ids from another run, from the future or malformed as a gap', () => {
    const hub = new LiveHub(10, 'e1');
    hub.receive(payload('a', 1));
    expect(hub.since('e0.1', 'a').kind).toBe('gap');
    expect(hub.since('e1.5', 'a').kind).toBe('gap');
    expect(hub.since('garbage', 'a').kind).toBe('gap');
    expect(hub.since('e1.1', 'a')).toEqual({ kind: 'events', events: [] });
  });

  it('ignores payloads that are not the verbs’ shape and delivers live to subscribers of the workspace', () => {
    const hub = new LiveHub(10, 'e1');
    const got: string[] = [];
    const off = hub.subscribe('a', (n) => got.push(n.id));
    hub.receive('not json');
    hub.receive(JSON.stringify({ w: 'a', e: [{ nottype: 1 }] }));
    hub.receive(payload('b', 1));
    hub.receive(payload('a', 2));
    off();
    hub.receive(payload('a', 3));
    expect(got).toEqual(['e1.2']);
  });
});
