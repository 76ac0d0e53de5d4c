import { type Kysely, type Migration } from 'kysely';

/**
 * Issue 14:
 * - API keys keep no part of their secret: `key_prefix` (the first 8 characters of the key, 8 characters of
 *   an operator-chosen bootstrap key) is dropped. A key is identified by its random public `id` (listings,
 *   `keys list`, revoke) and authenticated by its SHA-256 hash only.
 * - `rate_limit_hits`: request counters per client key and fixed time window, shared by every instance on one
 *   PostgreSQL (an atomic upsert-increment per key and window; see storage/rate-limit-counter.ts). SQLite
 *   deployments are one process and count in memory; the table exists there too so both schemas match.
 */
export const m005KeysAndRateLimits: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('api_keys').dropColumn('key_prefix').execute();
    await db.schema
      .createTable('rate_limit_hits')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start_ms', 'bigint', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('rate_limit_hits_pk', ['key', 'window_start_ms'])
      .execute();
    await db.schema
      .createIndex('rate_limit_hits_window')
      .on('rate_limit_hits')
      .column('window_start_ms')
      .execute();
  },
};
