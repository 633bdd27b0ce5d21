import { InvalidInput, NotAllowed } from '../shared/errors.ts';
import { UUID_RE } from '../shared/ids.ts';
import { STATUSES, type Status } from './tables.ts';

export { STATUSES, type Status };

export const OPEN_STATUSES: readonly Status[] = ['investigating', 'identified', 'monitoring'];

/**
 * The lifecycle. Work moves forward through investigating → identified → monitoring →
 * resolved → closed, may step back while open (a fix that did not hold), and a resolved or
 * closed incident can be reopened into investigating.
 */
const NEXT: Record<Status, readonly Status[]> = {
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['closed', 'investigating'],
  closed: ['investigating'],
};

export function allowedNext(from: Status): readonly Status[] {
  return NEXT[from];
}

export function assertTransition(from: Status, to: Status): void {
  if (from === to)
    throw new NotAllowed(`the incident is already ${to}`, [{ field: 'status', message: `already ${to}` }]);
  if (!NEXT[from].includes(to)) {
    throw new NotAllowed(
      `an incident cannot go from ${from} to ${to}; from ${from} it can go to ${NEXT[from].join(', ')}`,
      [{ field: 'status', message: `not allowed from ${from}` }],
    );
  }
}

export function isOpen(status: Status): boolean {
  return OPEN_STATUSES.includes(status);
}

export function isReopen(from: Status, to: Status): boolean {
  return (from === 'resolved' || from === 'closed') && OPEN_STATUSES.includes(to);
}

export function formatNumber(n: number): string {
  return `INC-${n}`;
}

/** "INC-42", "inc-42", "42" or the incident's UUID. */
export type IncidentRef = { number: number } | { id: string };

export function parseRef(ref: string): IncidentRef {
  const m = /^(?:inc-)?(\d{1,9})$/i.exec(ref.trim());
  if (m) return { number: Number(m[1]) };
  if (UUID_RE.test(ref)) return { id: ref.toLowerCase() };
  throw InvalidInput.field(
    'incident',
    `"${ref}" is not an incident reference; use INC-42, 42 or the incident's id`,
  );
}
