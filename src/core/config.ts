import path from 'node:path';
import { z } from 'zod';

/** Everything the process reads from its environment, parsed once and validated. */
export interface AppConfig {
  port: number;
  host: string;
  /** Public base URL printed at start and used in emails/links. */
  publicUrl: string;
  /** PostgreSQL connection string; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  dataDir: string;
  /** 32-byte key (hex or base64) for encrypting integration credentials; generated into dataDir when absent. */
  secretKey: string | null;
  logLevel: string;
  cookieSecure: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  /** What a first start on an empty database loads: everything, only the core organizations and users, or nothing. */
  demoOnFirstStart: 'all' | 'core' | 'none';
  /** Sign-in attempts per minute and client address (on top of per-account throttling). */
  loginRateLimitPerMinute: number;
  env: NodeJS.ProcessEnv;
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  RETAILOPS_DATA_DIR: z.string().min(1).optional(),
  RETAILOPS_SECRET_KEY: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COOKIE_SECURE: z.enum(['true', 'false', 'auto']).default('auto'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  RETAILOPS_DEMO: z.enum(['true', 'false', 'core']).default('true'),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
});

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): AppConfig {
  // An empty variable means unset, as in most shells' `VAR= command` idiom.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment configuration — ${problems}`);
  }
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(cwd, e.RETAILOPS_DATA_DIR ?? 'data'),
    secretKey: e.RETAILOPS_SECRET_KEY ?? null,
    logLevel: e.LOG_LEVEL,
    cookieSecure: e.COOKIE_SECURE === 'auto' ? publicUrl.startsWith('https://') : e.COOKIE_SECURE === 'true',
    sessionTtlHours: e.SESSION_TTL_HOURS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    demoOnFirstStart: e.RETAILOPS_DEMO === 'true' ? 'all' : e.RETAILOPS_DEMO === 'core' ? 'core' : 'none',
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    env,
  };
}
