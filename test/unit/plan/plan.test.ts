import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { planSite, planSiteHeuristic } from '../../../src/domain/plan/plan.js';
import { verifyPlan } from '../../../src/domain/plan/verify.js';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { addDays } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors } from '../../../src/domain/profile/profile.js';
import type { PlanLoad, PlanProblem, PlanResult } from '../../../src/domain/plan/types.js';
import {
  bruteForceOptimum,
  buildInstance,
  instanceArb,
  linearFeeder,
  smallGrid,
  tinySpec,
} from './helpers.js';

const solver = new HighsSolver();
afterAll(async () => {
  await solver.close();
});
const feederCheck = linearFeeder(5);

function asPlan(res: PlanResult): { ratings: Record<string, number>; assignment: Record<string, string> } {
  return {
    ratings: Object.fromEntries(res.ratings.map((r) => [r.point_id, r.rating_kva])),
    assignment: Object.fromEntries(res.assignments.map((a) => [a.load_id, a.point_id])),
  };
}

describe('planSite on tiny instances', () => {
  it('when solved as a MIP, the objective equals the exhaustive-search optimum (3 points × 5 loads × 2 ratings)', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const spec = tinySpec(seed);
      const { problem, grid } = buildInstance(spec);
      const res = await planSite(
        problem,
        grid,
        { solver, feederCheck },
        { time_limit_s: 20, mip_rel_gap: 0 },
      );
      const optimum = bruteForceOptimum(problem, grid, feederCheck);
      expect(res.solver.status).toBe('optimal');
      expect(res.objective.total).toBeCloseTo(optimum, 2);
      expect(res.violations).toEqual([]);
      // the bound (the MIP's own or the LP bound after the cover cuts) is never above the optimum
      const slack = 1e-6 * Math.abs(optimum);
      expect(res.solver.bound!).toBeLessThanOrEqual(optimum + slack);
      const lpAfter = res.solver.cuts?.lp_after ?? null;
      if (lpAfter !== null) expect(lpAfter).toBeLessThanOrEqual(optimum + slack);
    }
  });

  it('random small instances: MIP and heuristic plans have no violation in the full hourly re-check', async () => {
    await fc.assert(
      fc.asyncProperty(instanceArb(6, 3), async (spec) => {
        const { problem, grid } = buildInstance(spec);
        const mip = await planSite(
          problem,
          grid,
          { solver, feederCheck },
          { time_limit_s: 5, mip_rel_gap: 0 },
        );
        const heur = planSiteHeuristic(problem, grid, feederCheck);
        for (const res of [mip, heur]) {
          expect(res.violations).toEqual([]);
          expect(verifyPlan(problem, grid, asPlan(res), feederCheck)).toEqual([]);
          // invariant: every load is either assigned or explained
          expect(res.assignments.length + res.unserved.length).toBe(problem.loads.length);
          expect(res.sum_kva).toBeLessThanOrEqual(problem.site.total_capacity_cap_kva);
        }
        // the MIP (optimal here) is never worse than the heuristic
        expect(mip.objective.total).toBeLessThanOrEqual(heur.objective.total + 1e-6);
      }),
      { numRuns: 25, seed: 7 },
    );
  });
});

const START = '2026-03-02';
const dayShift = classFactors(PRESET_SHAPES.day_shift!);

function load(id: string, over: Partial<PlanLoad> = {}): PlanLoad {
  return {
    id,
    demand_kva: 100,
    active_power_kw: 85,
    reactive_power_kvar: 52.7,
    lv_threshold_exceeded: false,
    factors: dayShift,
    window: { start: addDays(START, 2), end: addDays(START, 9) },
    position_m: { x: 10, y: 0 },
    ...over,
  };
}

function site(loads: PlanLoad[], over: Partial<PlanProblem['site']> = {}): PlanProblem {
  return {
    site: {
      total_capacity_cap_kva: 1000,
      max_supply_points: 2,
      loading_cap: 0.85,
      voltage_drop_budget_percent: 5,
      low_voltage_threshold_kw: 160,
      ...over,
    },
    points: [
      { id: 'A', position_m: { x: 0, y: 0 }, energised_from: START },
      { id: 'B', position_m: { x: 300, y: 0 }, energised_from: addDays(START, 5) },
    ],
    loads,
  };
}

