/** What a monitor knows between checks. */
export type MonitorState = { state: 'unknown' | 'up' | 'down'; downSince: Date | null; alertFiring: boolean };
export type Transition = MonitorState & { action: 'raise' | 'resolve' | null };

/**
 * One check result applied to a monitor. The first failure starts the down period; the alert is
 * raised once the monitor has been down for more than `downAfterMs` (seed 000: "more than 10
 * minutes"), and resolved by the first good check after it. Pure, so the rule is tested alone.
 */
export function applyResult(s: MonitorState, ok: boolean, at: Date, downAfterMs: number): Transition {
  if (ok) {
    return { state: 'up', downSince: null, alertFiring: false, action: s.alertFiring ? 'resolve' : null };
  }
  const downSince = s.state === 'down' && s.downSince ? s.downSince : at;
  const over = at.getTime() - downSince.getTime() > downAfterMs;
  return {
    state: 'down',
    downSince,
    alertFiring: s.alertFiring || over,
    action: !s.alertFiring && over ? 'raise' : null,
  };
}

/**
 * A job that reports its own failure (a push monitor's failure ping) needs no threshold: it knows
 * it failed, so the alert is raised at once, unless it is already firing.
 */
export function reportFailure(s: MonitorState, at: Date): Transition {
  const downSince = s.state === 'down' && s.downSince ? s.downSince : at;
  return { state: 'down', downSince, alertFiring: true, action: s.alertFiring ? null : 'raise' };
}
