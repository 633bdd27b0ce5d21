import { api } from '../../api.ts';
import { pick, useT } from '../../i18n.ts';
import { label, severityRank } from '../../plan-context.ts';
import { useAction } from '../../ui/action.ts';
import { ClockLine, SeverityBadge, StatusBadge } from '../../ui/badges.tsx';
import { Failure } from '../../ui/failure.tsx';
import type { RoomProps } from './types.ts';

export function RoomHeader(props: RoomProps & { fetchedAt: number }) {
  const { t, lang } = useT();
  const { incident: i, plan } = props;
  const act = useAction();
  const phases = plan.phases;
  const phaseIndex = phases.findIndex((p) => p.key === i.phase);
  const open = i.status !== 'resolved' && i.status !== 'closed';
  const breached = i.clocks.filter((c) => c.state === 'breached').length;
  return (
    <header className="room-header">
      <h1 id="room-title">
        <span className="ref">{i.ref}</span> {i.title}
      </h1>
      <div className="facts">
        <SeverityBadge
          severity={i.severity}
          rank={severityRank(plan, i.severity)}
          label={label(plan, 'severities', i.severity, lang)}
        />
        <StatusBadge status={i.status} />
        <span>
          {t('declare.type')}: {label(plan, 'incident_types', i.type, lang)}
        </span>
        {i.phase && (
          <span>
            {t('room.phase')}: {pick(phases[phaseIndex]?.label, lang) || i.phase}
          </span>
        )}
        {i.drill && <span className="tag">{t('room.drill')}</span>}
        {i.acknowledged_by ? (
          <span>{t('room.acknowledged', { who: i.acknowledged_by.name })}</span>
        ) : (
          open && (
            <button
              type="button"
              className="primary"
              disabled={act.busy}
              onClick={() => act.run(() => api.acknowledge(i.ref)).then(props.apply)}
            >
              {t('room.acknowledge')}
            </button>
          )
        )}
        {open && phases.length > 0 && phaseIndex < phases.length - 1 && (
          <button
            type="button"
            disabled={act.busy}
            onClick={() => act.run(() => api.phase(i.ref)).then(props.apply)}
          >
            {t('room.nextPhase')}
          </button>
        )}
      </div>
      {act.error && <Failure error={act.error} />}
      <section aria-labelledby="clocks-title" className="clocks">
        <h2 id="clocks-title">
          {t('room.clocks')}
          {breached > 0 && (
            <span className="overdue-count">
              {' '}
              ⚠ {breached} {t('clock.breached')}
            </span>
          )}
        </h2>
        {i.clocks.map((c) => (
          <ClockLine key={c.key} clock={c} fetchedAt={props.fetchedAt} />
        ))}
      </section>
    </header>
  );
}
