/**
 * Cost of the motor-starting dip check (issue #17) where it runs per (load, point):
 *   npx tsx bench/starting-dip.ts [loads=500] [seed=1]
 * 1. one check (the app's `startingDipCheckFor`, supply impedances cached per rating), µs per call — the
 *    capacity check would make one per candidate point (10 on the reference site);
 * 2. `preparePlan` on a synthetic site where every load has a 15 kW direct-on-line motor, with and without
 *    the check (median of 9, order alternated), beside the greedy heuristic plan on the same prepared problem.
 */
import { performance } from 'node:perf_hooks';
import { startingDipCheckFor } from '../src/app/faults.js';
import { estimateFeeder } from '../src/domain/network/cable-sizing.js';
import { heuristicPlan } from '../src/domain/plan/heuristic.js';
import { preparePlan } from '../src/domain/plan/prepare.js';
import { syntheticSite } from '../src/domain/plan/synthetic.js';
import type { FeederCheck, StartingDipCheck } from '../src/domain/plan/types.js';

const N = Number(process.argv[2] ?? 500);
const seed = Number(process.argv[3] ?? 1);
const feederCheck: FeederCheck = (d, p, q) => {
  const e = estimateFeeder(d, p, q, { voltage_v: 380, voltage_drop_budget_percent: 5 });
  return e ? { ok: true, cross_section_mm2: e.cross_section_mm2 } : { ok: false };
};
const check = startingDipCheckFor({ nominal_lv_voltage_v: 380 });
const dipCheck: StartingDipCheck = (load, _id, rating, d, cs) => check(load, rating, d, cs)?.ok ?? true;

// 1. per call
const load = {
  active_power_kw: 60,
  reactive_power_kvar: 45,
  largest_motor: { rated_power_kw: 15, starter: 'direct_on_line' as const },
};
const calls = 200_000;
let ok = 0;
let t = performance.now();
for (let i = 0; i < calls; i++) if (check(load, 500, 50 + (i % 300), 35)?.ok === true) ok++;
const perCallUs = ((performance.now() - t) * 1000) / calls;
console.log(`dip check: ${perCallUs.toFixed(2)} µs per call (${String(ok)} of ${String(calls)} passed)`);

// 2. preparePlan with / without
const site = syntheticSite({ loads: N, seed, load_level: 0.4 });
const loads = site.problem.loads.map((l) => ({
  ...l,
  window: l.window.end > '2027-06-30' ? { ...l.window, end: '2027-06-30' } : l.window,
  largest_motor: { rated_power_kw: 15, starter: 'direct_on_line' as const },
}));
const problem = { ...site.problem, loads };
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const base: number[] = [];
const withDip: number[] = [];
const heur: number[] = [];
for (let r = 0; r < 9; r++) {
  // Alternate which variant runs first: the machine is shared and the first run of a pair pays more GC.
  const runBase = () => {
    t = performance.now();
    const p = preparePlan(problem, site.grid, feederCheck);
    base.push(performance.now() - t);
    return p;
  };
  const runDip = () => {
    t = performance.now();
    preparePlan(problem, site.grid, feederCheck, dipCheck);
    withDip.push(performance.now() - t);
  };
  let p0;
  if (r % 2 === 0) {
    p0 = runBase();
    runDip();
  } else {
    runDip();
    p0 = runBase();
  }
  t = performance.now();
  heuristicPlan(p0);
  heur.push(performance.now() - t);
}
const b = median(base);
const w = median(withDip);
const h = median(heur);
console.log(
  `${String(N)} loads × ${String(problem.points.length)} points: preparePlan ${b.toFixed(0)} ms, with the dip check ${w.toFixed(0)} ms ` +
    `(+${(w - b).toFixed(0)} ms); greedy heuristic plan ${h.toFixed(0)} ms; added time vs prepare + heuristic ${(((w - b) / (b + h)) * 100).toFixed(1)} %`,
);
