import { type FormEvent, useState } from 'react';
import { api, type MetricsGroup, planVersion } from '../api.ts';
import { useT } from '../i18n.ts';
import { useLive } from '../live.ts';
import { label, severityRank } from '../plan-context.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { SeverityBadge } from '../ui/badges.tsx';
import { Failure } from '../ui/failure.tsx';
import { span } from '../ui/format.ts';

const ms = (v: number | null) => (v === null ? '—' : span(v));
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Every month from the first to the last with incidents, so a quiet month shows as a gap. */
function months(rows: MetricsGroup[]): string[] {
  const keys = rows.map((r) => r.key).sort();
  if (keys.length === 0) return [];
  const out: string[] = [];
  let [y, m] = keys[0]!.split('-').map(Number) as [number, number];
  const last = keys.at(-1)!;
  for (let i = 0; i < 240; i++) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    out.push(k);
    if (k >= last) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

const W = 640;
const H = 220;
const PAD = { l: 56, r: 12, t: 12, b: 40 };

/** MTTA and MTTR means per month as two lines, one with circles, one with squares. */
function Trend(props: { rows: MetricsGroup[] }) {
  const { t } = useT();
  const keys = months(props.rows);
  const by = new Map(props.rows.map((r) => [r.key, r]));
  const series = [
    { name: t('metrics.mtta'), cls: 'trend-mtta', get: (r?: MetricsGroup) => r?.mtta.mean_ms ?? null },
    { name: t('metrics.mttr'), cls: 'trend-mttr', get: (r?: MetricsGroup) => r?.mttr.mean_ms ?? null },
  ];
  const values = keys.flatMap((k) => series.map((s) => s.get(by.get(k)))).filter((v) => v !== null);
  if (values.length === 0) return <p>{t('metrics.noTrend')}</p>;
  const max = Math.max(...values) || 1;
  const x = (i: number) => PAD.l + (keys.length === 1 ? 0.5 : i / (keys.length - 1)) * (W - PAD.l - PAD.r);
  const y = (v: number) => PAD.t + (1 - v / max) * (H - PAD.t - PAD.b);
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="trend-caption">
        <title>{t('metrics.trendCaption')}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.l} x2={W - PAD.r} y1={y(max * f)} y2={y(max * f)} className="trend-grid" />
            <text x={PAD.l - 4} y={y(max * f) + 4} textAnchor="end" className="trend-axis">
              {span(max * f)}
            </text>
          </g>
        ))}
        {keys.map((k, i) => (
          <text key={k} x={x(i)} y={H - PAD.b + 16} textAnchor="middle" className="trend-axis">
            {k}
          </text>
        ))}
        {series.map((s, si) => {
          const pts = keys.map((k, i) => [i, s.get(by.get(k))] as const).filter(([, v]) => v !== null);
          return (
            <g key={s.cls} className={s.cls}>
              <polyline
                fill="none"
                strokeDasharray={si ? '6 3' : undefined}
                points={pts.map(([i, v]) => `${x(i)},${y(v!)}`).join(' ')}
              />
              {pts.map(([i, v]) =>
                si ? (
                  <rect key={i} x={x(i) - 4} y={y(v!) - 4} width={8} height={8} />
                ) : (
                  <circle key={i} cx={x(i)} cy={y(v!)} r={4} />
                ),
              )}
            </g>
          );
        })}
      </svg>
      <figcaption id="trend-caption">
        {t('metrics.trendCaption')}: <span className="trend-mtta">● {t('metrics.mtta')}</span>,{' '}
        <span className="trend-mttr">■ {t('metrics.mttr')}</span>
      </figcaption>
      <details>
        <summary>{t('metrics.asTable')}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('metrics.month')}</th>
              <th scope="col">{t('metrics.incidents')}</th>
              <th scope="col">{t('metrics.mtta')}</th>
              <th scope="col">{t('metrics.mttr')}</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td>{by.get(k)?.incidents ?? 0}</td>
                <td>{ms(by.get(k)?.mtta.mean_ms ?? null)}</td>
                <td>{ms(by.get(k)?.mttr.mean_ms ?? null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export default function Metrics(_props: ScreenProps) {
  const { t, lang } = useT();
  const [period, setPeriod] = useState(() => {
    const to = new Date();
    return {
      from: day(new Date(to.getTime() - 365 * 86_400_000)),
      to: day(new Date(to.getTime() + 86_400_000)),
    };
  });
  const plan = useResource(() => planVersion('active'), 'active');
  const data = useResource(() => api.metrics(period), `${period.from}-${period.to}`);
  useLive((e) => e.type === 'incident.changed', data.reload, 2000);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setPeriod({ from: String(f.get('from')), to: String(f.get('to')) });
  };
  const p = plan.data;
  const d = data.data;
  return (
    <section aria-labelledby="metrics-title">
      <h1 id="metrics-title">{t('metrics.title')}</h1>
      <form onSubmit={onSubmit} className="row filters">
        <label>
          {t('metrics.from')}
          <input type="date" name="from" defaultValue={period.from} required />
        </label>
        <label>
          {t('metrics.to')}
          <input type="date" name="to" defaultValue={period.to} required />
        </label>
        <button type="submit">{t('metrics.show')}</button>
      </form>
      <p>
        <small>{t('metrics.note')}</small>
      </p>
      {data.error && <Failure error={data.error} retry={data.reload} />}
      {d && (
        <>
          <section aria-labelledby="metrics-sev-title" className="card">
            <h2 id="metrics-sev-title">{t('metrics.bySeverity')}</h2>
            {d.by_severity.length === 0 ? (
              <p>{t('metrics.none')}</p>
            ) : (
              <table className="metrics">
                <thead>
                  <tr>
                    <th scope="col">{t('col.severity')}</th>
                    <th scope="col">{t('metrics.incidents')}</th>
                    <th scope="col">{t('metrics.acknowledged')}</th>
                    <th scope="col">{t('metrics.resolved')}</th>
                    <th scope="col">{t('metrics.mtta')}</th>
                    <th scope="col">{t('metrics.mttaP90')}</th>
                    <th scope="col">{t('metrics.mttr')}</th>
                    <th scope="col">{t('metrics.mttrP90')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...d.by_severity]
                    .sort((a, b) => severityRank(p, a.key) - severityRank(p, b.key))
                    .map((r) => (
                      <tr key={r.key} data-severity={r.key}>
                        <th scope="row">
                          <SeverityBadge
                            severity={r.key}
                            rank={severityRank(p, r.key)}
                            label={label(p, 'severities', r.key, lang)}
                          />
                        </th>
                        <td>{r.incidents}</td>
                        <td>{r.acknowledged}</td>
                        <td>{r.resolved}</td>
                        <td>{ms(r.mtta.mean_ms)}</td>
                        <td>{ms(r.mtta.p90_ms)}</td>
                        <td>{ms(r.mttr.mean_ms)}</td>
                        <td>{ms(r.mttr.p90_ms)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="metrics-trend-title" className="card">
            <h2 id="metrics-trend-title">{t('metrics.trend')}</h2>
            <Trend rows={d.by_month} />
          </section>
        </>
      )}
    </section>
  );
}
