import { useState } from 'react';
import { api, planVersion } from '../api.ts';
import { pick, useT } from '../i18n.ts';
import { useLive } from '../live.ts';
import { label, severityRank } from '../plan-context.ts';
import { useResource } from '../resource.ts';
import { href } from '../router.ts';
import type { ScreenProps } from '../routes.ts';
import { useNow } from '../store.ts';
import { ClockLine, SeverityBadge, StatusBadge } from '../ui/badges.tsx';
import { Failure } from '../ui/failure.tsx';
import { span } from '../ui/format.ts';

const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'closed'];
type Filters = { status: string; severity: string; type: string; service: string; drill: string };

export default function Incidents(_props: ScreenProps) {
  const { t, lang } = useT();
  const now = useNow();
  const [f, setF] = useState<Filters>({ status: 'open', severity: '', type: '', service: '', drill: '' });
  const plan = useResource(() => planVersion('active'), 'active');
  const list = useResource(
    async () => ({ ...(await api.incidents({ ...f })), at: Date.now() }),
    JSON.stringify(f),
  );
  useLive((e) => e.type.startsWith('incident.') || e.type === 'plan.applied', list.reload);
  const p = plan.data;
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const select = (k: keyof Filters, text: string, options: [string, string][]) => (
    <label>
      {text}
      <select value={f[k]} onChange={set(k)}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
  const any: [string, string] = ['', t('filter.any')];
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{t('list.title')}</h1>
      <fieldset className="filters">
        <legend>{t('list.filters')}</legend>
        {select('status', t('filter.status'), [
          ['open', t('filter.open')],
          ['all', t('filter.all')],
          ...STATUSES.map((s): [string, string] => [s, s]),
        ])}
        {select('severity', t('filter.severity'), [
          any,
          ...(p?.severities ?? []).map((s): [string, string] => [s.key, `${s.key} ${pick(s.label, lang)}`]),
        ])}
        {select('type', t('filter.type'), [
          any,
          ...(p?.incident_types ?? []).map((s): [string, string] => [s.key, pick(s.label, lang)]),
        ])}
        {select('service', t('filter.service'), [
          any,
          ...(p?.services ?? []).map((s): [string, string] => [s.key, pick(s.label, lang)]),
        ])}
        {select('drill', t('filter.drill'), [
          any,
          ['exclude', t('drill.exclude')],
          ['only', t('drill.only')],
        ])}
      </fieldset>
      {list.error && <Failure error={list.error} retry={list.reload} />}
      {list.data && list.data.incidents.length === 0 && <p>{t('list.empty')}</p>}
      {list.data && list.data.incidents.length > 0 && (
        <table className="incidents">
          <thead>
            <tr>
              <th scope="col">{t('col.incident')}</th>
              <th scope="col">{t('col.severity')}</th>
              <th scope="col">{t('col.title')}</th>
              <th scope="col">{t('col.status')}</th>
              <th scope="col">{t('col.commander')}</th>
              <th scope="col">{t('col.age')}</th>
              <th scope="col">{t('col.clock')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.incidents.map((i) => (
              <tr key={i.id} data-ref={i.ref}>
                <td>
                  <a href={href(`/incidents/${i.ref}`)}>{i.ref}</a>
                  {i.drill && <span className="tag"> {t('room.drill')}</span>}
                </td>
                <td>
                  <SeverityBadge
                    severity={i.severity}
                    rank={severityRank(p, i.severity)}
                    label={label(p, 'severities', i.severity, lang)}
                  />
                </td>
                <td>{i.title}</td>
                <td>
                  <StatusBadge status={i.status} />
                </td>
                <td>{i.commander ?? '—'}</td>
                <td>{span(now - Date.parse(i.detected_at))}</td>
                <td>
                  {i.most_urgent_clock ? (
                    <ClockLine clock={i.most_urgent_clock} fetchedAt={list.data!.at} compact />
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
