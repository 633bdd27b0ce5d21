import { useMemo, useState } from 'react';
import { api, type Schedule } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import { useNow } from '../store.ts';
import { Failure } from '../ui/failure.tsx';
import { addDays, clock, dateIn, mondayOf, splitByDay, weekFrom } from '../ui/week.ts';

/** The browser's zone: a responder reads the calendar against the clock on their own wall. */
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const OVERRIDE = -1;

/**
 * One schedule's week, Monday to Sunday in the browser's zone: who is on call each day and
 * when, overrides applied, gaps shown. Only the visible week is fetched; `revision` changes when
 * an override is taken on the screen, so the week is fetched again.
 */
export function WeekCalendar(props: { schedule: Schedule; revision: number }) {
  const { t, lang } = useT();
  const key = props.schedule.key;
  const today = dateIn(useNow(), zone);
  const [weeks, setWeeks] = useState(0);
  const monday = addDays(mondayOf(today), 7 * weeks);
  const days = useMemo(() => weekFrom(monday, zone), [monday]);
  const from = new Date(days[0]!.start).toISOString();
  const to = new Date(days[6]!.end).toISOString();
  const shifts = useResource(
    () => api.shifts(key, { from, to }).then((r) => ({ from, shifts: r.shifts })),
    `${key}#${from}#${props.revision}`,
  );
  // While another week loads, the last one's shifts would read as a week nobody covers.
  const data = shifts.data?.from === from ? shifts.data.shifts : null;
  const pieces = useMemo(() => (data ? splitByDay(days, data) : null), [days, data]);
  const f = useMemo(() => {
    const locale = lang === 'id' ? 'id-ID' : 'en-GB';
    return {
      day: new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
      }),
      range: new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        day: 'numeric',
        month: 'long',
        year: 'numeric',
      }),
    };
  }, [lang]);
  const id = `cal-${key}`;
  return (
    <section aria-labelledby={id} className="calendar" data-calendar={key} data-from={from} data-to={to}>
      <h3 id={id}>{t('oncall.calendar')}</h3>
      <fieldset className="row week-nav">
        <legend className="sr-only">{t('oncall.weekNav', { name: props.schedule.name })}</legend>
        <button type="button" onClick={() => setWeeks((w) => w - 1)}>
          <span aria-hidden="true">← </span>
          {t('oncall.prevWeek')}
        </button>
        <button type="button" onClick={() => setWeeks(0)} aria-pressed={weeks === 0}>
          {t('oncall.thisWeek')}
        </button>
        <button type="button" onClick={() => setWeeks((w) => w + 1)}>
          {t('oncall.nextWeek')}
          <span aria-hidden="true"> →</span>
        </button>
        <strong aria-live="polite" data-testid="week-range">
          {f.range.formatRange(days[0]!.start, days[6]!.start)}
        </strong>
      </fieldset>
      <p className="zone">{t('oncall.zone', { zone })}</p>
      {shifts.error && <Failure error={shifts.error} retry={shifts.reload} />}
      {!pieces && !shifts.error && <p>{t('loading')}</p>}
      {pieces && (
        <ol className="week">
          {days.map((d, i) => (
            <li key={d.date} data-date={d.date} aria-current={d.date === today ? 'date' : undefined}>
              <h4>
                {f.day.format(d.start)}{' '}
                {d.date === today && <span className="tag today">{t('oncall.today')}</span>}
              </h4>
              <ul>
                {pieces[i]!.map((p) => (
                  <li
                    key={p.from}
                    data-user={p.shift?.user ?? ''}
                    data-override={p.shift?.layer === OVERRIDE ? '' : undefined}
                    className={p.shift ? (p.shift.layer === OVERRIDE ? 'override' : undefined) : 'gap'}
                  >
                    <span className="when">
                      <time dateTime={new Date(p.from).toISOString()}>{clock(p.from, zone, d)}</time>–
                      <time dateTime={new Date(p.to).toISOString()}>{clock(p.to, zone, d)}</time>
                    </span>{' '}
                    {p.shift ? (
                      <strong>{p.shift.user}</strong>
                    ) : (
                      <strong className="critical">⚠ {t('oncall.nobody')}</strong>
                    )}
                    {p.shift?.layer === OVERRIDE && (
                      <span className="tag">
                        <span aria-hidden="true">⇆ </span>
                        {t('oncall.override')}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
