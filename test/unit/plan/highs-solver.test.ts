import { describe, it, expect, afterAll } from 'vitest';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { syntheticSite, closedFormFeederCheck } from '../../../src/domain/plan/synthetic.js';
import { preparePlan } from '../../../src/domain/plan/prepare.js';
import { buildPlanModel } from '../../../src/domain/plan/model.js';

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
  it('an unreadable model is reported as a status, not thrown', async () => {
    const res = await solver.solve('this is not an LP', { time_limit_s: 1, mip_rel_gap: 0 });
    expect(res.has_solution).toBe(false);
    expect(['error', 'other']).toContain(res.status);
  });
});
