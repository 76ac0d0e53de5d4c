/**
 * The live reference site of a first start (src/app/seed.ts through compose.seedIfEmpty, as the server calls
 * it) read back over HTTP at the seeding clock; and `shift_to` on the import endpoint.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, SCENARIO, SITE, type TestApp } from '../support/app.js';
import { seedIfEmpty } from '../../src/compose.js';
import { daysBetween } from '../../src/domain/profile/calendar.js';

interface PointU {
  point_id: string;
  limit_kva: number;
  peak_kva: number;
  next_conflict_at: string | null;
  now: { reserved_kva: number; total_kva: number } | null;
  loads: { reserved: number; pending: number };
}

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('a first start: the reference site is live today', () => {
  // Two clocks: a Friday 14:00 and a Monday 11:00 in Shanghai, years apart.
  it.each([
    ['2026-12-04T06:00:00Z', '2026-12-04'],
    ['2031-03-10T03:00:00Z', '2031-03-10'],
  ])(
    'at %s: today is in the structure phase, with reserved and pending load now, and no point over its limit',
    async (now, today) => {
      t = await makeTestApp({ seed: false, clock: fixedClock(now) });
      const seeded = await seedIfEmpty(t.deps, SCENARIO, { live: true });
      if (!seeded || !('live' in seeded)) throw new Error('not seeded live');
      const live = seeded.live;
      expect(live.today).toBe(today);
      expect(live.not_approved).toEqual([]);
      // A second start does nothing (the database is not empty).
      expect(await seedIfEmpty(t.deps, SCENARIO, { live: true })).toBeUndefined();

      const get = async <T>(url: string) => {
        const r = await t!.app.inject({ url, headers: t!.auth('engineer') });
        expect(r.statusCode, url).toBe(200);
        return r.json<T>();
      };
      const site = await get<{ horizon: { start: string }; phases: Record<string, [string, string]> }>(
        `/v1/sites/${SITE}`,
      );
      const [from, to] = site.phases.structure!;
      expect(from <= today && today < to).toBe(true);
      // The file's ground-breaking 2025-06-27 moved by the reported days.
      expect(daysBetween('2025-06-27', site.horizon.start)).toBe(live.shifted_by_days);

      // Applications: outcomes as the scenario README gives them; the started, complete ones approved.
      const apps = await get<{ items: { reference: string; state: string }[] }>(
        `/v1/sites/${SITE}/applications`,
      );
      expect(apps.items).toHaveLength(43);
      const state = Object.fromEntries(apps.items.map((a) => [a.reference, a.state]));
      expect(state['R-029']).toBe('rejected');
      expect(state['R-037']).toBe('submitted');
      for (const r of ['R-006', 'R-011', 'R-020', 'R-043'])
        expect(state[r], r).toBe('accepted_with_deferrals');
      const approved = apps.items.filter((a) => a.state === 'approved').length;
      expect(approved).toBe(live.approved);
      expect(approved).toBeGreaterThan(20);
      expect(apps.items.filter((a) => a.state === 'accepted').length).toBe(43 - 2 - 4 - approved);

      // The plan was applied.
      const plan = await get<{ status: string; applied_at: string | null }>(
        `/v1/sites/${SITE}/plans/${live.plan_id}`,
      );
      expect(plan).toMatchObject({ status: 'done', applied_at: expect.any(String) });

      // Utilisation at now: reserved and pending load; every application's capacity, no plan stand-ins.
      const u = await get<{ now_at: string | null; points: PointU[] }>(
        `/v1/sites/${SITE}/utilisation?resolution=day`,
      );
      expect(new Date(u.now_at ?? '').toISOString().slice(0, 13)).toBe(now.slice(0, 13)); // now_at carries the site offset
      const reservedNow = u.points.reduce((a, p) => a + (p.now?.reserved_kva ?? 0), 0);
      const pendingNow = u.points.reduce((a, p) => a + (p.now ? p.now.total_kva - p.now.reserved_kva : 0), 0);
      console.log(
        `live seed at ${now}: ${approved} approved; now ${reservedNow.toFixed(1)} kVA reserved, ${pendingNow.toFixed(1)} kVA pending`,
      );
      expect(reservedNow).toBeGreaterThan(0);
      expect(pendingNow).toBeGreaterThan(0);
      const loads = u.points.reduce(
        (a, p) => ({ reserved: a.reserved + p.loads.reserved, pending: a.pending + p.loads.pending }),
        { reserved: 0, pending: 0 },
      );
      // 43 applications less the rejected one and the one not accepted hold capacity.
      expect(loads).toEqual({ reserved: approved, pending: 41 - approved });
      for (const p of u.points) {
        expect(p.peak_kva, p.point_id).toBeLessThanOrEqual(p.limit_kva);
        expect(p.next_conflict_at, p.point_id).toBeNull();
      }
    },
    120_000,
  );
});

describe('POST /v1/sites/import?shift_to=', () => {
  it('moves every date so that ground-breaking is the given day; a bad date is a 400 naming the field', async () => {
    t = await makeTestApp({ seed: false });
    const file = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as {
      requests: { id: string; window: { start: string; end: string } }[];
    };
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/import?shift_to=2026-02-30',
      headers: t.auth('engineer'),
      payload: file,
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('shift_to');

    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/import?shift_to=2026-12-01',
      headers: t.auth('engineer'),
      payload: file,
    });
    expect(r.statusCode).toBe(201);
    // hand-computed: 2025-06-27 → 2026-12-01 is 522 days (test/unit/scenario-shift.test.ts)
    expect(r.json()).toMatchObject({ shifted_by_days: 522, site: { horizon: { start: '2026-12-01' } } });
    const points = await t.app.inject({ url: `/v1/sites/${SITE}/supply-points`, headers: t.auth('viewer') });
    // SP-01 is energised 2025-07-10 in the file: 13 days after ground-breaking, still.
    const sp01 = (points.json<{ items: { id: string; energised_from: string }[] }>().items ?? []).find(
      (p) => p.id === 'SP-01',
    );
    expect(sp01?.energised_from).toBe('2026-12-14');
  });
});
