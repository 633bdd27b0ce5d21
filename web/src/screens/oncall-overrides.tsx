import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type Cancelled, type Override, type Schedule } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import { useNow } from '../store.ts';
import { useAction } from '../ui/action.ts';
import { Failure } from '../ui/failure.tsx';

/**
 * "Take back" asks again on the same button ("Confirm take back"), so Enter twice does it from
 * the keyboard and a stray click does nothing; Escape or "Keep it" disarms. A refusal (409: from
 * the on-call file, already ended) shows the server's words beside the override.
 */
function TakeBack(props: {
  schedule: string;
  override: Override;
  inProgress: boolean;
  done: (c: Cancelled) => void;
}) {
  const { t } = useT();
  const act = useAction();
  const [armed, setArmed] = useState(false);
  const id = `ovr-${props.override.id}`;
  const onClick = async () => {
    if (act.busy) return;
    if (!armed) {
      setArmed(true);
      return;
    }
    const r = await act.run(() => api.cancelOverride(props.schedule, props.override.id));
    setArmed(false);
    if (r) props.done(r);
  };
  const described = [`${id}-what`, armed && `${id}-hint`, act.error && `${id}-err`].filter(Boolean);
  return (
    <>
      {/* aria-disabled, not disabled: a disabled button would drop the keyboard focus. */}
      <button
        type="button"
        onClick={onClick}
        onKeyDown={(e) => e.key === 'Escape' && setArmed(false)}
        aria-disabled={act.busy || undefined}
        aria-describedby={described.join(' ')}
        className={armed ? 'danger' : undefined}
      >
        {t(armed ? 'oncall.confirmTakeBack' : 'oncall.takeBack')}
      </button>
      {armed && (
        <>
          {' '}
          <button type="button" onClick={() => setArmed(false)}>
            {t('oncall.keep')}
          </button>{' '}
          <small id={`${id}-hint`}>{t(props.inProgress ? 'oncall.willEnd' : 'oncall.willRemove')}</small>
        </>
      )}
      {act.error && (
        <span className="field-error" role="alert" id={`${id}-err`}>
          {' '}
          {act.error.message}
        </span>
      )}
    </>
  );
}

/**
 * One schedule's overrides in progress or to come, soonest first, in the browser's zone, each
 * not from the on-call file with "Take back". `revision` changes when an override is taken or
 * taken back on the screen, so the list is fetched again; `changed` asks the screen for that.
 */
export function Overrides(props: { schedule: Schedule; revision: number; changed: () => void }) {
  const { t, lang } = useT();
  const now = useNow();
  const key = props.schedule.key;
  const list = useResource(() => api.overrides(key).then((r) => r.overrides), `${key}#${props.revision}`);
  // Shown until the screen's next change after the one this take-back caused (revision + 1).
  const [outcome, setOutcome] = useState<{ text: string; revision: number } | null>(null);
  const status = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (outcome) status.current?.focus();
  }, [outcome]);
  const f = useMemo(() => {
    const locale = lang === 'id' ? 'id-ID' : 'en-GB';
    return {
      at: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
      clock: new Intl.DateTimeFormat(locale, { timeStyle: 'short' }),
      day: new Intl.DateTimeFormat('en-CA', { dateStyle: 'short' }),
    };
  }, [lang]);
  const id = `ovr-${key}`;
  const all = list.data ?? [];
  const done = (o: Override, c: Cancelled) => {
    list.set(all.filter((x) => x.id !== o.id));
    setOutcome({
      text: t(c.outcome === 'ended' ? 'oncall.ended' : 'oncall.removed'),
      revision: props.revision,
    });
    props.changed();
  };
  return (
    <section aria-labelledby={id} data-overrides={key}>
      <h3 id={id}>{t('oncall.overrides')}</h3>
      {list.error && <Failure error={list.error} retry={list.reload} />}
      {!list.data && !list.error && <p>{t('loading')}</p>}
      {list.data && all.length === 0 && <p>{t('oncall.noOverrides')}</p>}
      {all.length > 0 && (
        <ul className="overrides">
          {all.map((o) => {
            const from = new Date(o.from);
            const to = new Date(o.to);
            // The shared clock ticks each second; a cover taken this instant is in progress now.
            const inProgress = from.getTime() <= Math.max(now, Date.now());
            return (
              <li key={o.id} data-override-id={o.id} data-from-file={o.from_file ? '' : undefined}>
                <span id={`ovr-${o.id}-what`}>
                  <strong>{o.user}</strong>{' '}
                  <span className="when">
                    <time dateTime={o.from}>{f.at.format(from)}</time>–
                    <time dateTime={o.to}>
                      {(f.day.format(from) === f.day.format(to) ? f.clock : f.at).format(to)}
                    </time>
                  </span>
                </span>{' '}
                {inProgress && <span className="tag">{t('oncall.inProgress')}</span>}{' '}
                {o.from_file ? (
                  <span className="tag">{t('oncall.fromFile')}</span>
                ) : (
                  <TakeBack schedule={key} override={o} inProgress={inProgress} done={(c) => done(o, c)} />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {all.some((o) => o.from_file) && <p className="zone">{t('oncall.fromFileHint')}</p>}
      <div role="status">
        {outcome && props.revision <= outcome.revision + 1 && (
          <p tabIndex={-1} ref={status}>
            {outcome.text}
          </p>
        )}
      </div>
    </section>
  );
}
