import type { FormEvent } from 'react';
import { api, type Entry } from '../../api.ts';
import { useT } from '../../i18n.ts';
import { useAction } from '../../ui/action.ts';
import { Failure, FieldMessage } from '../../ui/failure.tsx';
import { time } from '../../ui/format.ts';
import { VirtualList } from '../../ui/virtual-list.tsx';
import type { RoomProps } from './types.ts';

export function Timeline(props: RoomProps & { entries: Entry[] }) {
  const { t, lang } = useT();
  const act = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const r = await act.run(() => api.note(props.incident.ref, String(new FormData(form).get('text') ?? '')));
    if (r) form.reset();
    props.apply(r);
  };
  return (
    <section aria-labelledby="timeline-title" className="card">
      <h2 id="timeline-title">
        {t('room.timeline')} <small>({t('room.entries', { n: props.entries.length })})</small>
      </h2>
      <VirtualList
        items={props.entries}
        rowHeight={56}
        height={420}
        label={t('room.timeline')}
        keyOf={(e) => e.id}
        row={(e) => (
          <div className={`entry entry-${e.kind}`} data-kind={e.kind}>
            <div className="entry-meta">
              <time dateTime={e.at}>{time(e.at, lang)}</time> · {e.actor.name} · <code>{e.kind}</code>
            </div>
            <div className="entry-text" title={e.text}>
              {e.text}
            </div>
          </div>
        )}
      />
      <form onSubmit={submit} className="row">
        <label className="sr-only" htmlFor="note">
          {t('room.note')}
        </label>
        <input id="note" name="text" placeholder={t('room.note')} required aria-describedby="err-note" />
        <button type="submit" disabled={act.busy}>
          {t('room.addNote')}
        </button>
      </form>
      <FieldMessage id="err-note" message={act.error?.field('text')} />
      {act.error && !act.error.field('text') && <Failure error={act.error} />}
    </section>
  );
}