describe('infeasible inputs give explanations, not errors', () => {
  const grid = smallGrid(14, START);
  for (const method of ['mip', 'heuristic'] as const) {
    it(`(${method}) a load starting before every energisation is unserved with window_before_every_energisation and a later start`, async () => {
      const p = site([load('early', { window: { start: addDays(START, -0), end: addDays(START, 5) } })]);
      p.points = p.points.map((pt) => ({ ...pt, energised_from: addDays(START, 3) }));
      const res = await planSite(p, grid, { solver, feederCheck }, { method });
      expect(res.unserved).toEqual([
        expect.objectContaining({
          load_id: 'early',
          reason: 'window_before_every_energisation',
          alternative: expect.objectContaining({ kind: 'later_start', start_date: addDays(START, 3) }),
        }),
      ]);
    });

    it(`(${method}) a load above the LV threshold without override is unserved (dedicated supply); with override it is served`, async () => {
      const res = await planSite(
        site([load('big', { lv_threshold_exceeded: true })]),
        grid,
        { solver, feederCheck },
        { method },
      );
      expect(res.unserved[0]).toMatchObject({
        load_id: 'big',
        reason: 'above_low_voltage_threshold',
        alternative: { kind: 'dedicated_supply' },
      });
      const ok = await planSite(
        site([load('big', { lv_threshold_exceeded: true, lv_override: true })]),
        grid,
        { solver, feederCheck },
        { method },
      );
      expect(ok.unserved).toEqual([]);
      expect(ok.assignments[0]).toMatchObject({ load_id: 'big', point_id: 'A' });
    });

    it(`(${method}) a load too far for the voltage-drop budget at every point is unserved with voltage_drop_at_every_point_with_headroom`, async () => {
      // linearFeeder: ΔU% = P·L/10 000 → 85 kW at ≥ 600 m exceeds 5 % (hand-computed: 85·600/10 000 = 5.1)
      const res = await planSite(
        site([load('far', { position_m: { x: 150, y: 700 } })]),
        grid,
        { solver, feederCheck },
        { method },
      );
      expect(res.unserved[0]).toMatchObject({
        load_id: 'far',
        reason: 'voltage_drop_at_every_point_with_headroom',
        alternative: { kind: 'other_point', point_id: 'A' },
      });
    });

    it(`(${method}) a cap too small for the load leaves it unserved with no_point_with_headroom`, async () => {
      // 100 kVA at factor 1 needs ≥ 100/0.85 = 117.6 kVA → 125 kVA; a 100 kVA cap allows at most 100 kVA
      const res = await planSite(
        site([load('L1')], { total_capacity_cap_kva: 100 }),
        grid,
        { solver, feederCheck },
        { method },
      );
      expect(res.unserved[0]).toMatchObject({
        load_id: 'L1',
        reason: 'no_point_with_headroom',
        alternative: { kind: 'larger_rating', rating_kva: 125 },
      });
      expect(res.violations).toEqual([]);
    });

    it(`(${method}) when two loads overlap and the cap fits one, the other gets a later start as alternative`, async () => {
      const a = load('L1', { window: { start: addDays(START, 0), end: addDays(START, 4) } });
      const b = load('L2', {
        window: { start: addDays(START, 1), end: addDays(START, 3) },
        position_m: { x: 20, y: 0 },
      });
      const res = await planSite(
        site([a, b], { total_capacity_cap_kva: 125, max_supply_points: 1 }),
        grid,
        { solver, feederCheck },
        { method },
      );
      expect(res.assignments).toHaveLength(1);
      expect(res.unserved).toHaveLength(1);
      expect(res.unserved[0]?.reason).toBe('no_point_with_headroom');
      expect(res.unserved[0]?.alternative.kind).toBe('later_start');
    });
  }

  it('an invalid input (duplicate load id) is a DomainError, not a plan', async () => {
    await expect(planSite(site([load('X'), load('X')]), grid, { feederCheck })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('planSite output', () => {
  const grid = smallGrid(14, START);
  it('reports ratings, peaks with their hour, utilisation of the rating, headroom and the nearest-point baseline', async () => {
    const p = site([
      load('L1'),
      load('L2', {
        position_m: { x: 290, y: 0 },
        window: { start: addDays(START, 6), end: addDays(START, 9) },
      }),
    ]);
    const res = await planSite(p, grid, { solver, feederCheck }, { time_limit_s: 5 });
    // L1 nearest A (10 m), L2 nearest B (10 m): feeder cost 100·10 + 100·10 = 2000 kVA·m (hand-computed)
    expect(res.objective.feeder_cost_kva_m).toBeCloseTo(2000, 6);
    expect(res.baseline.feeder_cost_kva_m).toBeCloseTo(2000, 6);
    for (const pt of res.points) {
      const r = res.ratings.find((x) => x.point_id === pt.point_id)!.rating_kva;
      // day_shift peak factor 1 → peak 100 kVA at each point; utilisation = 100 / rating
      expect(pt.peak_kva).toBeCloseTo(100, 6);
      expect(pt.utilisation_percent).toBeCloseTo((100 / r) * 100, 1);
      expect(pt.peak_hour_iso).toMatch(/T\d\d:00:00.000Z$/);
    }
    expect(res.sum_kva + res.cap_headroom_kva).toBe(1000);
    expect(res.unserved).toEqual([]);
  });
});
