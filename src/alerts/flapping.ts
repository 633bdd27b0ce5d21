import type { Routing } from '../plans/index.ts';

export type FlapState = { transitions: number; flapSince: Date | null; flapping: boolean };

/**
 * One firing ↔ resolved change, counted in a window that starts at the first change: with the
 * plan's `flapping` setting, that many changes inside the window make the alert flapping, and
 * it stays flagged until a window passes quietly.
 */
export function flip(prev: FlapState, now: Date, routing: Pick<Routing, 'flapping'>): FlapState {
  const f = routing.flapping;
  if (!f) return { transitions: prev.transitions + 1, flapSince: prev.flapSince, flapping: false };
  const expired = !prev.flapSince || now.getTime() - prev.flapSince.getTime() > f.window.ms;
  const transitions = expired ? 1 : prev.transitions + 1;
  const flapSince = expired ? now : prev.flapSince;
  return { transitions, flapSince, flapping: transitions >= f.flips };
}

/** Without a change, flapping ends once the window since its start has passed. */
export function settle(prev: FlapState, now: Date, routing: Pick<Routing, 'flapping'>): FlapState {
  const f = routing.flapping;
  const { transitions, flapSince } = prev;
  if (!f || !prev.flapping || !flapSince) return { transitions, flapSince, flapping: prev.flapping && !!f };
  return { transitions, flapSince, flapping: now.getTime() - flapSince.getTime() <= f.window.ms };
}
