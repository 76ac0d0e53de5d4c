import { describe, it, expect, afterAll } from 'vitest';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { estimateFeeder } from '../../../src/domain/network/cable-sizing.js';
import { syntheticSite } from '../../../src/domain/plan/synthetic.js';
import { preparePlan } from '../../../src/domain/plan/prepare.js';
import { heuristicPlan, lpGuidedPlan } from '../../../src/domain/plan/heuristic.js';
import { scorePlan } from '../../../src/domain/plan/state.js';
import { buildPlanModel, ratingOf, xName, yName } from '../../../src/domain/plan/model.js';
import { capacityCutSeparator } from '../../../src/domain/plan/cuts.js';
import { planSite, toAssignment } from '../../../src/domain/plan/plan.js';
import { verifyPlan } from '../../../src/domain/plan/verify.js';
import type {
  FeederCheck,
  MipModel,
  MipSolution,
  MipSolveOptions,
  MipSolver,
  RelaxationReply,
} from '../../../src/domain/plan/types.js';

const solver = new HighsSolver();
afterAll(async () => {
  await solver.close();
});

/** The app's feeder check (src/app/plans.ts `feederCheckFor`) at 380 V with the 5 % budget. */
const realFeeder: FeederCheck = (d, p, q) => {
  const e = estimateFeeder(d, p, q, { voltage_v: 380, voltage_drop_budget_percent: 5 });
  return e ? { ok: true, cross_section_mm2: e.cross_section_mm2 } : { ok: false };
};

describe('heuristic on a reference-like synthetic site', () => {
  it('at load level 0.3 with the real feeder check, 200 loads: every servable load is served, the plan passes the hourly re-check, and it is within 3 % of the LP-relaxation bound', async () => {
    const { problem, grid } = syntheticSite({ loads: 200, seed: 2, load_level: 0.3 });
    const prep = preparePlan(problem, grid, realFeeder);
    const plan = heuristicPlan(prep);
    const score = scorePlan(prep, plan);
    const blocked = prep.blocked.filter((b) => b !== null).length;
    expect(score.unserved_count).toBe(blocked);
    expect(verifyPlan(problem, grid, toAssignment(prep, plan), realFeeder)).toEqual([]);
    // The model leaves blocked loads out, so its LP value bounds the objective less their penalties.
    const lp = await solver.solve(buildPlanModel(prep).matrix, {
      time_limit_s: 30,
      mip_rel_gap: 0,
      relaxation: true,
    });
    expect(lp.status).toBe('optimal');
    const own = score.total - blocked * prep.weights.unserved_penalty;
    const bound = lp.bound ?? Number.POSITIVE_INFINITY;
    expect(bound).toBeLessThanOrEqual(own);
    // Measured (bench, 2 cores): 2.7 % with capacity redistribution and swaps; the greedy + single-move
    // search it replaced was 3.6 % above the same bound on this site, so this fails on that regression.
    expect((own - bound) / own).toBeLessThan(0.03);
  }, 30_000);
});

describe('LP-guided heuristic start', () => {
  it('at load level 0.4, 500 loads: from the LP after the cover cuts it serves every servable load, passes the hourly re-check and beats the greedy heuristic', async () => {
    const { problem, grid } = syntheticSite({ loads: 500, seed: 1, load_level: 0.4 });
    const prep = preparePlan(problem, grid, realFeeder);
    const model = buildPlanModel(prep, { balance: false });
    let lp: Float64Array | null = null;
    await solver.solve(model.matrix, {
      time_limit_s: 60,
      mip_rel_gap: 0,
      separator: capacityCutSeparator(model),
      cut_time_limit_s: 60,
      on_relaxation: (values) => {
        lp = Float64Array.from(values);
        return null;
      },
      solver_options: { mip_max_nodes: 0 },
    });
    expect(lp).not.toBeNull();
    const values = lp ?? new Float64Array(0);
    const col = new Map(model.matrix.col_names.map((n, j) => [n, j] as const));
    const at = (name: string): number => values[col.get(name) ?? -1] ?? 0;
    const lpRating = prep.ratingOptions.map((opts, p) => ratingOf(opts, (i) => at(yName(p, i)), true));
    const guided = lpGuidedPlan(prep, lpRating, (l, p) => at(xName(l, p)));
    const score = scorePlan(prep, guided);
    expect(score.unserved_count).toBe(prep.blocked.filter((b) => b !== null).length);
    expect(verifyPlan(problem, grid, toAssignment(prep, guided), realFeeder)).toEqual([]);
    // Measured: 7,753,606 against the greedy heuristic's 7,847,671 (the optimum is 7,739,516).
    expect(score.total).toBeLessThan(scorePlan(prep, heuristicPlan(prep)).total);
  }, 60_000);
});

