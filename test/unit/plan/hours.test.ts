import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { reduceHours, type HourLoad } from '../../../src/domain/plan/hours.js';
import { addDays } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors } from '../../../src/domain/profile/profile.js';
import { SHAPES, fullSeries, smallGrid } from './helpers.js';
import type { PlanLoad } from '../../../src/domain/plan/types.js';

const START = '2026-03-02';

const factorsArb = fc.oneof(
  fc.integer({ min: 0, max: SHAPES.length - 1 }).map((i) => SHAPES[i]!),
  fc
    .record({
      hourly: fc.array(fc.constantFrom(0, 0.1, 0.4, 0.7, 1, 1.2), { minLength: 24, maxLength: 24 }),
      weekend: fc.constantFrom(0, 0.5, 1, 1.3),
      holiday: fc.constantFrom(0, 0.5, 1, 1.5),
    })
    .map((s) =>
      classFactors({ hourly_factor: s.hourly, weekend_factor: s.weekend, holiday_factor: s.holiday }),
    ),
);

describe('reduced hour set', () => {
  it('for ANY assignment, the max over the reduced hours of every point equals the max over the full hourly series', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }).chain((days) =>
          fc.record({
            days: fc.constant(days),
            holiday: fc.integer({ min: 0, max: days - 1 }),
            dst: fc.boolean(),
            loads: fc.array(
              fc.record({
                demand: fc.integer({ min: 0, max: 300 }),
                factors: factorsArb,
                start: fc.integer({ min: 0, max: days - 1 }),
                len: fc.integer({ min: 1, max: days }),
                point: fc.integer({ min: -1, max: 3 }),
              }),
              { minLength: 0, maxLength: 12 },
            ),
            energised: fc.array(fc.integer({ min: 0, max: days }), { maxLength: 3 }),
          }),
        ),
        (spec) => {
          // A DST zone exercises 23/25-hour days.
          const grid = spec.dst
            ? smallGrid(spec.days, '2026-03-20', 'Europe/Berlin', [addDays('2026-03-20', spec.holiday)])
            : smallGrid(spec.days, START, 'Asia/Shanghai', [addDays(START, spec.holiday)]);
          const start = grid.start_date;
          const loads: (HourLoad & { point: number })[] = spec.loads.map((l) => ({
            demand_kva: l.demand,
            factors: l.factors,
            window: {
              start: addDays(start, l.start),
              end: addDays(start, Math.min(spec.days, l.start + l.len)),
            },
            point: l.point,
          }));
          const reduced = reduceHours(
            grid,
            loads,
            spec.energised.map((d) => addDays(start, d)),
          );
          for (let p = 0; p < 4; p++) {
            const full = new Float64Array(grid.hours);
            for (const l of loads) {
              if (l.point !== p) continue;
              const s = fullSeries(grid, l as unknown as PlanLoad);
              for (let h = 0; h < full.length; h++) full[h]! += s[h]!;
            }
            const fullMax = Math.max(0, ...full);
            let reducedMax = 0;
            for (const h of reduced.hours) reducedMax = Math.max(reducedMax, full[h]!);
            expect(reducedMax).toBeCloseTo(fullMax, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when one continuous load covers the whole horizon, a single hour remains (all hours carry the same load)', () => {
    const grid = smallGrid(14);
    const reduced = reduceHours(grid, [
      {
        demand_kva: 100,
        factors: classFactors(PRESET_SHAPES.continuous!),
        window: { start: START, end: addDays(START, 14) },
      },
    ]);
    // hand-computed: continuous shape = factor 1 in all 72 classes → every hour ties → one kept
    expect(reduced.hours.length).toBe(1);
  });

  it('when a day-shift load runs on weekdays, the kept hour is a weekday hour between 07:00 and 19:00', () => {
    const grid = smallGrid(14); // 2026-03-02 is a Monday
    const reduced = reduceHours(grid, [
      {
        demand_kva: 100,
        factors: classFactors(PRESET_SHAPES.day_shift!),
        window: { start: START, end: addDays(START, 14) },
      },
    ]);
    expect(reduced.hours.length).toBe(1);
    const cls = grid.hour_class[reduced.hours[0]!]!;
    // day_shift: factor 1 for local hours 7..18 on weekdays (class = hour), 0.6 on weekends (DOMAIN presets)
    expect(cls).toBeGreaterThanOrEqual(7);
    expect(cls).toBeLessThanOrEqual(18);
  });

  it('when two loads do not overlap in time, each window keeps its own hour', () => {
    const grid = smallGrid(14);
    const f = classFactors(PRESET_SHAPES.continuous!);
    const reduced = reduceHours(grid, [
      { demand_kva: 100, factors: f, window: { start: START, end: addDays(START, 5) } },
      { demand_kva: 50, factors: f, window: { start: addDays(START, 7), end: addDays(START, 10) } },
    ]);
    expect(reduced.hours.length).toBe(2);
  });
});
