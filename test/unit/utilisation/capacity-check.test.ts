import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.js';
import { addDays, buildHourGrid } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors, type DailyShape } from '../../../src/domain/profile/profile.js';
import {
  buildSiteTimelines,
  type TimelineLoad,
  type TimelinePoint,
} from '../../../src/domain/utilisation/timeline.js';
import {
  checkCapacity,
  distanceM,
  type CandidateLoad,
  type FeederEstimator,
} from '../../../src/domain/utilisation/capacity-check.js';

// 2025-06-30 is a Monday; four weeks in Shanghai (UTC+8): day d starts at hour 24·d
const grid = buildHourGrid({ timezone: 'Asia/Shanghai', start_date: '2025-06-30', end_date: '2025-07-27' });
const continuous = classFactors(PRESET_SHAPES.continuous as DailyShape);
const points: TimelinePoint[] = [
  { id: 'A', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-06-30' },
  { id: 'B', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-07-10' },
  { id: 'C', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-06-30' },
];
const positions = [
  { id: 'A', position_m: { x: 0, y: 0 } },
  { id: 'B', position_m: { x: 100, y: 0 } },
  { id: 'C', position_m: { x: 300, y: 0 } },
];
const existing: TimelineLoad[] = [
  {
    id: 'r',
    point_id: 'A',
    state: 'reserved',
    demand_kva: 60,
    window: { start: '2025-06-30', end: '2025-07-14' },
    factors: continuous,
  },
  {
    id: 'p',
    point_id: 'A',
    state: 'pending',
    demand_kva: 20,
    window: { start: '2025-06-30', end: '2025-07-07' },
    factors: continuous,
  },
];
const timelines = buildSiteTimelines(grid, points, existing);

function candidate(over: Partial<CandidateLoad> = {}): CandidateLoad {
  return {
    demand_kva: 20,
    active_power_kw: 16,
    reactive_power_kvar: 12,
    factors: continuous,
    window: { start: '2025-07-01', end: '2025-07-03' },
    position_m: { x: 10, y: 0 },
    ...over,
  };
}

describe('checkCapacity', () => {
  it('when pending counts, then the nearest point is short by 15 kVA, the unenergised one fails, and the far one is best', () => {
    const r = checkCapacity(timelines, positions, candidate());
    const byId = Object.fromEntries(r.points.map((p) => [p.point_id, p]));
    // hand-computed: A carries 60 + 20 = 80; + 20 = 100 > 85 ⇒ headroom 85 − 100 = −15 from 2025-07-01 00:00 local
    expect(byId.A?.fits).toBe(false);
    expect(byId.A?.min_headroom_kva).toBeCloseTo(-15, 9);
    expect(byId.A?.first_conflict_at).toBe('2025-06-30T16:00:00.000Z');
    expect(byId.A?.reasons.map((x) => x.code)).toEqual(['insufficient_headroom']);
    expect(byId.A?.distance_m).toBe(10);
    expect(byId.B?.reasons.map((x) => x.code)).toEqual(['before_energisation']);
    expect(byId.B?.min_headroom_kva).toBeCloseTo(65, 9); // 85 − 20
    expect(byId.C?.fits).toBe(true);
    expect(r.points.map((p) => p.point_id)).toEqual(['C', 'A', 'B']); // fits first, then distance
    expect(r.best_point_id).toBe('C');
    expect(r.fits).toBe(true);
    expect(r.earliest_fit).toEqual({ point_id: 'C', window: { start: '2025-07-01', end: '2025-07-03' } });
  });

  it('when pending does not count, then the nearest point fits with 5 kVA headroom', () => {
    const r = checkCapacity(timelines, positions, candidate(), { count_pending: false });
    expect(r.best_point_id).toBe('A');
    expect(r.points[0]?.min_headroom_kva).toBeCloseTo(5, 9); // hand-computed: 85 − 60 − 20
    expect(r.points[0]?.first_conflict_at).toBeNull();
  });

  it('when the far point fails voltage drop, then nothing fits and the earliest fit is found at the nearest point after its pending load ends', () => {
    const seen: [number, number, number][] = [];
    const estimate: FeederEstimator = (d, p, q) => {
      seen.push([d, p, q]);
      return { cross_section_mm2: 35, voltage_drop_percent: d * 0.02 };
    };
    const r = checkCapacity(timelines, positions, candidate(), { estimateFeeder: estimate });
    const c = r.points.find((p) => p.point_id === 'C');
    expect(c?.reasons.map((x) => x.code)).toEqual(['voltage_drop']); // 290 m × 0.02 = 5.8 % > 5 %
    expect(c?.feeder).toEqual({ cross_section_mm2: 35, voltage_drop_percent: 5.8 });
    expect(seen).toContainEqual([10, 16, 12]);
    expect(r.fits).toBe(false);
    expect(r.best_point_id).toBe('A');
    // hand-computed: A has 80 kVA until the pending load ends 2025-07-07, then 60 + 20 = 80 ≤ 85
    expect(r.earliest_fit).toEqual({ point_id: 'A', window: { start: '2025-07-07', end: '2025-07-09' } });
  });

  it('when no feeder exists beyond 50 m or the budget is 7 %, then reasons follow', () => {
    const r = checkCapacity(timelines, positions, candidate(), {
      estimateFeeder: (d) => (d > 50 ? null : { cross_section_mm2: 16, voltage_drop_percent: 1 }),
    });
    expect(r.points.find((p) => p.point_id === 'C')?.reasons.map((x) => x.code)).toEqual(['no_feeder']);
    const r7 = checkCapacity(timelines, positions, candidate(), {
      estimateFeeder: (d) => ({ cross_section_mm2: 35, voltage_drop_percent: d * 0.02 }),
      voltage_drop_budget_percent: 7,
    });
    expect(r7.best_point_id).toBe('C');
    expect(r7.voltage_drop_budget_percent).toBe(7);
  });

  it('when the best point is not yet energised, then the earliest fit starts on its energisation date', () => {
    const r = checkCapacity(timelines, positions.slice(0, 2), candidate({ position_m: { x: 95, y: 0 } }));
    expect(r.best_point_id).toBe('B'); // 5 m away, only fails energisation
    expect(r.earliest_fit).toEqual({ point_id: 'B', window: { start: '2025-07-10', end: '2025-07-12' } });
  });

  it('when a weekend-heavy candidate fits Monday–Friday only, then a window over the weekend conflicts on Saturday', () => {
    const weekendHeavy = classFactors({ hourly_factor: Array<number>(24).fill(1), weekend_factor: 1.5 });
    const only = [positions[0] ?? { id: 'A', position_m: { x: 0, y: 0 } }];
    // A after 2025-07-07 carries 60 kVA: weekday 60 + 20 = 80 ≤ 85; weekend 60 + 30 = 90 > 85
    const weekdays = checkCapacity(
      timelines,
      only,
      candidate({ factors: weekendHeavy, window: { start: '2025-07-07', end: '2025-07-12' } }),
    );
    expect(weekdays.fits).toBe(true);
    const week = checkCapacity(
      timelines,
      only,
      candidate({ factors: weekendHeavy, window: { start: '2025-07-07', end: '2025-07-14' } }),
    );
    expect(week.fits).toBe(false);
    expect(week.points[0]?.first_conflict_at).toBe('2025-07-11T16:00:00.000Z'); // Saturday 2025-07-12 00:00 local
    expect(week.earliest_fit?.window).toEqual({ start: '2025-07-14', end: '2025-07-21' }); // A is empty from 07-14
  });

  it('when no window of the same length fits before the horizon ends, then earliest_fit is null', () => {
    const r = checkCapacity(
      timelines,
      positions.slice(0, 1),
      candidate({ demand_kva: 30, window: { start: '2025-07-01', end: '2025-07-22' } }),
    );
    // free from 2025-07-14, but 07-14 + 21 days = 08-04 is past the horizon end (07-27)
    expect(r.earliest_fit).toBeNull();
  });

  it('when input is invalid, then validation_failed / not_found is thrown', () => {
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof DomainError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => checkCapacity(timelines, positions, candidate({ demand_kva: -1 })))).toBe(
      'validation_failed',
    );
    expect(
      code(() =>
        checkCapacity(
          timelines,
          positions,
          candidate({ window: { start: '2025-07-03', end: '2025-07-01' } }),
        ),
      ),
    ).toBe('validation_failed');
    expect(code(() => checkCapacity(timelines, [{ id: 'Z', position_m: { x: 0, y: 0 } }], candidate()))).toBe(
      'not_found',
    );
    expect(
      code(() => checkCapacity(timelines, [{ id: 'A', position_m: { x: Number.NaN, y: 0 } }], candidate())),
    ).toBe('validation_failed');
  });

  it('measures distance as Euclidean metres', () => {
    expect(distanceM({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
  });

  it('property: earliest_fit is the first same-length window (brute force over start days) that fits', () => {
    const shapes = Object.values(PRESET_SHAPES);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kva: fc.double({ min: 0, max: 80, noNaN: true }),
            shape: fc.integer({ min: 0, max: shapes.length - 1 }),
            start: fc.integer({ min: 0, max: 27 }),
            len: fc.integer({ min: 1, max: 10 }),
          }),
          { maxLength: 6 },
        ),
        fc.double({ min: 1, max: 60, noNaN: true }),
        fc.integer({ min: 0, max: shapes.length - 1 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (raw, kva, shapeIx, startDay, len) => {
          const loads: TimelineLoad[] = raw.map((x, i) => {
            const start = addDays(grid.start_date, x.start);
            return {
              id: `L${i}`,
              point_id: 'A',
              state: 'reserved',
              demand_kva: x.kva,
              window: { start, end: addDays(start, Math.min(x.len, 28 - x.start)) },
              factors: classFactors(shapes[x.shape] as DailyShape),
            };
          });
          const t = buildSiteTimelines(grid, [points[0] as TimelinePoint], loads);
          const only = [{ id: 'A', position_m: { x: 0, y: 0 } }];
          const factors = classFactors(shapes[shapeIx] as DailyShape);
          const start = addDays(grid.start_date, startDay);
          const r = checkCapacity(
            t,
            only,
            candidate({ demand_kva: kva, factors, window: { start, end: addDays(start, len) } }),
          );
          let expected: string | null = null;
          for (let d = startDay; d + len <= 28; d++) {
            const s = addDays(grid.start_date, d);
            if (
              checkCapacity(
                t,
                only,
                candidate({ demand_kva: kva, factors, window: { start: s, end: addDays(s, len) } }),
              ).fits
            ) {
              expected = s;
              break;
            }
          }
          expect(r.earliest_fit?.window.start ?? null).toBe(expected);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('checkCapacity against an hour-by-hour reference', () => {
  // Berlin over the spring DST change (a 23-hour day): day-by-day bounds must still find the exact minimum.
  const dstGrid = buildHourGrid({
    timezone: 'Europe/Berlin',
    start_date: '2025-03-24',
    end_date: '2025-04-13',
  });
  const shapes = Object.values(PRESET_SHAPES).map((s) => classFactors(s));
  const pts: TimelinePoint[] = [
    { id: 'P', rating_kva: 200, loading_cap: 0.85, energised_from: '2025-03-24' },
    { id: 'Q', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-03-30' },
  ];
  const day = (i: number): string => addDays('2025-03-24', i);
  const loadArb = fc.record({
    point: fc.constantFrom('P', 'Q'),
    reserved: fc.boolean(),
    demand_kva: fc.double({ min: 0, max: 120, noNaN: true }),
    shape: fc.integer({ min: 0, max: shapes.length - 1 }),
    start: fc.integer({ min: 0, max: 19 }),
    length: fc.integer({ min: 1, max: 20 }),
  });
  const candArb = fc.record({
    demand_kva: fc.double({ min: 0, max: 150, noNaN: true }),
    shape: fc.integer({ min: 0, max: shapes.length - 1 }),
    start: fc.integer({ min: 0, max: 19 }),
    length: fc.integer({ min: 1, max: 20 }),
    countPending: fc.boolean(),
  });

  it('property: minimum headroom, its hour, the first conflict and the earliest fit equal a plain hourly scan', () => {
    fc.assert(
      fc.property(fc.array(loadArb, { maxLength: 10 }), candArb, (raw, c) => {
        const loads: TimelineLoad[] = raw
          .filter((l) => l.start + l.length <= 20)
          .map((l, i) => ({
            id: `l${i}`,
            point_id: l.point,
            state: l.reserved ? 'reserved' : 'pending',
            demand_kva: l.demand_kva,
            window: { start: day(l.start), end: day(l.start + l.length) },
            factors: shapes[l.shape]!,
          }));
        const tl = buildSiteTimelines(dstGrid, pts, loads);
        const length = Math.min(c.length, 20 - c.start);
        const cand: CandidateLoad = {
          demand_kva: c.demand_kva,
          active_power_kw: 0,
          reactive_power_kvar: 0,
          factors: shapes[c.shape]!,
          window: { start: day(c.start), end: day(c.start + length) },
          position_m: { x: 0, y: 0 },
        };
        const res = checkCapacity(
          tl,
          pts.map((p) => ({ id: p.id, position_m: { x: 0, y: 0 } })),
          cand,
          { count_pending: c.countPending },
        );
        const from = dstGrid.day_start[c.start]!;
        const to = dstGrid.day_start[c.start + length] ?? dstGrid.hours;
        for (const fit of res.points) {
          const pt = tl.point(fit.point_id);
          const headAt = (h: number): number =>
            pt.limit_kva -
            (c.countPending ? pt.reserved[h]! + pt.pending[h]! : pt.reserved[h]!) -
            cand.demand_kva * cand.factors[dstGrid.hour_class[h]!]!;
          let min = Infinity;
          let minHour = from;
          let conflict: number | null = null;
          for (let h = from; h < to; h++) {
            const head = headAt(h);
            if (head < min) [min, minHour] = [head, h];
            if (conflict === null && head < -1e-9) conflict = h;
          }
          expect(fit.min_headroom_kva).toBe(min);
          expect(fit.min_headroom_hour).toBe(minHour);
          expect(fit.first_conflict_hour).toBe(conflict);
        }
        if (res.earliest_fit && res.earliest_fit.window.start !== cand.window.start) {
          // Every earlier start is blocked somewhere, the found one is free.
          const pt = tl.point(res.earliest_fit.point_id);
          const blockedDay = (d: number): boolean => {
            if (dstGrid.dates[d]! < pt.point.energised_from) return true;
            for (let h = dstGrid.day_start[d]!; h < (dstGrid.day_start[d + 1] ?? dstGrid.hours); h++) {
              const existing = c.countPending ? pt.reserved[h]! + pt.pending[h]! : pt.reserved[h]!;
              if (existing + cand.demand_kva * cand.factors[dstGrid.hour_class[h]!]! > pt.limit_kva + 1e-9)
                return true;
            }
            return false;
          };
          const found = dstGrid.day_index.get(res.earliest_fit.window.start)!;
          for (let d = found; d < found + length; d++) expect(blockedDay(d)).toBe(false);
          for (let s = c.start; s < found; s++) {
            let anyBlocked = false;
            for (let d = s; d < s + length; d++) anyBlocked ||= blockedDay(d);
            expect(anyBlocked).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