/** What a solver that found nothing in its time returns. */
const NO_SOLUTION: MipSolution = {
  status: 'time_limit',
  raw_status: 'Time limit reached',
  has_solution: false,
  objective: null,
  bound: null,
  gap: null,
  values: {},
  time_ms: 0,
};

describe('planSite time budget', () => {
  it('with a clock, the solver gets the time limit less what preparation, heuristic and model took and a reserve', async () => {
    // A clock that advances 100 ms at every reading; a solver that records its limit and returns nothing.
    let t = 0;
    const clock = (): number => (t += 100);
    const seen: MipSolveOptions[] = [];
    const recording: MipSolver = {
      solve(_model: string | MipModel, options: MipSolveOptions) {
        seen.push(options);
        return Promise.resolve(NO_SOLUTION);
      },
    };
    const { problem, grid } = syntheticSite({ loads: 50, seed: 1, load_level: 0.3 });
    const res = await planSite(
      problem,
      grid,
      { solver: recording, feederCheck: realFeeder, clock },
      { time_limit_s: 3 },
    );
    // Readings before the solve: start, after prepare, after heuristic, after model = 300 ms elapsed;
    // reserve = 0.5 s + 0.6 s per 1,000 loads = 0.53 s → 3 − 0.3 − 0.53 = 2.17 s.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.time_limit_s).toBeCloseTo(2.17, 9);
    // No solution from the solver: the heuristic plan is returned, with its phases timed.
    expect(res.solver.note).toMatch(/heuristic plan/);
    expect(res.violations).toEqual([]);
    expect(res.solver.phases_ms).toBeDefined();
  });
  it('the solver is asked for a dive over whole ratings only when the best start leaves a servable load unserved', async () => {
    // A solver that calls the relaxation hook once (with an all-zero LP point) and records its reply.
    const replies: (RelaxationReply | null)[] = [];
    let cols: string[] = [];
    const recording: MipSolver = {
      solve(model: string | MipModel, options: MipSolveOptions) {
        if (typeof model !== 'string' && options.on_relaxation) {
          cols = model.col_names;
          replies.push(options.on_relaxation(new Float64Array(model.col_names.length), 0));
        }
        return Promise.resolve(NO_SOLUTION);
      },
    };
    const roomy = syntheticSite({ loads: 50, seed: 1, load_level: 0.3 });
    await planSite(roomy.problem, roomy.grid, { solver: recording, feederCheck: realFeeder }, {});
    expect(replies).toHaveLength(1);
    expect(replies[0]?.dive).toBeUndefined();
    // The same loads under a 600 kVA cap: some servable loads cannot be served by any plan.
    const tight = { ...roomy.problem, site: { ...roomy.problem.site, total_capacity_cap_kva: 600 } };
    const res = await planSite(tight, roomy.grid, { solver: recording, feederCheck: realFeeder }, {});
    expect(res.unserved.length).toBeGreaterThan(
      preparePlan(tight, roomy.grid, realFeeder).blocked.filter((b) => b !== null).length,
    );
    expect(replies).toHaveLength(2);
    const dive = replies[1]?.dive;
    expect(dive?.time_limit_s).toBeGreaterThan(0);
    // one group per point in the model: its rating columns, ascending (y_p_0, y_p_1, …)
    const prep = preparePlan(tight, roomy.grid, realFeeder);
    expect(dive?.groups.map((g) => Array.from(g, (j) => cols[j]))).toEqual(
      prep.ratingOptions.flatMap((opts, p) =>
        cols.includes(yName(p, 0)) ? [opts.map((_, i) => yName(p, i))] : [],
      ),
    );
  });
});
