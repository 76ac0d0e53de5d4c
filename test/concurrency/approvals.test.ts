/**
 * 200 accepted applications compete for one supply point with room for exactly k of them; 200 approvals fired
 * at once must reserve exactly k (PostgreSQL: a pool of 10 connections, so approvals really overlap and only
 * the point-row lock serialises them; SQLite: one writer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES } from '../support/databases.js';
import { fixedClock, makeTestApp, type TestApp } from '../support/app.js';
import {
  applicationBody,
  createSmallSite,
  submitMany,
  injectCall,
  type ApplicationBody,
  type Call,
  type Problem,
  type SmallSite,
  type SubmitBody,
  type TimelineBody,
  waitForNoSessions,
} from './support.js';

const NOW = '2026-02-01T02:00:00.000Z';
const N = 200;

describe.each(DATABASES)('200 concurrent approvals on one supply point ($name)', (db) => {
  let t: TestApp;
  let drop: () => Promise<void> = () => Promise.resolve();
  let url: string | undefined;
  let call: Call;
  let site: SmallSite;
  let ids: string[] = [];
  let demand_kva = 0;
  let k = 0;

  beforeAll(async () => {
    const opened = await db.open({ poolSize: 10 });
    drop = opened.drop;
    url = opened.url;
    t = await makeTestApp({ store: opened.store, seed: false, clock: fixedClock(NOW) });
    call = injectCall(t.app, `Bearer ${t.keys.engineer}`);
    // 100 kVA points: limit 100 × 0.85 = 85 kVA (DOMAIN.md "Product decisions": loading cap β_max = 0.85). The 200 compete for
    // P1; P2 stays empty for the same-application race.
    site = await createSmallSite(call, { siteId: 'race', rating_kva: 100, today: NOW, points: 2 });
    const t0 = Date.now();
    const submitted = await submitMany(call, site, N);
    console.log(`[${db.name}] ${N} submissions in ${Date.now() - t0} ms`);
    ids = submitted.map((a) => a.id);
    demand_kva = submitted[0]!.demand_kva;
    k = Math.floor(site.limit_kva / demand_kva + 1e-9);
    expect(
      submitted.every((a) => a.state === 'accepted' && a.point_id === 'P1' && a.demand_kva === demand_kva),
    ).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await waitForNoSessions(url);
    await drop();
  });

  it('reserves exactly k = ⌊limit / demand⌋ and answers every other approval 409 with the headroom left', async () => {
    expect(site.limit_kva).toBeCloseTo(85, 9); // hand-computed: 100 kVA × 0.85
    expect(k).toBeGreaterThanOrEqual(1);
    expect(k).toBeLessThan(N);

    const t0 = Date.now();
    const answers = await Promise.all(
      ids.map(async (id) => ({
        id,
        ...(await call('POST', `/v1/sites/race/applications/${id}/approve`, {})),
      })),
    );
    const ms = Date.now() - t0;
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 409);
    console.log(
      `[${db.name}] demand ${demand_kva} kVA, limit ${site.limit_kva} kVA → k = ${k}; ${N} approvals in ${ms} ms: ${ok.length} × 200, ${refused.length} × 409`,
    );
    expect(
      answers
        .filter((a) => a.status !== 200 && a.status !== 409)
        .map((a) => `${a.status} ${JSON.stringify(a.body)}`),
    ).toEqual([]);
    expect(ok).toHaveLength(k);
    expect(refused).toHaveLength(N - k);
    for (const a of ok) expect((a.body as ApplicationBody).state).toBe('approved');
    // What is left after k reservations is less than one more application: limit − k·demand < demand.
    const left = site.limit_kva - k * demand_kva;
    for (const r of refused) {
      const p = r.body as Problem;
      expect(p.code).toBe('capacity_exceeded');
      expect(p.min_headroom_kva).toBeCloseTo(left - demand_kva, 6);
      expect(p.min_headroom_kva!).toBeLessThan(0);
      expect(typeof p.first_conflict_at).toBe('string');
    }

    // The stored state agrees: k approved, the rest still accepted.
    const list = await call('GET', '/v1/sites/race/applications');
    const items = (list.body as { items: ApplicationBody[] }).items;
    expect(items).toHaveLength(N);
    const approved = new Set(items.filter((a) => a.state === 'approved').map((a) => a.id));
    expect(approved).toEqual(new Set(ok.map((a) => a.id)));
    expect(items.filter((a) => a.state === 'accepted')).toHaveLength(N - k);

    // The point's reserved load never exceeds its limit in any hour of the horizon, and holds exactly the k.
    const tl = await call('GET', '/v1/sites/race/supply-points/P1/timeline');
    expect(tl.status).toBe(200);
    const timeline = tl.body as TimelineBody;
    expect(timeline.limit_kva).toBeCloseTo(site.limit_kva, 9);
    const over = timeline.reserved_kva.filter((v) => v > timeline.limit_kva + 1e-9);
    expect(over).toEqual([]);
    expect(Math.max(...timeline.reserved_kva)).toBeCloseTo(k * demand_kva, 6);
    const reserved = timeline.loads.filter((l) => l.state === 'reserved');
    expect(reserved).toHaveLength(k);
    expect(new Set(reserved.map((l) => l.source_id))).toEqual(approved);
    // The refused ones keep their pending placement.
    expect(timeline.loads.filter((l) => l.state === 'pending')).toHaveLength(N - k);

    const u = await call('GET', '/v1/sites/race/utilisation?resolution=hour');
    const point = (
      u.body as {
        points: {
          point_id: string;
          reserved: { peak_kva: number };
          limit_kva: number;
          loads: { reserved: number };
        }[];
      }
    ).points.find((p) => p.point_id === 'P1')!;
    expect(point.reserved.peak_kva).toBeLessThanOrEqual(point.limit_kva + 1e-9);
    expect(point.reserved.peak_kva).toBeCloseTo(k * demand_kva, 6);
    expect(point.loads.reserved).toBe(k);
  });

  // Regression: transitions used to read the application without locking it, so on PostgreSQL the losers of
  // a race on ONE application ran on a stale state (400 instead of 409, or a 40P01 deadlock against a
  // concurrent withdraw). Every transition now locks the application row first.
  it('when 10 approvals of the same application race, then one wins and the other 9 answer 409', async () => {
    // On the second, empty point: this race is about one application's state, not about capacity.
    const s = await call(
      'POST',
      '/v1/sites/race/applications',
      applicationBody(site, { reference: 'SAME', pointId: 'P2' }),
    );
    const id = (s.body as SubmitBody).application.id;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => call('POST', `/v1/sites/race/applications/${id}/approve`, {})),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, JSON.stringify(answers.find((a) => a.status !== 200 && a.status !== 409)?.body)).toEqual(
      [200, 409, 409, 409, 409, 409, 409, 409, 409, 409],
    );
    const events = (await call('GET', `/v1/sites/race/applications/${id}/events`)).body as {
      items: { event: string }[];
    };
    expect(events.items.filter((e) => e.event === 'approve')).toHaveLength(1);
    const tl = (await call('GET', '/v1/sites/race/supply-points/P2/timeline')).body as TimelineBody;
    expect(tl.loads.filter((l) => l.source_id === id).map((l) => l.state)).toEqual(['reserved']);
  });

  it('refuses every further approval once the point is full, without changing anything', async () => {
    const list = await call('GET', '/v1/sites/race/applications?state=accepted');
    const accepted = (list.body as { items: ApplicationBody[] }).items.map((a) => a.id).slice(0, 20);
    const again = await Promise.all(
      accepted.map((id) => call('POST', `/v1/sites/race/applications/${id}/approve`, {})),
    );
    expect(again.map((a) => a.status)).toEqual(accepted.map(() => 409));
    const tl = (await call('GET', '/v1/sites/race/supply-points/P1/timeline')).body as TimelineBody;
    expect(tl.loads.filter((l) => l.state === 'reserved')).toHaveLength(k);
  });
});
