import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.js';
import { addDays, buildHourGrid } from '../../../src/domain/profile/calendar.js';
import {
  PRESET_SHAPES,
  classFactors,
  loadSeries,
  type DailyShape,
} from '../../../src/domain/profile/profile.js';
import {
  buildSiteTimelines,
  timelineLoadIssues,
  timelinePointIssues,
  type TimelineLoad,
  type TimelinePoint,
} from '../../../src/domain/utilisation/timeline.js';
import { pointUtilisation } from '../../../src/domain/utilisation/summary.js';

// 2025-06-30 is a Monday; four weeks in Shanghai (UTC+8, no DST)
const grid = buildHourGrid({ timezone: 'Asia/Shanghai', start_date: '2025-06-30', end_date: '2025-07-27' });
const point: TimelinePoint = { id: 'P', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-06-30' };
const continuous = PRESET_SHAPES.continuous as DailyShape;

function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
  return undefined;
}

describe('SiteTimelines', () => {
  it('when a point is 100 kVA with cap 0.85, then its limit is 85 kVA', () => {
    const t = buildSiteTimelines(grid, [point], []);
    expect(t.point('P').limit_kva).toBeCloseTo(85, 12); // hand-computed: 100 × 0.85
    expect(t.point('P').active_from_hour).toBe(0);
  });

  it('when a 60 kVA load has weekend factor 1.5, then only weekend hours (90 kVA) exceed the 85 kVA limit', () => {
    const shape: DailyShape = { hourly_factor: Array<number>(24).fill(1), weekend_factor: 1.5 };
    const t = buildSiteTimelines(
      grid,
      [point],
      [
        {
          id: 'L',
          point_id: 'P',
          state: 'reserved',
          demand_kva: 60,
          window: { start: '2025-06-30', end: '2025-07-07' },
          factors: classFactors(shape),
        },
      ],
    );
    const s = t.point('P').reserved;
    // hand-computed: weekdays 60 × 1 = 60 kVA; Saturday/Sunday 60 × 1.5 = 90 kVA > 85
    expect(s[0]).toBe(60);
    expect(s[5 * 24]).toBe(90);
    const u = pointUtilisation(t, 'P', { now_hour: 0 });
    expect(u.hours_above_limit).toBe(48); // Saturday 2025-07-05 and Sunday 2025-07-06, 24 h each
    expect(u.next_conflict_at).toBe('2025-07-04T16:00:00.000Z'); // Saturday 00:00 local (UTC+8)
    expect(u.total.peak_kva).toBe(90);
  });

  it('when a load starts before its point is energised, then it is recorded and flagged', () => {
    const late: TimelinePoint = { ...point, id: 'Q', energised_from: '2025-07-10' };
    const t = buildSiteTimelines(
      grid,
      [point, late],
      [
        {
          id: 'A',
          point_id: 'Q',
          state: 'pending',
          demand_kva: 10,
          window: { start: '2025-07-07', end: '2025-07-14' },
          factors: classFactors(continuous),
        },
        {
          id: 'B',
          point_id: 'Q',
          state: 'pending',
          demand_kva: 10,
          window: { start: '2025-07-10', end: '2025-07-14' },
          factors: classFactors(continuous),
        },
      ],
    );
    expect(t.point('Q').active_from_hour).toBe(10 * 24); // 2025-07-10 is day 10 of the grid
    expect(t.loadsBeforeEnergisation().map((l) => l.load.id)).toEqual(['A']);
    expect(t.load('B')?.before_energisation).toBe(false);
    expect(t.point('Q').pending[7 * 24]).toBe(10); // recorded in the series too
    expect(pointUtilisation(t, 'Q', { now_hour: 0 }).loads_before_energisation).toEqual(['A']);
  });

  it('when two loads have windows [a,b) and [b,c), then no hour carries both', () => {
    const f = classFactors(continuous);
    const t = buildSiteTimelines(
      grid,
      [point],
      [
        {
          id: 'A',
          point_id: 'P',
          state: 'reserved',
          demand_kva: 50,
          window: { start: '2025-06-30', end: '2025-07-07' },
          factors: f,
        },
        {
          id: 'B',
          point_id: 'P',
          state: 'reserved',
          demand_kva: 50,
          window: { start: '2025-07-07', end: '2025-07-14' },
          factors: f,
        },
      ],
    );
    const u = pointUtilisation(t, 'P', { now_hour: 0 });
    // hand-computed: the two 50 kVA loads never coincide, so the peak is 50 (not 100)
    expect(u.total.peak_kva).toBe(50);
    expect(u.hours_above_limit).toBe(0);
    expect(t.point('P').reserved[7 * 24 - 1]).toBe(50);
    expect(t.point('P').reserved[7 * 24]).toBe(50);
  });

  it('when a load is removed, then its series is subtracted and its id can be reused', () => {
    const load: TimelineLoad = {
      id: 'A',
      point_id: 'P',
      state: 'pending',
      demand_kva: 12.5,
      window: { start: '2025-07-01', end: '2025-07-03' },
      factors: classFactors(continuous),
    };
    const t = buildSiteTimelines(grid, [point], [load]);
    t.removeLoad('A');
    expect(t.point('P').pending.every((v) => v === 0)).toBe(true);
    expect(t.load('A')).toBeUndefined();
    t.addLoad(load);
    expect(t.loads('P')).toHaveLength(1);
  });

  it('when input is invalid, then the right error code is thrown', () => {
    const t = buildSiteTimelines(grid, [point], []);
    const f = classFactors(continuous);
    const ok: TimelineLoad = {
      id: 'A',
      point_id: 'P',
      state: 'reserved',
      demand_kva: 1,
      window: { start: '2025-07-01', end: '2025-07-02' },
      factors: f,
    };
    t.addLoad(ok);
    expect(errorCode(() => t.addLoad(ok))).toBe('conflict');
    expect(errorCode(() => t.addLoad({ ...ok, id: 'B', point_id: 'nope' }))).toBe('validation_failed');
    expect(
      errorCode(() => t.addLoad({ ...ok, id: 'B', window: { start: '2025-07-02', end: '2025-07-01' } })),
    ).toBe('validation_failed');
    expect(
      errorCode(() => t.addLoad({ ...ok, id: 'B', window: { start: '2025-07-01', end: '2025-08-01' } })),
    ).toBe('validation_failed');
    expect(errorCode(() => t.removeLoad('zzz'))).toBe('not_found');
    expect(errorCode(() => t.point('zzz'))).toBe('not_found');
    expect(errorCode(() => buildSiteTimelines(grid, [point, point], []))).toBe('validation_failed');
  });

  it('lists every field issue of a load and a point with paths', () => {
    const bad = {
      id: '',
      point_id: 'X',
      state: 'approved',
      demand_kva: -1,
      window: { start: '2025-07-02', end: '2025-07-01' },
      factors: new Float64Array(24),
    } as unknown as TimelineLoad;
    const paths = timelineLoadIssues(bad, grid, new Set(['P']), ['loads', 3]).map((i) => i.path.join('.'));
    expect(paths).toEqual([
      'loads.3.id',
      'loads.3.point_id',
      'loads.3.state',
      'loads.3.demand_kva',
      'loads.3.factors',
      'loads.3.window.end',
    ]);
    const pPaths = timelinePointIssues({
      id: 'P',
      rating_kva: 0,
      loading_cap: 1.2,
      energised_from: '2025-13-01',
    }).map((i) => i.path[0]);
    expect(pPaths).toEqual(['rating_kva', 'loading_cap', 'energised_from']);
  });
});

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
  for (let h = 0; h < a.length; h++) m = Math.max(m, Math.abs((a[h] ?? 0) - (b[h] ?? 0)));
  return m;
}

