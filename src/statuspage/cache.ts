import { createHash } from 'node:crypto';
import type { Env } from '../kernel/env.ts';
import { LIVE_CHANNEL, parseLivePayload } from '../kernel/verb.ts';
import { loadPageModel, type PageModel } from './snapshot.ts';
import { statusPages } from './tables.ts';

export type Entry = { status: number; type: string; body: Buffer; etag: string };
export type Rendered = { status: number; type: string; body: string };

export const STATUSPAGE_CHANGED = 'statuspage.changed';
export const STATUSPAGE_PAGES = 'statuspage.pages';

/**
 * One page's rendered documents, built from one model. Entries are rendered on first use and
 * kept until the next model replaces the whole snapshot, so every visitor request after the
 * first is a map lookup. The set of keys is bounded (two languages, two mounts, known ids).
 */
export class PageSnapshot {
  readonly model: PageModel;
  /** Set when the last rebuild failed: the model is older than the database's truth. */
  readonly stale: boolean;
  private readonly entries = new Map<string, Entry>();
  constructor(model: PageModel, stale: boolean) {
    this.model = model;
    this.stale = stale;
  }
  get(key: string, build: () => Rendered): Entry {
    let e = this.entries.get(key);
    if (!e) {
      const r = build();
      const body = Buffer.from(r.body);
      e = {
        status: r.status,
        type: r.type,
        body,
        etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
      };
      this.entries.set(key, e);
    }
    return e;
  }
}

const REFRESH_MS = 15_000;

/**
 * Every status page this process serves, kept in memory. Visitor requests read only this;
 * the database is read when something changed (a NOTIFY on siaga_live from any process) or on
 * a periodic refresh that makes maintenance windows start and end on time and the uptime bars
 * roll over. If a rebuild fails (database down or slow), the previous model stays and is
 * served marked stale with its age.
 */
export class StatusCache {
  private readonly env: Env;
  private bySlug = new Map<string, PageSnapshot>();
  private byHost = new Map<string, PageSnapshot>();
  private pending = new Set<string>();
  private directoryDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  /** Resolves after the next rebuild that started after the call; tests and benchmarks wait on it. */
  private waiters: (() => void)[] = [];

  constructor(env: Env) {
    this.env = env;
  }

  async start(): Promise<void> {
    this.unlisten = await this.env.database.listen(LIVE_CHANNEL, (payload) => this.onNotify(payload));
    await this.reloadAll();
    this.interval = setInterval(() => {
      this.directoryDirty = true;
      this.schedule(0);
    }, REFRESH_MS);
    this.interval.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.interval);
    clearTimeout(this.timer);
    await this.running;
    await this.unlisten?.();
  }

  bySlugName(slug: string): PageSnapshot | undefined {
    return this.bySlug.get(slug);
  }

  byHostName(host: string | undefined): PageSnapshot | undefined {
    if (!host || this.byHost.size === 0) return undefined;
    const h = host.toLowerCase();
    const colon = h.lastIndexOf(':');
    return this.byHost.get(colon > 0 && !h.endsWith(']') ? h.slice(0, colon) : h);
  }

  /** Waits until a rebuild that starts after now has finished. */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.directoryDirty = true;
      this.schedule(0);
    });
  }

  private onNotify(payload: string): void {
    for (const e of parseLivePayload(payload)?.events ?? []) {
      if (e.type === STATUSPAGE_CHANGED && e.id) this.pending.add(e.id);
      if (e.type === STATUSPAGE_PAGES) this.directoryDirty = true;
    }
    if (this.pending.size > 0 || this.directoryDirty) this.schedule(30);
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) {
        // Coalesce: whatever arrives during a rebuild is handled by one more rebuild after it.
        void this.running.then(() => this.schedule(0));
        return;
      }
      this.running = this.rebuild().finally(() => {
        this.running = null;
      });
    }, delayMs);
  }

  private async rebuild(): Promise<void> {
    const waiters = this.waiters.splice(0);
    try {
      if (this.directoryDirty) {
        this.directoryDirty = false;
        this.pending.clear();
        await this.reloadAll();
      } else {
        const ids = [...this.pending];
        this.pending.clear();
        for (const id of ids) await this.reloadOne(id);
      }
    } catch (err) {
      this.env.log.warn({ err }, 'status page rebuild failed; serving the last rendered pages');
      this.markStale();
    } finally {
      for (const w of waiters) w();
    }
  }

  private async reloadAll(): Promise<void> {
    const rows = await this.env.database.db.select({ id: statusPages.id }).from(statusPages);
    const now = this.env.clock.now();
    const snaps: PageSnapshot[] = [];
    for (const r of rows) {
      const m = await loadPageModel(this.env.database, r.id, now, this.env.publicUrl);
      if (m) snaps.push(new PageSnapshot(m, false));
    }
    this.bySlug = new Map(snaps.map((s) => [s.model.page.slug, s]));
    this.byHost = new Map(snaps.filter((s) => s.model.page.host).map((s) => [s.model.page.host!, s]));
  }

  private async reloadOne(pageId: string): Promise<void> {
    const m = await loadPageModel(this.env.database, pageId, this.env.clock.now(), this.env.publicUrl);
    const old = [...this.bySlug.values()].find((s) => s.model.page.id === pageId);
    if (!m || !old || old.model.page.slug !== m.page.slug || old.model.page.host !== m.page.host) {
      await this.reloadAll();
      return;
    }
    const snap = new PageSnapshot(m, false);
    this.bySlug.set(m.page.slug, snap);
    if (m.page.host) this.byHost.set(m.page.host, snap);
  }

  /** Re-renders the last models with a banner giving their age; no database needed. */
  private markStale(): void {
    for (const [slug, s] of this.bySlug) {
      const snap = new PageSnapshot(s.model, true);
      this.bySlug.set(slug, snap);
      if (s.model.page.host) this.byHost.set(s.model.page.host, snap);
    }
  }
}
