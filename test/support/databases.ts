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
