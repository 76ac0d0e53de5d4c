import { describe, it, expect, afterAll } from 'vitest';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { preparePlan } from '../../../src/domain/plan/prepare.js';
import { buildPlanModel, mipModelToLp } from '../../../src/domain/plan/model.js';
import { reduceHours } from '../../../src/domain/plan/hours.js';
import type { MipModel } from '../../../src/domain/plan/types.js';
import { buildInstance, linearFeeder, tinySpec } from './helpers.js';

const solver = new HighsSolver();
afterAll(async () => {
  await solver.close();
});

/** max x + y s.t. 2x + 2y ≤ 3, x, y binary — written as min −x − y. */
const TWO_BINARIES: MipModel = {
  col_names: ['x', 'y'],
  col_cost: Float64Array.from([-1, -1]),
  col_lower: Float64Array.from([0, 0]),
  col_upper: Float64Array.from([1, 1]),
  integrality: Uint8Array.from([1, 1]),
  row_lower: Float64Array.from([-Infinity]),
  row_upper: Float64Array.from([3]),
  row_starts: Int32Array.from([0, 2]),
  row_index: Int32Array.from([0, 1]),
  row_value: Float64Array.from([2, 2]),
};

describe('matrix models', () => {
  it('a matrix model is solved as a MIP, and as its LP relaxation when asked (hand-computed: MIP −1, LP −1.5)', async () => {
    const mip = await solver.solve(TWO_BINARIES, { time_limit_s: 5, mip_rel_gap: 0 });
    expect(mip.status).toBe('optimal');
    expect(mip.objective).toBeCloseTo(-1, 9);
    // LP: x + y ≤ 1.5 with both in [0, 1] → −1.5, which is also the relaxation's bound.
    const lp = await solver.solve(TWO_BINARIES, { time_limit_s: 5, mip_rel_gap: 0, relaxation: true });
    expect(lp.status).toBe('optimal');
    expect(lp.objective).toBeCloseTo(-1.5, 9);
    expect(lp.bound).toBeCloseTo(-1.5, 9);
  });

  it('the planning model gives the same optimum as a matrix and as its CPLEX LP text', async () => {
    for (const seed of [2, 5, 9]) {
      const { problem, grid } = buildInstance(tinySpec(seed));
      const prep = preparePlan(problem, grid, linearFeeder(5));
      const model = buildPlanModel(prep);
      const a = await solver.solve(model.matrix, { time_limit_s: 10, mip_rel_gap: 0 });
      const b = await solver.solve(mipModelToLp(model.matrix), { time_limit_s: 10, mip_rel_gap: 0 });
      expect(a.status).toBe('optimal');
      expect(b.status).toBe('optimal');
      expect(a.objective).toBeCloseTo(b.objective ?? Number.NaN, 4);
    }
  });

  it("each point's capacity rows are exactly its own reduced hours (the loads allowed there), one row per hour with load", () => {
    const { problem, grid } = buildInstance(tinySpec(4));
    const prep = preparePlan(problem, grid, linearFeeder(5));
    const model = buildPlanModel(prep, { balance: false });
    const m = model.matrix;
    let capacityRows = 0;
    for (let p = 0; p < problem.points.length; p++) {
      const members = prep.allowed.flatMap((pairs, l) => (pairs.some((a) => a.point === p) ? [l] : []));
      if (members.length === 0) continue;
      const hours = reduceHours(
        grid,
        members.map((l) => problem.loads[l]!),
        problem.points.map((q) => q.energised_from),
      ).hours;
      const loadsAt = (h: number): number[] =>
        members.filter((l) => {
          const load = problem.loads[l]!;
          const a = load.demand_kva * load.factors[grid.hour_class[h]!]!;
          return h >= prep.loadFrom[l]! && h < prep.loadTo[l]! && a > 0;
        });
      for (const h of hours) if (loadsAt(h).length > 0) capacityRows++;
    }
    // A capacity row is the one with a negative β·R coefficient on a y column and positive x coefficients.
    let found = 0;
    for (let i = 0; i < m.row_lower.length; i++) {
      const cols = Array.from(m.row_index.subarray(m.row_starts[i], m.row_starts[i + 1]));
      const vals = Array.from(m.row_value.subarray(m.row_starts[i], m.row_starts[i + 1]));
      const names = cols.map((c) => m.col_names[c]!);
      if (names.some((n) => n.startsWith('x')) && names.some((n, j) => n.startsWith('y') && vals[j]! < -1.5))
        found++;
    }
    expect(found).toBe(capacityRows);
  });
});
