/**
 * Planner benchmark on seeded synthetic sites (not part of the unit tests):
 *   npx tsx bench/plan.ts [N,N,...] [time_limit_s] [mip_rel_gap] [load_level] [seed]
 * Prints one JSON line per size: model size, heuristic objective and time, MIP status, objective, best
 * bound, gap, heuristic gap to the bound, and wall time. The numbers go to BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { closedFormFeederCheck, syntheticSite } from '../src/domain/plan/synthetic.js';
import { planSite, planSiteHeuristic } from '../src/domain/plan/plan.js';
import { HighsSolver } from '../src/solver/highs-solver.js';

const sizes = (process.argv[2] ?? '50,200,500').split(',').map(Number);
const timeLimit = Number(process.argv[3] ?? 5);
const gap = Number(process.argv[4] ?? 0.005);
const level = Number(process.argv[5] ?? 0.6);
const seed = Number(process.argv[6] ?? 1);
const feederCheck = closedFormFeederCheck(5);
const solver = new HighsSolver();
const clock = (): number => performance.now();
// Warm the worker and the Wasm JIT so that the first size is not charged for it.
await solver.solve('Minimize\n obj: x\nSubject To\n c: x >= 1\nBinary\n x\nEnd\n', {
  time_limit_s: 5,
  mip_rel_gap: 0,
});
for (const n of sizes) {
  const { problem, grid } = syntheticSite({ loads: n, seed, load_level: level });
  const t0 = clock();
  const heur = planSiteHeuristic(problem, grid, feederCheck, {}, clock);
  const heurMs = clock() - t0;
  const t1 = clock();
  const mip = await planSite(
    problem,
    grid,
    { solver, feederCheck, clock },
    { time_limit_s: timeLimit, mip_rel_gap: gap },
  );
  const wall = clock() - t1;
  console.log(
    JSON.stringify({
      loads: n,
      load_level: level,
      time_limit_s: timeLimit,
      model: mip.solver.model,
      heuristic: {
        ms: Math.round(heurMs),
        objective: Math.round(heur.objective.total),
        unserved: heur.objective.unserved_count,
      },
      mip: {
        status: mip.solver.status,
        objective: Math.round(mip.objective.total),
        bound: mip.solver.bound === null ? null : Math.round(mip.solver.bound),
        gap_percent: mip.solver.gap === null ? null : +(mip.solver.gap * 100).toFixed(3),
        unserved: mip.objective.unserved_count,
        blocked: mip.unserved.filter((u) => u.reason !== 'no_point_with_headroom').length,
        wall_ms: Math.round(wall),
        note: mip.solver.note,
      },
      heuristic_gap_percent:
        mip.solver.heuristic_gap === null || mip.solver.heuristic_gap === undefined
          ? null
          : +(mip.solver.heuristic_gap * 100).toFixed(3),
      violations: mip.violations.length,
      baseline: {
        feeder_cost_kva_m: mip.baseline.feeder_cost_kva_m,
        violations: mip.baseline.violations.length,
      },
    }),
  );
}
await solver.close();
