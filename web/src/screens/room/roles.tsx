import { useState } from 'react';
import { api } from '../../api.ts';
import { pick, useT } from '../../i18n.ts';
import { useAction } from '../../ui/action.ts';
import { Failure } from '../../ui/failure.tsx';
import type { RoomProps } from './types.ts';

function RoleRow(props: RoomProps & { role: RoomProps['plan']['roles'][number] }) {
  const { t, lang } = useT();
  const { incident: i, role } = props;
  const holder = i.roles.find((h) => h.role === role.key);
  const [user, setUser] = useState('');
  const act = useAction();
  const name = pick(role.label, lang);
  return (
    <li data-role={role.key}>
      <strong>{name}</strong>
      {role.commander && <span aria-hidden="true"> ★</span>}:{' '}
      <span className="holder">
        {holder ? `${holder.name} <${holder.email}>` : <em>{t('room.unassigned')}</em>}
      </span>
      <div className="row">
        <label className="sr-only" htmlFor={`holder-${role.key}`}>
          {t('room.holder', { role: name })}
        </label>
        <select id={`holder-${role.key}`} value={user} onChange={(e) => setUser(e.target.value)}>
          <option value="">—</option>
          {props.members.map((m) => (
            <option key={m.id} value={m.email}>
              {m.name} ({m.email})
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!user || act.busy}
          onClick={() => act.run(() => api.assignRole(i.ref, role.key, user)).then(props.apply)}
        >
          {t('room.assign')} <span className="sr-only">{name}</span>
        </button>
        {holder && (
          <button
            type="button"
            disabled={act.busy}
            onClick={() => act.run(() => api.unassignRole(i.ref, role.key)).then(props.apply)}
          >
            {t('room.unassign')} <span className="sr-only">{name}</span>
          </button>
        )}
      </div>
      {act.error && <Failure error={act.error} />}
    </li>
  );
}

export function Roles(props: RoomProps) {
  const { t } = useT();
  return (
    <section aria-labelledby="roles-title" className="card">
      <h2 id="roles-title">{t('room.roles')}</h2>
      <ul className="plain">
        {props.plan.roles.map((r) => (
          <RoleRow key={r.key} {...props} role={r} />
        ))}
      </ul>
    </section>
  );
}
