import { describe, it, expect, afterAll } from 'vitest';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { syntheticSite, closedFormFeederCheck } from '../../../src/domain/plan/synthetic.js';
import { preparePlan } from '../../../src/domain/plan/prepare.js';
import { buildPlanModel } from '../../../src/domain/plan/model.js';
import type { MipModel } from '../../../src/domain/plan/types.js';

const KNAPSACK = `Maximize
 obj: 30 chairs + 50 tables
Subject To
 carpentry: chairs + 2 tables <= 40
 finishing: 2 chairs + tables <= 50
Generals
 chairs tables
End
`;

describe('HighsSolver (worker thread)', () => {
  const solver = new HighsSolver({ kill_grace_ms: 0 });
  afterAll(async () => {
    await solver.close();
  });
  it('solves a small MIP to optimality in the worker (highs README example: 20 chairs, 10 tables, 1100)', async () => {
    const res = await solver.solve(KNAPSACK, { time_limit_s: 10, mip_rel_gap: 0 });
    expect(res.status).toBe('optimal');
    expect(res.objective).toBeCloseTo(1100, 6);
    expect(res.values).toMatchObject({ chairs: 20, tables: 10 });
    expect(res.time_ms).toBeGreaterThan(0);
  });
  it('when the solve overruns its time limit, the worker is killed, the incumbent kept, and the next solve still works', async () => {
    const { problem, grid } = syntheticSite({ loads: 200, seed: 3, load_level: 0.6 });
    const prep = preparePlan(problem, grid, closedFormFeederCheck(5));
    const lp = buildPlanModel(prep).lp;
    // kill_grace_ms 0 and a 0.3 s limit: the kill timer fires at the limit, racing HiGHS' own stop
    const res = await solver.solve(lp, { time_limit_s: 0.3, mip_rel_gap: 0 });
    expect(['killed', 'time_limit']).toContain(res.status);
    expect(res.time_ms).toBeLessThan(20_000);
    const again = await solver.solve(KNAPSACK, { time_limit_s: 10, mip_rel_gap: 0 });
    expect(again.objective).toBeCloseTo(1100, 6);
  });
  it('cut rounds: the separator gets each LP solution, its rows are added before the MIP, and the last LP bound is reported (min −x−y−z, 2x+2y+2z ≤ 3: LP −1.5, with x+y+z ≤ 1: −1)', async () => {
    const model: MipModel = {
      col_names: ['x', 'y', 'z'],
      col_cost: Float64Array.from([-1, -1, -1]),
      col_lower: new Float64Array(3),
      col_upper: Float64Array.from([1, 1, 1]),
      integrality: Uint8Array.from([1, 1, 1]),
      row_lower: Float64Array.from([-Infinity]),
      row_upper: Float64Array.from([3]),
      row_starts: Int32Array.from([0, 3]),
      row_index: Int32Array.from([0, 1, 2]),
      row_value: Float64Array.from([2, 2, 2]),
    };
    const seen: number[][] = [];
    const res = await solver.solve(model, {
      time_limit_s: 10,
      mip_rel_gap: 0,
      separator: (values) => {
        seen.push(Array.from(values));
        const sum = values.reduce((a, b) => a + b, 0);
        return sum > 1 + 1e-9
          ? {
              lower: Float64Array.from([-Infinity]),
              upper: Float64Array.from([1]),
              starts: Int32Array.from([0, 3]),
              index: Int32Array.from([0, 1, 2]),
              value: Float64Array.from([1, 1, 1]),
            }
          : null;
      },
    });
    expect(res.status).toBe('optimal');
    expect(res.objective).toBeCloseTo(-1, 9);
    expect(seen.length).toBe(2);
    expect(seen[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(1.5, 9);
    expect(res.cuts).toMatchObject({ rounds: 1, rows: 1 });
    expect(res.cuts!.lp_before).toBeCloseTo(-1.5, 9);
    expect(res.cuts!.lp_after).toBeCloseTo(-1, 9);
    expect(res.bound).toBeCloseTo(-1, 9);
  });
  it('after the cut rounds, the relaxation hook can set a start and a restricted MIP; the restricted bound is never reported (min −x−2y, x + y ≤ 1: optimum −2; with x fixed to 1: −1)', async () => {
    const model: MipModel = {
      col_names: ['x', 'y'],
      col_cost: Float64Array.from([-1, -2]),
      col_lower: new Float64Array(2),
      col_upper: Float64Array.from([1, 1]),
      integrality: Uint8Array.from([1, 1]),
      row_lower: Float64Array.from([-Infinity]),
      row_upper: Float64Array.from([1]),
      row_starts: Int32Array.from([0, 2]),
      row_index: Int32Array.from([0, 1]),
      row_value: Float64Array.from([1, 1]),
    };
    const hook: number[][] = [];
    const res = await solver.solve(model, {
      time_limit_s: 10,
      mip_rel_gap: 0,
      separator: () => null,
      on_relaxation: (values) => {
        hook.push(Array.from(values));
        return { start: { x: 1, y: 0 }, fix: { x: 1 }, fix_time_limit_s: 5 };
      },
    });
    expect(hook.length).toBe(1);
    expect(hook[0]![0]).toBeCloseTo(0, 9);
    expect(hook[0]![1]).toBeCloseTo(1, 9);
    expect(res.status).toBe('optimal');
    expect(res.objective).toBeCloseTo(-2, 9);
    expect(res.bound!).toBeLessThanOrEqual(-2 + 1e-9);
  });
  it('the dive over unary groups ends at whole levels and leaves the model as it was: the MIP after it is the integer optimum, not the LP', async () => {
    // Two unary ratings (a1 ≥ a2, b1 ≥ b2), 10 units of capacity per level, 1 per level in cost, at most three
    // levels together; demands 15 (side A) and 5 (side B), 100 per unit unserved. LP optimum: levels 1.5 and
    // 0.5, cost 2. Integer optimum: levels 2 and 1, cost 3 — also where the dive ends.
    const model: MipModel = {
      col_names: ['a1', 'a2', 'b1', 'b2', 'sA', 'sB', 'uA', 'uB'],
      col_cost: Float64Array.from([1, 1, 1, 1, 0, 0, 100, 100]),
      col_lower: new Float64Array(8),
      col_upper: Float64Array.from([1, 1, 1, 1, Infinity, Infinity, Infinity, Infinity]),
      integrality: Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]),
      // sA − 10 a1 − 10 a2 ≤ 0; sB − 10 b1 − 10 b2 ≤ 0; sA + uA = 15; sB + uB = 5; a2 ≤ a1; b2 ≤ b1; Σ ≤ 3
      row_lower: Float64Array.from([-Infinity, -Infinity, 15, 5, -Infinity, -Infinity, -Infinity]),
      row_upper: Float64Array.from([0, 0, 15, 5, 0, 0, 3]),
      row_starts: Int32Array.from([0, 3, 6, 8, 10, 12, 14, 18]),
      row_index: Int32Array.from([4, 0, 1, 5, 2, 3, 4, 6, 5, 7, 1, 0, 3, 2, 0, 1, 2, 3]),
      row_value: Float64Array.from([1, -10, -10, 1, -10, -10, 1, 1, 1, 1, 1, -1, 1, -1, 1, 1, 1, 1]),
    };
    const res = await solver.solve(model, {
      time_limit_s: 10,
      mip_rel_gap: 0,
      separator: () => null,
      on_relaxation: (values, objective) => {
        expect(objective).toBeCloseTo(2, 9);
        expect(values[0]! + values[1]!).toBeCloseTo(1.5, 9);
        return {
          start: { uA: 15, uB: 5 },
          fix_time_limit_s: 0,
          dive: { groups: [Int32Array.from([0, 1]), Int32Array.from([2, 3])], time_limit_s: 5 },
        };
      },
    });
    expect(res.cuts?.dive).toMatchObject({ used: true });
    expect(res.cuts!.dive!.lp).toBeCloseTo(3, 9);
    expect(res.cuts!.dive!.solves).toBeGreaterThanOrEqual(4);
    expect(res.status).toBe('optimal');
    expect(res.objective).toBeCloseTo(3, 9);
    expect(res.values).toMatchObject({ a1: 1, a2: 1, b1: 1 });
    expect(res.values.b2 ?? 0).toBe(0);
  });
  it('an unreadable model is reported as a status, not thrown', async () => {
    const res = await solver.solve('this is not an LP', { time_limit_s: 1, mip_rel_gap: 0 });
    expect(res.has_solution).toBe(false);
    expect(['error', 'other']).toContain(res.status);
  });
});
