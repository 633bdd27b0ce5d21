import { z } from 'zod';
import type { ComponentRow, PageRow } from './pages.ts';
import { pageUrl } from './snapshot.ts';
import { COMPONENT_STATUSES } from './tables.ts';

export const PageView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  host: z.string().nullable(),
  time_zone: z.string(),
  language: z.enum(['en', 'id']),
  private: z.boolean(),
  url: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const ComponentView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  group: z.boolean(),
  group_id: z.string().nullable(),
  position: z.number(),
  service: z.string().nullable(),
  status: z.enum(COMPONENT_STATUSES),
  updated_at: z.string(),
});

export function pageView(p: PageRow, publicUrl: string): z.infer<typeof PageView> {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    host: p.host,
    time_zone: p.timeZone,
    language: p.language,
    private: p.secretHash !== null,
    url: pageUrl(p, publicUrl),
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
  };
}

export function componentView(c: ComponentRow): z.infer<typeof ComponentView> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    group: c.isGroup,
    group_id: c.groupId,
    position: c.position,
    service: c.serviceKey,
    status: c.status,
    updated_at: c.updatedAt.toISOString(),
  };
}
