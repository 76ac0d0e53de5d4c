import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  DAY_KIND,
  addDays,
  buildHourGrid,
  daysBetween,
  hourIndexOfDate,
  hourIndexOfInstant,
  hourToIso,
  hourToLocalDate,
  isIsoDate,
  isValidTimeZone,
  localMidnightUtcMs,
} from '../../../src/domain/profile/calendar.js';

const localHour = (c: number): number => c % 24;
const dayKind = (c: number): number => Math.floor(c / 24);

describe('hour grid in Asia/Shanghai (UTC+8, no DST)', () => {
  const grid = buildHourGrid({ timezone: 'Asia/Shanghai', start_date: '2025-06-27', end_date: '2025-07-03' });

  it('when the horizon starts 2025-06-27, then hour 0 is 16:00Z on the previous day', () => {
    // hand-computed: local midnight 2025-06-27 at UTC+8 = 2025-06-26T16:00Z
    expect(hourToIso(grid, 0)).toBe('2025-06-26T16:00:00.000Z');
    expect(localMidnightUtcMs('2025-06-27', 'Asia/Shanghai')).toBe(Date.UTC(2025, 5, 26, 16));
  });

  it('when the horizon has 7 days, then it has 168 hours, each day 24 long', () => {
    // hand-computed: 7 × 24 = 168
    expect(grid.hours).toBe(168);
    expect(grid.dates).toEqual([
      '2025-06-27',
      '2025-06-28',
      '2025-06-29',
      '2025-06-30',
      '2025-07-01',
      '2025-07-02',
      '2025-07-03',
    ]);
    for (let d = 0; d < 7; d++) expect(grid.day_start[d]).toBe(24 * d);
  });

  it('when a day is Saturday or Sunday, then its hours carry the weekend class; hours are local', () => {
    // 2025-06-27 is a Friday, 06-28 Saturday, 06-29 Sunday, 06-30 Monday
    const kinds = grid.dates.map((_, d) => dayKind(grid.hour_class[24 * d] ?? 0));
    expect(kinds).toEqual([0, 1, 1, 0, 0, 0, 0]);
    expect(localHour(grid.hour_class[7] ?? 0)).toBe(7);
    expect(hourToIso(grid, 7)).toBe('2025-06-26T23:00:00.000Z'); // 07:00 local = 23:00Z the day before
  });

  it('when holidays and custom weekend days are given, then they set the day kind', () => {
    const g = buildHourGrid({
      timezone: 'Asia/Shanghai',
      start_date: '2025-06-27',
      end_date: '2025-06-30',
      holidays: ['2025-06-30'],
      weekend_days: [7],
    });
    const kinds = g.dates.map((_, d) => dayKind(g.hour_class[g.day_start[d] ?? 0] ?? 0));
    expect(kinds).toEqual([DAY_KIND.weekday, DAY_KIND.weekday, DAY_KIND.weekend, DAY_KIND.holiday]);
  });

  it('maps dates, instants and hours back and forth', () => {
    expect(hourIndexOfDate(grid, '2025-06-28')).toBe(24);
    expect(hourIndexOfDate(grid, '2025-07-04')).toBe(168); // day after the horizon = end
    expect(hourIndexOfDate(grid, '2025-01-01')).toBe(0);
    expect(hourToLocalDate(grid, 23)).toBe('2025-06-27');
    expect(hourToLocalDate(grid, 24)).toBe('2025-06-28');
    expect(hourIndexOfInstant(grid, Date.UTC(2025, 5, 27, 16, 30))).toBe(24);
    expect(hourIndexOfInstant(grid, Date.UTC(2020, 0, 1))).toBe(0);
    expect(hourIndexOfInstant(grid, Date.UTC(2030, 0, 1))).toBe(168);
  });
});

describe('hour grid in Europe/Berlin (DST)', () => {
  // EU rule: clocks go forward 2025-03-30 02:00 CET and back 2025-10-26 03:00 CEST
  const spring = buildHourGrid({
    timezone: 'Europe/Berlin',
    start_date: '2025-03-29',
    end_date: '2025-03-31',
  });
  const autumn = buildHourGrid({
    timezone: 'Europe/Berlin',
    start_date: '2025-10-25',
    end_date: '2025-10-27',
  });

  it('when clocks go forward, then that local day has 23 hours and no local 02:00', () => {
    const day = [...spring.hour_class.slice(spring.day_start[1], spring.day_start[2])].map(localHour);
    expect(day).toHaveLength(23);
    expect(day).not.toContain(2);
    expect(day.slice(0, 3)).toEqual([0, 1, 3]);
    expect(spring.hours).toBe(24 + 23 + 24);
  });

  it('when clocks go back, then that local day has 25 hours with 02:00 twice', () => {
    const day = [...autumn.hour_class.slice(autumn.day_start[1], autumn.day_start[2])].map(localHour);
    expect(day).toHaveLength(25);
    expect(day.slice(0, 5)).toEqual([0, 1, 2, 2, 3]);
    expect(autumn.hours).toBe(24 + 25 + 24);
  });

  it('when a day starts after the change, then its midnight is 22:00Z (CEST) instead of 23:00Z (CET)', () => {
    expect(hourToIso(spring, 0)).toBe('2025-03-28T23:00:00.000Z');
    expect(hourToIso(spring, spring.day_start[2] ?? 0)).toBe('2025-03-30T22:00:00.000Z');
  });
});

