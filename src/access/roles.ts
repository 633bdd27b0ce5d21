import { Forbidden } from '../shared/errors.ts';
import type { AccessRole } from './tables.ts';

const RANK: Record<AccessRole, number> = { viewer: 0, responder: 1, admin: 2 };

export function atLeast(role: AccessRole, needed: AccessRole): boolean {
  return RANK[role] >= RANK[needed];
}

export function requireRole(role: AccessRole, needed: AccessRole): void {
  if (!atLeast(role, needed)) throw new Forbidden(`this needs the ${needed} role; you have ${role}`);
}

export function narrower(a: AccessRole, b: AccessRole): AccessRole {
  return RANK[a] <= RANK[b] ? a : b;
}
