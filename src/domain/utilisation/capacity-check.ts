/**
 * "Would it fit": checks a candidate load against every candidate supply point's timeline without reserving
 * anything (DOMAIN.md §0 step 5: Σ demand of overlapping loads ≤ β_max × S_N in every hour; §4.2 voltage-drop
 * budget on the feeder from the point to the load).
 *
 * Ranking of points (documented contract): points that fit first, then the shortest distance (shorter feeder:
 * less cable, less voltage drop), then the most minimum headroom, then the point id.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../errors.js';
import { ruleSet } from '../catalog/rule-sets.js';
import { addDays, dayIndexOfHour, daysBetween, hourToIso, type HourGrid } from '../profile/calendar.js';
import { windowHours, windowIssues, type DateWindow } from '../profile/profile.js';
import { CAPACITY_EPSILON_KVA, factorIssues, type PointTimeline, type SiteTimelines } from './timeline.js';
import { distanceM } from '../site.js';

/** A position on the site grid, metres east (x) and north (y) of the site origin. */
export interface PositionM {
  x: number;
  y: number;
}

export interface CandidateLoad {
  /** Computed demand Sjs, kVA (factor-1 level of the shape). */
  demand_kva: number;
  /** Computed active demand Pjs, kW (for the feeder estimate). */
  active_power_kw: number;
  /** Computed reactive demand Qjs, kvar (for the feeder estimate). */
  reactive_power_kvar: number;
  /** 72 hour-class factors from `classFactors(shape)`. */
  factors: Float64Array;
  /** [start, end) local dates. */
  window: DateWindow;
  position_m: PositionM;
}

export interface FeederEstimate {
  cross_section_mm2: number;
  voltage_drop_percent: number;
}

/**
 * Injected feeder sizing (network/ engine): the smallest cable for the load over `distance_m` and its
 * voltage drop, or null when no cable in the catalogue can supply it.
 */
export type FeederEstimator = (
  distance_m: number,
  active_power_kw: number,
  reactive_power_kvar: number,
) => FeederEstimate | null;

export interface CapacityCheckOptions {
  /** Count pending loads as taken capacity (default true: the conservative view). */
  count_pending?: boolean;
  /** Feeder estimator; when omitted, no voltage-drop check is made and `feeder` is null. */
  estimateFeeder?: FeederEstimator;
  /** Voltage-drop budget from the point's LV bus to the load, percent (default: JGJ 46-2005 7.1.3, 5 %). */
  voltage_drop_budget_percent?: number;
}

export type FitReasonCode = 'before_energisation' | 'insufficient_headroom' | 'voltage_drop' | 'no_feeder';

export interface FitReason {
  code: FitReasonCode;
  message: string;
}

export interface PointFit {
  point_id: string;
  fits: boolean;
  /** Every reason the load does not fit (empty when it fits). */
  reasons: FitReason[];
  /** Euclidean distance from the point to the load, m. */
  distance_m: number;
  limit_kva: number;
  /** min over the window of `limit − existing − candidate`, kVA (negative: overloaded). */
  min_headroom_kva: number;
  min_headroom_hour: number;
  min_headroom_at: string;
  /** First hour of the window where existing + candidate > limit; null if none. */
  first_conflict_hour: number | null;
  first_conflict_at: string | null;
  feeder: FeederEstimate | null;
}

export interface CapacityCheckResult {
  window: DateWindow;
  count_pending: boolean;
  voltage_drop_budget_percent: number;
  /** One entry per candidate point, ranked (fits, distance, headroom, id). */
  points: PointFit[];
  /** The first ranked point if it fits, else the first ranked point anyway (null without points). */
  best_point_id: string | null;
  /** Whether the candidate fits at the best point as requested. */
  fits: boolean;
  /**
   * The earliest window (same number of days, starting on or after the requested start, ending within the
   * horizon) in which the load fits, searched at the best-ranked point whose only reasons are ones a delay
   * can cure (before energisation, insufficient headroom) — i.e. the best point unless it fails on voltage
   * drop / no feeder. Equals the requested window when the best point fits. Null when no such window exists.
   */
  earliest_fit: { point_id: string; window: DateWindow } | null;
}

