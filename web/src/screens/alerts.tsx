import { type FormEvent, useState } from 'react';
import { type Alert, api, type Silence } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import { href } from '../router.ts';
import type { ScreenProps } from '../routes.ts';
import { useAction } from '../ui/action.ts';
import { Failure, FieldMessage, Submit } from '../ui/failure.tsx';
import { time } from '../ui/format.ts';

type Matcher = string | { regex: string } | { not_regex: string } | { not_equals: string };

/**
 * One matcher per line, in Alertmanager's notation people already type: `a=b`, `a!=b`, `a=~re`,
 * `a!~re`. Returns the line that does not parse, so the form can say which.
 */
export function parseMatchers(text: string): { matchers: Record<string, Matcher> } | { bad: string } {
  const matchers: Record<string, Matcher> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(.*)$/.exec(line);
    if (!m) return { bad: line };
    const [, name, op, value] = m as unknown as [string, string, string, string];
    matchers[name] =
      op === '=~'
        ? { regex: value }
        : op === '!~'
          ? { not_regex: value }
          : op === '!='
            ? { not_equals: value }
            : value;
  }
  return { matchers };
}

function matcherText(matchers: Record<string, unknown>): string {
  return Object.entries(matchers)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(([k, v]) => {
      if (typeof v === 'string') return `${k}=${v}`;
      const o = v as Record<string, string>;
      if ('regex' in o) return `${k}=~${o.regex}`;
      if ('not_regex' in o) return `${k}!~${o.not_regex}`;
      if ('not_equals' in o) return `${k}!=${o.not_equals}`;
      return `${k}=${JSON.stringify(v)}`;
    })
    .join(', ');
}

const DURATIONS = [
  ['1h', 3_600_000],
  ['2h', 7_200_000],
  ['4h', 14_400_000],
  ['1d', 86_400_000],
] as const;

