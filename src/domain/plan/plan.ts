/**
 * The planner's entry: size up to `max_supply_points` points within the total cap and allocate every load to
 * a point, minimising feeder cost (kVA·m), then the highest utilisation, with a penalty per unserved load.
 *
 * Everything here is synchronous and pure except `planSite`, which awaits the injected MIP solver. Every plan
 * returned is re-checked hour by hour on the full grid (`verifyPlan`); a plan with violations is never
 * returned (the planner falls back to the heuristic plan, then to unassigning the offending loads).
 */
import { TRANSFORMER_RATINGS_KVA } from '../catalog/transformers.js';
import { round } from '../units.js';
import { hourToIso, type HourGrid } from '../profile/calendar.js';
import { decodePlanValues } from './decode.js';
import { explainUnserved } from './explain.js';
import { heuristicPlan, improvePlan, lpGuidedPlan } from './heuristic.js';
import { capacityCutSeparator } from './cuts.js';
import { buildPlanModel, modelUsesPoint, planStartValues, ratingOf, xName, yName } from './model.js';
import { distanceM, preparePlan, type PreparedPlan } from './prepare.js';
import { rebalanceRatings, scorePlan, type PlanState } from './state.js';
import type {
  FeederCheck,
  MipSolution,
  PlanAssignment,
  PlanDeps,
  PlanMethod,
  PlanOptions,
  PlanProblem,
  PlanResult,
  RelaxationReply,
  Violation,
} from './types.js';
import { pointPeaks, verifyPlan } from './verify.js';

/** Defaults of the planner's options (documented in the report and PlanOptions). */
export const PLAN_DEFAULTS = {
  time_limit_s: 10,
  mip_rel_gap: 0.005,
  heuristic_passes: 50,
  /** Share of the solver's time that the cut rounds may take at most (they usually stop earlier). */
  cut_share: 0.5,
  /** Share of the solver's time left after the cut rounds for the MIP with the start's ratings fixed. */
  fixed_rating_share: 0.3,
  /**
   * Share of the solver's time left after the cut rounds for the dive over whole ratings, when the start
   * leaves a servable load unserved (2,000 loads: ~50 LP solves in ~7 s).
   */
  dive_share: 0.4,
} as const;

/** A plan in id terms (ratings by point id, point id by load id). */
export function toAssignment(prep: PreparedPlan, state: PlanState): PlanAssignment {
  const ratings: Record<string, number> = {};
  prep.problem.points.forEach((p, i) => (ratings[p.id] = state.rating[i] ?? 0));
  const assignment: Record<string, string> = {};
  prep.problem.loads.forEach((l, i) => {
    const p = state.assign[i] ?? -1;
    const point = prep.problem.points[p];
    if (p >= 0 && point) assignment[l.id] = point.id;
  });
  return { ratings, assignment };
}

/**
 * The nearest-point baseline: each load (LV-rule loads excepted) at its nearest point energised by its window
 * start, with the points' fixed or reference ratings (else an equal split of the cap on the R10 series), and
 * the violations of that plan.
 * @param feederCheck the network module's feeder check (distance m, P kW, Q kvar)
 */
export function nearestPointBaseline(
  problem: PlanProblem,
  grid: HourGrid,
  feederCheck: FeederCheck,
): PlanResult['baseline'] {
  const split =
    [...TRANSFORMER_RATINGS_KVA]
      .reverse()
      .find((r) => r <= problem.site.total_capacity_cap_kva / Math.max(1, problem.points.length)) ?? 0;
  const ratings: Record<string, number> = {};
  for (const p of problem.points) ratings[p.id] = p.rating_kva ?? p.reference_rating_kva ?? split;
  const assignment: Record<string, string> = {};
  const unserved: string[] = [];
  let cost = 0;
  for (const load of problem.loads) {
    let best: { id: string; d: number } | null = null;
    if (!(load.lv_threshold_exceeded && load.lv_override !== true))
      for (const p of problem.points) {
        if (load.window.start < p.energised_from || (ratings[p.id] ?? 0) <= 0) continue;
        const d = distanceM(load.position_m, p.position_m);
        if (!best || d < best.d) best = { id: p.id, d };
      }
    if (!best) {
      unserved.push(load.id);
      continue;
    }
    assignment[load.id] = best.id;
    cost += load.demand_kva * best.d;
  }
  const plan = { ratings, assignment };
  return {
    ratings: problem.points.map((p) => ({ point_id: p.id, rating_kva: ratings[p.id] ?? 0 })),
    feeder_cost_kva_m: round(cost, 1),
    unserved_load_ids: unserved,
    violations: verifyPlan(problem, grid, plan, feederCheck),
  };
}