const TIME_CURABLE: ReadonlySet<FitReasonCode> = new Set<FitReasonCode>([
  'before_energisation',
  'insufficient_headroom',
]);

/** Euclidean distance on the site grid, m (one definition: `domain/site.ts`). */
export { distanceM } from '../site.js';

/** Lists every problem of a candidate load against the grid. */
export function candidateIssues(
  candidate: CandidateLoad,
  grid: Pick<HourGrid, 'start_date' | 'end_date'>,
  path: (string | number)[] = ['candidate'],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const key of ['demand_kva', 'active_power_kw', 'reactive_power_kvar'] as const) {
    const v = candidate[key];
    if (!Number.isFinite(v) || v < 0)
      issues.push({ path: [...path, key], message: 'must be a non-negative number' });
  }
  issues.push(...factorIssues(candidate.factors, [...path, 'factors']));
  issues.push(...windowIssues(candidate.window, grid, [...path, 'window']));
  const pos = candidate.position_m;
  if (!pos || !Number.isFinite(pos.x) || !Number.isFinite(pos.y))
    issues.push({ path: [...path, 'position_m'], message: 'must have finite x and y in metres' });
  return issues;
}

function existingAt(pt: Readonly<PointTimeline>, h: number, countPending: boolean): number {
  return (pt.reserved[h] ?? 0) + (countPending ? (pt.pending[h] ?? 0) : 0);
}

/** The candidate's series over the window and its highest value. */
interface CandidateSeries {
  /** kVA at window hour i (grid hour `from + i`). */
  series: Float64Array;
  /** max of `series` (−∞ for an empty window). */
  max: number;
}

function checkPoint(
  timelines: SiteTimelines,
  pt: Readonly<PointTimeline>,
  position: PositionM,
  candidate: CandidateLoad,
  from: number,
  to: number,
  countPending: boolean,
  estimateFeeder: FeederEstimator | undefined,
  budgetPercent: number,
  cand: CandidateSeries,
): PointFit {
  const grid = timelines.grid;
  const reserved = pt.reserved;
  const pending = pt.pending;
  const limit = pt.limit_kva;
  const series = cand.series;
  // Day by day: a day whose peak load plus the candidate's peak leaves at least the headroom found so far
  // cannot lower the minimum (floating-point subtraction is monotone), so only its bound is computed. Scanned
  // hours use plain typed-array reads; days are in order, so the first hour of the minimum is kept.
  const peakOf = timelines.dayPeak(pt.point.id, countPending);
  const dayStart = grid.day_start;
  const days = grid.dates.length;
  const firstDay = from < to ? dayIndexOfHour(grid, from) : days;
  let minHead = Number.POSITIVE_INFINITY;
  let minHour = from;
  for (let d = firstDay; d < days && (dayStart[d] as number) < to; d++) {
    if (limit - peakOf(d) - cand.max >= minHead) continue;
    const a = Math.max(dayStart[d] as number, from);
    const b = Math.min(d + 1 < days ? (dayStart[d + 1] as number) : grid.hours, to);
    for (let h = a; h < b; h++) {
      const existing = countPending
        ? (reserved[h] as number) + (pending[h] as number)
        : (reserved[h] as number);
      const head = limit - existing - (series[h - from] as number);
      if (head < minHead) {
        minHead = head;
        minHour = h;
      }
    }
  }
  // The first conflict needs its own pass: the pass above skips days that cannot lower the minimum, which
  // may hold the first conflict. (The hourly expression is written out in both loops on purpose: as a shared
  // closure it measured ~50 % slower.)
  let conflict = -1;
  if (minHead < -CAPACITY_EPSILON_KVA)
    for (let d = firstDay; conflict < 0 && d < days && (dayStart[d] as number) < to; d++) {
      if (limit - peakOf(d) - cand.max >= -CAPACITY_EPSILON_KVA) continue;
      const a = Math.max(dayStart[d] as number, from);
      const b = Math.min(d + 1 < days ? (dayStart[d + 1] as number) : grid.hours, to);
      for (let h = a; h < b; h++) {
        const existing = countPending
          ? (reserved[h] as number) + (pending[h] as number)
          : (reserved[h] as number);
        if (limit - existing - (series[h - from] as number) < -CAPACITY_EPSILON_KVA) {
          conflict = h;
          break;
        }
      }
    }
  const distance = distanceM(position, candidate.position_m);
  const reasons: FitReason[] = [];
  if (candidate.window.start < pt.point.energised_from)
    reasons.push({
      code: 'before_energisation',
      message: `the window starts ${candidate.window.start}, before the point is energised (${pt.point.energised_from})`,
    });
  if (conflict >= 0)
    reasons.push({
      code: 'insufficient_headroom',
      message: `short by ${(-minHead).toFixed(1)} kVA at ${hourToIso(grid, minHour)} (limit ${pt.limit_kva.toFixed(1)} kVA)`,
    });
  let feeder: FeederEstimate | null = null;
  if (estimateFeeder) {
    feeder = estimateFeeder(distance, candidate.active_power_kw, candidate.reactive_power_kvar);
    if (!feeder)
      reasons.push({
        code: 'no_feeder',
        message: `no feeder in the catalogue can supply the load over ${distance.toFixed(0)} m`,
      });
    else if (feeder.voltage_drop_percent > budgetPercent)
      reasons.push({
        code: 'voltage_drop',
        message: `voltage drop ${feeder.voltage_drop_percent.toFixed(2)} % over ${distance.toFixed(0)} m exceeds the ${budgetPercent} % budget`,
      });
  }
  return {
    point_id: pt.point.id,
    fits: reasons.length === 0,
    reasons,
    distance_m: distance,
    limit_kva: pt.limit_kva,
    min_headroom_kva: minHead === Number.POSITIVE_INFINITY ? pt.limit_kva : minHead,
    min_headroom_hour: minHour,
    min_headroom_at: hourToIso(grid, minHour),
    first_conflict_hour: conflict < 0 ? null : conflict,
    first_conflict_at: conflict < 0 ? null : hourToIso(grid, conflict),
    feeder,
  };
}

