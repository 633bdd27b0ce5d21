import { and, eq, isNull } from 'drizzle-orm';
import { memberships, users } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import { formatNumber } from '../incidents/model.ts';
import { incidents } from '../incidents/tables.ts';
import { acknowledge, changeStatus } from '../incidents/verbs/lifecycle.ts';
import type { Env } from '../kernel/env.ts';
import { runVerb } from '../kernel/verb.ts';
import { AppError, Conflict, Forbidden, NotAllowed } from '../shared/errors.ts';
import { checkLink, linkKey } from './links.ts';
import { notifyLinks } from './tables.ts';

export class LinkGone extends AppError {
  constructor(message: string) {
    super(410, 'link-expired', message);
  }
}

export type LinkFacts = {
  linkId: string;
  action: 'acknowledge' | 'resolve';
  workspaceId: string;
  userId: string;
  incidentId: string;
  ref: string;
  title: string;
  status: string;
  acknowledged: boolean;
};

/** What a link would do, checked without changing anything: the GET confirmation page uses it. */
export async function inspectLink(db: Db, env: Env, token: string): Promise<LinkFacts> {
  const now = env.clock.now();
  const check = checkLink(await linkKey(db, now), token, now);
  if (!check.ok && check.reason === 'bad_signature')
    throw new Forbidden('this link is not valid: it was altered or is not from this Siaga');
  if (!check.ok)
    throw new LinkGone(`this link expired at ${check.expiresAt?.toISOString()}; open the incident instead`);
  const [row] = await db
    .select({ link: notifyLinks, inc: incidents })
    .from(notifyLinks)
    .innerJoin(incidents, eq(incidents.id, notifyLinks.incidentId))
    .where(eq(notifyLinks.id, check.linkId));
  if (!row) throw new Forbidden('this link is not valid');
  if (row.link.usedAt) throw new Conflict(`this link was already used at ${row.link.usedAt.toISOString()}`);
  return {
    linkId: row.link.id,
    action: row.link.action,
    workspaceId: row.link.workspaceId,
    userId: row.link.userId,
    incidentId: row.inc.id,
    ref: formatNumber(row.inc.number),
    title: row.inc.title,
    status: row.inc.status,
    acknowledged: row.inc.acknowledgedAt !== null,
  };
}

/**
 * Uses a link: the incident verb runs as the person the link was sent to, and the link is spent
 * in the same transaction, so a replay finds it used. Someone removed from the workspace since
 * the page was sent can no longer act through it.
 */
export async function spendLink(env: Env, token: string): Promise<LinkFacts & { changed: boolean }> {
  const f = await inspectLink(env.database.db, env, token);
  const [person] = await env.database.db
    .select({ email: users.email })
    .from(users)
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.workspaceId, f.workspaceId)))
    .where(and(eq(users.id, f.userId), isNull(users.disabledAt)));
  if (!person) throw new Forbidden('the person this link was sent to is no longer a member');
  const scope = {
    workspaceId: f.workspaceId,
    actor: { type: 'user' as const, id: f.userId, name: person.email },
  };
  const changed = await runVerb(env, scope, async (ctx) => {
    const [spent] = await ctx.tx
      .update(notifyLinks)
      .set({ usedAt: ctx.now })
      .where(and(eq(notifyLinks.id, f.linkId), isNull(notifyLinks.usedAt)))
      .returning({ id: notifyLinks.id });
    if (!spent) throw new Conflict('this link was already used');
    ctx.audit('notify.link_used', 'incident', f.incidentId, { action: f.action, link_id: f.linkId });
    if (f.action === 'acknowledge') return (await acknowledge(ctx, f.incidentId)).acknowledged;
    if (f.status === 'resolved' || f.status === 'closed')
      throw new NotAllowed(`${f.ref} is already ${f.status}`);
    await changeStatus(ctx, f.incidentId, 'resolved', 'resolved from a notification link');
    return true;
  });
  return { ...f, changed };
}
