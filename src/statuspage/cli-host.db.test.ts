import { request } from 'node:http';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatusWorld, statusWorld } from '../../test/support/statuspage.ts';
import { runCli } from '../cli/main.ts';

let w: StatusWorld;
let url: string;
beforeAll(async () => {
  w = await statusWorld();
  url = await w.api.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await w.api.app.close();
  await w.close();
});

/** fetch() may not set Host; node:http may, as a browser on the page's own name does. */
function onHost(path: string): Promise<{ status: number; type: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers: { host: 'status.acme.test' } }, (res) => {
      let text = '';
      res.on('data', (d) => {
        text += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: String(res.headers['content-type']), text }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { SIAGA_URL: url, SIAGA_TOKEN: w.api.token },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('statuspage CLI and the page on its own host name', () => {
  it('creates a page and components, publishes by hand, and serves it on its host with feeds', async () => {
    expect(
      (await cli(['statuspage', 'create', 'acme', 'Acme Status', '--host', 'status.acme.test'])).code,
    ).toBe(0);
    const add = await cli([
      'statuspage',
      'component',
      'add',
      'acme',
      'Checkout',
      '--service',
      'checkout',
      '--json',
    ]);
    expect(add.code, add.err).toBe(0);
    const id = JSON.parse(add.out).id as string;
    const bad = await cli(['statuspage', 'component', 'status', 'acme', id, 'on_fire']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('status');
    const pub = await cli([
      'statuspage',
      'incident',
      'acme',
      'Slow checkout',
      '-b',
      'Checkout is slow.',
      '--component',
      `${id}=degraded_performance`,
    ]);
    expect(pub.code, pub.err).toBe(0);
    const show = await cli(['statuspage', 'show', 'acme']);
    expect(show.out).toContain('degraded_performance');
    await w.mod.cache().settled();

    const root = await onHost('/');
    expect(root.status).toBe(200);
    expect(root.text).toContain('Checkout is slow.');
    const status = JSON.parse((await onHost('/api/v2/status.json')).text) as {
      status: { indicator: string };
    };
    expect(status.status.indicator).toBe('minor');
    const badge = await onHost(`/components/${id}/badge.svg`);
    expect(badge.type).toBe('image/svg+xml');
    expect(badge.text).toContain('Degraded performance');
    // The rest of Siaga is not served on the page's host name.
    expect((await onHost('/anything')).status).toBe(404);
    // And on Siaga's own host, the API still answers.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const parser = new XMLParser({ ignoreAttributes: false });
    const rss = parser.parse(await (await fetch(`${url}/status/acme/history.rss`)).text());
    expect(rss.rss['@_version']).toBe('2.0');
    const item = rss.rss.channel.item;
    expect(item.title).toBe('Slow checkout');
    expect(item.description).toContain('Checkout is slow.');
    expect(item.link).toMatch(/^https:\/\/status\.acme\.test\/incidents\//);
    const atom = parser.parse(await (await fetch(`${url}/status/acme/history.atom`)).text());
    expect(atom.feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(atom.feed.entry.title).toBe('Slow checkout');
    expect(new Date(atom.feed.entry.updated).toISOString()).toBe(atom.feed.entry.updated);
  });
});
