/**
 * A working plan on the reduced hours: point of each load, each point's load profile and peak, and the
 * rating rules (smallest admissible rating for a peak, best ratings for a fixed assignment, objective).
 */
import { contribution, type PreparedPlan } from './prepare.js';

/** Relative slack on rating checks, absorbing float rounding only (kVA). */
const EPS = 1e-9;

export interface PlanState {
  /** Point index per load, −1 = unserved. */
  assign: Int32Array;
  /** Rating per point, kVA (0 = unused). */
  rating: number[];
}

export interface PlanScore {
  feeder_cost_kva_m: number;
  preference_cost: number;
  max_utilisation: number;
  unserved_count: number;
  total: number;
}

/** Load profile of each point over the reduced hours for an assignment, kVA. */
export function pointProfiles(prep: PreparedPlan, assign: Int32Array): Float64Array[] {
  const K = prep.reduced.hours.length;
  const prof = prep.problem.points.map(() => new Float64Array(K));
  for (let l = 0; l < assign.length; l++) {
    const p = assign[l] ?? -1;
    if (p < 0) continue;
    const row = prof[p];
    if (!row) continue;
    for (let k = prep.kFrom[l] ?? 0; k < (prep.kTo[l] ?? 0); k++)
      row[k] = (row[k] ?? 0) + contribution(prep, l, k);
  }
  return prof;
}

export function maxOf(a: Float64Array): number {
  let m = 0;
  for (const v of a) if (v > m) m = v;
  return m;
}

/**
 * Smallest admissible rating r of point p with peak ≤ β·r (DOMAIN.md §3.3: S_N = min{r : r ≥ S/β_max}).
 * @param peakKva the point's peak load, kVA
 * @returns the rating in kVA, or null when no admissible rating is large enough
 */
export function requiredRating(prep: PreparedPlan, p: number, peakKva: number): number | null {
  for (const r of prep.ratingOptions[p] ?? []) if (peakKva <= prep.loadingCap * r * (1 + EPS) + EPS) return r;
  return null;
}

/**
 * Ratings minimising the highest utilisation peak/rating for fixed point peaks, within the total cap and
 * each point's admissible ratings; points without loads get 0 unless their rating is fixed.
 * @param peaks peak load per point, kVA
 * @param used whether each point serves at least one load
 * @returns ratings per point (kVA) and the resulting highest utilisation, or null when even β-tight
 *   ratings exceed the cap
 */
export function bestRatings(
  prep: PreparedPlan,
  peaks: readonly number[],
  used: readonly boolean[],
): { rating: number[]; max_utilisation: number } | null {
  const P = prep.problem.points.length;
  const beta = prep.loadingCap;
  const cap = prep.problem.site.total_capacity_cap_kva;
  const active = (p: number): boolean => (used[p] ?? false) || (prep.mustUse[p] ?? false);
  const ratingsAt = (u: number): number[] | null => {
    const out: number[] = [];
    for (let p = 0; p < P; p++) {
      if (!active(p)) {
        out.push(0);
        continue;
      }
      const peak = peaks[p] ?? 0;
      const r = (prep.ratingOptions[p] ?? []).find((opt) => peak <= u * opt * (1 + EPS) + EPS);
      if (r === undefined) return null;
      out.push(r);
    }
    return out;
  };
  const sum = (rs: number[]): number => rs.reduce((a, b) => a + b, 0);
  const candidates = new Set<number>([beta]);
  for (let p = 0; p < P; p++) {
    if (!active(p)) continue;
    for (const r of prep.ratingOptions[p] ?? []) {
      const u = (peaks[p] ?? 0) / r;
      if (u <= beta) candidates.add(u);
    }
  }
  const sorted = [...candidates].sort((a, b) => a - b);
  const atBeta = ratingsAt(beta);
  if (!atBeta || sum(atBeta) > cap + EPS) return null;
  let lo = 0;
  let hi = sorted.length - 1; // sorted[hi] = β is feasible
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const rs = ratingsAt(sorted[mid] ?? beta);
    if (rs && sum(rs) <= cap + EPS) hi = mid;
    else lo = mid + 1;
  }
  const rating = ratingsAt(sorted[hi] ?? beta) ?? atBeta;
  let maxU = 0;
  for (let p = 0; p < P; p++)
    if ((rating[p] ?? 0) > 0) maxU = Math.max(maxU, (peaks[p] ?? 0) / (rating[p] ?? 1));
  return { rating, max_utilisation: maxU };
}

/** Objective of a plan with the problem's weights; peaks over the reduced hours (equal to the full grid). */
export function scorePlan(prep: PreparedPlan, state: PlanState): PlanScore {
  const w = prep.weights;
  let feeder = 0;
  let pref = 0;
  let unserved = 0;
  const loads = prep.problem.loads;
  for (let l = 0; l < state.assign.length; l++) {
    const p = state.assign[l] ?? -1;
    if (p < 0) {
      unserved++;
      continue;
    }
    const pair = prep.allowed[l]?.find((a) => a.point === p);
    const load = loads[l];
    if (!pair || !load) continue;
    feeder += load.demand_kva * pair.distance_m;
    pref += pair.cost - w.feeder_cost_per_kva_m * load.demand_kva * pair.distance_m;
  }
  const prof = pointProfiles(prep, state.assign);
  let maxU = 0;
  prof.forEach((row, p) => {
    const r = state.rating[p] ?? 0;
    if (r > 0) maxU = Math.max(maxU, maxOf(row) / r);
  });
  const total = w.feeder_cost_per_kva_m * feeder + pref + w.balance * maxU + w.unserved_penalty * unserved;
  return {
    feeder_cost_kva_m: feeder,
    preference_cost: pref,
    max_utilisation: maxU,
    unserved_count: unserved,
    total,
  };
}

/** Replaces the ratings of a plan by the utilisation-minimising ones when that is admissible. */
export function rebalanceRatings(prep: PreparedPlan, state: PlanState): PlanState {
  const prof = pointProfiles(prep, state.assign);
  const used = prep.problem.points.map(() => false);
  for (const p of state.assign) if (p >= 0) used[p] = true;
  const best = bestRatings(
    prep,
    prof.map((row) => maxOf(row)),
    used,
  );
  if (!best) return state;
  const count = best.rating.filter((r) => r > 0).length;
  if (count > prep.problem.site.max_supply_points) return state;
  return { assign: state.assign, rating: best.rating };
}
