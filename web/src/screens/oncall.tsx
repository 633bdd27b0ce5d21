import { type FormEvent, useState } from 'react';
import { api, type Schedule, session } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { useNow, useStore } from '../store.ts';
import { useAction } from '../ui/action.ts';
import { Failure, FieldMessage, Submit } from '../ui/failure.tsx';
import { span, time } from '../ui/format.ts';
import { WeekCalendar } from './oncall-calendar.tsx';
import { Overrides } from './oncall-overrides.tsx';

/** The next handoffs of one schedule: shifts of the coming 14 days that start after now. */
/** `revision` changes when an override is taken or taken back here, so they are fetched again. */
function Handoffs(props: { schedule: Schedule; revision: number }) {
  const { t, lang } = useT();
  const now = useNow();
  const shifts = useResource(
    () => api.shifts(props.schedule.key).then((r) => r.shifts),
    `${props.schedule.key}#${props.revision}`,
  );
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

const HOURS = [1, 2, 4, 8, 12, 24];

/**
 * "I'll cover": an override for the signed-in person from now (or a chosen start) for some hours.
 * "Override saved" stays until the screen's next change after this one (`revision` + 1), so it
 * does not stand beside a take-back that followed.
 */
function TakeOverride(props: { schedule: Schedule; revision: number; taken: () => void }) {
  const { t } = useT();
  const me = useStore(session);
  const act = useAction();
  const [done, setDone] = useState<number | null>(null);
  const key = props.schedule.key;
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!me) return;
    const f = new FormData(e.currentTarget);
    const start = String(f.get('from') ?? '');
    const from = start ? new Date(start) : new Date();
    const to = new Date(from.getTime() + Number(f.get('hours')) * 3_600_000);
    setDone(null);
    const r = await act.run(() =>
      api.addOverride(key, { user: me.email, from: from.toISOString(), to: to.toISOString() }),
    );
    if (r) {
      setDone(props.revision);
      props.taken();
    }
  };
  return (
    <form onSubmit={onSubmit} aria-labelledby={`take-${key}`}>
      <h3 id={`take-${key}`}>{t('oncall.take')}</h3>
      <div className="row">
        <label>
          {t('oncall.takeFrom')}
          <input type="datetime-local" name="from" aria-describedby={`take-${key}-hint`} />
        </label>
        <label>
          {t('oncall.takeFor')}
          <select name="hours" defaultValue="4">
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {t('oncall.hours', { n: h })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <small id={`take-${key}-hint`}>{t('oncall.takeHint')}</small>
      <FieldMessage id={`take-${key}-err`} message={act.error?.field('to') ?? act.error?.field('user')} />
      <Submit
        error={act.error?.errors.length ? null : act.error}
        busy={act.busy}
        label={t('oncall.takeSubmit')}
      />
      {done !== null && props.revision <= done + 1 && <p role="status">{t('oncall.taken')}</p>}
    </form>
  );
}

export default function OnCall(_props: ScreenProps) {
  const [revision, setRevision] = useState(0);
  const { t } = useT();
  const now = useResource(() => api.onCall(), 'oncall');
  const schedules = useResource(() => api.schedules().then((r) => r.schedules), 'schedules');
  const error = now.error ?? schedules.error;
  // After an override is taken or taken back: who is on call, the handoffs, calendars and lists.
  const changed = () => {
    now.reload();
    schedules.reload();
    setRevision((r) => r + 1);
  };
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
          <Handoffs schedule={s} revision={revision} />
          <WeekCalendar schedule={s} revision={revision} />
          <Overrides schedule={s} revision={revision} changed={changed} />
          <TakeOverride schedule={s} revision={revision} taken={changed} />
        </section>
      ))}
    </section>
  );
}
