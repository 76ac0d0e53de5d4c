/**
 * Utilisation figures for dashboards, read from capacity timelines (timeline.ts): peaks and when they happen,
 * headroom against the allocation limit `rating × β_max` (DOMAIN.md §3.3), utilisation against the rating and
 * against the limit, hours above the limit, the value now and the next conflict, bucketed series, and the
 * site's totals against its approved capacity (DOMAIN.md "Product decisions": ratings sum ≤ 5000 kVA on the
 * reference site).
 *
 * Hours are grid hours (calendar.ts); instants on the wire are ISO-8601 UTC (`hourToIso`), dates are local.
 * "Now" is always a parameter (a grid hour, e.g. `hourIndexOfInstant(grid, clock())`): the domain has no clock.
 */
import { DomainError } from '../errors.js';
import { addDays, dayIndexOfHour, hourToIso, type HourGrid } from '../profile/calendar.js';
import { CAPACITY_EPSILON_KVA, combinedSeries, type PointTimeline, type SiteTimelines } from './timeline.js';

/** A grid-hour range [from_hour, to_hour); defaults to the whole grid. */
export interface HourRange {
  from_hour?: number;
  to_hour?: number;
}

/** Peak of one series over a range and what it means against the point's rating and limit. */
export interface PeakFigures {
  /** Highest hourly value in the range, kVA (0 for an empty range). */
  peak_kva: number;
  /** Grid hour of the first hour at the peak; null for an empty range. */
  peak_hour: number | null;
  /** ISO-8601 UTC start of that hour. */
  peak_at: string | null;
  /** `limit_kva − peak_kva`, kVA (negative when overloaded). */
  headroom_at_peak_kva: number;
  /** `peak / rating × 100`, percent of the transformer rating S_N. */
  utilisation_of_rating_percent: number;
  /** `peak / limit × 100`, percent of the allocation limit `rating × loading_cap`. */
  utilisation_of_limit_percent: number;
}

export interface PointUtilisation {
  point_id: string;
  rating_kva: number;
  loading_cap: number;
  limit_kva: number;
  energised_from: string;
  from_hour: number;
  to_hour: number;
  /** Figures of the reserved series alone. */
  reserved: PeakFigures;
  /** Figures of reserved + pending. */
  total: PeakFigures;
  /** Hours in the range where reserved + pending > limit. */
  hours_above_limit: number;
  /** Hours in the range where reserved alone > limit. */
  hours_above_limit_reserved: number;
  /** Values at the "now" hour; null when now is outside the grid. */
  now: { hour: number; at: string; reserved_kva: number; total_kva: number } | null;
  /** Peak of reserved + pending over [max(now, from), to). */
  forecast_after_now: { peak_kva: number; peak_hour: number | null; peak_at: string | null };
  /** First hour ≥ now (searched to the end of the grid, not only the range) where reserved + pending > limit. */
  next_conflict_hour: number | null;
  next_conflict_at: string | null;
  /** Ids of loads on the point whose window starts before its energisation date (they do not fit). */
  loads_before_energisation: string[];
}

function clampRange(grid: HourGrid, range: HourRange): { from: number; to: number } {
  const from = Math.max(0, Math.min(grid.hours, Math.floor(range.from_hour ?? 0)));
  const to = Math.max(from, Math.min(grid.hours, Math.floor(range.to_hour ?? grid.hours)));
  return { from, to };
}

/** Highest value of `series` over [from, to) and its first hour (−1 for an empty range). */
export function seriesPeak(
  series: Float64Array,
  from: number,
  to: number,
): { peak_kva: number; peak_hour: number } {
  let peak = 0;
  let at = -1;
  for (let h = from; h < to; h++) {
    const v = series[h] ?? 0;
    if (at < 0 || v > peak) {
      peak = v;
      at = h;
    }
  }
  return { peak_kva: at < 0 ? 0 : peak, peak_hour: at };
}

function peakFigures(
  grid: HourGrid,
  pt: Readonly<PointTimeline>,
  series: Float64Array,
  from: number,
  to: number,
): PeakFigures {
  const { peak_kva, peak_hour } = seriesPeak(series, from, to);
  return {
    peak_kva,
    peak_hour: peak_hour < 0 ? null : peak_hour,
    peak_at: peak_hour < 0 ? null : hourToIso(grid, peak_hour),
    headroom_at_peak_kva: pt.limit_kva - peak_kva,
    utilisation_of_rating_percent: (peak_kva / pt.point.rating_kva) * 100,
    utilisation_of_limit_percent: (peak_kva / pt.limit_kva) * 100,
  };
}