/** Ranking contract: fits first, then shorter distance, then more minimum headroom, then id. */
export function comparePointFits(a: PointFit, b: PointFit): number {
  if (a.fits !== b.fits) return a.fits ? -1 : 1;
  if (a.distance_m !== b.distance_m) return a.distance_m - b.distance_m;
  if (a.min_headroom_kva !== b.min_headroom_kva) return b.min_headroom_kva - a.min_headroom_kva;
  return a.point_id < b.point_id ? -1 : a.point_id > b.point_id ? 1 : 0;
}

/**
 * Earliest start day index ≥ `firstDay` at which a window of `lengthDays` fits on the point, or −1.
 * A day is blocked when it is before energisation or when existing + candidate > limit in any of its hours;
 * because the candidate's value at an hour depends only on that hour's class, a window fits iff it contains
 * no blocked day — one O(hours) pass marks blocked days, one O(days) pass finds the first free run.
 */
function earliestFitDay(
  timelines: SiteTimelines,
  pt: Readonly<PointTimeline>,
  candidate: CandidateLoad,
  firstDay: number,
  lengthDays: number,
  countPending: boolean,
): number {
  const grid = timelines.grid;
  const days = grid.dates.length;
  const hc = grid.hour_class;
  const peakOf = timelines.dayPeak(pt.point.id, countPending);
  // The candidate's highest hourly demand anywhere: a day whose peak plus it stays within the limit is free.
  let candidateMax = 0;
  for (const f of candidate.factors) candidateMax = Math.max(candidateMax, candidate.demand_kva * f);
  const ceiling = pt.limit_kva + CAPACITY_EPSILON_KVA;
  let run = 0;
  for (let d = firstDay; d < days; d++) {
    let blocked = (grid.dates[d] ?? '') < pt.point.energised_from;
    if (!blocked && peakOf(d) + candidateMax > ceiling) {
      const a = grid.day_start[d] ?? 0;
      const b = grid.day_start[d + 1] ?? grid.hours;
      for (let h = a; h < b && !blocked; h++) {
        const cand = candidate.demand_kva * (candidate.factors[hc[h] ?? 0] ?? 0);
        if (existingAt(pt, h, countPending) + cand > ceiling) blocked = true;
      }
    }
    run = blocked ? 0 : run + 1;
    if (run === lengthDays) return d - lengthDays + 1;
  }
  return -1;
}