/** Removes loads from a plan until its full-grid re-check is clean (a safety net; normally a no-op). */
function repairPlan(prep: PreparedPlan, state: PlanState, feederCheck: FeederCheck): PlanState {
  const assign = Int32Array.from(state.assign);
  const rating = [...state.rating];
  for (let guard = 0; guard <= assign.length; guard++) {
    const v = verifyPlan(prep.problem, prep.grid, toAssignment(prep, { assign, rating }), feederCheck);
    if (v.length === 0) break;
    let changed = false;
    for (const viol of v) {
      if (viol.load_id !== undefined) {
        const l = prep.loadIndex.get(viol.load_id);
        if (l !== undefined && (assign[l] ?? -1) >= 0) {
          assign[l] = -1;
          changed = true;
        }
      } else if (viol.kind === 'capacity' && viol.point_id !== undefined) {
        const p = prep.pointIndex.get(viol.point_id) ?? -1;
        // Drop the largest load at the overloaded point.
        let worst = -1;
        assign.forEach((q, l) => {
          if (
            q === p &&
            (worst < 0 ||
              (prep.problem.loads[l]?.demand_kva ?? 0) > (prep.problem.loads[worst]?.demand_kva ?? 0))
          )
            worst = l;
        });
        if (worst >= 0) {
          assign[worst] = -1;
          changed = true;
        }
      } else if (
        viol.kind === 'point_count' ||
        viol.kind === 'total_capacity_cap' ||
        viol.kind === 'rating'
      ) {
        return {
          assign: new Int32Array(assign.length).fill(-1),
          rating: prep.problem.points.map((p) => p.rating_kva ?? 0),
        };
      }
    }
    if (!changed) break;
  }
  return { assign, rating };
}

interface SolverMeta {
  method: PlanMethod;
  status: string;
  bound: number | null;
  time_ms: number;
  model?: { reduced_hours: number; columns: number; rows: number };
  cuts?: MipSolution['cuts'];
  guided_objective?: number;
  heuristic?: PlanState;
  note?: string;
}

/**
 * Builds the planner's answer for a chosen plan: ratings, assignments with feeders, full-grid peaks,
 * explanations of unserved loads, objective, solver figures, the hourly re-check and the baseline.
 */
