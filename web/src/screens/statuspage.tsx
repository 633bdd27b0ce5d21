import { type FormEvent, useState } from 'react';
import { api, type Component, type PageDetail, planVersion } from '../api.ts';
import { type Key, pick, useT } from '../i18n.ts';
import { useLive } from '../live.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { useAction } from '../ui/action.ts';
import { Failure, FieldMessage, Submit } from '../ui/failure.tsx';
import { Monitors } from './statuspage/monitors.tsx';

// The server's COMPONENT_STATUSES and INCIDENT_STATUSES (src/statuspage/tables.ts).
const STATUSES = [
  'operational',
  'degraded_performance',
  'partial_outage',
  'major_outage',
  'under_maintenance',
] as const;
const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'];
const IMPACTS = ['none', 'minor', 'major', 'critical'];
// Each status has a shape as well as a colour, so it reads in grey and to a screen reader as text.
const MARK: Record<string, string> = {
  operational: '✓',
  degraded_performance: '▽',
  partial_outage: '▲',
  major_outage: '✕',
  under_maintenance: '⚙',
};
const isStatus = (e: { type: string }) => e.type.startsWith('statuspage.');

function ComponentStatus(props: { status: string }) {
  const { t } = useT();
  return (
    <span className={`cstatus cstatus-${props.status}`} data-status={props.status}>
      <span aria-hidden="true">{MARK[props.status] ?? '?'}</span> {t(`cs.${props.status}` as Key)}
    </span>
  );
}

/** ISO instant from a datetime-local value, read in the browser's zone; '' when empty. */
const instant = (local: string) => (local ? new Date(local).toISOString() : '');

