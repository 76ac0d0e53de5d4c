import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../../../src/domain/errors.js';
import { buildHourGrid, hourToIso } from '../../../src/domain/profile/calendar.js';
import {
  PRESET_SHAPES,
  addLoad,
  classFactors,
  loadSeries,
  resolveShape,
  shapeIssues,
  windowHours,
  windowIssues,
  type DailyShape,
} from '../../../src/domain/profile/profile.js';

const shanghai = buildHourGrid({
  timezone: 'Asia/Shanghai',
  start_date: '2025-06-27',
  end_date: '2025-07-10',
});

describe('classFactors', () => {
  it('when a shape has weekend factor 0.6, then weekend classes are hourly × 0.6 and holidays default to it', () => {
    const f = classFactors(PRESET_SHAPES.day_shift as DailyShape);
    // day_shift: hour 8 factor 1, hour 2 factor 0.1, weekend 0.6 (examples/jinshan-ev-plant.json profiles)
    expect(f[8]).toBe(1);
    expect(f[24 + 8]).toBeCloseTo(0.6, 12);
    expect(f[48 + 8]).toBeCloseTo(0.6, 12);
    expect(f[2]).toBeCloseTo(0.1, 12);
  });

  it('when a holiday factor is given, then holiday classes use it', () => {
    const f = classFactors({
      hourly_factor: Array<number>(24).fill(0.5),
      weekend_factor: 1,
      holiday_factor: 0,
    });
    expect(f[48 + 12]).toBe(0);
    expect(f[24 + 12]).toBe(0.5);
  });
});

describe('shapeIssues and resolveShape', () => {
  it('when every preset is checked, then none has an issue', () => {
    for (const shape of Object.values(PRESET_SHAPES)) expect(shapeIssues(shape)).toEqual([]);
  });

  it('when a shape has 23 factors and one above 1.5, then both are reported with paths', () => {
    const bad = { hourly_factor: [...Array<number>(22).fill(1), 1.6], weekend_factor: -1 };
    const issues = shapeIssues(bad, ['profile']);
    expect(issues.map((i) => i.path)).toEqual([
      ['profile', 'hourly_factor'],
      ['profile', 'hourly_factor', 22],
      ['profile', 'weekend_factor'],
    ]);
  });

  it('when a preset name is unknown, then invalid_profile is thrown', () => {
    expect(() => resolveShape('graveyard')).toThrow(DomainError);
    try {
      resolveShape('graveyard');
    } catch (e) {
      expect((e as DomainError).code).toBe('invalid_profile');
    }
    expect(resolveShape('office')).toBe(PRESET_SHAPES.office);
  });
});

describe('windows', () => {
  it('when windows are [a,b) and [b,c), then their hour ranges touch and do not overlap', () => {
    const ab = windowHours(shanghai, { start: '2025-06-28', end: '2025-07-01' });
    const bc = windowHours(shanghai, { start: '2025-07-01', end: '2025-07-03' });
    expect(ab.to).toBe(bc.from);
    const a = loadSeries(
      shanghai,
      { start: '2025-06-28', end: '2025-07-01' },
      10,
      PRESET_SHAPES.continuous as DailyShape,
    );
    const b = loadSeries(
      shanghai,
      { start: '2025-07-01', end: '2025-07-03' },
      10,
      PRESET_SHAPES.continuous as DailyShape,
    );
    for (let h = 0; h < shanghai.hours; h++) expect((a[h] ?? 0) * (b[h] ?? 0)).toBe(0);
    // hand-computed: 3 days + 2 days = 120 hours at 10 kVA = 1200 kVAh
    expect(a.reduce((s, v) => s + v, 0) + b.reduce((s, v) => s + v, 0)).toBeCloseTo(1200, 9);
  });

  it('when a window is inverted, outside the horizon or malformed, then windowIssues says so', () => {
    expect(windowIssues({ start: '2025-07-02', end: '2025-07-02' }, shanghai)).toHaveLength(1);
    expect(windowIssues({ start: '2025-06-01', end: '2025-07-02' }, shanghai)[0]?.path).toEqual(['start']);
    expect(windowIssues({ start: '2025-07-01', end: '2025-07-12' }, shanghai)[0]?.path).toEqual(['end']);
    expect(windowIssues({ start: '2025-07-01', end: '2025-07-11' }, shanghai)).toEqual([]); // end exclusive = end_date + 1
    expect(windowIssues({ start: 'x', end: '2025-07-11' }, shanghai, ['w'])[0]?.path).toEqual(['w', 'start']);
  });
});

describe('loadSeries', () => {
  it('when a day-shift load runs in Shanghai, then it reaches 100 % at 07:00 local = 23:00Z the day before', () => {
    const s = loadSeries(
      shanghai,
      { start: '2025-06-30', end: '2025-07-01' },
      100,
      PRESET_SHAPES.day_shift as DailyShape,
    );
    const day = 24 * 3; // 2025-06-30 (Monday) is day 3 of the grid
    expect(s[day + 6]).toBeCloseTo(10, 12); // 06:00 local: 10 % standby
    expect(s[day + 7]).toBe(100);
    expect(hourToIso(shanghai, day + 7)).toBe('2025-06-29T23:00:00.000Z');
    expect(s[day + 19]).toBeCloseTo(10, 12); // 19:00 local: back to standby
    expect(s[day - 1]).toBe(0);
    expect(s[day + 24]).toBe(0);
  });

  it('when a day-shift load runs on Saturday, then the weekend factor 0.6 applies', () => {
    const s = loadSeries(
      shanghai,
      { start: '2025-06-28', end: '2025-06-29' },
      100,
      PRESET_SHAPES.day_shift as DailyShape,
    );
    expect(s[24 + 10]).toBeCloseTo(60, 9); // hand-computed: 100 × 1 × 0.6
  });

  it('property: addLoad with sign −1 undoes addLoad', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: shanghai.hours }),
        fc.integer({ min: 0, max: shanghai.hours }),
        fc.double({ min: 0, max: 1000, noNaN: true }),
        (a, b, kva) => {
          const target = new Float64Array(shanghai.hours).fill(3.25);
          const f = classFactors(PRESET_SHAPES.camp as DailyShape);
          addLoad(target, shanghai, Math.min(a, b), Math.max(a, b), kva, f);
          addLoad(target, shanghai, Math.min(a, b), Math.max(a, b), kva, f, -1);
          for (const v of target) expect(Math.abs(v - 3.25)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });
});
