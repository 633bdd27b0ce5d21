import { type FormEvent, useState } from 'react';
import { ApiError, api, session } from '../api.ts';
import { useT } from '../i18n.ts';
import { Submit } from '../ui/failure.tsx';

export function Login() {
  const { t } = useT();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    try {
      session.set(
        await api.login(String(f.get('email')), String(f.get('password')), String(f.get('workspace') || '')),
      );
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      <label>
        {t('login.email')}
        <input name="email" type="email" autoComplete="username" required />
      </label>
      <label>
        {t('login.password')}
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <label>
        {t('login.workspace')}
        <input name="workspace" autoComplete="organization" />
      </label>
      <Submit error={error} busy={busy} label={t('login.submit')} />
    </form>
  );
}
