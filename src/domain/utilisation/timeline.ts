/**
 * Capacity timelines: per supply point, the hourly sum of its loads' demand (kVA) over the site's hour grid,
 * kept in two series — `reserved` (committed capacity) and `pending` (requests under review) — against the
 * point's allocation limit `rating_kva × loading_cap` (β_max, GB 51348-2019 §4.3.2 ≤ 85 %, DOMAIN.md §3.3
 * and §0 step 5).
 *
 * A load's series is `demand_kva × factor(hour class)` over its window [start, end) (profile.ts); the grid
 * makes adjacent windows share no hour and applies the site's time zone once (calendar.ts).
 *
 * `SiteTimelines` is an in-memory index owned by the app layer: `addLoad` / `removeLoad` mutate only the
 * index's own arrays (no other object is touched) so that a reservation costs O(window hours) instead of a
 * rebuild. Every reader (summary.ts, capacity-check.ts) treats the series as read-only.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../errors.js';
import { HOUR_CLASSES, hourIndexOfDate, isIsoDate, type HourGrid } from '../profile/calendar.js';
import {
  addLoad as addLoadToSeries,
  windowHours,
  windowIssues,
  type DateWindow,
} from '../profile/profile.js';

/** A supply point as the timeline sees it. */
export interface TimelinePoint {
  id: string;
  /** Transformer / box-substation rating S_N, kVA. */
  rating_kva: number;
  /** β_max as a fraction of the rating (DOMAIN.md §3.3: 0.85 default, configurable 0.70–0.85). */
  loading_cap: number;
  /** First local date the point can supply (inclusive), `YYYY-MM-DD`. */
  energised_from: string;
}

export type TimelineLoadState = 'reserved' | 'pending';
export const TIMELINE_LOAD_STATES: readonly TimelineLoadState[] = ['reserved', 'pending'];

/** A load placed on a point: its computed demand shaped by its daily profile over its window. */
export interface TimelineLoad {
  id: string;
  point_id: string;
  state: TimelineLoadState;
  /** Computed demand Sjs of the request, kVA (the profile's factor 1 level). */
  demand_kva: number;
  /** [start, end) in local dates of the site's time zone. */
  window: DateWindow;
  /** 72 hour-class factors from `classFactors(shape)`. */
  factors: Float64Array;
}

/** The two series of one point and its limit. Series are indexed by grid hour, kVA. */
export interface PointTimeline {
  point: TimelinePoint;
  /** Allocation limit `rating_kva × loading_cap`, kVA. */
  limit_kva: number;
  /** Grid hour of the local midnight starting `energised_from` (0 if before the horizon, `grid.hours` if after). */
  active_from_hour: number;
  reserved: Float64Array;
  pending: Float64Array;
}

/** A load as recorded in the index, with its hour range and its energisation flag. */
export interface PlacedLoad {
  load: TimelineLoad;
  from_hour: number;
  to_hour: number;
  /** True when the window starts before the point's energisation date: such a load does not fit. */
  before_energisation: boolean;
}

/** Tolerance for "above the limit" comparisons, kVA: keeps float noise from flagging an exact fit. */
export const CAPACITY_EPSILON_KVA = 1e-9;

/** Lists every problem of a point (id, rating > 0, loading cap in (0, 1], energisation date). */
export function timelinePointIssues(point: TimelinePoint, path: (string | number)[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof point.id !== 'string' || point.id.length === 0)
    issues.push({ path: [...path, 'id'], message: 'must be a non-empty string' });
  if (!Number.isFinite(point.rating_kva) || point.rating_kva <= 0)
    issues.push({ path: [...path, 'rating_kva'], message: 'must be a positive number of kVA' });
  if (!Number.isFinite(point.loading_cap) || point.loading_cap <= 0 || point.loading_cap > 1)
    issues.push({ path: [...path, 'loading_cap'], message: 'must be a fraction in (0, 1]' });
  if (!isIsoDate(point.energised_from))
    issues.push({ path: [...path, 'energised_from'], message: 'must be a date YYYY-MM-DD' });
  return issues;
}

/**
 * Lists every problem of a load against the grid and the known points: id, point, state, demand ≥ 0 (kVA),
 * 72 finite non-negative factors (`shapeIssues` applies to the shape they came from), and the window
 * (`windowIssues`: valid dates, non-empty, inside the horizon).
 */
export function timelineLoadIssues(
  load: TimelineLoad,
  grid: Pick<HourGrid, 'start_date' | 'end_date'>,
  pointIds?: ReadonlySet<string> | ReadonlyMap<string, unknown>,
  path: (string | number)[] = [],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (typeof load.id !== 'string' || load.id.length === 0)
    issues.push({ path: [...path, 'id'], message: 'must be a non-empty string' });
  if (pointIds && !pointIds.has(load.point_id))
    issues.push({ path: [...path, 'point_id'], message: `unknown supply point "${load.point_id}"` });
  if (!TIMELINE_LOAD_STATES.includes(load.state))
    issues.push({ path: [...path, 'state'], message: `must be one of ${TIMELINE_LOAD_STATES.join(', ')}` });
  if (!Number.isFinite(load.demand_kva) || load.demand_kva < 0)
    issues.push({ path: [...path, 'demand_kva'], message: 'must be a non-negative number of kVA' });
  issues.push(...factorIssues(load.factors, [...path, 'factors']));
  issues.push(...windowIssues(load.window, grid, [...path, 'window']));
  return issues;
}

