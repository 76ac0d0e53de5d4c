/**
 * The databases a storage test runs on: SQLite always; PostgreSQL when TEST_DATABASE_URL is set (each call
 * creates a fresh database and drops it afterwards). REQUIRE_POSTGRES=1 (set by .ci/run) turns a missing
 * TEST_DATABASE_URL into a failure instead of a skip.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/storage/index.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';

export const PG_URL = process.env.TEST_DATABASE_URL;
export const REQUIRE_PG = process.env.REQUIRE_POSTGRES === '1';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  open: (opts?: {
    poolSize?: number;
  }) => Promise<{ store: KyselyStore; url?: string; drop: () => Promise<void> }>;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tpp_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  return {
    url: withDatabase(PG_URL, name),
    drop: async () => {
      // pg-pool's end() returns before its connections are gone; dropping with FORCE then kills them and the
      // test process sees FATAL 57P01. Wait until the database has no sessions left.
      await waitForNoSessions(withDatabase(PG_URL, name));
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const DATABASES: TestDatabase[] = [
  {
    name: 'sqlite',
    open: async () => ({
      store: await openStore({ kind: 'sqlite', path: ':memory:' }),
      drop: () => Promise.resolve(),
    }),
  },
];
if (PG_URL || REQUIRE_PG) {
  DATABASES.push({
    name: 'postgres',
    open: async (opts) => {
      const created = await createPgDatabase();
      const store = await openStore({ kind: 'postgres', url: created.url }, { poolSize: opts?.poolSize });
      return { store, url: created.url, drop: created.drop };
    },
  });
}

/**
 * Waits until no session is connected to the database at `url` (at most `ms`). pg-pool's `end()` resolves
 * before its clients' sockets are closed; `DROP DATABASE … WITH (FORCE)` right after then kills sessions that
 * are still ending, and pg raises their FATAL 57P01 as an uncaught exception in the test process.
 */
export async function waitForNoSessions(url: string | undefined, ms = 5000): Promise<void> {
  if (!url) return;
  const u = new URL(url);
  const name = u.pathname.slice(1);
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const t0 = Date.now();
    for (;;) {
      const r = await admin.query<{ n: number | string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      if (Number(r.rows[0]?.n ?? 0) === 0 || Date.now() - t0 > ms) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.end();
  }
}