function hoursAbove(series: Float64Array, limit: number, from: number, to: number): number {
  let n = 0;
  for (let h = from; h < to; h++) if ((series[h] ?? 0) > limit + CAPACITY_EPSILON_KVA) n++;
  return n;
}

/**
 * Utilisation of one supply point over a range of grid hours (DOMAIN.md §0 step 5, §3.3).
 * @param timelines the site's timelines
 * @param pointId the supply point
 * @param options `from_hour`/`to_hour`: range [from, to) in grid hours (default: whole grid);
 *   `now_hour`: the current grid hour (from the caller's clock)
 * @throws DomainError `not_found` for an unknown point
 */
export function pointUtilisation(
  timelines: SiteTimelines,
  pointId: string,
  options: HourRange & { now_hour: number },
): PointUtilisation {
  const grid = timelines.grid;
  const pt = timelines.point(pointId);
  const { from, to } = clampRange(grid, options);
  const total = combinedSeries(pt, true);
  const now = Math.floor(options.now_hour);
  const nowInGrid = now >= 0 && now < grid.hours;
  const forecast = seriesPeak(total, Math.max(now, from), to);
  let conflict = -1;
  for (let h = Math.max(0, now); h < grid.hours; h++) {
    if ((total[h] ?? 0) > pt.limit_kva + CAPACITY_EPSILON_KVA) {
      conflict = h;
      break;
    }
  }
  return {
    point_id: pt.point.id,
    rating_kva: pt.point.rating_kva,
    loading_cap: pt.point.loading_cap,
    limit_kva: pt.limit_kva,
    energised_from: pt.point.energised_from,
    from_hour: from,
    to_hour: to,
    reserved: peakFigures(grid, pt, pt.reserved, from, to),
    total: peakFigures(grid, pt, total, from, to),
    hours_above_limit: hoursAbove(total, pt.limit_kva, from, to),
    hours_above_limit_reserved: hoursAbove(pt.reserved, pt.limit_kva, from, to),
    now: nowInGrid
      ? {
          hour: now,
          at: hourToIso(grid, now),
          reserved_kva: pt.reserved[now] ?? 0,
          total_kva: total[now] ?? 0,
        }
      : null,
    forecast_after_now: {
      peak_kva: forecast.peak_kva,
      peak_hour: forecast.peak_hour < 0 ? null : forecast.peak_hour,
      peak_at: forecast.peak_hour < 0 ? null : hourToIso(grid, forecast.peak_hour),
    },
    next_conflict_hour: conflict < 0 ? null : conflict,
    next_conflict_at: conflict < 0 ? null : hourToIso(grid, conflict),
    loads_before_energisation: timelines.loadsBeforeEnergisation(pointId).map((l) => l.load.id),
  };
}

export type BucketResolution = 'hour' | 'day' | 'week';

