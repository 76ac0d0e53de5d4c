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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, close: () => db.destroy() };
}