export function buildPlanResult(
  prep: PreparedPlan,
  chosen: PlanState,
  meta: SolverMeta,
  feederCheck: FeederCheck,
): PlanResult {
  const { problem, grid } = prep;
  let state = chosen;
  let plan = toAssignment(prep, state);
  let violations = verifyPlan(problem, grid, plan, feederCheck);
  let note = meta.note;
  if (violations.length > 0) {
    state = repairPlan(prep, state, feederCheck);
    plan = toAssignment(prep, state);
    const before = violations.length;
    violations = verifyPlan(problem, grid, plan, feederCheck);
    note = `${note ? `${note}; ` : ''}${before} violation(s) in the chosen plan were repaired by unserving loads`;
  }
  const score = scorePlan(prep, state);
  const offset = prep.weights.unserved_penalty * prep.blocked.filter((b) => b !== null).length;
  const gapOf = (total: number): number | null =>
    meta.bound === null
      ? null
      : Math.max(0, (total - offset - meta.bound) / Math.max(Math.abs(total - offset), 1e-9));
  const peaks = pointPeaks(problem, grid, plan);
  const sum = state.rating.reduce((a, b) => a + b, 0);
  const heuristicScore = meta.heuristic ? scorePlan(prep, meta.heuristic) : null;
  return {
    ratings: problem.points.map((p, i) => ({ point_id: p.id, rating_kva: state.rating[i] ?? 0 })),
    sum_kva: sum,
    cap_headroom_kva: problem.site.total_capacity_cap_kva - sum,
    assignments: problem.loads.flatMap((load, l) => {
      const p = state.assign[l] ?? -1;
      const point = problem.points[p];
      if (p < 0 || !point) return [];
      const pair = prep.allowed[l]?.find((a) => a.point === p);
      return [
        {
          load_id: load.id,
          point_id: point.id,
          distance_m: round(pair?.distance_m ?? distanceM(load.position_m, point.position_m), 1),
          feeder: {
            cross_section_mm2: pair?.feeder.cross_section_mm2 ?? null,
            voltage_drop_percent: pair?.feeder.voltage_drop_percent ?? null,
          },
        },
      ];
    }),
    points: problem.points.map((p, i) => {
      const pk = peaks.get(p.id);
      const r = state.rating[i] ?? 0;
      return {
        point_id: p.id,
        peak_kva: round(pk?.peak_kva ?? 0, 3),
        peak_hour_iso: pk && pk.peak_hour >= 0 ? hourToIso(grid, pk.peak_hour) : null,
        utilisation_percent: r > 0 ? round(((pk?.peak_kva ?? 0) / r) * 100, 2) : null,
      };
    }),
    unserved: explainUnserved(prep, state, feederCheck),
    objective: {
      feeder_cost_kva_m: round(score.feeder_cost_kva_m, 1),
      max_utilisation: round(score.max_utilisation, 6),
      unserved_count: score.unserved_count,
      total: score.total,
    },
    solver: {
      method: meta.method,
      status: meta.status,
      gap: gapOf(score.total),
      bound: meta.bound === null ? null : meta.bound + offset,
      time_ms: Math.round(meta.time_ms),
      ...(meta.model ? { model: meta.model } : {}),
      ...(meta.cuts
        ? {
            cuts: {
              rounds: meta.cuts.rounds,
              rows: meta.cuts.rows,
              lp_before: meta.cuts.lp_before === null ? null : meta.cuts.lp_before + offset,
              lp_after: meta.cuts.lp_after === null ? null : meta.cuts.lp_after + offset,
              time_ms: meta.cuts.time_ms,
              ...(meta.cuts.dive ? { dive: { ...meta.cuts.dive, lp: meta.cuts.dive.lp + offset } } : {}),
            },
          }
        : {}),
      ...(heuristicScore
        ? { heuristic_objective: heuristicScore.total, heuristic_gap: gapOf(heuristicScore.total) }
        : {}),
      ...(meta.guided_objective !== undefined
        ? { guided_objective: meta.guided_objective, guided_gap: gapOf(meta.guided_objective) }
        : {}),
      ...(note ? { note } : {}),
    },
    violations,
    baseline: nearestPointBaseline(problem, grid, feederCheck),
    weights: prep.weights,
  };
}

/**
 * Plans with the heuristic only (synchronous).
 * @param feederCheck the network module's feeder check (distance m, P kW, Q kvar)
 */
export function planSiteHeuristic(
  problem: PlanProblem,
  grid: HourGrid,
  feederCheck: FeederCheck,
  options: PlanOptions = {},
  clock?: () => number,
): PlanResult {
  const t0 = clock?.() ?? 0;
  const prep = preparePlan(problem, grid, feederCheck);
  const state = heuristicPlan(prep, { passes: options.heuristic_passes ?? PLAN_DEFAULTS.heuristic_passes });
  const t1 = clock?.() ?? 0;
  return buildPlanResult(
    prep,
    state,
    { method: 'heuristic', status: 'heuristic', bound: null, time_ms: t1 - t0 },
    feederCheck,
  );
}

