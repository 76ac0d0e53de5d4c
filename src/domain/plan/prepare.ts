/**
 * Preparation shared by the MIP model, the heuristic and the explanations: input validation, allowed
 * (load, point) pairs with their feeder cost and feeder check, each point's rating options, the reduced hour
 * set and each load's contribution at those hours.
 */
import { DomainError, assertNoIssues, type FieldIssue } from '../errors.js';
import { TRANSFORMER_RATINGS_KVA, isStandardRating } from '../catalog/transformers.js';
import { HOUR_CLASSES, isIsoDate, type HourGrid } from '../profile/calendar.js';
import { windowHours, windowIssues } from '../profile/profile.js';
import { lowerBound, reduceHours, type ReducedHours } from './hours.js';
import type {
  FeederCheck,
  FeederCheckResult,
  PlanProblem,
  PlanWeights,
  StartingDipCheck,
  UnservedReason,
} from './types.js';
import { distanceM } from '../site.js';

export interface AllowedPair {
  point: number;
  distance_m: number;
  /** Objective coefficient of the pair: feeder_cost·demand·distance + preference cost. */
  cost: number;
  feeder: FeederCheckResult;
}

export interface PreparedPlan {
  problem: PlanProblem;
  grid: HourGrid;
  weights: Required<PlanWeights>;
  loadingCap: number;
  reduced: ReducedHours;
  /** Grid hour range [from, to) of each load's window. */
  loadFrom: Int32Array;
  loadTo: Int32Array;
  /** Range [kFrom, kTo) of reduced-hour indices inside each load's window. */
  kFrom: Int32Array;
  kTo: Int32Array;
  /** Allowed pairs per load, cheapest first (empty when the load cannot be served anywhere). */
  allowed: AllowedPair[][];
  /** Why a load with no allowed pair cannot be served. */
  blocked: (UnservedReason | null)[];
  /** Allowed non-zero ratings per point, ascending, kVA. */
  ratingOptions: number[][];
  /** The point must be installed (fixed rating). */
  mustUse: boolean[];
  pointIndex: Map<string, number>;
  loadIndex: Map<string, number>;
}

/** Euclidean distance on the site grid, m (one definition: `domain/site.ts`). */
export { distanceM } from '../site.js';

/** Contribution of load `l` at reduced hour `k`, kVA (demand × factor of the hour's class). */
export function contribution(prep: PreparedPlan, l: number, k: number): number {
  const load = prep.problem.loads[l];
  const h = prep.reduced.hours[k] ?? 0;
  return (load?.demand_kva ?? 0) * (load?.factors[prep.grid.hour_class[h] ?? 0] ?? 0);
}

/** Lists every invalid field of a planning problem (ids, ratings, factors, windows, limits). */
export function planProblemIssues(problem: PlanProblem, grid: HourGrid): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const s = problem.site;
  const positive = (v: number, path: (string | number)[]): void => {
    if (!Number.isFinite(v) || v <= 0) issues.push({ path, message: 'must be a positive number' });
  };
  positive(s.total_capacity_cap_kva, ['site', 'total_capacity_cap_kva']);
  positive(s.voltage_drop_budget_percent, ['site', 'voltage_drop_budget_percent']);
  if (!Number.isInteger(s.max_supply_points) || s.max_supply_points < 0)
    issues.push({ path: ['site', 'max_supply_points'], message: 'must be a non-negative integer' });
  if (!(s.loading_cap > 0 && s.loading_cap <= 1))
    issues.push({ path: ['site', 'loading_cap'], message: 'must be in (0, 1]' });
  const ids = new Set<string>();
  problem.points.forEach((p, i) => {
    if (ids.has(p.id)) issues.push({ path: ['points', i, 'id'], message: `duplicate point id ${p.id}` });
    ids.add(p.id);
    if (!isIsoDate(p.energised_from))
      issues.push({ path: ['points', i, 'energised_from'], message: 'must be a date YYYY-MM-DD' });
    for (const key of ['rating_kva', 'min_rating_kva', 'max_rating_kva'] as const) {
      const v = p[key];
      if (v !== undefined && v !== 0 && !isStandardRating(v))
        issues.push({
          path: ['points', i, key],
          message: `must be a standard rating (${TRANSFORMER_RATINGS_KVA.join(', ')})`,
        });
    }
    if (p.rating_kva === 0)
      issues.push({
        path: ['points', i, 'rating_kva'],
        message: 'a fixed rating must be a standard rating; omit it to let the planner size the point',
      });
  });
  const loadIds = new Set<string>();
  problem.loads.forEach((l, i) => {
    if (loadIds.has(l.id)) issues.push({ path: ['loads', i, 'id'], message: `duplicate load id ${l.id}` });
    loadIds.add(l.id);
    if (!Number.isFinite(l.demand_kva) || l.demand_kva < 0)
      issues.push({ path: ['loads', i, 'demand_kva'], message: 'must be ≥ 0' });
    if (l.factors.length !== HOUR_CLASSES || l.factors.some((f) => !Number.isFinite(f) || f < 0))
      issues.push({
        path: ['loads', i, 'factors'],
        message: `must be ${HOUR_CLASSES} non-negative hour-class factors`,
      });
    issues.push(...windowIssues(l.window, grid, ['loads', i, 'window']));
    if (l.preferred_point_id !== undefined && !ids.has(l.preferred_point_id))
      issues.push({
        path: ['loads', i, 'preferred_point_id'],
        message: `unknown point ${l.preferred_point_id}`,
      });
  });
  return issues;
}

