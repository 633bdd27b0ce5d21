import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { newId } from '../shared/ids.ts';
import { type LinkAction, notifyKeys, notifyLinks } from './tables.ts';

const KEY_NAME = 'action_links';
const keys = new WeakMap<object, Buffer>();

/**
 * The HMAC key for one-click links lives in the database, so every Siaga process on it signs
 * and checks the same links, and a restart does not invalidate links already sent.
 */
export async function linkKey(db: Db, now: Date): Promise<Buffer> {
  const cached = keys.get(db);
  if (cached) return cached;
  await db
    .insert(notifyKeys)
    .values({ name: KEY_NAME, secret: randomBytes(32).toString('base64url'), createdAt: now })
    .onConflictDoNothing();
  const [row] = await db.select().from(notifyKeys).where(eq(notifyKeys.name, KEY_NAME));
  const key = Buffer.from(row!.secret, 'base64url');
  keys.set(db, key);
  return key;
}

type Payload = { l: string; a: LinkAction; e: number };

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

// Compact on purpose: the link must fit a URL path segment (and an SMS): id, action, expiry.
const ACTION_CODE: Record<LinkAction, string> = { acknowledge: 'a', resolve: 'r' };

export function signLink(key: Buffer, p: Payload): string {
  const body = `${p.l.replaceAll('-', '')}${ACTION_CODE[p.a]}${p.e.toString(36)}`;
  return `${body}.${mac(key, body)}`;
}

export type LinkCheck =
  | { ok: true; linkId: string; action: LinkAction; expiresAt: Date }
  | { ok: false; reason: 'bad_signature' | 'expired'; expiresAt?: Date };

/** Signature first, then expiry: an altered link says nothing about what it would have done. */
export function checkLink(key: Buffer, token: string, now: Date): LinkCheck {
  const [body, sig, extra] = token.split('.');
  if (!body || !sig || extra !== undefined) return { ok: false, reason: 'bad_signature' };
  const want = Buffer.from(mac(key, body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return { ok: false, reason: 'bad_signature' };
  const m = /^([0-9a-f]{32})([ar])([0-9a-z]+)$/.exec(body);
  if (!m) return { ok: false, reason: 'bad_signature' };
  const hex = m[1]!;
  const linkId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const expiresAt = new Date(Number.parseInt(m[3]!, 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', expiresAt };
  return { ok: true, linkId, action: m[2] === 'a' ? 'acknowledge' : 'resolve', expiresAt };
}

/** Creates the acknowledge and resolve links for one person and one incident. */
export async function createLinks(
  db: Db,
  input: {
    workspaceId: string;
    incidentId: string;
    userId: string;
    now: Date;
    ttlMs: number;
    publicUrl: string;
  },
): Promise<{ label: string; url: string }[]> {
  const key = await linkKey(db, input.now);
  const expiresAt = new Date(input.now.getTime() + input.ttlMs);
  const out: { label: string; url: string }[] = [];
  for (const action of ['acknowledge', 'resolve'] as const) {
    const id = newId();
    await db.insert(notifyLinks).values({
      id,
      workspaceId: input.workspaceId,
      incidentId: input.incidentId,
      userId: input.userId,
      action,
      expiresAt,
      createdAt: input.now,
    });
    const token = signLink(key, { l: id, a: action, e: Math.floor(expiresAt.getTime() / 1000) });
    out.push({
      label: action === 'acknowledge' ? 'Acknowledge' : 'Resolve',
      url: `${input.publicUrl}/notify/act/${token}`,
    });
  }
  return out;
}
