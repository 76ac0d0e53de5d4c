/**
 * The site's hour grid: the horizon cut into UTC hours, each labelled with its local hour of day and day kind
 * (weekday / weekend / holiday) in the site's time zone. Every time series in tpp (load profiles, capacity
 * timelines, the planner's constraints) is indexed by this grid, so adjacent windows [a,b) and [b,c) never
 * share an hour and a time zone is applied exactly once.
 *
 * Time-zone arithmetic uses the platform's IANA database through `Intl` (pure: no clock, no I/O).
 */

export const DAY_KIND = { weekday: 0, weekend: 1, holiday: 2 } as const;
export type DayKind = (typeof DAY_KIND)[keyof typeof DAY_KIND];
/** Number of hour classes: 3 day kinds × 24 hours. `hour_class = day_kind·24 + local hour`. */
export const HOUR_CLASSES = 72;

export interface CalendarInput {
  /** IANA time zone, e.g. `Asia/Shanghai`. */
  timezone: string;
  /** First local date of the horizon (inclusive), `YYYY-MM-DD`. */
  start_date: string;
  /** Last local date of the horizon (inclusive), `YYYY-MM-DD`. */
  end_date: string;
  /** Local dates that use the holiday factor of a profile. */
  holidays?: readonly string[];
  /** ISO weekday numbers (1 = Monday … 7 = Sunday) that are weekend days; default Saturday and Sunday. */
  weekend_days?: readonly number[];
}

export interface HourGrid {
  timezone: string;
  start_date: string;
  end_date: string;
  /** UTC epoch ms of hour 0 (local midnight at the start of `start_date`). */
  start_ms: number;
  /** Number of hours in the grid. */
  hours: number;
  /** Per hour: `day_kind·24 + local hour of day`. */
  hour_class: Uint8Array;
  /** Local dates in order; `day_start[d]` is the hour index of the local midnight starting `dates[d]`. */
  dates: string[];
  day_start: Int32Array;
  /** Local date → day index. */
  day_index: ReadonlyMap<string, number>;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** True when `timezone` is an IANA zone the platform knows. */
export function isValidTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** One `Intl.DateTimeFormat` per (kind, zone), built on first use: building one costs far more than using it. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(
  kind: 'parts' | 'date',
  timezone: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${kind}|${timezone}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, ...options })));
  return f;
}

function formatter(timezone: string): Intl.DateTimeFormat {
  return zoneFormatter('parts', timezone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
  });
}

interface LocalParts {
  date: string;
  hour: number;
  minute: number;
  isoWeekday: number;
}
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const datesBySecond = new Map<string, string>();

/**
 * Local date `YYYY-MM-DD` of an instant in an IANA time zone. Memoised per zone and UTC second (every zone
 * offset is a whole number of seconds, so the date is the same for the whole second): a request asks for
 * today's date at every workflow step, and formatting is the costly part.
 *
 * @param utcMs epoch milliseconds
 * @param timezone IANA zone, e.g. `Asia/Shanghai`
 */
export function localDateOfInstant(utcMs: number, timezone: string): string {
  const key = `${timezone}|${Math.floor(utcMs / 1000)}`;
  const known = datesBySecond.get(key);
  if (known !== undefined) return known;
  // Date-only formatter: cheaper than `localParts`.
  const parts = zoneFormatter('date', timezone, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(utcMs);
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  if (datesBySecond.size > 1000) datesBySecond.clear();
  datesBySecond.set(key, date);
  return date;
}

function localParts(utcMs: number, timezone: string): LocalParts {
  const parts = formatter(timezone).formatToParts(new Date(utcMs));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    isoWeekday: WEEKDAYS[get('weekday')] ?? 1,
  };
}

/** Offset of local time from UTC at an instant, in ms. */
function offsetMs(utcMs: number, timezone: string): number {
  const p = localParts(utcMs, timezone);
  const [y, m, d] = p.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, p.hour, p.minute);
  return asUtc - Math.floor(utcMs / 60_000) * 60_000;
}

