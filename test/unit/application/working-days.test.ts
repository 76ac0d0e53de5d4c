import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  WEEKEND_ONLY_CALENDAR,
  addWorkingDays,
  isWorkingDay,
  isoWeekday,
  nextWorkingDayOnOrAfter,
  previousWorkingDayOnOrBefore,
  workingDaysBetween,
} from '../../../src/domain/catalog/working-days.js';
import type { WorkingDayCalendar } from '../../../src/domain/catalog/working-days.js';
import { addDays } from '../../../src/domain/profile/calendar.js';

// A configured calendar used only as test data: the 2025 National Day / Mid-Autumn arrangement
// (1–8 Oct off; Sun 28 Sep and Sat 11 Oct worked). tpp ships no official holiday list.
const OCT_2025: WorkingDayCalendar = {
  weekend_days: [6, 7],
  holidays: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
  extra_working_days: ['2025-09-28', '2025-10-11'],
};

describe('working days', () => {
  it('when 2025-06-27 is a Friday, then adding 5 working days gives Friday 2025-07-04', () => {
    // hand-computed: 1 June 2025 is a Sunday, so 27 June is a Friday; Mon 30 Jun … Fri 4 Jul = 5 working days
    expect(isoWeekday('2025-06-27')).toBe(5);
    expect(addWorkingDays('2025-06-27', 5, WEEKEND_ONLY_CALENDAR)).toBe('2025-07-04');
    expect(addWorkingDays('2025-06-27', 1, WEEKEND_ONLY_CALENDAR)).toBe('2025-06-30');
  });

  it('when a Saturday is the start, then one working day later is Monday and 0 leaves the date unchanged', () => {
    expect(addWorkingDays('2025-06-28', 1, WEEKEND_ONLY_CALENDAR)).toBe('2025-06-30');
    expect(addWorkingDays('2025-06-28', 0, WEEKEND_ONLY_CALENDAR)).toBe('2025-06-28');
  });

  it('when going back 5 working days from Friday 2025-07-04, then we reach Friday 2025-06-27', () => {
    expect(addWorkingDays('2025-07-04', -5, WEEKEND_ONLY_CALENDAR)).toBe('2025-06-27');
  });

  it('when a holiday week lies ahead, then adding working days skips it and counts the make-up days', () => {
    // hand-computed: Tue 30 Sep + 1 → 1–8 Oct off → Thu 9 Oct
    expect(addWorkingDays('2025-09-30', 1, OCT_2025)).toBe('2025-10-09');
    // Fri 26 Sep + 1 → Sun 28 Sep is a make-up working day
    expect(addWorkingDays('2025-09-26', 1, OCT_2025)).toBe('2025-09-28');
    // Thu 9 Oct + 2 → Fri 10, Sat 11 (make-up)
    expect(addWorkingDays('2025-10-09', 2, OCT_2025)).toBe('2025-10-11');
    // (26 Sep, 12 Oct]: 28, 29, 30 Sep, 9, 10, 11 Oct = 6
    expect(workingDaysBetween('2025-09-26', '2025-10-12', OCT_2025)).toBe(6);
    expect(workingDaysBetween('2025-10-12', '2025-09-26', OCT_2025)).toBe(-6);
    expect(isWorkingDay('2025-10-06', OCT_2025)).toBe(false);
    expect(isWorkingDay('2025-10-06', WEEKEND_ONLY_CALENDAR)).toBe(true);
  });

  it('when a deadline falls on a day off, then the next / previous working day are found', () => {
    expect(nextWorkingDayOnOrAfter('2025-10-01', OCT_2025)).toBe('2025-10-09');
    expect(previousWorkingDayOnOrBefore('2025-10-05', OCT_2025)).toBe('2025-09-30');
    expect(nextWorkingDayOnOrAfter('2025-09-30', OCT_2025)).toBe('2025-09-30');
  });

  it('when a date is not a date, then a validation error is thrown', () => {
    expect(() => addWorkingDays('2025-02-30', 1, WEEKEND_ONLY_CALENDAR)).toThrow(/date/);
  });

  const dateArb = fc.integer({ min: 0, max: 900 }).map((k) => addDays('2025-01-01', k));

  it('for any start and n ≥ 0, workingDaysBetween(a, addWorkingDays(a, n)) = n and the result is a working day', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), fc.boolean(), (a, n, holidays) => {
        const cal = holidays ? OCT_2025 : WEEKEND_ONLY_CALENDAR;
        const b = addWorkingDays(a, n, cal);
        expect(workingDaysBetween(a, b, cal)).toBe(n);
        if (n !== 0) expect(isWorkingDay(b, cal)).toBe(true);
      }),
    );
  });

  it('for any working day a and n, going n working days back and forth returns to a; the count is antisymmetric', () => {
    fc.assert(
      fc.property(
        dateArb,
        dateArb,
        fc.integer({ min: 0, max: 60 }),
        fc.boolean(),
        (d, other, n, holidays) => {
          const cal = holidays ? OCT_2025 : WEEKEND_ONLY_CALENDAR;
          const a = nextWorkingDayOnOrAfter(d, cal);
          expect(addWorkingDays(addWorkingDays(a, -n, cal), n, cal)).toBe(a);
          expect(workingDaysBetween(d, other, cal) + workingDaysBetween(other, d, cal)).toBe(0);
        },
      ),
    );
  });
});
