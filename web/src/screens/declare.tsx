import { type FormEvent, useState } from 'react';
import { ApiError, api, planVersion } from '../api.ts';
import { pick, type Text, useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import { navigate } from '../router.ts';
import type { ScreenProps } from '../routes.ts';
import { SeverityBadge } from '../ui/badges.tsx';
import { Failure, FieldMessage, Submit } from '../ui/failure.tsx';
import { duration } from '../ui/format.ts';

function Examples(props: { items: Text[] | undefined }) {
  const { t, lang } = useT();
  if (!props.items?.length) return null;
  return (
    <div className="examples">
      <span>{t('declare.examples')}:</span>
      <ul>
        {props.items.map((x) => (
          <li key={pick(x, lang)}>{pick(x, lang)}</li>
        ))}
      </ul>
    </div>
  );
}

export default function Declare(_props: ScreenProps) {
  const { t, lang } = useT();
  const plan = useResource(() => planVersion('active'), 'active');
  const [type, setType] = useState('');
  const [severity, setSeverity] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const p = plan.data;
  if (plan.error) return <Failure error={plan.error} retry={plan.reload} />;
  if (!p) return <p>{t('loading')}</p>;

  const chooseType = (key: string) => {
    setType(key);
    const d = p.incident_types.find((x) => x.key === key)?.default_severity;
    if (d) setSeverity(d);
  };
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const d = await api.declare({
        title: String(f.get('title') ?? ''),
        type,
        ...(severity ? { severity } : {}),
        description: String(f.get('description') ?? ''),
        impact: String(f.get('impact') ?? ''),
        services: f.getAll('services').map(String),
        drill: f.get('drill') === 'on',
      });
      navigate(`/incidents/${d.ref}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  const defaultSeverity = p.incident_types.find((x) => x.key === type)?.default_severity;
  return (
    <form className="declare" onSubmit={submit} aria-labelledby="declare-title" noValidate>
      <h1 id="declare-title">{t('declare.title')}</h1>
      <label>
        {t('declare.what')}
        <input
          name="title"
          required
          maxLength={200}
          aria-describedby="err-title"
          aria-invalid={!!error?.field('title')}
        />
        <FieldMessage id="err-title" message={error?.field('title')} />
      </label>
      <fieldset className="choices" aria-describedby="err-type">
        <legend>{t('declare.type')}</legend>
        {p.incident_types.map((x) => (
          <label key={x.key} className="choice">
            <input
              type="radio"
              name="type"
              value={x.key}
              checked={type === x.key}
              onChange={() => chooseType(x.key)}
              required
            />
            <span className="choice-text">
              <strong>{pick(x.label, lang)}</strong> <code>{x.key}</code>
              {x.description && <span className="definition">{pick(x.description, lang)}</span>}
              <Examples items={x.examples} />
            </span>
          </label>
        ))}
        <FieldMessage id="err-type" message={error?.field('type')} />
      </fieldset>
      <fieldset className="choices" aria-describedby="err-severity">
        <legend>{t('declare.severity')}</legend>
        {p.severities.map((s, i) => (
          <label key={s.key} className="choice">
            <input
              type="radio"
              name="severity"
              value={s.key}
              checked={severity === s.key}
              onChange={() => setSeverity(s.key)}
            />
            <span className="choice-text">
              <SeverityBadge severity={s.key} rank={i} /> <strong>{pick(s.label, lang)}</strong>
              {defaultSeverity === s.key && <em> ({t('declare.default')})</em>}
              {s.definition && <span className="definition">{pick(s.definition, lang)}</span>}
              <span className="definition">
                {t('declare.response')}: {duration(s.response_target)}
              </span>
              <Examples items={s.examples} />
            </span>
          </label>
        ))}
        <FieldMessage id="err-severity" message={error?.field('severity')} />
      </fieldset>
      {p.services.length > 0 && (
        <fieldset>
          <legend>{t('declare.services')}</legend>
          {p.services.map((s) => (
            <label key={s.key} className="inline">
              <input type="checkbox" name="services" value={s.key} /> {pick(s.label, lang)}
            </label>
          ))}
        </fieldset>
      )}
      <label>
        {t('declare.description')}
        <textarea name="description" rows={3} />
      </label>
      <label>
        {t('declare.impact')}
        <textarea name="impact" rows={2} />
      </label>
      <label className="inline">
        <input type="checkbox" name="drill" /> {t('declare.drill')}
      </label>
      <Submit error={error} busy={busy} label={t('declare.submit')} />
    </form>
  );
}
