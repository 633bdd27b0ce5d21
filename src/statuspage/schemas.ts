import { z } from 'zod';
import { COMPONENT_STATUSES, INCIDENT_STATUSES, MAINTENANCE_STATUSES } from './tables.ts';

const name = z.string().trim().min(1).max(200);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const id = z.uuid();

export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and "-" (at most 63)');
const Host = z
  .string()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'a host name such as status.example.com',
  );
const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Asia/Jakarta');

export const PageInput = z.strictObject({
  slug: Slug.describe('Where the page is served: /status/<slug>/'),
  name: name.describe('Title shown on the page'),
  host: Host.nullable().optional().describe('Its own host name; / and /api/v2/ on that host serve the page'),
  time_zone: TimeZone.optional().describe('IANA time zone dates are shown in (default Etc/UTC)'),
  language: z.enum(['en', 'id']).optional().describe('Language when the visitor asks for none'),
  secret: z
    .string()
    .min(16, 'at least 16 characters')
    .max(200)
    .nullable()
    .optional()
    .describe(
      'Makes the page private: visitors need ?key=<secret> once (kept in a cookie); null makes it public',
    ),
});
export type PageInput = z.output<typeof PageInput>;
export const PagePatch = PageInput.omit({ slug: true }).partial();
export type PagePatch = z.output<typeof PagePatch>;

export const ComponentInput = z.strictObject({
  name: name,
  description: z.string().max(2000).nullable().optional(),
  group: z.boolean().optional().describe('A group of components rather than a component'),
  group_id: id.nullable().optional().describe('The group it is shown in'),
  position: z.number().int().min(0).max(10_000).optional(),
  service: z.string().min(1).max(64).nullable().optional().describe("The plan's service key it shows"),
  status: z.enum(COMPONENT_STATUSES).optional(),
});
export type ComponentInput = z.output<typeof ComponentInput>;
export const ComponentPatch = ComponentInput.partial();
export type ComponentPatch = z.output<typeof ComponentPatch>;

export const ComponentStatusInput = z.strictObject({ status: z.enum(COMPONENT_STATUSES) });

const Affected = z
  .record(z.uuid(), z.enum(COMPONENT_STATUSES))
  .optional()
  .describe('Components whose status changes with this update: id → new status');

export const PublicIncidentInput = z.strictObject({
  name: name.describe('Incident title as the public sees it'),
  status: z.enum(INCIDENT_STATUSES).default('investigating'),
  impact: z.enum(['none', 'minor', 'major', 'critical']).default('minor'),
  body: z.string().trim().min(1).max(20_000),
  components: Affected,
});
export type PublicIncidentInput = z.output<typeof PublicIncidentInput>;

export const PublicUpdateInput = z.strictObject({
  status: z.enum([...INCIDENT_STATUSES, ...MAINTENANCE_STATUSES]),
  body: z.string().trim().min(1).max(20_000),
  components: Affected,
});
export type PublicUpdateInput = z.output<typeof PublicUpdateInput>;

export const MaintenanceInput = z
  .strictObject({
    name: name,
    body: z.string().trim().min(1).max(20_000).describe('What is done and what users will notice'),
    scheduled_for: instant,
    scheduled_until: instant,
    components: z.array(id).max(200).default([]),
  })
  .refine((v) => v.scheduled_until > v.scheduled_for, {
    path: ['scheduled_until'],
    message: 'must be after scheduled_for',
  });
export type MaintenanceInput = z.output<typeof MaintenanceInput>;

export const SubscribeInput = z.strictObject({
  email: z.email('a valid e-mail address').max(254),
  components: z.array(id).max(200).optional(),
  lang: z.enum(['en', 'id']).optional(),
});
export type SubscribeInput = z.output<typeof SubscribeInput>;

export const WebhookSubscriberInput = z.strictObject({
  url: z
    .url()
    .max(2000)
    .refine((u) => /^https?:\/\//.test(u), 'an http:// or https:// URL'),
  components: z.array(id).max(200).optional(),
});
