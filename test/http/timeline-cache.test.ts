/**
 * The timeline cache rebuilds only the points whose capacity changed; the result must equal a full rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { placeNearest } from '../../src/app/placements.js';
import { TimelineService } from '../../src/app/timelines.js';
import { PRESET_SHAPES } from '../../src/domain/profile/profile.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await placeNearest(t.deps, SITE, 'pending');
});
afterAll(async () => t.close());

async function snapshot(svc: TimelineService) {
  const cap = await svc.get(t.deps.store, SITE);
  return {
    series: cap.points.map((p) => {
      const pt = cap.timelines.point(p.id);
      return [p.id, Array.from(pt.reserved), Array.from(pt.pending)] as const;
    }),
    loads: cap.timelines
      .loads()
      .map((l) => l.load.id)
      .sort(),
    reservations: cap.reservations.map((r) => r.id).sort(),
  };
}

describe('incremental timeline rebuilds', () => {
  it('after a change at one point, equal a full rebuild and re-read only that point', async () => {
    const svc = new TimelineService();
    await snapshot(svc);
    const before = svc.rebuilds;
    await t.deps.store.transaction(async (tx) => {
      await tx.reservations.insert({
        id: 'extra-1',
        site_id: SITE,
        point_id: 'SP-04',
        source: 'manual',
        source_id: 'extra-1',
        state: 'reserved',
        demand_kva: 37.5,
        window: { start: '2026-01-01', end: '2026-03-01' },
        shape: PRESET_SHAPES.two_shift!,
        created_at: new Date().toISOString(),
        released_at: null,
      });
      await tx.points.bumpVersion(SITE, 'SP-04');
    });
    const incremental = await snapshot(svc);
    expect(svc.rebuilds).toBe(before + 1);
    const full = await snapshot(new TimelineService());
    expect(incremental).toEqual(full);
    expect(incremental.loads).toContain('extra-1');
    // And after releasing it again.
    await t.deps.store.transaction(async (tx) => {
      await tx.reservations.releaseBySource('manual', 'extra-1', new Date().toISOString());
      await tx.points.bumpVersion(SITE, 'SP-04');
    });
    expect(await snapshot(svc)).toEqual(await snapshot(new TimelineService()));
  });

  it('after a point’s rating changes, the new limit applies', async () => {
    const svc = new TimelineService();
    await svc.get(t.deps.store, SITE);
    const r = await t.app.inject({
      method: 'PATCH',
      url: `/v1/sites/${SITE}/supply-points/SP-05`,
      headers: t.auth('engineer'),
      payload: { rating_kva: 400 },
    });
    expect(r.statusCode, r.body).toBe(200);
    const cap = await svc.get(t.deps.store, SITE);
    expect(cap.timelines.point('SP-05').limit_kva).toBeCloseTo(340, 9);
    expect(await snapshot(svc)).toEqual(await snapshot(new TimelineService()));
  });
});
