import { pick, useT } from '../../i18n.ts';
import type { RoomProps } from './types.ts';

/** The runbooks and mitigations the plan attaches to this incident's type. */
export function Runbooks(props: RoomProps) {
  const { t, lang } = useT();
  const type = props.plan.incident_types.find((x) => x.key === props.incident.type);
  const keys = new Set(type?.runbooks ?? []);
  const books = props.plan.runbooks.filter(
    (r) => keys.has(r.key) || r.trigger?.types?.includes(props.incident.type),
  );
  if (books.length === 0 && !type?.mitigations?.length) return null;
  return (
    <section aria-labelledby="runbooks-title" className="card">
      <h2 id="runbooks-title">{t('room.runbooks')}</h2>
      {books.map((b) => (
        <details key={b.key}>
          <summary>{pick(b.label, lang)}</summary>
          <ol>
            {b.steps.map((s) => (
              <li key={pick(s.title, lang)} className={s.critical ? 'critical' : ''}>
                {s.critical && <strong>⚠ </strong>}
                {pick(s.title, lang)}
                {s.text && <p>{pick(s.text, lang)}</p>}
                {s.command && <pre>{s.command}</pre>}
                {s.items && (
                  <ul>
                    {s.items.map((x) => (
                      <li key={pick(x, lang)}>{pick(x, lang)}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
        </details>
      ))}
      {type?.mitigations?.length ? (
        <>
          <h3>{t('room.mitigations')}</h3>
          <ul>
            {type.mitigations.map((m) => (
              <li key={pick(m, lang)}>{pick(m, lang)}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
