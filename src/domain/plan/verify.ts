/**
 * Hour-by-hour re-check of a plan over the FULL site grid, independent of the reduced hours and of the
 * model: capacity (peak ≤ β·rating, GB 51348-2019 §4.3.2 via DOMAIN.md §3.3), energisation before the
 * window start, feeder voltage drop (DOMAIN.md §4.2), total cap, point count, LV threshold (DOMAIN.md §5.2),
 * admissible standard ratings (DOMAIN.md §3.1).
 */
import { isStandardRating } from '../catalog/transformers.js';
import { hourToIso, type HourGrid } from '../profile/calendar.js';
import { addLoad, windowHours } from '../profile/profile.js';
import { distanceM } from './prepare.js';
import type { FeederCheck, PlanAssignment, PlanProblem, Violation } from './types.js';

/** Tolerance on capacity checks, relative to the limit (float rounding only). */
const REL_TOL = 1e-7;

export interface PointSeriesPeak {
  peak_kva: number;
  /** Grid hour of the first peak, or −1 when the point never carries load. */
  peak_hour: number;
}

/**
 * Each point's hourly load over the full grid and its peak.
 * @returns per point id: the peak (kVA) and its grid hour
 */
export function pointPeaks(
  problem: PlanProblem,
  grid: HourGrid,
  plan: PlanAssignment,
): Map<string, PointSeriesPeak> {
  const series = new Map<string, Float64Array>();
  const loadById = new Map(problem.loads.map((l) => [l.id, l] as const));
  for (const [loadId, pointId] of Object.entries(plan.assignment)) {
    const load = loadById.get(loadId);
    if (!load) continue;
    let s = series.get(pointId);
    if (!s) {
      s = new Float64Array(grid.hours);
      series.set(pointId, s);
    }
    const w = windowHours(grid, load.window);
    addLoad(s, grid, w.from, w.to, load.demand_kva, load.factors);
  }
  const out = new Map<string, PointSeriesPeak>();
  for (const p of problem.points) {
    const s = series.get(p.id);
    let peak = 0;
    let hour = -1;
    if (s)
      for (let h = 0; h < s.length; h++)
        if ((s[h] ?? 0) > peak) {
          peak = s[h] ?? 0;
          hour = h;
        }
    out.set(p.id, { peak_kva: peak, peak_hour: hour });
  }
  return out;
}

/**
 * Lists every violation of a plan (empty = the plan is valid).
 * @param feederCheck the network module's feeder check (distance m, P kW, Q kvar)
 */
export function verifyPlan(
  problem: PlanProblem,
  grid: HourGrid,
  plan: PlanAssignment,
  feederCheck: FeederCheck,
): Violation[] {
  const v: Violation[] = [];
  const { site } = problem;
  const pointById = new Map(problem.points.map((p) => [p.id, p] as const));
  const loadIds = new Set(problem.loads.map((l) => l.id));

  let sum = 0;
  let used = 0;
  for (const [pointId, r] of Object.entries(plan.ratings)) {
    const p = pointById.get(pointId);
    if (!p) {
      v.push({ kind: 'unknown_reference', point_id: pointId, message: `unknown point ${pointId}` });
      continue;
    }
    sum += r;
    if (r > 0) used++;
    if (r !== 0 && !isStandardRating(r))
      v.push({ kind: 'rating', point_id: pointId, value: r, message: `${r} kVA is not a standard rating` });
    if (p.rating_kva !== undefined && r !== p.rating_kva)
      v.push({
        kind: 'rating',
        point_id: pointId,
        value: r,
        limit: p.rating_kva,
        message: `the point's rating is fixed at ${p.rating_kva} kVA`,
      });
    if (r > 0 && p.min_rating_kva !== undefined && r < p.min_rating_kva)
      v.push({
        kind: 'rating',
        point_id: pointId,
        value: r,
        limit: p.min_rating_kva,
        message: `rating below the point's minimum ${p.min_rating_kva} kVA`,
      });
    if (p.max_rating_kva !== undefined && r > p.max_rating_kva)
      v.push({
        kind: 'rating',
        point_id: pointId,
        value: r,
        limit: p.max_rating_kva,
        message: `rating above the point's maximum ${p.max_rating_kva} kVA`,
      });
  }
  for (const p of problem.points)
    if (p.rating_kva !== undefined && plan.ratings[p.id] === undefined)
      v.push({
        kind: 'rating',
        point_id: p.id,
        limit: p.rating_kva,
        message: `the point's rating is fixed at ${p.rating_kva} kVA`,
      });
  if (sum > site.total_capacity_cap_kva * (1 + REL_TOL))
    v.push({
      kind: 'total_capacity_cap',
      value: sum,
      limit: site.total_capacity_cap_kva,
      message: `ratings sum to ${sum} kVA, above the ${site.total_capacity_cap_kva} kVA cap`,
    });
  if (used > site.max_supply_points)
    v.push({
      kind: 'point_count',
      value: used,
      limit: site.max_supply_points,
      message: `${used} points used, at most ${site.max_supply_points} allowed`,
    });

  const loadById = new Map(problem.loads.map((l) => [l.id, l] as const));
  for (const [loadId, pointId] of Object.entries(plan.assignment)) {
    const load = loadById.get(loadId);
    const point = pointById.get(pointId);
    if (!load || !loadIds.has(loadId) || !point) {
      v.push({
        kind: 'unknown_reference',
        load_id: loadId,
        point_id: pointId,
        message: `unknown load or point (${loadId} → ${pointId})`,
      });
      continue;
    }
    if ((plan.ratings[pointId] ?? 0) <= 0)
      v.push({
        kind: 'unrated_point',
        load_id: loadId,
        point_id: pointId,
        message: `load ${loadId} is assigned to unused point ${pointId}`,
      });
    if (load.window.start < point.energised_from)
      v.push({
        kind: 'energisation',
        load_id: loadId,
        point_id: pointId,
        message: `window starts ${load.window.start}, point energised from ${point.energised_from}`,
      });
    if (load.lv_threshold_exceeded && load.lv_override !== true)
      v.push({
        kind: 'low_voltage_threshold',
        load_id: loadId,
        point_id: pointId,
        message: `load ${loadId} exceeds the LV threshold and needs a dedicated supply`,
      });
    const d = distanceM(load.position_m, point.position_m);
    const f = feederCheck(d, load.active_power_kw, load.reactive_power_kvar);
    if (!f.ok)
      v.push({
        kind: 'voltage_drop',
        load_id: loadId,
        point_id: pointId,
        ...(f.voltage_drop_percent !== undefined ? { value: f.voltage_drop_percent } : {}),
        limit: site.voltage_drop_budget_percent,
        message: `no feeder meets the ${site.voltage_drop_budget_percent} % voltage-drop budget over ${d.toFixed(0)} m`,
      });
  }

  const peaks = pointPeaks(problem, grid, plan);
  for (const p of problem.points) {
    const pk = peaks.get(p.id);
    if (!pk || pk.peak_hour < 0) continue;
    const limit = site.loading_cap * (plan.ratings[p.id] ?? 0);
    if (pk.peak_kva > limit * (1 + REL_TOL) + 1e-9)
      v.push({
        kind: 'capacity',
        point_id: p.id,
        hour_iso: hourToIso(grid, pk.peak_hour),
        value: pk.peak_kva,
        limit,
        message: `peak ${pk.peak_kva.toFixed(1)} kVA above ${(site.loading_cap * 100).toFixed(0)} % of ${plan.ratings[p.id] ?? 0} kVA`,
      });
  }
  return v;
}
