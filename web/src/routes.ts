import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import type { Key } from './i18n.ts';

export type ScreenProps = { params: Record<string, string>; query: URLSearchParams };
export type RouteDef = {
  path: string;
  screen: LazyExoticComponent<ComponentType<ScreenProps>>;
  /** Shown in the main navigation under this label. */
  nav?: Key;
};

/**
 * Every screen: one file under screens/ and one line here. Screens load on first visit, so the
 * log-in screen ships only the shell.
 */
export const ROUTES: RouteDef[] = [
  { path: '/incidents', screen: lazy(() => import('./screens/incidents.tsx')), nav: 'nav.incidents' },
  { path: '/declare', screen: lazy(() => import('./screens/declare.tsx')), nav: 'nav.declare' },
  { path: '/incidents/:ref', screen: lazy(() => import('./screens/room.tsx')) },
  { path: '/alerts', screen: lazy(() => import('./screens/alerts.tsx')), nav: 'nav.alerts' },
  { path: '/plan', screen: lazy(() => import('./screens/plan.tsx')), nav: 'nav.plan' },
  {
    path: '/statuspage',
    screen: lazy(() => import('./screens/statuspage.tsx')),
    nav: 'nav.statuspage',
  },
  { path: '/oncall', screen: lazy(() => import('./screens/oncall.tsx')), nav: 'nav.oncall' },
  { path: '/metrics', screen: lazy(() => import('./screens/metrics.tsx')), nav: 'nav.metrics' },
  {
    path: '/me/notifications',
    screen: lazy(() => import('./screens/notifications.tsx')),
    nav: 'nav.notifications',
  },
];
