import { api, type Schedule } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { useNow } from '../store.ts';
import { Failure } from '../ui/failure.tsx';
import { span, time } from '../ui/format.ts';

/** The next handoffs of one schedule: shifts of the coming 14 days that start after now. */
function Handoffs(props: { schedule: Schedule }) {
  const { t, lang } = useT();
  const now = useNow();
  const shifts = useResource(() => api.shifts(props.schedule.key).then((r) => r.shifts), props.schedule.key);
  if (shifts.error) return <Failure error={shifts.error} retry={shifts.reload} />;
  // The window starts now, so the earliest shift is the one running, clipped: not a handoff.
  const all = shifts.data ?? [];
  const first = Math.min(...all.map((s) => Date.parse(s.start)));
  const next = all.filter((s) => Date.parse(s.start) > Math.max(first, now)).slice(0, 5);
  if (shifts.data && next.length === 0) return <p>{t('oncall.noHandoffs')}</p>;
  return (
    <ol className="handoffs">
      {next.map((s) => (
        <li key={`${s.start}-${s.user}-${s.layer}`}>
          <span aria-hidden="true">⇄ </span>
          {time(s.start, lang)} ({t('oncall.in', { t: span(Date.parse(s.start) - now) })}):{' '}
          <strong>{s.user}</strong>
        </li>
      ))}
    </ol>
  );
}

export default function OnCall(_props: ScreenProps) {
  const { t } = useT();
  const now = useResource(() => api.onCall(), 'oncall');
  const schedules = useResource(() => api.schedules().then((r) => r.schedules), 'schedules');
  const error = now.error ?? schedules.error;
  return (
    <section aria-labelledby="oncall-title">
      <h1 id="oncall-title">{t('oncall.title')}</h1>
      {error && (
        <Failure
          error={error}
          retry={() => {
            now.reload();
            schedules.reload();
          }}
        />
      )}
      <section aria-labelledby="oncall-now-title" className="card">
        <h2 id="oncall-now-title">{t('oncall.now')}</h2>
        {now.data?.on_call.length === 0 && <p>{t('oncall.none')}</p>}
        {!!now.data?.on_call.length && (
          <table className="oncall">
            <thead>
              <tr>
                <th scope="col">{t('oncall.kind')}</th>
                <th scope="col">{t('oncall.key')}</th>
                <th scope="col">{t('oncall.people')}</th>
              </tr>
            </thead>
            <tbody>
              {now.data.on_call.map((o) => (
                <tr key={`${o.kind}-${o.key}`} data-oncall={`${o.kind}:${o.key}`}>
                  <td>{o.kind}</td>
                  <th scope="row">{o.key}</th>
                  <td>
                    {o.people.length ? (
                      o.people.join(', ')
                    ) : (
                      <strong className="critical">⚠ {t('oncall.nobody')}</strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {(schedules.data ?? []).map((s) => (
        <section key={s.key} aria-labelledby={`sched-${s.key}`} className="card" data-schedule={s.key}>
          <h2 id={`sched-${s.key}`}>
            {s.name} <code>{s.key}</code> <small>{s.time_zone}</small>
          </h2>
          <p>
            {t('oncall.nowIs')}: <strong>{s.on_call_now.join(', ') || t('oncall.nobody')}</strong>
          </p>
          <h3>{t('oncall.handoffs')}</h3>
          <Handoffs schedule={s} />
        </section>
      ))}
    </section>
  );
}
