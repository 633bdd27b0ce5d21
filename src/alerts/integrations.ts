import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { Ctx } from '../kernel/verb.ts';
import { WebhookMapping } from '../plans/schema/webhook-mapping.ts';
import { loadActivePlan } from '../plans/store.ts';
import { Conflict, InvalidInput, NotFound } from '../shared/errors.ts';
import { newId, sha256Hex } from '../shared/ids.ts';
import { type IntegrationType, integrations } from './tables.ts';

/** Published by every verb here: the intake holds integrations by secret (intake-cache.ts). */
export const INTEGRATIONS_CHANGED = 'alerts.integrations';

export type IntegrationRow = typeof integrations.$inferSelect;

/**
 * 32 hex characters: PagerDuty's routing keys have that length, and senders that validate it
 * (its own client libraries) accept Siaga's secrets unchanged.
 */
function newIntegrationSecret(): string {
  return randomBytes(16).toString('hex');
}

export function hashSecret(secret: string): string {
  return sha256Hex(`siaga-integration:${secret}`);
}

/** Where the sending tool posts; the secret is part of it for tools that cannot set a header. */
export function intakeUrls(publicUrl: string, type: IntegrationType, secret: string): Record<string, string> {
  const base = publicUrl.replace(/\/$/, '');
  if (type === 'pagerduty') return { url: `${base}/intake/pagerduty/v2/enqueue`, routing_key: secret };
  if (type === 'grafana') return { url: `${base}/intake/grafana/${secret}` };
  if (type === 'sentry') return { url: `${base}/intake/sentry/${secret}` };
  if (type === 'webhook') return { url: `${base}/intake/webhook/${secret}` };
  return {
    url: `${base}/intake/alertmanager/${secret}`,
    prometheus_path_prefix: '/intake/alertmanager',
    prometheus_authorization: `Bearer ${secret}`,
  };
}

export async function createIntegration(
  ctx: Ctx,
  input: { type: IntegrationType; name: string; mapping?: WebhookMapping | undefined },
): Promise<{ row: IntegrationRow; secret: string }> {
  await checkMapping(ctx, input.type, input.name, input.mapping);
  const [taken] = await ctx.tx
    .select({ id: integrations.id })
    .from(integrations)
    .where(and(eq(integrations.workspaceId, ctx.workspaceId), eq(integrations.name, input.name)));
  if (taken)
    throw new Conflict(`an integration named "${input.name}" already exists`, [
      { field: 'name', message: 'taken' },
    ]);
  const secret = newIntegrationSecret();
  const row: IntegrationRow = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    name: input.name,
    type: input.type,
    secretHash: hashSecret(secret),
    secretHint: secret.slice(-4),
    mapping: input.mapping ?? null,
    enabled: true,
    createdAt: ctx.now,
    rotatedAt: null,
    disabledAt: null,
  };
  await ctx.tx.insert(integrations).values(row);
  ctx.publish({ type: INTEGRATIONS_CHANGED, id: row.id });
  ctx.audit('integration.created', 'integration', row.id, { name: row.name, type: row.type });
  return { row, secret };
}

/**
 * Only a generic webhook reads a mapping; one given to another type would be silently ignored.
 * A webhook needs one of its own unless the active plan writes one under its name.
 */
async function checkMapping(
  ctx: Ctx,
  type: IntegrationType,
  name: string,
  mapping: WebhookMapping | undefined,
): Promise<void> {
  if (type !== 'webhook' && mapping)
    throw new InvalidInput(`a ${type} integration reads its sender's own format`, [
      { field: 'mapping', message: 'only a webhook integration takes a mapping' },
    ]);
  if (type === 'webhook' && !mapping && !(await planMapping(ctx.tx, ctx.workspaceId, name)))
    throw new InvalidInput('a webhook integration needs a mapping', [
      {
        field: 'mapping',
        message: `required for type webhook, unless the plan has routing.webhooks.${name}: at least {"title": "$.path.to.title"}`,
      },
    ]);
}

/** The mapping the active plan writes for this integration name, if any. */
export async function planMapping(db: Db, workspaceId: string, name: string): Promise<WebhookMapping | null> {
  const loaded = await loadActivePlan(db, workspaceId);
  return loaded?.plan.routing.webhooks[name] ?? null;
}

/** The mapping as stored, read back through the schema so defaults are filled in. */
export function mappingOf(row: IntegrationRow): WebhookMapping | null {
  return row.mapping ? WebhookMapping.parse(row.mapping) : null;
}

export async function setIntegrationMapping(
  ctx: Ctx,
  name: string,
  mapping: WebhookMapping,
): Promise<IntegrationRow> {
  const row = await lockByName(ctx, name);
  await checkMapping(ctx, row.type, row.name, mapping);
  await ctx.tx.update(integrations).set({ mapping }).where(eq(integrations.id, row.id));
  ctx.publish({ type: INTEGRATIONS_CHANGED, id: row.id });
  ctx.audit('integration.mapping_changed', 'integration', row.id, {
    name,
    before: row.mapping,
    after: mapping,
  });
  return { ...row, mapping };
}

async function lockByName(ctx: Ctx, name: string): Promise<IntegrationRow> {
  const [row] = await ctx.tx
    .select()
    .from(integrations)
    .where(and(eq(integrations.workspaceId, ctx.workspaceId), eq(integrations.name, name)))
    .for('update');
  if (!row) throw new NotFound(`integration "${name}"`);
  return row;
}

/** The old secret stops working in the same commit the new one starts: no window with both. */
export async function rotateIntegration(
  ctx: Ctx,
  name: string,
): Promise<{ row: IntegrationRow; secret: string }> {
  const row = await lockByName(ctx, name);
  const secret = newIntegrationSecret();
  const patch = { secretHash: hashSecret(secret), secretHint: secret.slice(-4), rotatedAt: ctx.now };
  await ctx.tx.update(integrations).set(patch).where(eq(integrations.id, row.id));
  ctx.publish({ type: INTEGRATIONS_CHANGED, id: row.id });
  ctx.audit('integration.rotated', 'integration', row.id, { name });
  return { row: { ...row, ...patch }, secret };
}

export async function setIntegrationEnabled(
  ctx: Ctx,
  name: string,
  enabled: boolean,
): Promise<IntegrationRow> {
  const row = await lockByName(ctx, name);
  if (row.enabled === enabled) return row;
  const patch = { enabled, disabledAt: enabled ? null : ctx.now };
  await ctx.tx.update(integrations).set(patch).where(eq(integrations.id, row.id));
  ctx.publish({ type: INTEGRATIONS_CHANGED, id: row.id });
  ctx.audit(enabled ? 'integration.enabled' : 'integration.disabled', 'integration', row.id, { name });
  return { ...row, ...patch };
}

export function listIntegrations(db: Db, workspaceId: string): Promise<IntegrationRow[]> {
  return db
    .select()
    .from(integrations)
    .where(eq(integrations.workspaceId, workspaceId))
    .orderBy(asc(integrations.name));
}

/** Any workspace: the secret is what says whose alert this is. Disabled ones are not found. */
export async function integrationBySecret(db: Db, secret: string): Promise<IntegrationRow | null> {
  if (!/^[0-9a-f]{32}$/.test(secret)) return null;
  const [row] = await db
    .select()
    .from(integrations)
    .where(eq(integrations.secretHash, hashSecret(secret)));
  return row?.enabled ? row : null;
}
