import { type FormEvent, useState } from 'react';
import { api, type Contact, type Rule } from '../api.ts';
import { useT } from '../i18n.ts';
import { useResource } from '../resource.ts';
import type { ScreenProps } from '../routes.ts';
import { useAction } from '../ui/action.ts';
import { Failure, FieldMessage, Submit } from '../ui/failure.tsx';

// The server's CONTACT_KINDS (src/notify/tables.ts) and what each address looks like.
const KINDS: [string, string][] = [
  ['email', 'alice@example.com'],
  ['telegram', '123456789'],
  ['slack', 'https://hooks.slack.com/services/…'],
  ['teams', 'https://….webhook.office.com/…'],
  ['ntfy', 'https://ntfy.sh/my-topic'],
  ['webhook', 'https://hooks.example.com/siaga'],
];

/** A rule's delay as the API takes it back: "immediate", "2m", "1h", "45s". */
function after(seconds: number): string {
  if (seconds === 0) return 'immediate';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

function AddContact(props: { added: () => void }) {
  const { t } = useT();
  const act = useAction();
  const [kind, setKind] = useState('email');
  const onSubmit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const label = String(f.get('label') ?? '').trim();
    const secret = String(f.get('secret') ?? '');
    const r = await act.run(() =>
      api.addContact({
        kind,
        address: String(f.get('address') ?? '').trim(),
        ...(label ? { label } : {}),
        ...(secret ? { secret } : {}),
      }),
    );
    if (r) {
      form.reset();
      props.added();
    }
  };
  const err = (name: string) => act.error?.field(name);
  const needsSecret = kind === 'webhook' || kind === 'ntfy';
  return (
    <form onSubmit={onSubmit} aria-labelledby="me-add-title">
      <h3 id="me-add-title">{t('me.addContact')}</h3>
      <div className="row">
        <label>
          {t('me.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map(([k]) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          {t('me.address')}
          <input
            name="address"
            required
            maxLength={2000}
            placeholder={KINDS.find(([k]) => k === kind)?.[1]}
            aria-invalid={!!err('address')}
            aria-describedby="me-address-err"
          />
        </label>
        <label>
          {t('me.label')}
          <input name="label" maxLength={100} />
        </label>
        {needsSecret && (
          <label>
            {t('me.secret')}
            <input
              name="secret"
              type="password"
              autoComplete="off"
              required={kind === 'webhook'}
              aria-invalid={!!err('secret')}
              aria-describedby="me-secret-err"
            />
          </label>
        )}
      </div>
      <FieldMessage id="me-address-err" message={err('address')} />
      <FieldMessage id="me-secret-err" message={err('secret')} />
      <Submit
        error={act.error?.errors.length ? null : act.error}
        busy={act.busy}
        label={t('me.addContact')}
      />
    </form>
  );
}

function ContactItem(props: { c: Contact; removed: () => void }) {
  const { t } = useT();
  const act = useAction();
  const { c } = props;
  return (
    <li data-contact={c.kind}>
      <span className="tag">{c.kind}</span> <strong>{c.label}</strong> <code>{c.address}</code>
      {c.has_secret && <small> · {t('me.secretSet')}</small>}{' '}
      <button
        type="button"
        disabled={act.busy}
        onClick={async () => {
          await act.run(() => api.removeContact(c.id));
          props.removed();
        }}
      >
        {t('me.remove')} <span className="sr-only">{t('me.removeContact', { label: c.label })}</span>
      </button>
      {act.error && <Failure error={act.error} />}
    </li>
  );
}

type Draft = { key: number; contact_id: string; after: string };

/** The rules as one list edited in place and saved whole, as PUT /me/rules replaces them. */
function Rules(props: { contacts: Contact[]; rules: Rule[]; saved: (r: Rule[]) => void }) {
  const { t } = useT();
  const act = useAction();
  const [ok, setOk] = useState(false);
  const [next, setNext] = useState(props.rules.length);
  const [draft, setDraft] = useState<Draft[]>(() =>
    props.rules.map((r, i) => ({ key: i, contact_id: r.contact_id, after: after(r.after_seconds) })),
  );
  const edit = (key: number, patch: Partial<Draft>) => {
    setOk(false);
    setDraft(draft.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  };
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setOk(false);
    const r = await act.run(() =>
      api.setRules(draft.map((d) => ({ contact_id: d.contact_id, after: d.after.trim() || 'immediate' }))),
    );
    if (r) {
      setOk(true);
      props.saved(r.rules);
    }
  };
  const name = (id: string) => {
    const c = props.contacts.find((x) => x.id === id);
    return c ? `${c.kind} · ${c.label}` : id;
  };
  return (
    <section aria-labelledby="me-rules-title" className="card">
      <h2 id="me-rules-title">{t('me.rules')}</h2>
      <p>{t('me.rulesHelp')}</p>
      {props.rules.length === 0 ? (
        <p data-testid="rules-summary">{t('me.noRules')}</p>
      ) : (
        <ol data-testid="rules-summary">
          {props.rules.map((r) => (
            <li key={r.id}>
              {name(r.contact_id)}:{' '}
              {r.after_seconds === 0 ? t('me.immediate') : t('me.afterN', { t: after(r.after_seconds) })}
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={onSubmit}>
        <ol className="plain">
          {draft.map((d, i) => (
            <li key={d.key}>
              <fieldset className="row">
                <legend>{t('me.rule', { n: i + 1 })}</legend>
                <label>
                  {t('me.contact')}
                  <select value={d.contact_id} onChange={(e) => edit(d.key, { contact_id: e.target.value })}>
                    {props.contacts.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.kind} · {c.label}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('me.after')}
                  <input
                    value={d.after}
                    onChange={(e) => edit(d.key, { after: e.target.value })}
                    pattern="0|immediate|\d+[smh]"
                    aria-describedby={`me-rule-${i}-err`}
                  />
                </label>
                <button type="button" onClick={() => setDraft(draft.filter((x) => x.key !== d.key))}>
                  {t('me.remove')} <span className="sr-only">{t('me.removeRule', { n: i + 1 })}</span>
                </button>
              </fieldset>
              <FieldMessage
                id={`me-rule-${i}-err`}
                message={act.error?.errors.find((x) => x.field.includes(`.${i}.`))?.message}
              />
            </li>
          ))}
        </ol>
        <div className="row">
          <button
            type="button"
            disabled={props.contacts.length === 0 || draft.length >= 20}
            onClick={() => {
              setOk(false);
              setDraft([
                ...draft,
                { key: next, contact_id: props.contacts[0]!.id, after: draft.length ? '2m' : 'immediate' },
              ]);
              setNext(next + 1);
            }}
          >
            {t('me.addRule')}
          </button>
          <Submit
            error={act.error?.errors.length ? null : act.error}
            busy={act.busy}
            label={t('me.saveRules')}
          />
        </div>
        {ok && <p role="status">{t('me.saved')}</p>}
      </form>
    </section>
  );
}

export default function Notifications(_props: ScreenProps) {
  const { t } = useT();
  const data = useResource(async () => {
    const [c, r] = await Promise.all([api.contacts(), api.rules()]);
    return { contacts: c.contacts, rules: r.rules };
  }, 'me');
  if (data.error) return <Failure error={data.error} retry={data.reload} />;
  const d = data.data;
  return (
    <section aria-labelledby="me-title">
      <h1 id="me-title">{t('me.title')}</h1>
      {!d ? (
        <p>{t('loading')}</p>
      ) : (
        <>
          <section aria-labelledby="me-contacts-title" className="card">
            <h2 id="me-contacts-title">{t('me.contacts')}</h2>
            {d.contacts.length === 0 ? (
              <p>{t('me.noContacts')}</p>
            ) : (
              <ul className="plain" data-testid="contacts">
                {d.contacts.map((c) => (
                  <ContactItem key={c.id} c={c} removed={data.reload} />
                ))}
              </ul>
            )}
            <AddContact added={data.reload} />
          </section>
          <Rules
            // A contact added or removed starts the editor afresh from the saved rules.
            key={d.contacts.map((c) => c.id).join()}
            contacts={d.contacts}
            rules={d.rules}
            saved={(rules) => data.set({ ...d, rules })}
          />
        </>
      )}
    </section>
  );
}
