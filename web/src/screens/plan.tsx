import { useState } from 'react';
import { api } from '../api.ts';
import { useT } from '../i18n.ts';
import { useLive } from '../live.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { Failure } from '../ui/failure.tsx';
import { time } from '../ui/format.ts';
import { Markdown } from '../ui/markdown.tsx';

function Diff(props: { version: number }) {
  const { t } = useT();
  const diff = useResource(() => api.planDiff(props.version), String(props.version));
  if (props.version === 1) return <p>{t('plan.first')}</p>;
  if (diff.error) return <Failure error={diff.error} />;
  if (!diff.data) return <p>{t('loading')}</p>;
  const d = diff.data;
  return (
    <div className="diff">
      <h2>{t('plan.changes', { from: d.from })}</h2>
      {d.sections.length === 0 && <p>{t('plan.noChanges')}</p>}
      <ul>
        {d.sections.map((s) => (
          <li key={s.section}>
            <code>{s.section}</code>
            {s.added.length > 0 && ` · ${t('plan.added')}: ${s.added.join(', ')}`}
            {s.removed.length > 0 && ` · ${t('plan.removed')}: ${s.removed.join(', ')}`}
            {s.changed.length > 0 && ` · ${t('plan.changed')}: ${s.changed.join(', ')}`}
          </li>
        ))}
      </ul>
      {d.hunks.map((h) => (
        <pre key={`${h.old_start}-${h.new_start}`} className="hunk">
          <span className="hunk-head">
            @@ -{h.old_start} +{h.new_start} @@{'\n'}
          </span>
          {h.lines.map((l) => (
            <span key={`${l.old}-${l.new}`} className={`dl dl-${l.op}`}>
              {l.op === 'added' ? '+ ' : l.op === 'removed' ? '- ' : '  '}
              {l.text}
              {'\n'}
            </span>
          ))}
        </pre>
      ))}
    </div>
  );
}

export default function PlanScreen(_props: ScreenProps) {
  const { t, lang } = useT();
  const versions = useResource(() => api.planVersions().then((r) => r.versions), 'versions');
  useLive((e) => e.type === 'plan.applied', versions.reload);
  const [chosen, setChosen] = useState<number | null>(null);
  const active = versions.data?.find((v) => v.active)?.version ?? versions.data?.[0]?.version;
  const version = chosen ?? active;
  const doc = useResource(
    () => (version ? api.planDocument(version, lang) : Promise.resolve('')),
    `${version}-${lang}`,
  );
  if (versions.error) return <Failure error={versions.error} retry={versions.reload} />;
  return (
    <section aria-labelledby="plan-title" className="plan">
      <h1 id="plan-title">{t('plan.title')}</h1>
      <div className="plan-grid">
        <nav aria-label={t('plan.versions')} className="card">
          <h2>{t('plan.versions')}</h2>
          <ul className="plain">
            {(versions.data ?? []).map((v) => (
              <li key={v.version}>
                <button
                  type="button"
                  aria-pressed={v.version === version}
                  onClick={() => setChosen(v.version)}
                >
                  {t('plan.version')} {v.version}
                  {v.active && ` (${t('plan.active')})`}
                </button>
                <small>
                  {' '}
                  {time(v.created_at, lang)} · {v.created_by}
                  {v.comment ? ` · ${v.comment}` : ''}
                </small>
              </li>
            ))}
          </ul>
        </nav>
        <div>
          {version && <Diff version={version} />}
          <h2>{t('plan.document')}</h2>
          {doc.error && <Failure error={doc.error} />}
          {doc.data && <Markdown source={doc.data} />}
        </div>
      </div>
    </section>
  );
}
