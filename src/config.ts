/**
 * The only reader of process.env. `loadConfig` is a pure function of an env record: it validates every key
 * with zod, lists every bad key at once, and returns a frozen, nested config.
 */
import { z } from 'zod';

const boolFromEnv = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL (leave unset for the embedded SQLite database)')
    .optional(),
  TPP_DB_PATH: z.string().min(1).default('./data/tpp.db'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TPP_BOOTSTRAP_API_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. tpp_ + 32 random characters)')
    .max(512)
    .regex(/^\S+$/, 'must not contain spaces')
    .optional(),
  TPP_BOOTSTRAP_KEY_FILE: z.string().min(1).default('./data/bootstrap-api-key.txt'),
  TPP_SEED: boolFromEnv.optional(),
  TPP_SEED_FILE: z.string().min(1).default('examples/jinshan-ev-plant.json'),
  TPP_SEED_LIVE: boolFromEnv.default(true),
  TPP_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50_000_000).default(2_000_000),
  TPP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  TPP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  TPP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(500).optional(),
  TPP_TIMEOUT_CHECK_INTERVAL_MS: z.coerce.number().int().min(50).max(30_000).default(1000),
  TPP_SOLVER_TIME_LIMIT_S: z.coerce.number().min(0.1).max(600).default(10),
  TPP_DEADLINE_SWEEP_INTERVAL_S: z.coerce.number().int().min(0).default(300),
  TPP_METRICS_TOKEN: z.string().min(16).optional(),
  TPP_MAX_HORIZON_YEARS: z.coerce.number().int().min(1).max(50).default(10),
  TPP_CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^https?:\/\/[^/\s*]+$/,
            'must be origins like https://tools.example.com or http://localhost:5173 (no path, no *), comma-separated',
          ),
      ),
    )
    .optional(),
});

export type DatabaseConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config {
  server: {
    port: number;
    host: string;
    bodyLimitBytes: number;
    /** Whole request (headers and body) must arrive within this; Node's `requestTimeout`. */
    requestTimeoutMs: number;
    /** The request line and headers must arrive within this (≤ requestTimeoutMs); Node's `headersTimeout`. */
    headersTimeoutMs: number;
    /** How often the two timeouts above are checked; Node's `connectionsCheckingInterval`. */
    timeoutCheckIntervalMs: number;
    rateLimitPerMinute: number;
  };
  database: DatabaseConfig;
  log: { level: string };
  bootstrap: { apiKey?: string; keyFile: string };
  /** live: move the seed so today is in its structure phase, submit its requests, approve the started ones. */
  seed: { enabled: boolean; file: string; live: boolean };
  solver: { timeLimitS: number };
  deadlines: { sweepIntervalS: number };
  metrics: { token?: string };
  limits: { maxHorizonYears: number };
  /** Origins a browser may call the API from (CORS); empty: no CORS headers at all. */
  cors: { origins: string[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates an env record and returns the frozen config; throws ConfigError listing every bad key. */
export function loadConfig(env: Record<string, string | undefined>): Readonly<Config> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const headersTimeoutMs = e.TPP_HEADERS_TIMEOUT_MS ?? Math.min(10_000, e.TPP_REQUEST_TIMEOUT_MS);
  if (headersTimeoutMs > e.TPP_REQUEST_TIMEOUT_MS)
    throw new ConfigError([
      `TPP_HEADERS_TIMEOUT_MS: must not exceed TPP_REQUEST_TIMEOUT_MS (${e.TPP_REQUEST_TIMEOUT_MS})`,
    ]);
  const database: DatabaseConfig = e.DATABASE_URL
    ? { kind: 'postgres', url: e.DATABASE_URL }
    : { kind: 'sqlite', path: e.TPP_DB_PATH };
  const config: Config = {
    server: {
      port: e.PORT,
      host: e.HOST,
      bodyLimitBytes: e.TPP_BODY_LIMIT_BYTES,
      requestTimeoutMs: e.TPP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs,
      timeoutCheckIntervalMs: e.TPP_TIMEOUT_CHECK_INTERVAL_MS,
      rateLimitPerMinute: e.TPP_RATE_LIMIT_PER_MINUTE,
    },
    database,
    log: { level: e.LOG_LEVEL },
    bootstrap: { apiKey: e.TPP_BOOTSTRAP_API_KEY, keyFile: e.TPP_BOOTSTRAP_KEY_FILE },
    seed: { enabled: e.TPP_SEED ?? database.kind === 'sqlite', file: e.TPP_SEED_FILE, live: e.TPP_SEED_LIVE },
    solver: { timeLimitS: e.TPP_SOLVER_TIME_LIMIT_S },
    deadlines: { sweepIntervalS: e.TPP_DEADLINE_SWEEP_INTERVAL_S },
    metrics: { token: e.TPP_METRICS_TOKEN },
    limits: { maxHorizonYears: e.TPP_MAX_HORIZON_YEARS },
    cors: { origins: e.TPP_CORS_ORIGINS ?? [] },
  };
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