/** UTC epoch ms of local midnight starting `date` in `timezone` (the first instant of that local date). */
export function localMidnightUtcMs(date: string, timezone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  const u1 = guess - offsetMs(guess, timezone);
  const u2 = guess - offsetMs(u1, timezone);
  const isMidnight = (u: number): boolean => {
    const p = localParts(u, timezone);
    return p.date === date && p.hour === 0 && p.minute === 0;
  };
  const valid = [u1, u2].filter(isMidnight);
  if (valid.length > 0) return Math.min(...valid);
  // Local midnight falls in a DST gap (e.g. America/Havana, America/Santiago change clocks at 00:00): the
  // date starts at the transition instant, i.e. midnight read with the offset before the change (the later one).
  return Math.max(u1, u2);
}

/** Local date (`YYYY-MM-DD`) `days` after `date`. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (b − a), both `YYYY-MM-DD`. */
export function daysBetween(a: string, b: string): number {
  const [ya, ma, da] = a.split('-').map(Number) as [number, number, number];
  const [yb, mb, db] = b.split('-').map(Number) as [number, number, number];
  return Math.round((Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / 86_400_000);
}

/**
 * The UTC offset of a zone over an interval as constant pieces: `offsets[i]` holds from `starts[i]` (epoch ms)
 * until `starts[i + 1]`. Built from one Intl reading per `SAMPLE_MS` plus a bisection (to the minute) wherever two
 * readings differ, so a ten-year horizon costs ~1,000 Intl calls instead of ~7 per day. A pair of transitions
 * that cancel out within one sample step would be missed; no zone has had two transitions within
 * `SAMPLE_MS` since the IANA database began recording them in this range (2000–2100 is validated at the edge).
 */
interface OffsetPieces {
  starts: number[];
  offsets: number[];
}
const SAMPLE_MS = 4 * 86_400_000;

function offsetPieces(timezone: string, fromMs: number, toMs: number): OffsetPieces {
  const starts = [fromMs];
  const offsets = [offsetMs(fromMs, timezone)];
  let a = fromMs;
  let oa = offsets[0]!;
  while (a < toMs) {
    const b = Math.min(toMs, a + SAMPLE_MS);
    const ob = offsetMs(b, timezone);
    // Every transition between a and b, first to last (each found by bisection to the minute).
    let lo = a;
    let olo = oa;
    while (olo !== ob) {
      let l = lo;
      let h = b;
      let oh = ob;
      while (h - l > 60_000) {
        const mid = l + Math.floor((h - l) / 120_000) * 60_000;
        const om = offsetMs(mid, timezone);
        if (om === olo) l = mid;
        else {
          h = mid;
          oh = om;
        }
      }
      starts.push(h);
      offsets.push(oh);
      lo = h;
      olo = oh;
    }
    a = b;
    oa = ob;
  }
  return { starts, offsets };
}

/** Offset (ms) at `utcMs` from the pieces; `hint` is a piece index at or before the answer (walks forward). */
function pieceAt(p: OffsetPieces, utcMs: number, hint = 0): number {
  let i = Math.max(0, Math.min(hint, p.starts.length - 1));
  while (i > 0 && p.starts[i]! > utcMs) i--;
  while (i + 1 < p.starts.length && p.starts[i + 1]! <= utcMs) i++;
  return i;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * `YYYY-MM-DD` of a UTC-midnight epoch ms (years 0–9999), by integer arithmetic (H. Hinnant's
 * civil_from_days): a ten-year grid formats 3,653 dates, and `toISOString` was the larger part of its cost.
 */
function civilDate(ms: number): string {
  const z = Math.floor(ms / 86_400_000) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/**
 * Builds the hour grid of a site horizon. Dates must be valid and `start_date ≤ end_date` (checked at the
 * edge; here they are preconditions). The zone's offsets are read once per transition (`offsetPieces`); every
 * day's midnight, weekday and every hour's local hour are then plain arithmetic.
 */
export function buildHourGrid(input: CalendarInput): HourGrid {
  const { timezone, start_date, end_date } = input;
  const holidays = new Set(input.holidays ?? []);
  const weekend = new Set(input.weekend_days ?? [6, 7]);
  const dayCount = daysBetween(start_date, end_date) + 1;
  const wall = (date: string): number => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  const firstWall = wall(start_date);
  // Offsets are within ±26 h of UTC: pieces over the walls ± 2 days cover every instant the grid touches.
  const pieces = offsetPieces(timezone, firstWall - 2 * 86_400_000, firstWall + (dayCount + 2) * 86_400_000);
  let hint = 0;
  const offsetAt = (utcMs: number): number => {
    hint = pieceAt(pieces, utcMs, hint);
    return pieces.offsets[hint]!;
  };
  /** Same rule as `localMidnightUtcMs`, on the pieces: the first instant whose local time is `w` 00:00. */
  const midnight = (w: number): number => {
    const u1 = w - offsetAt(w);
    const u2 = w - offsetAt(u1);
    const valid = [u1, u2].filter((u) => u + offsetAt(u) === w);
    return valid.length > 0 ? Math.min(...valid) : Math.max(u1, u2);
  };
  const dates: string[] = [];
  const dayStart = new Int32Array(dayCount + 1);
  const startMs = midnight(firstWall);
  for (let d = 0; d <= dayCount; d++) {
    const w = firstWall + d * 86_400_000;
    if (d < dayCount) dates.push(civilDate(w));
    dayStart[d] = Math.round((midnight(w) - startMs) / 3_600_000);
  }
  const hours = dayStart[dayCount] ?? 0;
  const hourClass = new Uint8Array(hours);
  for (let d = 0; d < dayCount; d++) {
    const date = dates[d] ?? '';
    const first = dayStart[d] ?? 0;
    const last = dayStart[d + 1] ?? first;
    const utcDay = new Date(firstWall + d * 86_400_000).getUTCDay();
    const weekday = utcDay === 0 ? 7 : utcDay;
    const kind: DayKind = holidays.has(date)
      ? DAY_KIND.holiday
      : weekend.has(weekday)
        ? DAY_KIND.weekend
        : DAY_KIND.weekday;
    for (let h = first; h < last; h++) {
      // Local hour of day: exact for whole-hour offsets; a DST day has 23 or 25 grid hours.
      let local = h - first;
      if (last - first !== 24) {
        const u = startMs + h * 3_600_000;
        local = Math.floor(((((u + offsetAt(u)) % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
      }
      hourClass[h] = kind * 24 + local;
    }
  }
  const dayIndex = new Map<string, number>();
  dates.forEach((date, i) => dayIndex.set(date, i));
  return {
    timezone,
    start_date,
    end_date,
    start_ms: startMs,
    hours,
    hour_class: hourClass,
    dates,
    day_start: dayStart,
    day_index: dayIndex,
  };
}

/**
 * Hour index of the local midnight starting `date`; dates after the horizon map to `grid.hours`, dates
 * before it to 0 (callers validate windows against the horizon first).
 */
export function hourIndexOfDate(grid: HourGrid, date: string): number {
  const d = grid.day_index.get(date);
  if (d !== undefined) return grid.day_start[d] ?? 0;
  return date < grid.start_date ? 0 : grid.hours;
}

/** ISO-8601 UTC timestamp of grid hour `h`. */
export function hourToIso(grid: HourGrid, h: number): string {
  return new Date(grid.start_ms + h * 3_600_000).toISOString();
}

/** Index of the local day that contains grid hour `h` (binary search over day starts). */
export function dayIndexOfHour(grid: Pick<HourGrid, 'dates' | 'day_start'>, h: number): number {
  let lo = 0;
  let hi = grid.dates.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((grid.day_start[mid] ?? 0) <= h) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Local date of grid hour `h`. */
export function hourToLocalDate(grid: HourGrid, h: number): string {
  return grid.dates[dayIndexOfHour(grid, h)] ?? grid.start_date;
}

/** Grid hour of a UTC instant, clamped to [0, hours]. */
export function hourIndexOfInstant(grid: HourGrid, utcMs: number): number {
  const h = Math.floor((utcMs - grid.start_ms) / 3_600_000);
  return Math.max(0, Math.min(grid.hours, h));
}
