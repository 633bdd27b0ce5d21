import type { Clock } from '../api.ts';
import { pick, useT } from '../i18n.ts';
import { useNow } from '../store.ts';
import { span, time } from './format.ts';

// Severity carries a shape and its key as text, so it reads without colour.
const SHAPES = ['◆', '▲', '■', '●', '○'];

export function SeverityBadge(props: { severity: string; rank: number; label?: string }) {
  const r = Math.max(0, Math.min(props.rank, 4));
  return (
    <span className={`sev sev-${r}`} title={props.label}>
      <span aria-hidden="true">{SHAPES[r]}</span> {props.severity}
      {props.label ? <span className="sr-only"> {props.label}</span> : null}
    </span>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span className={`status status-${props.status}`}>{props.status}</span>;
}

const STATE_MARK: Record<Clock['state'], string> = {
  pending: '◷',
  met: '✓',
  breached: '⚠',
  not_started: '–',
  waived: '⊘',
};

/**
 * One clock, counting down from the slack the server computed when the page fetched it: the
 * browser's own clock only measures time elapsed since, so a skewed laptop clock cannot lie.
 */
export function ClockLine(props: { clock: Clock; fetchedAt: number; compact?: boolean }) {
  const { t, lang } = useT();
  const now = useNow();
  const c = props.clock;
  const running = c.state === 'pending' || (c.state === 'breached' && c.met_at === null);
  const left = c.slack_ms === null ? null : running ? c.slack_ms - (now - props.fetchedAt) : c.slack_ms;
  const overdue = c.state === 'breached' || (c.state === 'pending' && left !== null && left < 0);
  const state = overdue ? 'breached' : c.state;
  let detail = '';
  if (c.state === 'met') detail = t('clock.metAt', { t: time(c.met_at, lang) });
  else if (overdue && left !== null) detail = t('clock.over', { t: span(left) });
  else if (c.state === 'pending' && left !== null) detail = t('clock.left', { t: span(left) });
  return (
    <div
      className={`clock clock-${state}${props.compact ? ' compact' : ''}`}
      data-clock={c.key}
      data-state={state}
    >
      <span className="clock-mark" aria-hidden="true">
        {STATE_MARK[state]}
      </span>
      <span className="clock-label">{pick(c.label, lang)}</span>
      <strong className="clock-state">{t(`clock.${state}`)}</strong>
      <span className="clock-detail" aria-live={overdue ? 'polite' : 'off'}>
        {detail}
      </span>
      {!props.compact && c.deadline && <span className="clock-deadline">{time(c.deadline, lang)}</span>}
    </div>
  );
}
