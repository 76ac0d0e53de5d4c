/**
 * The timeline cache rebuilds only the points whose capacity changed, and replays this process's own commits
 * without re-reading; either way the result must equal a full rebuild from storage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { placeNearest } from '../../src/app/placements.js';
import { TimelineService } from '../../src/app/timelines.js';
import { PRESET_SHAPES } from '../../src/domain/profile/profile.js';
import { addDays } from '../../src/domain/profile/calendar.js';
import type { ReservationRecord, Store } from '../../src/app/ports.js';

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
    reservations: [...cap.reservations.keys()].sort(),
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

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Equal loads and reservations; series equal within 1e-9 kVA (a replay adds and subtracts in another order). */
function expectSameState(actual: Snapshot, expected: Snapshot): void {
  expect(actual.loads).toEqual(expected.loads);
  expect(actual.reservations).toEqual(expected.reservations);
  expect(actual.series.map((s) => s[0])).toEqual(expected.series.map((s) => s[0]));
  actual.series.forEach(([id, reserved, pending], i) => {
    const [, r2, p2] = expected.series[i]!;
    for (let h = 0; h < reserved.length; h++) {
      if (Math.abs(reserved[h]! - r2[h]!) > 1e-9 || Math.abs(pending[h]! - p2[h]!) > 1e-9)
        expect({ id, h, reserved: reserved[h], pending: pending[h] }).toEqual({
          id,
          h,
          reserved: r2[h],
          pending: p2[h],
        });
    }
  });
}

const POINTS = ['SP-01', 'SP-02', 'SP-03', 'SP-04', 'SP-05', 'SP-06', 'SP-07', 'SP-08', 'SP-09', 'SP-10'];
let serial = 0;
function reservation(
  point_id: string,
  state: 'reserved' | 'pending',
  startDay: number,
  days: number,
): ReservationRecord {
  const id = `replay-${++serial}`;
  const start = addDays('2026-01-01', startDay);
  return {
    id,
    site_id: SITE,
    point_id,
    source: 'manual',
    source_id: id,
    state,
    demand_kva: 1 + (serial % 17) * 3.3,
    window: { start, end: addDays(start, days) },
    shape: serial % 2 ? PRESET_SHAPES.day_shift! : PRESET_SHAPES.continuous!,
    created_at: new Date().toISOString(),
    released_at: null,
  };
}

async function place(tx: Store, r: ReservationRecord, bump = true): Promise<void> {
  await tx.reservations.insert(r);
  if (bump) await tx.points.bumpVersion(SITE, r.point_id);
}

describe('replaying this process’s commits into the timeline cache', () => {
  it('applies a commit without re-reading, and equals a full rebuild', async () => {
    const svc = new TimelineService();
    const off = svc.attach(t.deps.store);
    try {
      await svc.get(t.deps.store, SITE);
      const before = svc.rebuilds;
      const r = reservation('SP-04', 'reserved', 10, 30);
      await t.deps.store.transaction((tx) => place(tx, r));
      expectSameState(await snapshot(svc), await snapshot(new TimelineService()));
      expect(svc.rebuilds).toBe(before); // replayed, not re-read
      await t.deps.store.transaction(async (tx) => {
        await tx.reservations.releaseBySource('manual', r.source_id, new Date().toISOString());
        await tx.points.bumpVersion(SITE, 'SP-04');
      });
      expectSameState(await snapshot(svc), await snapshot(new TimelineService()));
      expect(svc.rebuilds).toBe(before);
    } finally {
      off();
    }
  });

  it('re-reads what it did not see, drops the cache on a write without a version bump, ignores rollbacks', async () => {
    const svc = new TimelineService();
    let off = svc.attach(t.deps.store);
    try {
      await svc.get(t.deps.store, SITE);
      // A commit it did not see (as another process's would be): the version check re-reads that point.
      off();
      await t.deps.store.transaction((tx) => place(tx, reservation('SP-02', 'pending', 0, 90)));
      off = svc.attach(t.deps.store);
      const before = svc.rebuilds;
      await t.deps.store.transaction((tx) => place(tx, reservation('SP-02', 'pending', 5, 9)));
      expectSameState(await snapshot(svc), await snapshot(new TimelineService()));
      expect(svc.rebuilds).toBe(before + 1);
      // A rolled-back transaction changes nothing.
      await expect(
        t.deps.store.transaction(async (tx) => {
          await place(tx, reservation('SP-03', 'reserved', 0, 60));
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expectSameState(await snapshot(svc), await snapshot(new TimelineService()));
      // A reservation written without a version bump: the cache cannot tell, so the site is dropped and
      // read again in full.
      const r = reservation('SP-07', 'reserved', 0, 30);
      await t.deps.store.transaction((tx) => place(tx, r, false));
      const snap = await snapshot(svc);
      expect(snap.loads).toContain(r.id);
      expectSameState(snap, await snapshot(new TimelineService()));
    } finally {
      off();
    }
  });

  it('property: after any sequence of commits, rollbacks and concurrent transactions, equals a full rebuild', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('place' as const),
        point: fc.constantFrom(...POINTS),
        state: fc.constantFrom('reserved' as const, 'pending' as const),
        start: fc.integer({ min: 0, max: 400 }),
        days: fc.integer({ min: 1, max: 120 }),
        rollback: fc.boolean(),
      }),
      fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constant('concurrent' as const),
        points: fc.array(fc.constantFrom(...POINTS), { minLength: 2, maxLength: 5 }),
        failing: fc.nat(),
      }),
    );
    const svc = new TimelineService();
    const off = svc.attach(t.deps.store);
    const live: ReservationRecord[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
          await svc.get(t.deps.store, SITE);
          for (const o of ops) {
            if (o.kind === 'place') {
              const r = reservation(o.point, o.state, o.start, o.days);
              const done = t.deps.store.transaction(async (tx) => {
                await place(tx, r);
                if (o.rollback) throw new Error('roll back');
              });
              if (o.rollback) await expect(done).rejects.toThrow('roll back');
              else {
                await done;
                live.push(r);
              }
            } else if (o.kind === 'release') {
              if (live.length === 0) continue;
              const [r] = live.splice(o.pick % live.length, 1);
              await t.deps.store.transaction(async (tx) => {
                await tx.reservations.releaseBySource('manual', r!.source_id, new Date().toISOString());
                await tx.points.bumpVersion(SITE, r!.point_id);
              });
            } else {
              const rs = o.points.map((p, i) => reservation(p, i % 2 ? 'pending' : 'reserved', i * 7, 20));
              const failing = o.failing % rs.length;
              const outcomes = await Promise.allSettled(
                rs.map((r, i) =>
                  t.deps.store.transaction(async (tx) => {
                    await place(tx, r);
                    if (i === failing) throw new Error('fails');
                  }),
                ),
              );
              rs.forEach((r, i) => {
                if (outcomes[i]!.status === 'fulfilled') live.push(r);
              });
            }
            expectSameState(await snapshot(svc), await snapshot(new TimelineService()));
          }
        }),
        { numRuns: 20 },
      );
    } finally {
      off();
    }
  });
});
