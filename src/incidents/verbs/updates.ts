import type { Db } from '../../db/client.ts';
import type { Ctx } from '../../kernel/verb.ts';
import {
  type Plan,
  audience as planAudience,
  renderTemplate,
  templatesFor,
  updateCadence,
} from '../../plans/index.ts';
import { loadPlanVersion } from '../../plans/store.ts';
import { didYouMean, unknownMessage } from '../../plans/suggest.ts';
import { addDuration } from '../../shared/calendar.ts';
import { InvalidInput, NotAllowed } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { pick } from '../../shared/text.ts';
import { formatNumber, isOpen } from '../model.ts';
import { type IncidentRow, lockIncident, roleHolders } from '../queries.ts';
import type { UpdateInput } from '../schemas.ts';
import { incidentUpdates } from '../tables.ts';
import { recordChange, touch } from '../timeline.ts';
import { incidentVars } from '../vars.ts';

export type ComposedUpdate = {
  audience: string;
  template: string | null;
  subject: string | null;
  body: string;
  fields: Record<string, string>;
  /** Placeholders with no value: shown as [name] in the text; posting to an external audience refuses them. */
  missing: string[];
  nextUpdateAt: Date | null;
};

/** Left in place when rendering: it is filled per recipient when the message is delivered. */
const PER_RECIPIENT = { 'recipient.name': '{{recipient.name}}' };

async function compose(
  db: Db,
  plan: Plan,
  inc: IncidentRow,
  input: UpdateInput,
  now: Date,
  publicUrl: string,
): Promise<ComposedUpdate> {
  const aud = planAudience(plan, input.audience);
  if (!aud) {
    throw InvalidInput.field(
      'audience',
      unknownMessage(
        'audience',
        input.audience,
        plan.communications.audiences.map((a) => a.key),
      ),
    );
  }
  const candidates = templatesFor(plan, aud.key, { severity: inc.severityKey, type: inc.typeKey });
  let template = candidates[0];
  if (input.template !== undefined) {
    template = plan.communications.templates.find((t) => t.key === input.template);
    if (!template) throw InvalidInput.field('template', `unknown template "${input.template}"`);
    if (template.audience !== aud.key) {
      throw InvalidInput.field(
        'template',
        `template "${template.key}" is for audience "${template.audience}", not "${aud.key}"`,
      );
    }
  }
  if (!template && input.body === undefined) {
    throw InvalidInput.field('body', `the plan has no template for audience "${aud.key}"; write the body`);
  }
  const fields: Record<string, string> = {};
  const declared = template?.fields ?? [];
  for (const k of Object.keys(input.fields ?? {})) {
    if (!declared.some((f) => f.key === k)) {
      const known = declared.map((f) => f.key);
      throw InvalidInput.field(
        `fields.${k}`,
        `template "${template?.key ?? '-'}" has no field "${k}"${didYouMean(k, known)}`,
      );
    }
  }
  for (const f of declared) {
    const v = input.fields?.[f.key] ?? f.default;
    if (v !== undefined && v !== '') fields[f.key] = v;
  }
  const cadence = updateCadence(plan, inc.severityKey, aud.key);
  const nextUpdateAt = !isOpen(inc.status)
    ? null
    : (input.next_update_at ?? (cadence ? addDuration(now, cadence, plan.calendar) : null));
  const commanderKey = plan.roles.find((r) => r.commander)?.key;
  const holders = commanderKey ? await roleHolders(db, inc.id) : [];
  const commander = holders.find((h) => h.role === commanderKey);
  const vars: Record<string, string | undefined> = {
    ...incidentVars(plan, inc, {
      commander: commander ? `${commander.name} <${commander.email}>` : undefined,
      nextUpdate: nextUpdateAt ?? undefined,
      cadence,
      publicUrl,
      now,
    }),
    ...PER_RECIPIENT,
  };
  for (const [k, v] of Object.entries(fields)) vars[`fields.${k}`] = v;
  const missing = new Set<string>();
  const render = (text: string | undefined) => {
    if (text === undefined) return null;
    const r = renderTemplate(text, vars);
    for (const m of r.missing) missing.add(m);
    return r.text;
  };
  const subject =
    input.subject ?? render(template?.subject ? pick(template.subject, plan.language) : undefined);
  const body = input.body ?? render(template ? pick(template.body, plan.language) : '') ?? '';
  if (input.body !== undefined && input.subject === undefined) missing.clear();
  return {
    audience: aud.key,
    template: template?.key ?? null,
    subject,
    body,
    fields,
    missing: [...missing],
    nextUpdateAt,
  };
}

export async function previewUpdate(
  db: Db,
  inc: IncidentRow,
  input: UpdateInput,
  now: Date,
  publicUrl: string,
): Promise<ComposedUpdate> {
  const { plan } = await loadPlanVersion(db, inc.workspaceId, inc.planVersionId);
  return compose(db, plan, inc, input, now, publicUrl);
}

/**
 * Posts an update to an audience from the plan's template and sets when the next one is due.
 * Delivery to channels (chat, e-mail, the status page) subscribes to `incident.update_posted`.
 */
export async function postUpdate(
  ctx: Ctx,
  ref: string,
  input: UpdateInput,
): Promise<ComposedUpdate & { id: string }> {
  const inc = await lockIncident(ctx, ref);
  const { plan } = await loadPlanVersion(ctx.tx, ctx.workspaceId, inc.planVersionId);
  const c = await compose(ctx.tx, plan, inc, input, ctx.now, ctx.env.publicUrl);
  const tpl = plan.communications.templates.find((t) => t.key === c.template);
  const unfilled = (tpl?.fields ?? []).filter((f) => f.required && !(f.key in c.fields));
  if (unfilled.length > 0 && input.body === undefined) {
    throw new InvalidInput(
      `fill in ${unfilled.map((f) => f.key).join(', ')}`,
      unfilled.map((f) => ({ field: `fields.${f.key}`, message: 'required by the template' })),
    );
  }
  const external = planAudience(plan, c.audience)?.external ?? false;
  const unresolved = c.missing.filter((m) => !m.startsWith('recipient.'));
  if (external && unresolved.length > 0) {
    throw new NotAllowed(
      `an update to ${c.audience} would show unfilled placeholders: ${unresolved.join(', ')}; fill them in or edit the body`,
      unresolved.map((m) =>
        m === 'next_update'
          ? {
              field: 'next_update_at',
              message: `the plan sets no update cadence for ${c.audience} at ${inc.severityKey}: say when the next update comes`,
            }
          : { field: m.startsWith('fields.') ? m : 'body', message: `{{${m}}} has no value` },
      ),
    );
  }
  const id = newId();
  await ctx.tx.insert(incidentUpdates).values({
    id,
    incidentId: inc.id,
    audience: c.audience,
    templateKey: c.template,
    subject: c.subject,
    body: c.body,
    fields: c.fields,
    statusAtPost: inc.status,
    postedAt: ctx.now,
    postedBy: ctx.actor,
    nextUpdateDueAt: c.nextUpdateAt,
  });
  await touch(ctx, inc.id);
  await recordChange(
    ctx,
    inc,
    'update_posted',
    `Update to ${c.audience} (${formatNumber(inc.number)}): ${c.body.replace(/\s+/g, ' ').slice(0, 200)}`,
    {
      update_id: id,
      audience: c.audience,
      template: c.template,
      next_update_at: c.nextUpdateAt?.toISOString() ?? null,
    },
  );
  await ctx.emit({ type: 'incident.update_posted', incidentId: inc.id, updateId: id, audience: c.audience });
  return { id, ...c };
}
