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
import { bucketSeries, pointUtilisation, siteUtilisation } from '../../../src/domain/utilisation/summary.js';

// 2025-06-30 is a Monday; four weeks in Shanghai (UTC+8, no DST): day d starts at hour 24·d
const grid = buildHourGrid({ timezone: 'Asia/Shanghai', start_date: '2025-06-30', end_date: '2025-07-27' });
const P: TimelinePoint = { id: 'P', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-06-30' };
const f = (name: keyof typeof PRESET_SHAPES): Float64Array => classFactors(PRESET_SHAPES[name] as DailyShape);

function load(
  id: string,
  state: 'reserved' | 'pending',
  kva: number,
  shape: keyof typeof PRESET_SHAPES,
  start: string,
  end: string,
  point = 'P',
): TimelineLoad {
  return { id, point_id: point, state, demand_kva: kva, window: { start, end }, factors: f(shape) };
}

const base = (): ReturnType<typeof buildSiteTimelines> =>
  buildSiteTimelines(
    grid,
    [P],
    [
      load('R', 'reserved', 40, 'continuous', '2025-06-30', '2025-07-07'),
      load('Q', 'pending', 30, 'day_shift', '2025-06-30', '2025-07-14'),
      load('X', 'reserved', 90, 'continuous', '2025-07-16', '2025-07-17'),
    ],
  );

describe('pointUtilisation', () => {
  const t = base();

  it('when 40 kVA reserved and 30 kVA pending day-shift overlap, then the total peak is 70 kVA at Monday 07:00 local', () => {
    // the range is week 1 only: the 90 kVA day lies outside it
    const u = pointUtilisation(t, 'P', { from_hour: 0, to_hour: 7 * 24, now_hour: 0 });
    expect(u.reserved.peak_kva).toBe(40);
    expect(u.reserved.peak_at).toBe('2025-06-29T16:00:00.000Z'); // local midnight 2025-06-30 = 16:00Z
    expect(u.total.peak_kva).toBe(70); // hand-computed: 40 + 30 × 1
    expect(u.total.peak_at).toBe('2025-06-29T23:00:00.000Z'); // 07:00 local = 23:00Z the day before
    expect(u.total.headroom_at_peak_kva).toBeCloseTo(15, 9); // hand-computed: 100 × 0.85 − 70
    expect(u.total.utilisation_of_rating_percent).toBeCloseTo(70, 9); // 70 / 100
    expect(u.total.utilisation_of_limit_percent).toBeCloseTo((70 / 85) * 100, 9); // 82.35 %
    expect(u.hours_above_limit).toBe(0);
  });

  it('when a 90 kVA day exceeds the 85 kVA limit, then it counts 24 hours above and is the next conflict after now', () => {
    const nowHour = 7 * 24 + 8; // Monday 2025-07-07 08:00 local
    const u = pointUtilisation(t, 'P', { now_hour: nowHour });
    expect(u.hours_above_limit).toBe(24);
    expect(u.hours_above_limit_reserved).toBe(24);
    expect(u.now).toEqual({ hour: nowHour, at: '2025-07-07T00:00:00.000Z', reserved_kva: 0, total_kva: 30 });
    expect(u.next_conflict_hour).toBe(16 * 24); // 2025-07-16 is day 16
    expect(u.next_conflict_at).toBe('2025-07-15T16:00:00.000Z');
    expect(u.forecast_after_now.peak_kva).toBe(90);
    expect(u.total.headroom_at_peak_kva).toBeCloseTo(-5, 9); // hand-computed: 85 − 90
  });

  it('when now is after the last conflict or outside the grid, then there is no next conflict / no current value', () => {
    expect(pointUtilisation(t, 'P', { now_hour: 17 * 24 }).next_conflict_at).toBeNull();
    const u = pointUtilisation(t, 'P', { now_hour: -5 });
    expect(u.now).toBeNull();
    expect(u.next_conflict_hour).toBe(16 * 24);
    expect(pointUtilisation(t, 'P', { from_hour: 10, to_hour: 10, now_hour: 0 }).total.peak_at).toBeNull();
  });
});

describe('bucketSeries', () => {
  const total = base().totalSeries('P');

  it('when bucketed by day, then weekdays peak at 70 kVA and weekend days at 58 kVA', () => {
    const b = bucketSeries(total, grid, 0, 7 * 24, 'day');
    expect(b.map((x) => x.start)).toEqual([
      '2025-06-30',
      '2025-07-01',
      '2025-07-02',
      '2025-07-03',
      '2025-07-04',
      '2025-07-05',
      '2025-07-06',
    ]);
    // hand-computed: weekend 40 + 30 × 1 × 0.6 (day_shift weekend factor) = 58
    expect(b.map((x) => x.max_kva)).toEqual([70, 70, 70, 70, 70, 58, 58]);
  });

  it('when bucketed by week from a Wednesday, then buckets are labelled with Mondays and the first is partial', () => {
    const b = bucketSeries(total, grid, 2 * 24 + 5, grid.hours, 'week');
    expect(b.map((x) => x.start)).toEqual(['2025-06-30', '2025-07-07', '2025-07-14', '2025-07-21']);
    expect(b[0]?.from_hour).toBe(2 * 24 + 5);
    expect(b[0]?.to_hour).toBe(7 * 24);
    expect(b.map((x) => x.max_kva)).toEqual([70, 30, 90, 0]);
  });

  it('when bucketed by hour, then there is one bucket per hour labelled in UTC', () => {
    const b = bucketSeries(total, grid, 5, 9, 'hour');
    expect(b.map((x) => x.start)).toEqual([
      '2025-06-29T21:00:00.000Z',
      '2025-06-29T22:00:00.000Z',
      '2025-06-29T23:00:00.000Z',
      '2025-06-30T00:00:00.000Z',
    ]);
    expect(b[2]?.max_kva).toBe(70);
  });

  it('when a Berlin day has 23 or 25 hours, then its day bucket has that many hours', () => {
    const g = buildHourGrid({ timezone: 'Europe/Berlin', start_date: '2025-03-29', end_date: '2025-03-31' });
    const b = bucketSeries(new Float64Array(g.hours), g, 0, g.hours, 'day');
    expect(b.map((x) => x.to_hour - x.from_hour)).toEqual([24, 23, 24]);
    expect(bucketSeries(new Float64Array(g.hours), g, 0, g.hours, 'week').map((x) => x.start)).toEqual([
      '2025-03-24',
      '2025-03-31',
    ]);
    const g2 = buildHourGrid({ timezone: 'Europe/Berlin', start_date: '2025-10-25', end_date: '2025-10-27' });
    expect(
      bucketSeries(new Float64Array(g2.hours), g2, 0, g2.hours, 'day').map((x) => x.to_hour - x.from_hour),
    ).toEqual([24, 25, 24]);
  });
});

describe('siteUtilisation', () => {
  it('when an office load and a night-lighting load sit on two points, then the coincident peak (28) is below the sum of peaks (40)', () => {
    const t = buildSiteTimelines(
      grid,
      [
        { id: 'A', rating_kva: 500, loading_cap: 0.85, energised_from: '2025-06-30' },
        { id: 'B', rating_kva: 630, loading_cap: 0.8, energised_from: '2025-06-30' },
      ],
      [
        load('O', 'reserved', 20, 'office', '2025-06-30', '2025-07-07', 'A'),
        load('N', 'pending', 20, 'night_lighting', '2025-06-30', '2025-07-07', 'B'),
      ],
    );
    const s = siteUtilisation(t, { cap_kva: 5000 });
    expect(s.rating_sum_kva).toBe(1130);
    expect(s.limit_sum_kva).toBeCloseTo(500 * 0.85 + 630 * 0.8, 9);
    expect(s.ratings_within_cap).toBe(true);
    expect(s.cap_headroom_kva).toBe(3870);
    // hand-computed: at 18:00 local office 20 × 0.4 = 8 plus floodlights 20 × 1 = 28; 00–05 h: 4 + 20 = 24; 08–17 h: 20
    expect(s.coincident_peak_kva).toBeCloseTo(28, 9);
    expect(s.coincident_peak_at).toBe('2025-06-30T10:00:00.000Z'); // Monday 18:00 local
    expect(s.sum_of_point_peaks_kva).toBe(40);
    expect(siteUtilisation(t, { cap_kva: 5000, count_pending: false }).coincident_peak_kva).toBe(20);
    expect(siteUtilisation(t, { cap_kva: 1000 }).ratings_within_cap).toBe(false);
    expect(() => siteUtilisation(t, { cap_kva: 0 })).toThrow(DomainError);
  });

  it("property: the site's coincident peak ≤ the sum of the points' peaks", () => {
    const shapes = Object.keys(PRESET_SHAPES);
    const pts: TimelinePoint[] = ['A', 'B', 'C', 'D'].map((id) => ({
      id,
      rating_kva: 400,
      loading_cap: 0.85,
      energised_from: '2025-06-30',
    }));
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            p: fc.integer({ min: 0, max: 3 }),
            kva: fc.double({ min: 0, max: 300, noNaN: true }),
            shape: fc.constantFrom(...shapes),
            start: fc.integer({ min: 0, max: 27 }),
            len: fc.integer({ min: 1, max: 28 }),
            pending: fc.boolean(),
          }),
          { maxLength: 15 },
        ),
        fc.integer({ min: 0, max: grid.hours }),
        fc.integer({ min: 0, max: grid.hours }),
        (raw, a, b) => {
          const loads = raw.map((r, i) => {
            const start = addDays(grid.start_date, r.start);
            return load(
              `L${i}`,
              r.pending ? 'pending' : 'reserved',
              r.kva,
              r.shape,
              start,
              addDays(start, Math.min(r.len, 28 - r.start)),
              pts[r.p]?.id,
            );
          });
          const s = siteUtilisation(buildSiteTimelines(grid, pts, loads), {
            cap_kva: 5000,
            from_hour: Math.min(a, b),
            to_hour: Math.max(a, b),
          });
          expect(s.coincident_peak_kva).toBeLessThanOrEqual(s.sum_of_point_peaks_kva + 1e-9);
          expect(s.coincident_peak_kva).toBeGreaterThanOrEqual(
            Math.max(0, ...s.points.map((p) => p.peak_kva)) - 1e-9,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
