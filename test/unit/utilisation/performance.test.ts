import { describe, it, expect } from 'vitest';
import { addDays, buildHourGrid, daysBetween } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors } from '../../../src/domain/profile/profile.js';
import {
  buildSiteTimelines,
  type TimelineLoad,
  type TimelinePoint,
} from '../../../src/domain/utilisation/timeline.js';
import { siteUtilisation } from '../../../src/domain/utilisation/summary.js';
import { mulberry32 } from '../../../src/domain/plan/synthetic.js';

describe('timeline rebuild size (measured, not asserted: timing belongs to benchmarks)', () => {
  it('when 10,000 loads are placed on a 2-year hourly grid, then all are indexed and the time is logged', () => {
    const grid = buildHourGrid({
      timezone: 'Asia/Shanghai',
      start_date: '2025-06-27',
      end_date: '2027-06-30',
    });
    const days = daysBetween(grid.start_date, grid.end_date) + 1;
    const rnd = mulberry32(46);
    const factors = Object.values(PRESET_SHAPES).map(classFactors);
    const points: TimelinePoint[] = Array.from({ length: 10 }, (_, i) => ({
      id: `SP-${i}`,
      rating_kva: 500,
      loading_cap: 0.85,
      energised_from: grid.start_date,
    }));
    const loads: TimelineLoad[] = Array.from({ length: 10_000 }, (_, i) => {
      const start = Math.floor(rnd() * days);
      const len = 1 + Math.floor(rnd() * (days - start));
      const s = addDays(grid.start_date, start);
      return {
        id: `L${i}`,
        point_id: `SP-${i % 10}`,
        state: rnd() < 0.5 ? 'reserved' : 'pending',
        demand_kva: 1 + rnd() * 50,
        window: { start: s, end: addDays(s, len) },
        factors: factors[i % factors.length] ?? new Float64Array(72),
      };
    });
    const t0 = performance.now();
    const t = buildSiteTimelines(grid, points, loads);
    const ms = performance.now() - t0;
    const loadHours = t.loads().reduce((s, l) => s + l.to_hour - l.from_hour, 0);
    console.log(
      `[utilisation perf] rebuild of ${loads.length} loads over ${grid.hours} hours (${(loadHours / 1e6).toFixed(1)} M load-hours): ${ms.toFixed(0)} ms`,
    );
    expect(grid.hours).toBeGreaterThan(17_500);
    expect(t.loads()).toHaveLength(10_000);
    const s = siteUtilisation(t, { cap_kva: 5000 });
    expect(s.coincident_peak_kva).toBeLessThanOrEqual(s.sum_of_point_peaks_kva + 1e-6);
  });
});