describe('SiteTimelines properties', () => {
  const shapes = Object.values(PRESET_SHAPES);
  const loadArb = fc.record({
    point: fc.integer({ min: 0, max: 2 }),
    reserved: fc.boolean(),
    demand_kva: fc.double({ min: 0, max: 500, noNaN: true }),
    shape: fc.integer({ min: 0, max: shapes.length - 1 }),
    start: fc.integer({ min: 0, max: 27 }),
    length: fc.integer({ min: 1, max: 28 }),
  });
  const points: TimelinePoint[] = ['A', 'B', 'C'].map((id) => ({
    id,
    rating_kva: 500,
    loading_cap: 0.85,
    energised_from: '2025-06-30',
  }));
  const toLoads = (
    raw: (typeof loadArb extends fc.Arbitrary<infer T> ? T : never)[],
  ): (TimelineLoad & { shape: DailyShape })[] =>
    raw.map((r, i) => {
      const start = addDays(grid.start_date, r.start);
      const end = addDays(start, Math.min(r.length, 28 - r.start));
      const shape = shapes[r.shape] as DailyShape;
      return {
        id: `L${i}`,
        point_id: points[r.point]?.id ?? 'A',
        state: r.reserved ? 'reserved' : 'pending',
        demand_kva: r.demand_kva,
        window: { start, end },
        factors: classFactors(shape),
        shape,
      };
    });

  it("property: each point's series equals the sum of its loads' individual loadSeries", () => {
    fc.assert(
      fc.property(fc.array(loadArb, { maxLength: 12 }), (raw) => {
        const loads = toLoads(raw);
        const t = buildSiteTimelines(grid, points, loads);
        for (const p of points) {
          for (const state of ['reserved', 'pending'] as const) {
            const expected = new Float64Array(grid.hours);
            for (const l of loads.filter((x) => x.point_id === p.id && x.state === state)) {
              const s = loadSeries(grid, l.window, l.demand_kva, l.shape);
              for (let h = 0; h < grid.hours; h++) expected[h] = (expected[h] ?? 0) + (s[h] ?? 0);
            }
            expect(maxDiff(t.point(p.id)[state], expected)).toBeLessThan(1e-9);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('property: replacing a point (new rating, energisation and loads) equals building with them', () => {
    fc.assert(
      fc.property(
        fc.array(loadArb, { maxLength: 10 }),
        fc.array(loadArb, { maxLength: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 50, max: 1000 }),
        fc.integer({ min: 0, max: 20 }),
        (raw, replacementRaw, which, rating, energisedDay) => {
          const loads = toLoads(raw);
          const target = points[which]!;
          const newPoint = {
            ...target,
            rating_kva: rating,
            energised_from: addDays(grid.start_date, energisedDay),
          };
          const replacement = toLoads(replacementRaw).map((l) => ({
            ...l,
            id: `R${l.id}`,
            point_id: target.id,
          }));
          const t = buildSiteTimelines(grid, points, loads);
          t.replacePoint(newPoint, replacement);
          const expected = buildSiteTimelines(
            grid,
            points.map((p) => (p.id === target.id ? newPoint : p)),
            [...loads.filter((l) => l.point_id !== target.id), ...replacement],
          );
          for (const p of points) {
            const a = t.point(p.id);
            const e = expected.point(p.id);
            expect([a.limit_kva, a.active_from_hour]).toEqual([e.limit_kva, e.active_from_hour]);
            expect(maxDiff(a.reserved, e.reserved)).toBeLessThan(1e-9);
            expect(maxDiff(a.pending, e.pending)).toBeLessThan(1e-9);
          }
          const ids = (ls: readonly { load: { id: string } }[]): string[] => ls.map((l) => l.load.id).sort();
          expect(ids(t.loads())).toEqual(ids(expected.loads()));
          expect(ids(t.loadsBeforeEnergisation())).toEqual(ids(expected.loadsBeforeEnergisation()));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: adding then removing a load restores every series within 1e-9', () => {
    fc.assert(
      fc.property(fc.array(loadArb, { maxLength: 8 }), loadArb, (raw, extraRaw) => {
        const loads = toLoads(raw);
        const t = buildSiteTimelines(grid, points, loads);
        const before = points.map((p) => [
          Float64Array.from(t.point(p.id).reserved),
          Float64Array.from(t.point(p.id).pending),
        ]);
        const extra = { ...toLoads([extraRaw])[0], id: 'extra' } as TimelineLoad;
        t.addLoad(extra);
        t.removeLoad('extra');
        points.forEach((p, i) => {
          const [r, q] = before[i] ?? [];
          expect(maxDiff(t.point(p.id).reserved, r ?? new Float64Array(0))).toBeLessThan(1e-9);
          expect(maxDiff(t.point(p.id).pending, q ?? new Float64Array(0))).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 40 },
    );
  });
});