function ComponentRow(props: { slug: string; c: Component; reload: () => void }) {
  const { t } = useT();
  const { c } = props;
  const [value, setValue] = useState<string>(c.status);
  const act = useAction();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    await act.run(() => api.componentStatus(props.slug, c.id, value));
    props.reload();
  };
  return (
    <tr data-component={c.name}>
      <th scope="row">
        {c.group_id ? '↳ ' : ''}
        {c.name}
      </th>
      <td>
        <ComponentStatus status={c.status} />
      </td>
      <td>{c.service ?? '—'}</td>
      <td>
        {c.group ? (
          '—'
        ) : (
          <form onSubmit={onSubmit} className="row">
            <label>
              <span className="sr-only">{t('sp.newStatus', { name: c.name })}</span>
              <select value={value} onChange={(e) => setValue(e.target.value)}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {MARK[s]} {t(`cs.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={act.busy || value === c.status}>
              {t('sp.set')} <span className="sr-only">{t('sp.setStatus', { name: c.name })}</span>
            </button>
            {act.error && <Failure error={act.error} />}
          </form>
        )}
      </td>
    </tr>
  );
}

function AddComponent(props: { slug: string; reload: () => void }) {
  const { t, lang } = useT();
  const plan = useResource(() => planVersion('active'), 'active');
  const act = useAction();
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const service = String(f.get('service') ?? '');
    const r = await act.run(() =>
      api.addComponent(props.slug, { name: String(f.get('name') ?? ''), service: service || null }),
    );
    if (r) {
      form.reset();
      props.reload();
    }
  };
  return (
    <form onSubmit={onSubmit} className="row" aria-labelledby="sp-add-title">
      <h3 id="sp-add-title">{t('sp.addComponent')}</h3>
      <label>
        {t('sp.name')}
        <input name="name" required maxLength={200} aria-describedby="sp-add-name-err" />
      </label>
      <label>
        {t('sp.service')}
        <select name="service" defaultValue="">
          <option value="">{t('sp.noService')}</option>
          {(plan.data?.services ?? []).map((s) => (
            <option key={s.key} value={s.key}>
              {pick(s.label, lang)}
            </option>
          ))}
        </select>
      </label>
      <FieldMessage id="sp-add-name-err" message={act.error?.field('name')} />
      <Submit error={act.error?.errors.length ? null : act.error} busy={act.busy} label={t('sp.add')} />
    </form>
  );
}

/** Components chosen for an incident or a maintenance: a status each, or just ticked. */
function PublicIncident(props: { page: PageDetail; reload: () => void }) {
  const { t } = useT();
  const act = useAction();
  const [done, setDone] = useState(false);
  const parts = props.page.components.filter((c) => !c.group);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const components: Record<string, string> = {};
    for (const c of parts) {
      const v = String(f.get(`c-${c.id}`) ?? '');
      if (v) components[c.id] = v;
    }
    setDone(false);
    const r = await act.run(() =>
      api.publicIncident(props.page.slug, {
        name: String(f.get('name') ?? ''),
        status: String(f.get('status')),
        impact: String(f.get('impact')),
        body: String(f.get('body') ?? ''),
        components,
      }),
    );
    if (r) {
      form.reset();
      setDone(true);
      props.reload();
    }
  };
  return (
    <form onSubmit={onSubmit} className="card" aria-labelledby="sp-inc-title">
      <h2 id="sp-inc-title">{t('sp.incident')}</h2>
      <label>
        {t('sp.incidentName')}
        <input name="name" required maxLength={200} aria-describedby="sp-inc-name-err" />
      </label>
      <FieldMessage id="sp-inc-name-err" message={act.error?.field('name')} />
      <div className="row">
        <label>
          {t('sp.status')}
          <select name="status" defaultValue="investigating">
            {INCIDENT_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          {t('sp.impact')}
          <select name="impact" defaultValue="minor">
            {IMPACTS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        {t('sp.body')}
        <textarea name="body" required rows={3} maxLength={20_000} aria-describedby="sp-inc-body-err" />
      </label>
      <FieldMessage id="sp-inc-body-err" message={act.error?.field('body')} />
      {parts.length > 0 && (
        <fieldset>
          <legend>{t('sp.affected')}</legend>
          {parts.map((c) => (
            <label key={c.id}>
              {c.name}{' '}
              <select name={`c-${c.id}`} defaultValue="">
                <option value="">{t('sp.unchanged')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {MARK[s]} {t(`cs.${s}`)}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      <Submit error={act.error?.errors.length ? null : act.error} busy={act.busy} label={t('sp.publish')} />
      {done && <p role="status">{t('sp.published')}</p>}
    </form>
  );
}

function Maintenance(props: { page: PageDetail; reload: () => void }) {
  const { t } = useT();
  const act = useAction();
  const [done, setDone] = useState(false);
  const parts = props.page.components.filter((c) => !c.group);
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setDone(false);
    const r = await act.run(() =>
      api.maintenance(props.page.slug, {
        name: String(f.get('name') ?? ''),
        body: String(f.get('body') ?? ''),
        scheduled_for: instant(String(f.get('from') ?? '')),
        scheduled_until: instant(String(f.get('until') ?? '')),
        components: f.getAll('components').map(String),
      }),
    );
    if (r) {
      form.reset();
      setDone(true);
      props.reload();
    }
  };
  const err = (name: string) => act.error?.field(name);
  return (
    <form onSubmit={onSubmit} className="card" aria-labelledby="sp-mnt-title">
      <h2 id="sp-mnt-title">{t('sp.maintenance')}</h2>
      <label>
        {t('sp.name')}
        <input name="name" required maxLength={200} />
      </label>
      <label>
        {t('sp.body')}
        <textarea name="body" required rows={2} maxLength={20_000} />
      </label>
      <p>
        <small>{t('sp.times', { tz: Intl.DateTimeFormat().resolvedOptions().timeZone })}</small>
      </p>
      <div className="row">
        <label>
          {t('sp.from')}
          <input name="from" type="datetime-local" required aria-describedby="sp-mnt-from-err" />
        </label>
        <label>
          {t('sp.until')}
          <input name="until" type="datetime-local" required aria-describedby="sp-mnt-until-err" />
        </label>
      </div>
      <FieldMessage id="sp-mnt-from-err" message={err('scheduled_for')} />
      <FieldMessage id="sp-mnt-until-err" message={err('scheduled_until')} />
      {parts.length > 0 && (
        <fieldset>
          <legend>{t('sp.affected')}</legend>
          {parts.map((c) => (
            <label key={c.id} className="inline">
              <input type="checkbox" name="components" value={c.id} /> {c.name}
            </label>
          ))}
        </fieldset>
      )}
      <Submit error={act.error} busy={act.busy} label={t('sp.schedule')} />
      {done && <p role="status">{t('sp.scheduled')}</p>}
    </form>
  );
}

function PageAdmin(props: { slug: string }) {
  const { t } = useT();
  const page = useResource(() => api.statusPage(props.slug), props.slug);
  useLive(isStatus, page.reload);
  if (page.error) return <Failure error={page.error} retry={page.reload} />;
  const p = page.data;
  if (!p) return <p>{t('loading')}</p>;
  return (
    <div className="sp-page">
      <h2>
        {p.name} <code>{p.slug}</code> {p.private && <span className="tag">{t('sp.private')}</span>}
      </h2>
      <p>
        <a href={`/status/${encodeURIComponent(p.slug)}/`} target="_blank" rel="noopener">
          {t('sp.public')}: /status/{p.slug}/
        </a>
      </p>
      <section aria-labelledby="sp-components-title" className="card">
        <h2 id="sp-components-title">{t('sp.components')}</h2>
        {p.components.length === 0 ? (
          <p>{t('sp.noComponents')}</p>
        ) : (
          <table className="components">
            <thead>
              <tr>
                <th scope="col">{t('sp.component')}</th>
                <th scope="col">{t('sp.status')}</th>
                <th scope="col">{t('sp.service')}</th>
                <th scope="col">{t('sp.set')}</th>
              </tr>
            </thead>
            <tbody>
              {p.components.map((c) => (
                <ComponentRow key={`${c.id}-${c.status}`} slug={p.slug} c={c} reload={page.reload} />
              ))}
            </tbody>
          </table>
        )}
        <AddComponent slug={p.slug} reload={page.reload} />
      </section>
      <div className="room-grid">
        <PublicIncident page={p} reload={page.reload} />
        <Maintenance page={p} reload={page.reload} />
      </div>
    </div>
  );
}

function CreatePage(props: { created: (slug: string) => void }) {
  const { t } = useT();
  const act = useAction();
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const r = await act.run(() =>
      api.createStatusPage({ slug: String(f.get('slug') ?? ''), name: String(f.get('name') ?? '') }),
    );
    if (r) props.created(r.slug);
  };
  return (
    <form onSubmit={onSubmit} aria-labelledby="sp-create-title">
      <h3 id="sp-create-title">{t('sp.create')}</h3>
      <label>
        {t('sp.slug')}
        <input name="slug" required pattern="[a-z0-9][a-z0-9\-]{0,62}" aria-describedby="sp-slug-err" />
      </label>
      <FieldMessage id="sp-slug-err" message={act.error?.field('slug')} />
      <label>
        {t('sp.name')}
        <input name="name" required maxLength={200} />
      </label>
      <Submit
        error={act.error?.errors.length ? null : act.error}
        busy={act.busy}
        label={t('sp.createSubmit')}
      />
    </form>
  );
}

export default function StatusPageAdmin(_props: ScreenProps) {
  const { t } = useT();
  const pages = useResource(() => api.statusPages().then((r) => r.pages), 'pages');
  useLive((e) => e.type === 'statuspage.pages', pages.reload);
  const [chosen, setChosen] = useState<string | null>(null);
  const slug = chosen ?? pages.data?.[0]?.slug;
  return (
    <section aria-labelledby="sp-title" className="statuspage">
      <h1 id="sp-title">{t('sp.title')}</h1>
      {pages.error && <Failure error={pages.error} retry={pages.reload} />}
      <div className="plan-grid">
        <nav aria-label={t('sp.pages')} className="card">
          <h2>{t('sp.pages')}</h2>
          {pages.data?.length === 0 && <p>{t('sp.none')}</p>}
          <ul className="plain">
            {(pages.data ?? []).map((p) => (
              <li key={p.slug}>
                <button type="button" aria-pressed={p.slug === slug} onClick={() => setChosen(p.slug)}>
                  {p.name} ({p.slug})
                </button>
              </li>
            ))}
          </ul>
          <CreatePage
            created={(s) => {
              setChosen(s);
              pages.reload();
            }}
          />
        </nav>
        <div>{slug ? <PageAdmin slug={slug} /> : null}</div>
      </div>
      <Monitors />
    </section>
  );
}
