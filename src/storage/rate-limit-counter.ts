/**
 * Request counters shared by every API instance on one PostgreSQL (issue 14): one row per client key and
 * fixed time window in `rate_limit_hits` (migration 005), incremented by one atomic upsert per request, so N
 * instances enforce one limit instead of N × the limit. Old windows are deleted at most once a minute.
 */
import { sql, type Kysely } from 'kysely';
import type { RateLimitCounter } from '../app/ports.js';
import type { Database } from './schema.js';

export class PgRateLimitCounter implements RateLimitCounter {
  private lastSweepMs = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async hit(key: string, windowMs: number): Promise<{ hits: number; reset_ms: number }> {
    const now = this.nowMs();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const row = await sql<{ hits: number }>`
      INSERT INTO rate_limit_hits (key, window_start_ms, hits) VALUES (${key}, ${windowStart}, 1)
      ON CONFLICT (key, window_start_ms) DO UPDATE SET hits = rate_limit_hits.hits + 1
      RETURNING hits`.execute(this.db);
    if (now - this.lastSweepMs > 60_000) {
      this.lastSweepMs = now;
      await sql`DELETE FROM rate_limit_hits WHERE window_start_ms < ${windowStart - windowMs}`.execute(
        this.db,
      );
    }
    return { hits: Number(row.rows[0]?.hits ?? 1), reset_ms: windowStart + windowMs - now };
  }
}