export interface SeriesBucket {
  /** Bucket label: ISO-8601 UTC hour for `hour`; local date for `day`; the local Monday for `week`. */
  start: string;
  /** Grid hours covered, [from_hour, to_hour) — clipped to the requested range. */
  from_hour: number;
  to_hour: number;
  /** Highest hourly value in the bucket, kVA. */
  max_kva: number;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date `YYYY-MM-DD` (calendar arithmetic only). */
function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * Maximum of a series per bucket over [from, to) grid hours, for charts. Day buckets follow local days
 * (23 or 25 hours on DST days); week buckets start on local Mondays and are labelled with that Monday's date
 * (the first and last buckets may be partial).
 * @param series kVA per grid hour
 * @param grid the site's hour grid
 * @param from first grid hour (inclusive)
 * @param to last grid hour (exclusive)
 * @param resolution `hour` | `day` | `week`
 */
export function bucketSeries(
  series: Float64Array,
  grid: HourGrid,
  from: number,
  to: number,
  resolution: BucketResolution,
): SeriesBucket[] {
  const r = clampRange(grid, { from_hour: from, to_hour: to });
  const out: SeriesBucket[] = [];
  if (r.from >= r.to) return out;
  const push = (start: string, a: number, b: number): void => {
    out.push({ start, from_hour: a, to_hour: b, max_kva: seriesPeak(series, a, b).peak_kva });
  };
  switch (resolution) {
    case 'hour':
      for (let h = r.from; h < r.to; h++) push(hourToIso(grid, h), h, h + 1);
      return out;
    case 'day':
    case 'week': {
      let d = dayIndexOfHour(grid, r.from);
      let h = r.from;
      while (h < r.to) {
        const date = grid.dates[d] ?? grid.start_date;
        let label = date;
        let endDay = d + 1;
        if (resolution === 'week') {
          label = addDays(date, 1 - isoWeekday(date));
          endDay = d + (8 - isoWeekday(date));
        }
        endDay = Math.min(endDay, grid.dates.length);
        const end = Math.min(r.to, grid.day_start[endDay] ?? grid.hours);
        push(label, h, end);
        h = end;
        d = endDay;
      }
      return out;
    }
  }
}

/** Sum over all points of their series (reserved, plus pending when `countPending`), kVA per grid hour. */
export function siteSeries(timelines: SiteTimelines, countPending = true): Float64Array {
  const out = new Float64Array(timelines.grid.hours);
  for (const pt of timelines.points()) {
    for (let h = 0; h < out.length; h++) {
      out[h] = (out[h] ?? 0) + (pt.reserved[h] ?? 0) + (countPending ? (pt.pending[h] ?? 0) : 0);
    }
  }
  return out;
}

export interface SiteUtilisation {
  /** Σ point ratings, kVA. */
  rating_sum_kva: number;
  /** Σ point limits (rating × loading cap), kVA. */
  limit_sum_kva: number;
  /** The site's approved temporary capacity, kVA. */
  cap_kva: number;
  /** `rating_sum_kva ≤ cap_kva`. */
  ratings_within_cap: boolean;
  /** `cap_kva − rating_sum_kva`, kVA (negative when the ratings exceed the cap). */
  cap_headroom_kva: number;
  count_pending: boolean;
  from_hour: number;
  to_hour: number;
  /** Highest hourly sum over all points, kVA, and its hour. */
  coincident_peak_kva: number;
  coincident_peak_hour: number | null;
  coincident_peak_at: string | null;
  /** `coincident_peak / cap × 100`. */
  coincident_peak_of_cap_percent: number;
  /** Σ of each point's own peak over the range, kVA (≥ the coincident peak). */
  sum_of_point_peaks_kva: number;
  points: { point_id: string; peak_kva: number; peak_at: string | null }[];
}

/**
 * Site totals: ratings against the approved capacity (DOMAIN.md "Product decisions": the reference plan's
 * ratings sum ≤ 5000 kVA), the coincident site peak and the sum of per-point peaks.
 * @param timelines the site's timelines
 * @param options `cap_kva`: approved site capacity, kVA (5000 on the reference site); range in grid hours;
 *   `count_pending` (default true): include pending loads
 * @throws DomainError `validation_failed` for a non-positive cap
 */
export function siteUtilisation(
  timelines: SiteTimelines,
  options: HourRange & { cap_kva: number; count_pending?: boolean },
): SiteUtilisation {
  if (!Number.isFinite(options.cap_kva) || options.cap_kva <= 0)
    throw new DomainError('validation_failed', 'The site capacity cap must be positive', {
      issues: [{ path: ['cap_kva'], message: 'must be a positive number of kVA' }],
    });
  const grid = timelines.grid;
  const countPending = options.count_pending ?? true;
  const { from, to } = clampRange(grid, options);
  const pts = timelines.points();
  const ratingSum = pts.reduce((s, p) => s + p.point.rating_kva, 0);
  const site = siteSeries(timelines, countPending);
  const peak = seriesPeak(site, from, to);
  const perPoint = pts.map((pt) => {
    const p = seriesPeak(combinedSeries(pt, countPending), from, to);
    return {
      point_id: pt.point.id,
      peak_kva: p.peak_kva,
      peak_at: p.peak_hour < 0 ? null : hourToIso(grid, p.peak_hour),
    };
  });
  return {
    rating_sum_kva: ratingSum,
    limit_sum_kva: pts.reduce((s, p) => s + p.limit_kva, 0),
    cap_kva: options.cap_kva,
    ratings_within_cap: ratingSum <= options.cap_kva + CAPACITY_EPSILON_KVA,
    cap_headroom_kva: options.cap_kva - ratingSum,
    count_pending: countPending,
    from_hour: from,
    to_hour: to,
    coincident_peak_kva: peak.peak_kva,
    coincident_peak_hour: peak.peak_hour < 0 ? null : peak.peak_hour,
    coincident_peak_at: peak.peak_hour < 0 ? null : hourToIso(grid, peak.peak_hour),
    coincident_peak_of_cap_percent: (peak.peak_kva / options.cap_kva) * 100,
    sum_of_point_peaks_kva: perPoint.reduce((s, p) => s + p.peak_kva, 0),
    points: perPoint,
  };
}
