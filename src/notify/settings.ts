import { ConfigError } from '../server/config.ts';
import type { Clock } from '../shared/clock.ts';
import { parseDuration } from '../shared/duration.ts';
import type { ChannelSettings } from './channels/message.ts';

export type NotifySettings = {
  channels: Omit<ChannelSettings, 'clock'>;
  /** Above `limit` notices to one person within `windowMs`, the rest fold into one summary. */
  storm: { limit: number; windowMs: number };
  linkTtlMs: number;
  maxAttempts: number;
  /** First retry after this long, doubling each time. */
  retryBaseMs: number;
  /** How long a claimed delivery is held before another worker may take it over. */
  leaseMs: number;
};

function durationMs(env: NodeJS.ProcessEnv, name: string, fallback: string): number {
  const raw = env[name] || fallback;
  const d = parseDuration(raw);
  // Calendar units (months, business days) make no sense for these; fixed units only.
  const ms = d && d.months === 0 && d.businessDays === 0 ? d.ms : null;
  if (!ms || ms <= 0) throw new ConfigError(`${name} must be a duration like "10m" or "24h", got "${raw}"`);
  return ms;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

function httpUrl(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL (${schemes.join(', ')}), got "${raw}"`);
  }
  if (!schemes.includes(u.protocol.replace(':', '')))
    throw new ConfigError(`${name} must use ${schemes.join(' or ')}, got "${u.protocol}"`);
  return raw;
}

/** Notify's settings from the process environment; a bad value names its variable. */
export function loadNotifySettings(env: NodeJS.ProcessEnv): NotifySettings {
  const smtpUrl = httpUrl(env, 'SIAGA_SMTP_URL', ['smtp', 'smtps']);
  return {
    channels: {
      smtp: smtpUrl ? { url: smtpUrl, from: env.SIAGA_SMTP_FROM || 'Siaga <siaga@localhost>' } : null,
      telegram: {
        api: httpUrl(env, 'SIAGA_TELEGRAM_API', ['https', 'http']) ?? 'https://api.telegram.org',
        token: env.SIAGA_TELEGRAM_BOT_TOKEN || null,
      },
      timeoutMs: durationMs(env, 'SIAGA_NOTIFY_TIMEOUT', '10s'),
    },
    storm: {
      limit: positiveInt(env, 'SIAGA_NOTIFY_STORM_LIMIT', 10),
      windowMs: durationMs(env, 'SIAGA_NOTIFY_STORM_WINDOW', '10m'),
    },
    linkTtlMs: durationMs(env, 'SIAGA_NOTIFY_LINK_TTL', '24h'),
    maxAttempts: positiveInt(env, 'SIAGA_NOTIFY_MAX_ATTEMPTS', 6),
    retryBaseMs: durationMs(env, 'SIAGA_NOTIFY_RETRY_BASE', '10s'),
    leaseMs: durationMs(env, 'SIAGA_NOTIFY_LEASE', '60s'),
  };
}

export function channelSettings(s: NotifySettings, clock: Clock): ChannelSettings {
  return { ...s.channels, clock };
}