/** Allowed non-zero ratings of a point (fixed → that one; else the standard ratings within [min, max]). */
export function pointRatingOptions(point: PlanProblem['points'][number]): number[] {
  if (point.rating_kva !== undefined) return [point.rating_kva];
  const lo = point.min_rating_kva ?? 0;
  const hi = point.max_rating_kva ?? Number.POSITIVE_INFINITY;
  return TRANSFORMER_RATINGS_KVA.filter((r) => r >= lo && r <= hi);
}

/**
 * Validates the problem and precomputes everything the planners share.
 * @param feederCheck the network module's feeder check (distance m, P kW, Q kvar)
 * @param startingDipCheck the largest motor's starting-dip check; a pair is allowed only when the dip passes
 *   at the point's largest admissible rating (the dip only improves with a larger transformer)
 * @throws DomainError `validation_failed` listing every invalid field
 */
export function preparePlan(
  problem: PlanProblem,
  grid: HourGrid,
  feederCheck: FeederCheck,
  startingDipCheck?: StartingDipCheck,
): PreparedPlan {
  assertNoIssues(planProblemIssues(problem, grid), 'The planning problem has invalid fields');
  const { loads, points, site } = problem;
  const pointIndex = new Map(points.map((p, i) => [p.id, i] as const));
  const loadIndex = new Map(loads.map((l, i) => [l.id, i] as const));
  const ratingOptions = points.map(pointRatingOptions);
  const mustUse = points.map((p) => p.rating_kva !== undefined);
  ratingOptions.forEach((opts, i) => {
    if (opts.length === 0 && mustUse[i])
      throw new DomainError('validation_failed', 'A point has no admissible rating', {
        issues: [{ path: ['points', i], message: 'min/max leave no rating' }],
      });
  });

  const feederW = problem.weights?.feeder_cost_per_kva_m ?? 1;
  const prefW = problem.weights?.off_preference_kva_m ?? 0;
  const allowed: AllowedPair[][] = [];
  const blocked: (UnservedReason | null)[] = [];
  const loadFrom = new Int32Array(loads.length);
  const loadTo = new Int32Array(loads.length);
  let maxCost = 0;
  loads.forEach((load, l) => {
    const w = windowHours(grid, load.window);
    loadFrom[l] = w.from;
    loadTo[l] = w.to;
    const pairs: AllowedPair[] = [];
    let anyEnergised = false;
    let dipRefused = 0;
    if (!(load.lv_threshold_exceeded && load.lv_override !== true)) {
      points.forEach((p, pi) => {
        if ((ratingOptions[pi] ?? []).length === 0) return;
        if (load.window.start < p.energised_from) return;
        anyEnergised = true;
        const distance = distanceM(load.position_m, p.position_m);
        const feeder = feederCheck(distance, load.active_power_kw, load.reactive_power_kvar);
        if (!feeder.ok) return;
        if (startingDipCheck !== undefined && load.largest_motor !== undefined) {
          const opts = ratingOptions[pi] ?? [];
          const largest = opts[opts.length - 1] ?? 0;
          if (!startingDipCheck(load, p.id, largest, distance, feeder.cross_section_mm2)) {
            dipRefused++;
            return;
          }
        }
        const pref = load.preferred_point_id !== undefined && load.preferred_point_id !== p.id ? prefW : 0;
        const cost = feederW * load.demand_kva * distance + pref;
        maxCost = Math.max(maxCost, cost);
        pairs.push({ point: pi, distance_m: distance, cost, feeder });
      });
      pairs.sort((a, b) => a.cost - b.cost || a.point - b.point);
      blocked.push(
        pairs.length > 0
          ? null
          : anyEnergised
            ? dipRefused > 0
              ? 'starting_dip_at_every_point'
              : 'voltage_drop_at_every_point_with_headroom'
            : 'window_before_every_energisation',
      );
    } else {
      blocked.push('above_low_voltage_threshold');
    }
    allowed.push(pairs);
  });

  const weights: Required<PlanWeights> = {
    feeder_cost_per_kva_m: feederW,
    balance: problem.weights?.balance ?? 1000,
    unserved_penalty: problem.weights?.unserved_penalty ?? Math.max(1e6, 100 * maxCost),
    off_preference_kva_m: prefW,
  };

  // Only loads that can be served shape the reduced hours (the others never load a point).
  const servable = loads.filter((_, l) => (allowed[l] ?? []).length > 0);
  const reduced = reduceHours(
    grid,
    servable,
    points.map((p) => p.energised_from),
  );
  const kFrom = new Int32Array(loads.length);
  const kTo = new Int32Array(loads.length);
  for (let l = 0; l < loads.length; l++) {
    kFrom[l] = lowerBound(reduced.hours, loadFrom[l] ?? 0);
    kTo[l] = lowerBound(reduced.hours, loadTo[l] ?? 0);
  }
  return {
    problem,
    grid,
    weights,
    loadingCap: site.loading_cap,
    reduced,
    loadFrom,
    loadTo,
    kFrom,
    kTo,
    allowed,
    blocked,
    ratingOptions,
    mustUse,
    pointIndex,
    loadIndex,
  };
}
