import { Suspense, useEffect } from 'react';
import { api, session } from './api.ts';
import { LANGS, type Lang, language, useT } from './i18n.ts';
import { connectLive, disconnectLive, liveStatus } from './live.ts';
import { href, match, useLocation } from './router.ts';
import { ROUTES } from './routes.ts';
import { Login } from './screens/login.tsx';
import { persisted, useStore } from './store.ts';

const THEMES = ['light', 'dark'] as const;
const theme = persisted<(typeof THEMES)[number]>(
  'siaga.theme',
  THEMES,
  matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
);

function Settings() {
  const { t, lang } = useT();
  const th = useStore(theme);
  return (
    <div className="settings">
      <label>
        {t('settings.language')}{' '}
        <select value={lang} onChange={(e) => language.set(e.target.value as Lang)}>
          {LANGS.map((l) => (
            <option key={l} value={l}>
              {l === 'en' ? 'English' : 'Bahasa Indonesia'}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        aria-pressed={th === 'dark'}
        onClick={() => theme.set(th === 'dark' ? 'light' : 'dark')}
      >
        {t('settings.theme')}: {th === 'dark' ? t('theme.dark') : t('theme.light')}
      </button>
    </div>
  );
}

function LiveBadge() {
  const { t } = useT();
  const s = useStore(liveStatus);
  const mark = s === 'live' ? '●' : s === 'connecting' ? '◌' : '✕';
  return (
    <span className={`live live-${s}`} role="status" data-testid="live-status">
      <span aria-hidden="true">{mark}</span> {t(`live.${s}`)}
    </span>
  );
}

export function App() {
  const { t, lang } = useT();
  const me = useStore(session);
  const th = useStore(theme);
  const loc = useLocation();
  useEffect(() => {
    document.documentElement.dataset.theme = th;
    document.documentElement.lang = lang;
  }, [th, lang]);
  useEffect(() => {
    api.me().then(
      (m) => session.set(m),
      () => session.set(null),
    );
  }, []);
  useEffect(() => {
    if (me) connectLive();
    else disconnectLive();
  }, [me]);

  const found = ROUTES.map((r) => ({ r, params: match(r.path, loc.path) })).find((x) => x.params);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <strong className="brand">{t('app.name')}</strong>
        {me && (
          <nav aria-label={t('nav.main')}>
            {ROUTES.filter((r) => r.nav).map((r) => (
              <a key={r.path} href={href(r.path)} aria-current={loc.path === r.path ? 'page' : undefined}>
                {t(r.nav!)}
              </a>
            ))}
          </nav>
        )}
        <span className="spacer" />
        {me && <LiveBadge />}
        <Settings />
        {me && (
          <button type="button" onClick={() => api.logout().finally(() => session.set(null))}>
            {t('logout')} ({me.email})
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {me === undefined ? (
          <p>{t('loading')}</p>
        ) : me === null ? (
          <Login />
        ) : found ? (
          <Suspense fallback={<p>{t('loading')}</p>}>
            <found.r.screen params={found.params!} query={loc.query} />
          </Suspense>
        ) : (
          <p>{t('notFound')}</p>
        )}
      </main>
    </>
  );
}
