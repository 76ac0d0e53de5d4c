/**
 * Working-day arithmetic over local dates (`YYYY-MM-DD`, the site's time zone already applied by the caller).
 *
 * Utility stage limits are counted in working days (DOMAIN.md §5.3, "Product decisions": stage time limits
 * "in working days, with a configurable holiday calendar"). China moves weekend days to make bridge holidays
 * (调休), so a calendar has both `holidays` (weekdays off) and `extra_working_days` (weekend days worked).
 *
 * No official Chinese holiday list ships here: the State Council publishes it yearly and the dates were not
 * verified in this research, so sites configure `holidays` / `extra_working_days` themselves. The default
 * calendar is Saturday + Sunday off, no holidays.
 */
import { DomainError } from '../errors.js';
import { addDays, isIsoDate } from '../profile/calendar.js';

export interface WorkingDayCalendar {
  /** ISO weekday numbers (1 = Monday … 7 = Sunday) that are not worked. */
  weekend_days: readonly number[];
  /** Local dates that are not worked although they fall on a weekday (public holidays). */
  holidays: readonly string[];
  /** Local dates that are worked although they fall on a weekend day (调休 make-up days). */
  extra_working_days: readonly string[];
}

/** Saturday and Sunday off, no holidays: the default until a site configures its holiday list. */
export const WEEKEND_ONLY_CALENDAR: WorkingDayCalendar = Object.freeze({
  weekend_days: Object.freeze([6, 7]),
  holidays: Object.freeze([]),
  extra_working_days: Object.freeze([]),
});

/** Guard against runaway loops on a calendar with no working day at all. */
const MAX_SCAN_DAYS = 366 * 20;

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
}

function assertDate(date: string, name: string): void {
  if (!isIsoDate(date)) {
    throw new DomainError('validation_failed', `${name} must be a local date YYYY-MM-DD`, {
      issues: [{ path: [name], message: `not a date: ${date}` }],
    });
  }
}

/**
 * True when `date` is worked under `calendar`: an extra working day always is; a holiday never is; otherwise a
 * day is worked unless its ISO weekday is a weekend day.
 *
 * @param date local date `YYYY-MM-DD`
 * @param calendar the site's working-day calendar
 */
export function isWorkingDay(date: string, calendar: WorkingDayCalendar): boolean {
  if (calendar.extra_working_days.includes(date)) return true;
  if (calendar.holidays.includes(date)) return false;
  return !calendar.weekend_days.includes(isoWeekday(date));
}

/**
 * The local date `n` working days after `date` (before it when `n < 0`); `date` itself does not count, so
 * adding 5 working days to a Friday gives the next Friday on a Saturday/Sunday calendar. `n = 0` returns
 * `date` unchanged (even when it is not worked).
 *
 * @param date local date `YYYY-MM-DD`
 * @param n whole working days (integer, may be negative)
 * @param calendar the site's working-day calendar
 */
export function addWorkingDays(date: string, n: number, calendar: WorkingDayCalendar): string {
  assertDate(date, 'date');
  if (!Number.isInteger(n)) throw new DomainError('validation_failed', 'working days must be an integer');
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let current = date;
  let scanned = 0;
  while (remaining > 0) {
    current = addDays(current, step);
    if (isWorkingDay(current, calendar)) remaining -= 1;
    if (++scanned > MAX_SCAN_DAYS + Math.abs(n) * 7) {
      throw new DomainError('infeasible_input', 'the working-day calendar has no working days');
    }
  }
  return current;
}

/**
 * Working days from `a` to `b`: the number of worked dates d with a < d ≤ b; for b < a it is
 * −workingDaysBetween(b, a) (antisymmetric). `workingDaysBetween(a, addWorkingDays(a, n)) = n` for n ≥ 0
 * (and for n < 0 when `a` is a working day). A stage that starts and ends on the same day takes 0.
 *
 * @param a local date `YYYY-MM-DD` (start, exclusive)
 * @param b local date `YYYY-MM-DD` (end, inclusive)
 * @param calendar the site's working-day calendar
 */
export function workingDaysBetween(a: string, b: string, calendar: WorkingDayCalendar): number {
  assertDate(a, 'a');
  assertDate(b, 'b');
  if (b < a) return 0 - workingDaysBetween(b, a, calendar);
  let count = 0;
  for (let d = addDays(a, 1); d <= b; d = addDays(d, 1)) {
    if (isWorkingDay(d, calendar)) count += 1;
  }
  return count;
}

/**
 * The first worked date on or after `date` (used to move a deadline that falls on a day off to the next
 * working day: PRC Civil Code art. 203, a period whose last day is a statutory holiday ends on the day after
 * the holiday).
 *
 * @param date local date `YYYY-MM-DD`
 * @param calendar the site's working-day calendar
 */
export function nextWorkingDayOnOrAfter(date: string, calendar: WorkingDayCalendar): string {
  assertDate(date, 'date');
  let d = date;
  for (let i = 0; !isWorkingDay(d, calendar); i++) {
    if (i > MAX_SCAN_DAYS)
      throw new DomainError('infeasible_input', 'the working-day calendar has no working days');
    d = addDays(d, 1);
  }
  return d;
}

/**
 * The last worked date on or before `date`.
 *
 * @param date local date `YYYY-MM-DD`
 * @param calendar the site's working-day calendar
 */
export function previousWorkingDayOnOrBefore(date: string, calendar: WorkingDayCalendar): string {
  assertDate(date, 'date');
  let d = date;
  for (let i = 0; !isWorkingDay(d, calendar); i++) {
    if (i > MAX_SCAN_DAYS)
      throw new DomainError('infeasible_input', 'the working-day calendar has no working days');
    d = addDays(d, -1);
  }
  return d;
}
