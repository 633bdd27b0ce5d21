import { useEffect } from 'react';
import { api, type Monitor } from '../../api.ts';
import { useT } from '../../i18n.ts';
import { useResource } from '../../resource.ts';
import { Failure } from '../../ui/failure.tsx';
import { time } from '../../ui/format.ts';

const MON_MARK: Record<Monitor['state'], string> = { up: '▲', down: '▼', unknown: '?' };

/** The synthetic monitors and the state of their last check (GET /api/v1/monitors). */
export function Monitors() {
  const { t, lang } = useT();
  const list = useResource(() => api.monitors(), 'monitors');
  // Checks emit no live events, so the list refreshes on its own every half minute.
  useEffect(() => {
    const timer = setInterval(list.reload, 30_000);
    return () => clearInterval(timer);
  }, [list.reload]);
  return (
    <section aria-labelledby="mon-title" className="card">
      <h2 id="mon-title">{t('mon.title')}</h2>
      {list.error && <Failure error={list.error} retry={list.reload} />}
      {list.data?.monitors.length === 0 && <p>{t('mon.none')}</p>}
      {!!list.data?.monitors.length && (
        <table className="monitors">
          <thead>
            <tr>
              <th scope="col">{t('mon.monitor')}</th>
              <th scope="col">{t('mon.kind')}</th>
              <th scope="col">{t('mon.target')}</th>
              <th scope="col">{t('mon.state')}</th>
              <th scope="col">{t('mon.since')}</th>
              <th scope="col">{t('mon.alert')}</th>
              <th scope="col">{t('mon.next')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.monitors.map((m) => (
              <tr key={m.key} data-monitor={m.key}>
                <th scope="row">
                  {m.name} <code>{m.key}</code>
                  {!m.enabled && <span className="tag"> {t('mon.disabled')}</span>}
                </th>
                <td>{m.kind}</td>
                <td>
                  <code>{m.target}</code>
                </td>
                <td className={`mon mon-${m.state}`} data-state={m.state}>
                  <span aria-hidden="true">{MON_MARK[m.state]}</span> {t(`mon.${m.state}`)}
                </td>
                <td>{time(m.down_since, lang) || '—'}</td>
                <td>{m.alert_firing ? <strong className="critical">⚠ {t('mon.firing')}</strong> : '—'}</td>
                <td>{time(m.next_check_at, lang) || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