/** Problems of a 72-entry hour-class factor array (from `classFactors`). */
export function factorIssues(factors: Float64Array, path: (string | number)[] = []): FieldIssue[] {
  if (!(factors instanceof Float64Array) || factors.length !== HOUR_CLASSES)
    return [{ path, message: `must be the ${HOUR_CLASSES} hour-class factors from classFactors()` }];
  for (let i = 0; i < factors.length; i++) {
    const f = factors[i] ?? Number.NaN;
    if (!Number.isFinite(f) || f < 0) return [{ path: [...path, i], message: 'must be a finite factor ≥ 0' }];
  }
  return [];
}

/**
 * The capacity timelines of a site: one `PointTimeline` per supply point plus the loads placed on them.
 * Mutable by design (an index the app layer owns and rebuilds from storage); see the module comment.
 */
export class SiteTimelines {
  readonly grid: HourGrid;
  readonly #points = new Map<string, PointTimeline>();
  readonly #loads = new Map<string, PlacedLoad>();
  /** Memoised `dayPeak` values, by point id then count-pending flag; a point's entry is dropped when it changes. */
  readonly #dayPeaks = new Map<string, [Float64Array | undefined, Float64Array | undefined]>();

  /** Use `buildSiteTimelines`; throws `validation_failed` for an invalid or duplicate point. */
  constructor(grid: HourGrid, points: readonly TimelinePoint[]) {
    this.grid = grid;
    const issues: FieldIssue[] = [];
    points.forEach((p, i) => {
      issues.push(...timelinePointIssues(p, ['points', i]));
      if (this.#points.has(p.id))
        issues.push({ path: ['points', i, 'id'], message: `duplicate point id "${p.id}"` });
      this.#points.set(p.id, {
        point: { ...p },
        limit_kva: p.rating_kva * p.loading_cap,
        active_from_hour: isIsoDate(p.energised_from) ? hourIndexOfDate(grid, p.energised_from) : 0,
        reserved: new Float64Array(grid.hours),
        pending: new Float64Array(grid.hours),
      });
    });
    assertNoIssues(issues, 'Invalid supply points');
  }

  /** Ids of the points, in the order given. */
  pointIds(): string[] {
    return [...this.#points.keys()];
  }

  /** The timeline of a point (read-only for callers); throws `not_found` for an unknown id. */
  point(id: string): Readonly<PointTimeline> {
    const p = this.#points.get(id);
    if (!p) throw new DomainError('not_found', `Unknown supply point "${id}"`, { details: { point_id: id } });
    return p;
  }

  /** All point timelines, in the order given. */
  points(): Readonly<PointTimeline>[] {
    return [...this.#points.values()];
  }

  /** The recorded load with this id, if any. */
  load(id: string): Readonly<PlacedLoad> | undefined {
    return this.#loads.get(id);
  }

  /** Loads on a point (all points when omitted). */
  loads(pointId?: string): Readonly<PlacedLoad>[] {
    const all = [...this.#loads.values()];
    return pointId === undefined ? all : all.filter((l) => l.load.point_id === pointId);
  }

  /** Loads whose window starts before their point's energisation date (they do not fit; flagged, not dropped). */
  loadsBeforeEnergisation(pointId?: string): Readonly<PlacedLoad>[] {
    return this.loads(pointId).filter((l) => l.before_energisation);
  }

  /**
   * Records a load and adds `demand_kva × factor` to its point's `reserved` or `pending` series over the
   * window's hours. A load before its point's energisation is recorded and flagged (`before_energisation`).
   * Throws `validation_failed` for an invalid load (unknown point included) and `conflict` for a duplicate id.
   */
  addLoad(load: TimelineLoad): void {
    assertNoIssues(timelineLoadIssues(load, this.grid, this.#points, ['load']), 'Invalid timeline load');
    if (this.#loads.has(load.id))
      throw new DomainError('conflict', `Load "${load.id}" is already on the timeline`, {
        details: { load_id: load.id },
      });
    const pt = this.#points.get(load.point_id);
    if (!pt) return; // unreachable: checked by timelineLoadIssues
    const { from, to } = windowHours(this.grid, load.window);
    addLoadToSeries(seriesOf(pt, load.state), this.grid, from, to, load.demand_kva, load.factors, 1);
    this.#dayPeaks.delete(pt.point.id);
    this.#loads.set(load.id, {
      load: { ...load, window: { ...load.window } },
      from_hour: from,
      to_hour: to,
      before_energisation: load.window.start < pt.point.energised_from,
    });
  }

  /** Removes a load and subtracts its series (exact inverse of `addLoad` up to float rounding). Throws `not_found`. */
  removeLoad(id: string): void {
    const placed = this.#loads.get(id);
    if (!placed)
      throw new DomainError('not_found', `Load "${id}" is not on the timeline`, { details: { load_id: id } });
    const pt = this.#points.get(placed.load.point_id);
    if (pt) {
      const l = placed.load;
      addLoadToSeries(
        seriesOf(pt, l.state),
        this.grid,
        placed.from_hour,
        placed.to_hour,
        l.demand_kva,
        l.factors,
        -1,
      );
      this.#dayPeaks.delete(pt.point.id);
    }
    this.#loads.delete(id);
  }

  /**
   * Replaces one point — its definition (rating, loading cap, energisation), its series and its loads — with
   * `point` carrying `loads`, as if the timelines had been built with them. Throws `not_found` for an unknown
   * point and what `addLoad` throws for a bad load (the point is then left partly filled: rebuild).
   */
  replacePoint(point: TimelinePoint, loads: readonly TimelineLoad[]): void {
    const pt = this.#points.get(point.id);
    if (!pt)
      throw new DomainError('not_found', `Unknown supply point "${point.id}"`, {
        details: { point_id: point.id },
      });
    assertNoIssues(timelinePointIssues(point, ['point']), 'Invalid supply point');
    for (const [id, placed] of this.#loads) if (placed.load.point_id === point.id) this.#loads.delete(id);
    pt.point = { ...point };
    pt.limit_kva = point.rating_kva * point.loading_cap;
    pt.active_from_hour = hourIndexOfDate(this.grid, point.energised_from);
    pt.reserved.fill(0);
    pt.pending.fill(0);
    this.#dayPeaks.delete(point.id);
    for (const load of loads) this.addLoad(load);
  }

  /**
   * The load the point must carry at each hour, kVA: `reserved` plus, when `countPending`, `pending`.
   * A new array.
   */
  totalSeries(pointId: string, countPending = true): Float64Array {
    return combinedSeries(this.point(pointId), countPending);
  }

  /**
   * Per grid day d, the highest load the point carries in any hour of the day, kVA: max over the day's hours
   * of `reserved` (+ `pending` when `countPending`), summed exactly as `combinedSeries` sums them, so that a
   * bound computed from it is never below the hourly figure it bounds. Each day is computed on first use and
   * memoised until the point changes, so a check over a short window pays only for its own days.
   */
  dayPeak(pointId: string, countPending = true): (day: number) => number {
    const pt = this.point(pointId);
    let entry = this.#dayPeaks.get(pointId);
    if (!entry) {
      entry = [undefined, undefined];
      this.#dayPeaks.set(pointId, entry);
    }
    const slot = countPending ? 1 : 0;
    const { day_start: dayStart, hours } = this.grid;
    const days = this.grid.dates.length;
    const memo = (entry[slot] ??= new Float64Array(days).fill(Number.NaN));
    const reserved = pt.reserved;
    const pending = pt.pending;
    return (d: number): number => {
      const known = memo[d] as number;
      if (known === known) return known; // not NaN: computed before
      const b = d + 1 < days ? (dayStart[d + 1] as number) : hours;
      let peak = Number.NEGATIVE_INFINITY;
      for (let h = dayStart[d] as number; h < b; h++) {
        const v = countPending ? (reserved[h] as number) + (pending[h] as number) : (reserved[h] as number);
        if (v > peak) peak = v;
      }
      memo[d] = peak;
      return peak;
    };
  }
}

function seriesOf(pt: PointTimeline, state: TimelineLoadState): Float64Array {
  switch (state) {
    case 'reserved':
      return pt.reserved;
    case 'pending':
      return pt.pending;
  }
}

/** `reserved + pending` (or `reserved` alone) of a point, kVA per grid hour; a new array. */
export function combinedSeries(pt: Readonly<PointTimeline>, countPending = true): Float64Array {
  const out = Float64Array.from(pt.reserved);
  if (countPending) for (let h = 0; h < out.length; h++) out[h] = (out[h] ?? 0) + (pt.pending[h] ?? 0);
  return out;
}

/**
 * Builds the timelines of a site from its points and loads (DOMAIN.md §0 step 5).
 * @param grid the site's hour grid (`buildHourGrid`)
 * @param points supply points: rating (kVA), loading cap (fraction), energisation date
 * @param loads loads with demand (kVA), window [start, end) and hour-class factors
 * @throws DomainError `validation_failed` (bad point or load), `conflict` (duplicate load id)
 */
export function buildSiteTimelines(
  grid: HourGrid,
  points: readonly TimelinePoint[],
  loads: readonly TimelineLoad[],
): SiteTimelines {
  const t = new SiteTimelines(grid, points);
  for (const load of loads) t.addLoad(load);
  return t;
}