describe('hour grid where DST changes at local midnight', () => {
  it('when America/Havana skips 2025-03-09 00:00, then that date starts at 01:00 local (05:00Z) and 03-08 keeps 24 h', () => {
    // tzdb: Cuba springs forward at 00:00 (UTC−5 → UTC−4); 2025-03-09 00:00 does not exist
    const g = buildHourGrid({ timezone: 'America/Havana', start_date: '2025-03-08', end_date: '2025-03-10' });
    expect(hourToIso(g, g.day_start[1] ?? 0)).toBe('2025-03-09T05:00:00.000Z');
    expect(g.day_start[1]).toBe(24);
    expect(localHour(g.hour_class[24] ?? 0)).toBe(1);
    expect((g.day_start[2] ?? 0) - (g.day_start[1] ?? 0)).toBe(23);
  });

  it('property: every grid hour is labelled with the local date and hour Intl gives for its instant', () => {
    const zones = [
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/Havana',
      'America/Santiago',
      'Asia/Beirut',
      'America/New_York',
    ];
    const fmt = (tz: string) =>
      new Intl.DateTimeFormat('en-CA', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
      });
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 700 }), (tz, off) => {
        const start = addDays('2025-01-01', off);
        const g = buildHourGrid({ timezone: tz, start_date: start, end_date: addDays(start, 20) });
        const f = fmt(tz);
        for (let d = 0; d < g.dates.length; d++) {
          for (let h = g.day_start[d] ?? 0; h < (g.day_start[d + 1] ?? 0); h++) {
            const parts = f.formatToParts(new Date(g.start_ms + h * 3_600_000));
            const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
            expect(`${get('year')}-${get('month')}-${get('day')}`).toBe(g.dates[d]);
            expect(Number(get('hour'))).toBe(localHour(g.hour_class[h] ?? 0));
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('hour grid over a ten-year horizon (offsets read once per transition)', () => {
  it.each([
    'Asia/Shanghai',
    'Europe/Berlin',
    'America/Santiago',
    'America/Havana',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  ])(
    'in %s, every day of 2025–2035 starts at the grid hour of the midnight localMidnightUtcMs reads from Intl',
    (tz) => {
      const g = buildHourGrid({ timezone: tz, start_date: '2025-06-27', end_date: '2035-06-26' });
      expect(g.start_ms).toBe(localMidnightUtcMs('2025-06-27', tz));
      expect(g.dates).toHaveLength(daysBetween('2025-06-27', '2035-06-26') + 1);
      for (let d = 0; d <= g.dates.length; d++) {
        const date = addDays('2025-06-27', d);
        // A grid hour is whole: a half-hour DST shift (Lord Howe) rounds to the nearest hour.
        const expected = Math.round((localMidnightUtcMs(date, tz) - g.start_ms) / 3_600_000);
        expect(g.day_start[d]).toBe(expected);
      }
    },
  );
});

describe('date helpers', () => {
  it('validates dates and time zones', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-1-01')).toBe(false);
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });

  it('property: addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2000, max: 2000 }), (n) => {
        expect(daysBetween('2025-06-27', addDays('2025-06-27', n))).toBe(n);
      }),
    );
  });

  it('property: in any zone, grid hours = Σ day lengths and each day is 23–25 h', () => {
    const zones = [
      'Asia/Shanghai',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Sydney',
      'Asia/Kolkata',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 60 }),
        (tz, off, len) => {
          const start = addDays('2025-01-01', off);
          const g = buildHourGrid({ timezone: tz, start_date: start, end_date: addDays(start, len) });
          expect(g.dates).toHaveLength(len + 1);
          let sum = 0;
          for (let d = 0; d <= len; d++) {
            const n = (g.day_start[d + 1] ?? 0) - (g.day_start[d] ?? 0);
            expect(n).toBeGreaterThanOrEqual(23);
            expect(n).toBeLessThanOrEqual(25);
            sum += n;
          }
          expect(sum).toBe(g.hours);
        },
      ),
      { numRuns: 60 },
    );
  });
});
