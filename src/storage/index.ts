/**
 * Storage entry: opens the configured database, applies migrations, returns the Store.
 */
import { Migrator, type Kysely } from 'kysely';
import type { DatabaseConfig } from '../config.js';
import type { Store } from '../app/ports.js';
import { KyselyStore } from './kysely-store.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { openPostgres } from './postgres/open.js';
import { PgRateLimitCounter } from './rate-limit-counter.js';
import { openSqlite, type ChangeCounter } from './sqlite/open.js';

export { DatabaseLockedError } from './sqlite/open.js';

/** Applies every pending migration; returns the names applied. Throws on the first failing one. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export interface OpenStoreOptions {
  migrate?: boolean;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

export async function openStore(
  config: DatabaseConfig,
  options: OpenStoreOptions = {},
): Promise<KyselyStore & Store> {
  const opened: {
    db: Kysely<Database>;
    close: () => Promise<void>;
    changes?: ChangeCounter;
    quickCheck?: () => string[];
  } = config.kind === 'postgres' ? openPostgres(config.url, options.poolSize) : openSqlite(config.path);
  // A damaged SQLite file is opened (not migrated) so the service can start, fail readiness with SQLite's
  // own message and refuse writes, instead of exiting on the first statement that meets a bad page.
  const damaged = opened.quickCheck?.() ?? [];
  try {
    if ((options.migrate ?? true) && damaged.length === 0) await migrateToLatest(opened.db);
  } catch (e) {
    await opened.close();
    throw e;
  }
  // Embedded SQLite has one connection: group concurrent transactions into one durable commit.
  const store = new KyselyStore(opened.db, config.kind, opened.close, opened.changes, {
    groupCommit: config.kind === 'sqlite',
  });
  if (opened.quickCheck) store.integrityProbe = opened.quickCheck;
  if (config.kind === 'postgres') store.rateLimitCounter = new PgRateLimitCounter(opened.db);
  return store;
}
