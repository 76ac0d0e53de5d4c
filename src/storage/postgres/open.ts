/**
 * PostgreSQL through `pg`: several API instances may share one database. Reservations lock the supply-point
 * row (`SELECT … FOR UPDATE`, see KyselyStore.points.lockForUpdate).
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../schema.js';

// Numeric columns (double precision) arrive as JS numbers already; COUNT(*) (int8) as strings: parse them.
pg.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10));

export function openPostgres(url: string, max = 10): { db: Kysely<Database>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client whose backend dies (server restart, pg_terminate_backend) is dropped by the pool, which
  // emits 'error': without a listener Node would crash the process. The next query opens a new connection;
  // queries that meet a dead connection fail and answer 503 (error-handler.ts).
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}