function SilenceForm(props: { prefill: string; created: () => void }) {
  const { t } = useT();
  const act = useAction();
  const [bad, setBad] = useState<string | null>(null);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const parsed = parseMatchers(String(f.get('matchers') ?? ''));
    if ('bad' in parsed) return setBad(t('alerts.badMatcher', { line: parsed.bad }));
    setBad(null);
    const ms = DURATIONS.find(([d]) => d === f.get('for'))?.[1] ?? 3_600_000;
    const r = await act.run(() =>
      api.createSilence({
        matchers: parsed.matchers,
        ends_at: new Date(Date.now() + ms).toISOString(),
        reason: String(f.get('reason') ?? ''),
        kind: f.get('maintenance') ? 'maintenance' : 'silence',
      }),
    );
    if (r) {
      form.reset();
      props.created();
    }
  };
  const matchersError = bad ?? act.error?.field('matchers');
  return (
    <form onSubmit={onSubmit} aria-labelledby="silence-new-title" className="card">
      <h2 id="silence-new-title">{t('alerts.newSilence')}</h2>
      <label>
        {t('alerts.matchers')}
        <textarea
          name="matchers"
          key={props.prefill}
          defaultValue={props.prefill}
          required
          rows={3}
          placeholder={'alertname=DiskFull\ninstance=~db-.*'}
          aria-invalid={!!matchersError}
          aria-describedby="silence-matchers-err"
        />
      </label>
      <FieldMessage id="silence-matchers-err" message={matchersError} />
      <div className="row">
        <label>
          {t('alerts.for')}
          <select name="for" defaultValue="2h">
            {DURATIONS.map(([d]) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
        <label>
          {t('alerts.reason')}
          <input
            name="reason"
            required
            maxLength={2000}
            aria-invalid={!!act.error?.field('reason')}
            aria-describedby="silence-reason-err"
          />
        </label>
        <label>
          <input type="checkbox" name="maintenance" /> {t('alerts.maintenance')}
        </label>
      </div>
      <FieldMessage id="silence-reason-err" message={act.error?.field('reason')} />
      <Submit
        error={act.error?.errors.length ? null : act.error}
        busy={act.busy}
        label={t('alerts.silence')}
      />
    </form>
  );
}

function AlertRow(props: { a: Alert; silenceLike: (text: string) => void }) {
  const { t, lang } = useT();
  const { a } = props;
  const labels = Object.entries(a.labels).sort(([x], [y]) => x.localeCompare(y));
  return (
    <tr data-alert={a.fingerprint} data-status={a.status}>
      <td>
        <span className={a.status === 'firing' ? 'tag critical' : 'tag'}>
          {a.status === 'firing' ? '● ' : '✓ '}
          {t(a.status === 'firing' ? 'alerts.firing' : 'alerts.resolved')}
        </span>
        {a.suppressed && <span className="tag"> {t('alerts.suppressed')}</span>}
        {a.flapping && <span className="tag"> {t('alerts.flapping')}</span>}
      </td>
      <th scope="row">{a.title}</th>
      <td>
        {labels.map(([k, v]) => (
          <code key={k} className="label">
            {k}={v}
          </code>
        ))}
      </td>
      <td>{a.count}</td>
      <td>{time(a.first_seen_at, lang)}</td>
      <td>{time(a.last_seen_at, lang)}</td>
      <td>
        {a.incident_id ? <a href={href(`/incidents/${a.incident_id}`)}>{t('alerts.incident')}</a> : a.action}
      </td>
      <td>
        <button
          type="button"
          onClick={() => props.silenceLike(labels.map(([k, v]) => `${k}=${v}`).join('\n'))}
        >
          {t('alerts.silenceLike')} <span className="sr-only">{a.title}</span>
        </button>
      </td>
    </tr>
  );
}

function SilenceItem(props: { s: Silence; expired: () => void }) {
  const { t, lang } = useT();
  const act = useAction();
  const { s } = props;
  return (
    <li data-silence={s.id} data-state={s.state}>
      <span className="tag">
        {s.kind === 'maintenance' ? t('alerts.maintenance') : t('alerts.silenceKind')}
      </span>{' '}
      <code>{matcherText(s.matchers)}</code> · {s.reason} · {t('alerts.until', { t: time(s.ends_at, lang) })}{' '}
      · {s.author} · <strong>{s.state}</strong>{' '}
      {s.state !== 'expired' && (
        <button
          type="button"
          disabled={act.busy}
          onClick={async () => {
            if (await act.run(() => api.expireSilence(s.id))) props.expired();
          }}
        >
          {t('alerts.expire')} <span className="sr-only">{matcherText(s.matchers)}</span>
        </button>
      )}
      {act.error && <Failure error={act.error} />}
    </li>
  );
}

export default function Alerts(props: ScreenProps) {
  const { t } = useT();
  const status = props.query.get('status') === 'resolved' ? 'resolved' : 'firing';
  const alerts = useResource(() => api.alerts(status).then((r) => r.alerts), `alerts-${status}`);
  const silences = useResource(() => api.silences().then((r) => r.silences), 'silences');
  const [prefill, setPrefill] = useState('');
  const refresh = () => {
    alerts.reload();
    silences.reload();
  };
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">{t('alerts.title')}</h1>
      <nav aria-label={t('alerts.filter')} className="row">
        <a href={href('/alerts')} aria-current={status === 'firing' ? 'page' : undefined}>
          {t('alerts.firing')}
        </a>
        <a href={href('/alerts?status=resolved')} aria-current={status === 'resolved' ? 'page' : undefined}>
          {t('alerts.resolved')}
        </a>
      </nav>
      {alerts.error && <Failure error={alerts.error} retry={alerts.reload} />}
      {alerts.data?.length === 0 && <p>{t(status === 'firing' ? 'alerts.noneFiring' : 'alerts.none')}</p>}
      {!!alerts.data?.length && (
        <table className="alerts">
          <thead>
            <tr>
              <th scope="col">{t('alerts.status')}</th>
              <th scope="col">{t('alerts.alert')}</th>
              <th scope="col">{t('alerts.labels')}</th>
              <th scope="col">{t('alerts.count')}</th>
              {/* Newest first: the order the API lists them in. */}
              <th scope="col" aria-sort="descending">
                {t('alerts.firstSeen')}
              </th>
              <th scope="col">{t('alerts.lastSeen')}</th>
              <th scope="col">{t('alerts.became')}</th>
              <th scope="col">
                <span className="sr-only">{t('alerts.silence')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {alerts.data.map((a) => (
              <AlertRow key={a.id} a={a} silenceLike={setPrefill} />
            ))}
          </tbody>
        </table>
      )}
      <SilenceForm
        prefill={prefill}
        created={() => {
          setPrefill('');
          refresh();
        }}
      />
      <section aria-labelledby="silences-title" className="card">
        <h2 id="silences-title">{t('alerts.silences')}</h2>
        {silences.error && <Failure error={silences.error} retry={silences.reload} />}
        {silences.data?.length === 0 && <p>{t('alerts.noSilences')}</p>}
        <ul className="silences">
          {(silences.data ?? []).map((s) => (
            <SilenceItem key={s.id} s={s} expired={refresh} />
          ))}
        </ul>
      </section>
    </section>
  );
}
