/**
 * Two API processes on one PostgreSQL database: 200 approvals split across both servers must still reserve
 * exactly k = ⌊limit / demand⌋ — the point-row lock is in the database, not in either process. PostgreSQL
 * only: skipped without TEST_DATABASE_URL, failing instead when REQUIRE_POSTGRES=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, PG_URL, REQUIRE_PG } from '../support/databases.js';
import {
  createSmallSite,
  submitMany,
  fetchCall,
  startServer,
  waitForNoSessions,
  type ApplicationBody,
  type Call,
  type Problem,
  type ServerProcess,
  type SmallSite,
  type TimelineBody,
} from './support.js';

const KEY = 'tpp_two_processes_engineer_key_0123456789';
const N = 200;

describe.skipIf(!PG_URL && !REQUIRE_PG)('two API processes on one PostgreSQL database', () => {
  let db: { url: string; drop: () => Promise<void> } | undefined;
  const servers: ServerProcess[] = [];
  let calls: Call[] = [];
  let site: SmallSite;
  let ids: string[] = [];
  let demand_kva = 0;

  beforeAll(async () => {
    db = await createPgDatabase();
    const env = {
      DATABASE_URL: db.url,
      TPP_SEED: '0',
      TPP_BOOTSTRAP_API_KEY: KEY,
      TPP_DEADLINE_SWEEP_INTERVAL_S: '0',
    };
    // One after the other: the first start applies the migrations.
    servers.push(await startServer(env));
    servers.push(await startServer(env));
    calls = servers.map((s) => fetchCall(s.url, `Bearer ${KEY}`));
    const first = calls[0]!;
    site = await createSmallSite(first, {
      siteId: 'twoproc',
      rating_kva: 100,
      today: new Date().toISOString(),
    });
    const tSubmit = Date.now();
    const submitted = await submitMany(first, site, N);
    console.log(`[two processes] ${N} submissions through server A in ${Date.now() - tSubmit} ms`);
    ids = submitted.map((a) => a.id);
    demand_kva = submitted[0]!.demand_kva;
    expect(submitted.every((a) => a.state === 'accepted' && a.point_id === 'P1')).toBe(true);
  }, 90_000);

  afterAll(async () => {
    for (const s of servers) await s.kill('SIGTERM');
    await waitForNoSessions(db?.url);
    await db?.drop();
  });

  it('when 200 approvals are split across both servers, then exactly k succeed and both servers agree', async () => {
    const k = Math.floor(site.limit_kva / demand_kva + 1e-9);
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(N);
    const t0 = Date.now();
    const answers = await Promise.all(
      ids.map(async (id, i) => ({
        id,
        server: i % 2,
        ...(await calls[i % 2]!('POST', `/v1/sites/twoproc/applications/${id}/approve`, {})),
      })),
    );
    const ok = answers.filter((a) => a.status === 200);
    console.log(
      `[two processes] demand ${demand_kva} kVA, limit ${site.limit_kva} kVA → k = ${k}; ${N} approvals in ${Date.now() - t0} ms: ` +
        `${ok.length} × 200 (server A ${ok.filter((a) => a.server === 0).length}, server B ${ok.filter((a) => a.server === 1).length})`,
    );
    expect(
      answers
        .filter((a) => a.status !== 200 && a.status !== 409)
        .map((a) => `${a.status} ${JSON.stringify(a.body)}`),
    ).toEqual([]);
    expect(ok).toHaveLength(k);
    for (const a of answers.filter((x) => x.status === 409)) {
      const p = a.body as Problem;
      expect(p.code).toBe('capacity_exceeded');
      expect(typeof p.min_headroom_kva).toBe('number');
    }

    // Each server's (cached) timeline reflects the other's reservations: exactly the k approved, within the limit.
    for (const call of calls) {
      const tl = (await call('GET', '/v1/sites/twoproc/supply-points/P1/timeline')).body as TimelineBody;
      const reserved = tl.loads.filter((l) => l.state === 'reserved');
      expect(new Set(reserved.map((l) => l.source_id))).toEqual(new Set(ok.map((a) => a.id)));
      expect(tl.reserved_kva.filter((v) => v > tl.limit_kva + 1e-9)).toEqual([]);
      expect(Math.max(...tl.reserved_kva)).toBeCloseTo(k * demand_kva, 6);
      const list = (await call('GET', '/v1/sites/twoproc/applications?state=approved')).body as {
        items: ApplicationBody[];
      };
      expect(new Set(list.items.map((a) => a.id))).toEqual(new Set(ok.map((a) => a.id)));
    }
  });
});
