import { resolve } from 'node:path';

export type Config = {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  bootstrapToken?: string;
  bootstrapEmail: string;
  logLevel: string;
};

export class ConfigError extends Error {}

/** Configuration comes from the environment only (twelve-factor); each bad value is named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number (0-65535), got "${env.PORT}"`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must be a postgres:// or postgresql:// URL; unset it to use the embedded database',
    );
  }
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.SIAGA_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(
      `SIAGA_PUBLIC_URL must be an absolute URL like https://siaga.example.com, got "${publicUrl}"`,
    );
  }
  const bootstrapToken = env.SIAGA_BOOTSTRAP_TOKEN || undefined;
  if (bootstrapToken !== undefined && bootstrapToken.length < 16) {
    throw new ConfigError('SIAGA_BOOTSTRAP_TOKEN must be at least 16 characters');
  }
  return {
    databaseUrl,
    dataDir: resolve(env.SIAGA_DATA_DIR || './.siaga'),
    port,
    host,
    publicUrl,
    bootstrapToken,
    bootstrapEmail: env.SIAGA_BOOTSTRAP_EMAIL || 'admin@siaga.local',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
