/**
 * The capacity invariant's pure check: reserved load ≤ rating × loading cap in every hour (DOMAIN.md §0 step 5,
 * §3.3). Expected figures worked by hand from the preset shapes (profile.ts): `continuous` = 1 every hour,
 * `day_shift` = 1 from 07:00 to 19:00 local on weekdays and 0.1 otherwise.
 */
import { describe, expect, it } from 'vitest';
import { buildHourGrid } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors, type DailyShape } from '../../../src/domain/profile/profile.js';
import { findOverbooking } from '../../../src/domain/utilisation/overbooking.js';
import type { TimelineLoad, TimelinePoint } from '../../../src/domain/utilisation/timeline.js';

// 2025-06-30 is a Monday; Shanghai is UTC+8 without DST, so local day d starts at grid hour 24·d.
const grid = buildHourGrid({ timezone: 'Asia/Shanghai', start_date: '2025-06-30', end_date: '2025-07-06' });
const continuous = classFactors(PRESET_SHAPES.continuous as DailyShape);
const dayShift = classFactors(PRESET_SHAPES.day_shift as DailyShape);
const point: TimelinePoint = { id: 'P', rating_kva: 100, loading_cap: 0.85, energised_from: '2025-06-30' };
const load = (
  id: string,
  demand_kva: number,
  start: string,
  end: string,
  factors: Float64Array,
): TimelineLoad => ({
  id,
  point_id: 'P',
  state: 'reserved',
  demand_kva,
  window: { start, end },
  factors,
});
// a: 50 kVA all day Mon–Tue; b: 40 kVA day shift Tue–Wed; c: 30 kVA all day Thu–Fri (never beside a or b).
const a = load('a', 50, '2025-06-30', '2025-07-02', continuous);
const b = load('b', 40, '2025-07-01', '2025-07-03', dayShift);
const c = load('c', 30, '2025-07-03', '2025-07-05', continuous);

describe('findOverbooking', () => {
  it('finds Tuesday 07:00–19:00 at 50 + 40 = 90 kVA against 100 × 0.85 = 85 kVA: 12 hours, 5 kVA over, a and b involved', () => {
    const ob = findOverbooking(grid, point, [a, b, c])!;
    expect(ob.limit_kva).toBeCloseTo(85, 12);
    expect(ob.hours_over).toBe(12);
    // Tuesday 07:00 local = grid hour 24 + 7 = 31 = Monday 23:00 UTC.
    expect(ob.first_hour).toBe(31);
    expect(ob.first_at).toBe('2025-06-30T23:00:00.000Z');
    expect(ob.worst_hour).toBe(31);
    expect(ob.worst_reserved_kva).toBeCloseTo(90, 12);
    expect(ob.over_kva).toBeCloseTo(5, 12);
    expect(ob.loads).toEqual([
      { id: 'a', at_worst_kva: 50 },
      { id: 'b', at_worst_kva: 40 },
    ]);
  });

  it('answers null for an exact fit (50 + 35 = 85 kVA) and for a loading cap of 1 (limit 100 kVA)', () => {
    expect(findOverbooking(grid, point, [a, { ...b, demand_kva: 35 }, c])).toBeNull();
    expect(findOverbooking(grid, { ...point, loading_cap: 1 }, [a, b, c])).toBeNull();
  });

  it('counts every load given, whatever its state', () => {
    expect(findOverbooking(grid, point, [a, { ...b, state: 'pending' }])?.over_kva).toBeCloseTo(5, 12);
  });
});
