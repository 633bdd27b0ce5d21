import { useState } from 'react';
import { api, type Preview } from '../../api.ts';
import { pick, useT } from '../../i18n.ts';
import { useAction } from '../../ui/action.ts';
import { Failure, FieldMessage } from '../../ui/failure.tsx';
import { time } from '../../ui/format.ts';
import type { RoomProps } from './types.ts';

/** Pick the audience, fill the plan's template, preview the message, edit it if need be, send. */
export function Composer(props: RoomProps) {
  const { t, lang } = useT();
  const { incident: i, plan } = props;
  const audiences = plan.communications.audiences;
  const [audience, setAudience] = useState(audiences[0]?.key ?? '');
  const templates = plan.communications.templates.filter((x) => x.audience === audience);
  const [template, setTemplate] = useState('');
  const chosen = templates.find((x) => x.key === template) ?? templates[0];
  const [fields, setFields] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<Preview | null>(null);
  const [body, setBody] = useState('');
  const [sent, setSent] = useState('');
  const act = useAction();
  const input = () => ({
    audience,
    ...(chosen ? { template: chosen.key } : {}),
    fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== '')),
  });
  const doPreview = async () => {
    const p = await act.run(() => api.preview(i.ref, input()));
    if (p) {
      setPreview(p);
      setBody(p.body);
    }
  };
  const send = async () => {
    const r = await act.run(() =>
      api.postUpdate(i.ref, { ...input(), ...(preview && body !== preview.body ? { body } : {}) }),
    );
    if (r) {
      setPreview(null);
      setFields({});
      setSent(t('room.sent', { audience }));
    }
    props.apply(r);
  };
  return (
    <section aria-labelledby="composer-title" className="card composer">
      <h2 id="composer-title">{t('room.composer')}</h2>
      <div className="row">
        <label>
          {t('room.audience')}
          <select
            value={audience}
            onChange={(e) => {
              setAudience(e.target.value);
              setTemplate('');
              setPreview(null);
            }}
          >
            {audiences.map((a) => (
              <option key={a.key} value={a.key}>
                {pick(a.label, lang)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('room.template')}
          <select
            value={chosen?.key ?? ''}
            onChange={(e) => {
              setTemplate(e.target.value);
              setPreview(null);
            }}
          >
            {templates.map((x) => (
              <option key={x.key} value={x.key}>
                {pick(x.label, lang)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(chosen?.fields ?? []).map((f) => {
        const id = `field-${f.key}`;
        const common = {
          id,
          value: fields[f.key] ?? '',
          'aria-describedby': `err-${id}`,
          onChange: (e: { target: { value: string } }) => setFields({ ...fields, [f.key]: e.target.value }),
        };
        return (
          <label key={f.key} htmlFor={id}>
            {pick(f.label, lang)}
            {f.required && <span aria-hidden="true"> *</span>}
            {f.multiline ? (
              <textarea rows={2} {...common} required={f.required} />
            ) : (
              <input {...common} required={f.required} />
            )}
            <FieldMessage id={`err-${id}`} message={act.error?.field(`fields.${f.key}`)} />
          </label>
        );
      })}
      <div className="row">
        <button type="button" onClick={doPreview} disabled={act.busy || !audience}>
          {t('room.preview')}
        </button>
        <button type="button" className="primary" onClick={send} disabled={act.busy || !audience}>
          {t('room.send')}
        </button>
      </div>
      {preview && (
        <div className="preview" data-testid="preview">
          {preview.subject && (
            <p>
              <strong>{t('room.subject')}:</strong> {preview.subject}
            </p>
          )}
          <label>
            {t('room.body')}
            <textarea rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          {preview.missing.length > 0 && (
            <p className="warn">⚠ {t('room.missing', { fields: preview.missing.join(', ') })}</p>
          )}
        </div>
      )}
      {act.error && <Failure error={act.error} />}
      {sent && <p role="status">{sent}</p>}
      {i.updates.length > 0 && (
        <details>
          <summary>
            {t('room.updates')} ({i.updates.length})
          </summary>
          <ul className="plain">
            {i.updates.map((u) => (
              <li key={u.id}>
                <strong>{u.audience}</strong> · {time(u.posted_at, lang)} · {u.posted_by.name}
                <pre className="update-body">{u.body}</pre>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