/**
 * Plans a site: validates, runs the heuristic, then (method 'mip' with a solver) the MIP warm-started from
 * it, polishes the solver's plan, keeps the better of the two, re-checks it on the full grid and explains
 * every unserved load. Infeasible inputs give unserved loads with reasons, never an exception; invalid inputs
 * throw DomainError `validation_failed`.
 *
 * `time_limit_s` is the budget of the whole call when `deps.clock` is given: the solver gets what the
 * preparation and the heuristic left, less a reserve for the polish and the hourly re-check.
 * @param deps.feederCheck the network module's feeder check; deps.solver the MIP port (optional)
 * @param options time_limit_s (s, default 10), mip_rel_gap (default 0.005), method (default 'mip' when a
 *   solver is given)
 */
export async function planSite(
  problem: PlanProblem,
  grid: HourGrid,
  deps: PlanDeps,
  options: PlanOptions = {},
): Promise<PlanResult> {
  const method: PlanMethod = options.method ?? (deps.solver ? 'mip' : 'heuristic');
  if (method === 'heuristic' || !deps.solver) {
    const res = planSiteHeuristic(problem, grid, deps.feederCheck, options, deps.clock);
    if (method === 'mip') res.solver.note = 'no MIP solver configured: heuristic plan';
    return res;
  }
  const clock = deps.clock;
  const t0 = clock?.() ?? 0;
  const limitS = options.time_limit_s ?? PLAN_DEFAULTS.time_limit_s;
  const now = (): number => clock?.() ?? 0;
  const prep = preparePlan(problem, grid, deps.feederCheck, deps.startingDipCheck);
  const tPrep = now();
  const passes = options.heuristic_passes ?? PLAN_DEFAULTS.heuristic_passes;
  const heuristic = heuristicPlan(prep, { passes });
  const heurScore = scorePlan(prep, heuristic);
  const tHeur = now();
  // The balance term (≤ balance·β) is left out of the MIP when it cannot move the objective by more than
  // 0.05 % (the model without it solves its LP relaxation several times faster: 0.17 s against 1.1 s at
  // 500 loads, level 0.4, which the cut rounds repeat); the bound stays valid (it bounds the objective less
  // balance·U ≥ 0, so the reported gap is at most 0.05 points high) and the ratings are re-chosen for the
  // lowest utilisation after the solve.
  const blockedPenalty = prep.weights.unserved_penalty * prep.blocked.filter((b) => b !== null).length;
  const balance = prep.weights.balance * prep.loadingCap > 5e-4 * (heurScore.total - blockedPenalty);
  const model = buildPlanModel(prep, { balance });
  const tModel = now();
  const elapsedS = (tModel - t0) / 1000;
  // Reserve for handing the model to the solver, its stop, decoding, the polish and the full-grid re-check
  // (measured on the benchmark machine: ≈ 0.3 s + 0.15 s per 1,000 loads), and for HiGHS overrunning its time
  // limit inside a long step (up to 1.2 s seen at 2,000 loads: a 30 s call took 30.6 s with 0.15 s per 1,000).
  const reserveS = clock ? 0.5 + (0.6 * problem.loads.length) / 1000 : 0;
  const solveS = Math.max(0.2, limitS - elapsedS - reserveS);
  const useCuts = options.cuts ?? true;
  // After the cut rounds the LP solution guides one more heuristic start (LP ratings, LP placements); the
  // better of it and the heuristic plan is the solver's start and the fallback.
  let fallback = heuristic;
  let fallbackScore = heurScore;
  let guidedTotal: number | undefined;
  const onRelaxation = (values: Float64Array): RelaxationReply | null => {
    const col = new Map(model.matrix.col_names.map((n, j) => [n, j] as const));
    const at = (name: string): number => values[col.get(name) ?? -1] ?? 0;
    const lpRating = prep.ratingOptions.map((opts, p) => ratingOf(opts, (i) => at(yName(p, i)), true));
    const guided = lpGuidedPlan(prep, lpRating, (l, p) => at(xName(l, p)), { passes });
    const score = scorePlan(prep, guided);
    guidedTotal = score.total;
    if (score.total < fallbackScore.total - 1e-9) {
      fallback = guided;
      fallbackScore = score;
    }
    // The restricted MIP: the start's ratings fixed (the assignment problem for those ratings, which HiGHS
    // closes much faster than the full model), for a share of the time left.
    const start = planStartValues(prep, fallback, fallbackScore.max_utilisation, { balance });
    const fix: Record<string, number> = {};
    prep.ratingOptions.forEach((opts, p) => {
      if (modelUsesPoint(prep, p)) opts.forEach((_, i) => (fix[yName(p, i)] = start[yName(p, i)] ?? 0));
    });
    const leftS = solveS - (now() - tModel) / 1000;
    // When the start leaves a servable load unserved, its ratings are usually the cause (no move of loads
    // serves it: BENCHMARKS.md "## Planner"), so the solver first dives over whole ratings on the LP (each
    // point's unary rating columns are one group) and, when that LP is below the start, fixes those instead.
    const unservedServable = fallbackScore.unserved_count > prep.blocked.filter((b) => b !== null).length;
    const dive = unservedServable
      ? {
          groups: prep.ratingOptions.flatMap((opts, p) =>
            modelUsesPoint(prep, p)
              ? [Int32Array.from(opts.flatMap((_, i) => col.get(yName(p, i)) ?? []))]
              : [],
          ),
          time_limit_s: PLAN_DEFAULTS.dive_share * leftS,
        }
      : undefined;
    return {
      start,
      fix,
      fix_time_limit_s: PLAN_DEFAULTS.fixed_rating_share * leftS,
      ...(dive ? { dive } : {}),
    };
  };
  const sol: MipSolution = await deps.solver.solve(model.matrix, {
    time_limit_s: solveS,
    mip_rel_gap: options.mip_rel_gap ?? PLAN_DEFAULTS.mip_rel_gap,
    initial_solution: planStartValues(prep, heuristic, heurScore.max_utilisation, { balance }),
    ...(options.solver_options ? { solver_options: options.solver_options } : {}),
    ...(useCuts
      ? {
          separator: capacityCutSeparator(model),
          cut_time_limit_s: PLAN_DEFAULTS.cut_share * solveS,
          on_relaxation: onRelaxation,
        }
      : {}),
  });
  const tSolve = now();
  let chosen = fallback;
  const fallbackName = fallback === heuristic ? 'heuristic' : 'LP-guided heuristic';
  let note: string | undefined;
  if (sol.has_solution) {
    const decoded = rebalanceRatings(prep, decodePlanValues(prep, sol.values));
    // The polish ignores the balance term in its moves, so it is kept only when the total improves.
    const polished = improvePlan(prep, decoded, { passes });
    const best = scorePlan(prep, polished).total < scorePlan(prep, decoded).total - 1e-9 ? polished : decoded;
    const mipViolations = verifyPlan(problem, grid, toAssignment(prep, best), deps.feederCheck);
    if (mipViolations.length > 0)
      note = `solver plan failed the hourly re-check (${mipViolations.length} violations): ${fallbackName} plan returned`;
    else if (scorePlan(prep, best).total <= fallbackScore.total + 1e-9) chosen = best;
    else note = `the ${fallbackName} plan is better than the solver incumbent`;
  } else {
    note = `solver returned no solution (${sol.raw_status}${sol.message ? `: ${sol.message}` : ''}): ${fallbackName} plan`;
  }
  const tPolish = now();
  const result = buildPlanResult(
    prep,
    chosen,
    {
      method: 'mip',
      status: sol.status,
      bound: sol.bound,
      time_ms: 0,
      model: { reduced_hours: prep.reduced.hours.length, columns: model.columns, rows: model.rows },
      ...(sol.cuts ? { cuts: sol.cuts } : {}),
      ...(guidedTotal !== undefined ? { guided_objective: guidedTotal } : {}),
      heuristic,
      ...(note ? { note } : {}),
    },
    deps.feederCheck,
  );
  const t1 = now();
  result.solver.time_ms = Math.round(clock ? t1 - t0 : sol.time_ms);
  if (clock)
    result.solver.phases_ms = {
      prepare: Math.round(tPrep - t0),
      heuristic: Math.round(tHeur - tPrep),
      model: Math.round(tModel - tHeur),
      solve: Math.round(tSolve - tModel),
      polish: Math.round(tPolish - tSolve),
      report: Math.round(t1 - tPolish),
    };
  return result;
}

export type { Violation };
