import { and, asc, eq, inArray } from 'drizzle-orm';
import { memberships, workspaces } from '../access/tables.ts';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { loadPlanVersion } from '../plans/store.ts';
import { unknownMessage } from '../plans/suggest.ts';
import { InvalidInput, NotFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { type ContactInput, delaySeconds } from './schemas.ts';
import { type ContactKind, notifyChannelEndpoints, notifyContacts, notifyRules } from './tables.ts';

async function assertMember(db: Db, workspaceId: string, userId: string): Promise<void> {
  const [m] = await db
    .select({ u: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  if (!m) throw new NotFound(`user ${userId}`);
}

export async function addContact(ctx: Ctx, userId: string, input: ContactInput) {
  await assertMember(ctx.tx, ctx.workspaceId, userId);
  const row = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    userId,
    kind: input.kind,
    label: input.label ?? input.kind,
    address: input.address,
    secret: input.secret ?? null,
    createdAt: ctx.now,
  };
  await ctx.tx.insert(notifyContacts).values(row);
  // The address stays out of the audit chain: it is personal data, and the chain is forever.
  ctx.audit('notify.contact_added', 'user', userId, { contact_id: row.id, kind: row.kind, label: row.label });
  return row;
}

export async function removeContact(ctx: Ctx, userId: string, contactId: string): Promise<void> {
  const [gone] = await ctx.tx
    .delete(notifyContacts)
    .where(
      and(
        eq(notifyContacts.id, contactId),
        eq(notifyContacts.userId, userId),
        eq(notifyContacts.workspaceId, ctx.workspaceId),
      ),
    )
    .returning({ id: notifyContacts.id, kind: notifyContacts.kind });
  if (!gone) throw new NotFound(`contact ${contactId}`);
  ctx.audit('notify.contact_removed', 'user', userId, { contact_id: gone.id, kind: gone.kind });
}

export async function listContacts(db: Db, workspaceId: string, userId: string) {
  await assertMember(db, workspaceId, userId);
  return db
    .select()
    .from(notifyContacts)
    .where(and(eq(notifyContacts.workspaceId, workspaceId), eq(notifyContacts.userId, userId)))
    .orderBy(asc(notifyContacts.createdAt));
}

/** Replaces a person's rules in one go, so a half-edited set never pages anyone. */
export async function setRules(ctx: Ctx, userId: string, rules: { contact_id: string; after: string }[]) {
  await assertMember(ctx.tx, ctx.workspaceId, userId);
  const ids = [...new Set(rules.map((r) => r.contact_id))];
  const mine = ids.length
    ? await ctx.tx
        .select({ id: notifyContacts.id })
        .from(notifyContacts)
        .where(
          and(
            inArray(notifyContacts.id, ids),
            eq(notifyContacts.userId, userId),
            eq(notifyContacts.workspaceId, ctx.workspaceId),
          ),
        )
    : [];
  const known = new Set(mine.map((m) => m.id));
  const seen = new Set<string>();
  const problems = rules.flatMap((r, i) => {
    const key = `${r.contact_id}@${delaySeconds(r.after)}`;
    if (!known.has(r.contact_id))
      return [{ field: `rules[${i}].contact_id`, message: 'not one of this user’s contact methods' }];
    if (seen.has(key)) return [{ field: `rules[${i}]`, message: 'the same contact and delay twice' }];
    seen.add(key);
    return [];
  });
  if (problems.length > 0) throw new InvalidInput(problems[0]!.message, problems);
  await ctx.tx
    .delete(notifyRules)
    .where(and(eq(notifyRules.workspaceId, ctx.workspaceId), eq(notifyRules.userId, userId)));
  for (const r of rules) {
    await ctx.tx.insert(notifyRules).values({
      id: newId(),
      workspaceId: ctx.workspaceId,
      userId,
      contactId: r.contact_id,
      delaySeconds: delaySeconds(r.after),
      createdAt: ctx.now,
    });
  }
  ctx.audit('notify.rules_set', 'user', userId, {
    rules: rules.map((r) => ({ contact_id: r.contact_id, after_seconds: delaySeconds(r.after) })),
  });
}

export async function listRules(db: Db, workspaceId: string, userId: string) {
  await assertMember(db, workspaceId, userId);
  return db
    .select({
      id: notifyRules.id,
      contactId: notifyRules.contactId,
      kind: notifyContacts.kind,
      delaySeconds: notifyRules.delaySeconds,
    })
    .from(notifyRules)
    .innerJoin(notifyContacts, eq(notifyContacts.id, notifyRules.contactId))
    .where(and(eq(notifyRules.workspaceId, workspaceId), eq(notifyRules.userId, userId)))
    .orderBy(asc(notifyRules.delaySeconds));
}

/** Where a plan channel posts. The key must be a channel of the active plan, so a typo is caught. */
export async function setEndpoint(
  ctx: Ctx,
  channelKey: string,
  input: { kind: ContactKind; address: string; secret?: string; drill: boolean },
): Promise<void> {
  const [ws] = await ctx.tx.select().from(workspaces).where(eq(workspaces.id, ctx.workspaceId));
  if (ws?.activePlanVersionId) {
    const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, ws.activePlanVersionId);
    const ch = plan.communications.channels.find((c) => c.key === channelKey);
    if (!ch) {
      const keys = plan.communications.channels.map((c) => c.key);
      throw InvalidInput.field('key', unknownMessage('channel', channelKey, keys));
    }
    if (ch.type !== input.kind)
      throw InvalidInput.field(
        'kind',
        `the plan's channel ${channelKey} is a ${ch.type} channel, not ${input.kind}`,
      );
    if (input.drill && !ch.drill_target)
      throw InvalidInput.field('drill', `the plan's channel ${channelKey} has no drill_target`);
  }
  const values = {
    workspaceId: ctx.workspaceId,
    channelKey,
    drill: input.drill,
    kind: input.kind,
    address: input.address,
    secret: input.secret ?? null,
    updatedAt: ctx.now,
  };
  await ctx.tx
    .insert(notifyChannelEndpoints)
    .values(values)
    .onConflictDoUpdate({
      target: [
        notifyChannelEndpoints.workspaceId,
        notifyChannelEndpoints.channelKey,
        notifyChannelEndpoints.drill,
      ],
      set: { kind: values.kind, address: values.address, secret: values.secret, updatedAt: values.updatedAt },
    });
  ctx.audit('notify.endpoint_set', 'channel', channelKey, { kind: input.kind, drill: input.drill });
}

export async function listEndpoints(db: Db, workspaceId: string) {
  return db
    .select()
    .from(notifyChannelEndpoints)
    .where(eq(notifyChannelEndpoints.workspaceId, workspaceId))
    .orderBy(asc(notifyChannelEndpoints.channelKey));
}