/**
 * Would the candidate fit, and where? Nothing is reserved.
 * @param timelines the site's timelines (carries the hour grid)
 * @param points candidate supply points with their positions (m, site grid); each must be on the timelines
 * @param candidate demand (kVA), P (kW), Q (kvar), hour-class factors, window [start, end), position (m)
 * @param options `count_pending` (default true), injected `estimateFeeder`, `voltage_drop_budget_percent`
 *   (default 5 %, JGJ 46-2005 7.1.3 / DOMAIN.md §4.2)
 * @throws DomainError `validation_failed` for an invalid candidate, `not_found` for a point not on the timelines
 */
export function checkCapacity(
  timelines: SiteTimelines,
  points: readonly { id: string; position_m: PositionM }[],
  candidate: CandidateLoad,
  options: CapacityCheckOptions = {},
): CapacityCheckResult {
  const grid = timelines.grid;
  assertNoIssues(candidateIssues(candidate, grid), 'Invalid candidate load');
  const countPending = options.count_pending ?? true;
  const budget = options.voltage_drop_budget_percent ?? ruleSet('JGJ46-2005').voltage_drop_budget_percent;
  if (!Number.isFinite(budget) || budget <= 0)
    throw new DomainError('validation_failed', 'Invalid voltage-drop budget', {
      issues: [{ path: ['voltage_drop_budget_percent'], message: 'must be a positive percentage' }],
    });
  const positionIssues: FieldIssue[] = [];
  points.forEach((p, i) => {
    if (!p.position_m || !Number.isFinite(p.position_m.x) || !Number.isFinite(p.position_m.y))
      positionIssues.push({
        path: ['points', i, 'position_m'],
        message: 'must have finite x and y in metres',
      });
  });
  assertNoIssues(positionIssues, 'Invalid supply-point positions');
  const { from, to } = windowHours(grid, candidate.window);
  // The candidate's own series over the window, computed once for all points.
  const series = new Float64Array(Math.max(0, to - from));
  const hourClass = grid.hour_class;
  const factors = candidate.factors;
  const demand = candidate.demand_kva;
  let max = Number.NEGATIVE_INFINITY;
  for (let h = from, i = 0; h < to; h++, i++) {
    const v = demand * (factors[hourClass[h] as number] as number);
    series[i] = v;
    if (v > max) max = v;
  }
  const candidateSeries: CandidateSeries = { series, max };
  const fits = points
    .map((p) =>
      checkPoint(
        timelines,
        timelines.point(p.id),
        p.position_m,
        candidate,
        from,
        to,
        countPending,
        options.estimateFeeder,
        budget,
        candidateSeries,
      ),
    )
    .sort(comparePointFits);
  const best = fits[0];
  // Delay cures only time-dependent reasons: search at the best-ranked point that has no other kind.
  const curable = fits.find((f) => f.reasons.every((r) => TIME_CURABLE.has(r.code)));
  let earliest: CapacityCheckResult['earliest_fit'] = null;
  if (curable?.fits) earliest = { point_id: curable.point_id, window: { ...candidate.window } };
  else if (curable) {
    const length = daysBetween(candidate.window.start, candidate.window.end);
    const firstDay = grid.day_index.get(candidate.window.start) ?? 0;
    const d = earliestFitDay(
      timelines,
      timelines.point(curable.point_id),
      candidate,
      firstDay,
      length,
      countPending,
    );
    if (d >= 0) {
      const start = grid.dates[d] ?? grid.start_date;
      earliest = { point_id: curable.point_id, window: { start, end: addDays(start, length) } };
    }
  }
  return {
    window: { ...candidate.window },
    count_pending: countPending,
    voltage_drop_budget_percent: budget,
    points: fits,
    best_point_id: best?.point_id ?? null,
    fits: best?.fits ?? false,
    earliest_fit: earliest,
  };
}
