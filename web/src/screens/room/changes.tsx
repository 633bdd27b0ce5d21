import { type FormEvent, useState } from 'react';
import { api, type Incident } from '../../api.ts';
import { pick, useT } from '../../i18n.ts';
import { useAction } from '../../ui/action.ts';
import { Failure, FieldMessage } from '../../ui/failure.tsx';
import type { RoomProps } from './types.ts';

/** One change with its reason: a choice, a reason field, a button; the API says what is wrong. */
function ChangeForm(props: {
  name: string;
  legend: string;
  options: [string, string][];
  current: string;
  submit: (value: string, reason: string) => Promise<Incident>;
  apply: RoomProps['apply'];
}) {
  const { t } = useT();
  const [value, setValue] = useState(props.options.find(([v]) => v !== props.current)?.[0] ?? '');
  const act = useAction();
  const id = `change-${props.name}`;
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const r = await act.run(() => props.submit(value, String(new FormData(form).get('reason') ?? '')));
    if (r) form.reset();
    props.apply(r);
  };
  return (
    <form onSubmit={onSubmit} className="change">
      <h3 id={`${id}-legend`}>{props.legend}</h3>
      <div className="row">
        <label>
          <span className="sr-only">{props.legend}</span>
          <select value={value} onChange={(e) => setValue(e.target.value)} aria-describedby={`${id}-err`}>
            {props.options.map(([v, l]) => (
              <option key={v} value={v} disabled={v === props.current}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('room.reason')}
          <input
            name="reason"
            maxLength={2000}
            aria-describedby={`${id}-reason-err`}
            aria-invalid={!!act.error?.field('reason')}
          />
        </label>
        <button type="submit" disabled={act.busy || !value}>
          {t('room.change')} <span className="sr-only">{props.legend}</span>
        </button>
      </div>
      <FieldMessage id={`${id}-reason-err`} message={act.error?.field('reason')} />
      <FieldMessage id={`${id}-err`} message={act.error?.field(props.name)} />
      {act.error && act.error.errors.length === 0 && <Failure error={act.error} />}
    </form>
  );
}

export function Changes(props: RoomProps) {
  const { t, lang } = useT();
  const { incident: i, plan } = props;
  return (
    <section aria-labelledby="changes-title" className="card">
      <h2 id="changes-title">{t('room.changes')}</h2>
      <ChangeForm
        name="status"
        legend={t('room.newStatus')}
        current={i.status}
        options={i.allowed_statuses.map((s) => [s, s])}
        submit={(v, reason) => api.status(i.ref, v, reason || undefined)}
        apply={props.apply}
      />
      <ChangeForm
        name="severity"
        legend={t('room.newSeverity')}
        current={i.severity}
        options={plan.severities.map((s) => [s.key, `${s.key} ${pick(s.label, lang)}`])}
        submit={(v, reason) => api.severity(i.ref, v, reason)}
        apply={props.apply}
      />
      <ChangeForm
        name="type"
        legend={t('room.newType')}
        current={i.type}
        options={plan.incident_types.map((s) => [s.key, pick(s.label, lang)])}
        submit={(v, reason) => api.type(i.ref, v, reason)}
        apply={props.apply}
      />
    </section>
  );
}
