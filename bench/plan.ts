/**
 * Planner benchmark on seeded synthetic sites shaped like the reference site (not part of the unit tests):
 *   npx tsx bench/plan.ts [N,N,...] [time_limit_s] [mip_rel_gap] [load_level] [seed] [feeder]
 * feeder: `real` (default) = the network module's `estimateFeeder` at 380 V with a 5 % budget, wrapped as
 * `feederCheckFor` in src/app/plans.ts does; `closed` = the closed-form stand-in of synthetic.ts.
 *
 * Prints one JSON line per size: model size, the heuristic alone (time, objective, unserved), the MIP run
 * (status, wall time, objective, best bound, gap of the returned plan to the bound, heuristic gap to the same
 * bound), served / servable / total loads (servable = loads with at least one allowed point: energised by the
 * window start, within the voltage-drop budget, LV rule respected) and the violations of the hourly re-check.
 * The numbers go to the "## Planner" section of BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { estimateFeeder } from '../src/domain/network/cable-sizing.js';
import { closedFormFeederCheck, syntheticSite } from '../src/domain/plan/synthetic.js';
import { planSite, planSiteHeuristic } from '../src/domain/plan/plan.js';
import { preparePlan } from '../src/domain/plan/prepare.js';
import type { FeederCheck } from '../src/domain/plan/types.js';
import { HighsSolver } from '../src/solver/highs-solver.js';

const sizes = (process.argv[2] ?? '50,200,500,2000').split(',').map(Number);
const timeLimitArg = process.argv[3] ?? 'auto';
const gap = Number(process.argv[4] ?? 0.005);
const level = Number(process.argv[5] ?? 0.5);
const seed = Number(process.argv[6] ?? 1);
const feederKind = process.argv[7] ?? 'real';

/** The app's feeder check (src/app/plans.ts `feederCheckFor`) on the reference site's 380 V / 5 %. */
const realFeeder: FeederCheck = (distance, p, q) => {
  const e = estimateFeeder(distance, p, q, { voltage_v: 380, voltage_drop_budget_percent: 5 });
  return e
    ? { ok: true, cross_section_mm2: e.cross_section_mm2, voltage_drop_percent: e.voltage_drop_percent }
    : { ok: false };
};
const feederCheck = feederKind === 'closed' ? closedFormFeederCheck(5) : realFeeder;
/** Goals of the product owner: ≤ 5 s up to 500 loads, ≤ 30 s for 2,000. */
const limitFor = (n: number): number =>
  timeLimitArg === 'auto' ? (n <= 500 ? 5 : 30) : Number(timeLimitArg);
const solver = new HighsSolver();
const clock = (): number => performance.now();
// Warm the worker and the Wasm JIT so that the first size is not charged for it.
await solver.solve('Minimize\n obj: x\nSubject To\n c: x >= 1\nBinary\n x\nEnd\n', {
  time_limit_s: 5,
  mip_rel_gap: 0,
});
const pct = (v: number | null | undefined): number | null =>
  v === null || v === undefined ? null : +(v * 100).toFixed(3);
for (const n of sizes) {
  const timeLimit = limitFor(n);
  const { problem, grid } = syntheticSite({ loads: n, seed, load_level: level });
  const t0 = clock();
  const heur = planSiteHeuristic(problem, grid, feederCheck, {}, clock);
  const heurMs = clock() - t0;
  const t1 = clock();
  const mip = await planSite(
    problem,
    grid,
    { solver, feederCheck, clock },
    {
      time_limit_s: timeLimit,
      mip_rel_gap: gap,
      ...(process.env.CUTS === '0' ? { cuts: false } : {}),
      ...(process.env.SOLVER_OPTIONS
        ? { solver_options: JSON.parse(process.env.SOLVER_OPTIONS) as Record<string, number> }
        : {}),
    },
  );
  const wall = clock() - t1;
  const blocked = preparePlan(problem, grid, feederCheck).blocked.filter((b) => b !== null).length;
  console.log(
    JSON.stringify({
      loads: n,
      load_level: level,
      seed,
      feeder: feederKind,
      time_limit_s: timeLimit,
      model: mip.solver.model,
      heuristic: {
        ms: Math.round(heurMs),
        objective: Math.round(heur.objective.total),
        unserved: heur.objective.unserved_count,
        served: heur.assignments.length,
        violations: heur.violations.length,
      },
      mip: {
        status: mip.solver.status,
        wall_s: +(wall / 1000).toFixed(2),
        objective: Math.round(mip.objective.total),
        bound: mip.solver.bound === null ? null : Math.round(mip.solver.bound),
        gap_percent: pct(mip.solver.gap),
        heuristic_gap_percent: pct(mip.solver.heuristic_gap),
        guided_gap_percent: pct(mip.solver.guided_gap),
        served: mip.assignments.length,
        servable: n - blocked,
        total: n,
        note: mip.solver.note,
        cuts: mip.solver.cuts
          ? {
              rounds: mip.solver.cuts.rounds,
              rows: mip.solver.cuts.rows,
              lp_before: mip.solver.cuts.lp_before === null ? null : Math.round(mip.solver.cuts.lp_before),
              lp_after: mip.solver.cuts.lp_after === null ? null : Math.round(mip.solver.cuts.lp_after),
              ms: mip.solver.cuts.time_ms,
              dive: mip.solver.cuts.dive,
            }
          : undefined,
        phases_ms: mip.solver.phases_ms,
      },
      violations: mip.violations.length,
      sum_kva: mip.sum_kva,
      max_utilisation: mip.objective.max_utilisation,
      baseline: {
        feeder_cost_kva_m: mip.baseline.feeder_cost_kva_m,
        violations: mip.baseline.violations.length,
      },
    }),
  );
}
await solver.close();
