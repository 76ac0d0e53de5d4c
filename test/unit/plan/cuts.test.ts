import { describe, it, expect, afterAll } from 'vitest';
import { HighsSolver } from '../../../src/solver/highs-solver.js';
import { preparePlan, type PreparedPlan } from '../../../src/domain/plan/prepare.js';
import { buildPlanModel, planStartValues, yName } from '../../../src/domain/plan/model.js';
import { capacityCutSeparator } from '../../../src/domain/plan/cuts.js';
import type { CutRows, MipModel } from '../../../src/domain/plan/types.js';
import { buildInstance, linearFeeder, tinySpec, type InstanceSpec } from './helpers.js';

const solver = new HighsSolver();
afterAll(async () => {
  await solver.close();
});
const feederCheck = linearFeeder(5);

/** The model with the cut rows appended. */
function withRows(m: MipModel, cuts: CutRows): MipModel {
  const base = m.row_index.length;
  return {
    ...m,
    row_lower: Float64Array.from([...m.row_lower, ...cuts.lower]),
    row_upper: Float64Array.from([...m.row_upper, ...cuts.upper]),
    row_starts: Int32Array.from([...m.row_starts, ...Array.from(cuts.starts.subarray(1), (s) => s + base)]),
    row_index: Int32Array.from([...m.row_index, ...cuts.index]),
    row_value: Float64Array.from([...m.row_value, ...cuts.value]),
  };
}

/** Row activities within bounds (1e-7 slack). */
function satisfies(m: MipModel, v: Float64Array, from = 0): boolean {
  for (let i = from; i < m.row_lower.length; i++) {
    let a = 0;
    for (let t = m.row_starts[i]!; t < m.row_starts[i + 1]!; t++) a += m.row_value[t]! * v[m.row_index[t]!]!;
    if (a < m.row_lower[i]! - 1e-7 || a > m.row_upper[i]! + 1e-7) return false;
  }
  return true;
}

/**
 * Every integer point of the model (balance off: x, u, y only): each servable load at an allowed point or
 * unserved, each used point at one admissible rating or none; those satisfying the model's rows.
 */
function integerPlans(prep: PreparedPlan, m: MipModel): Float64Array[] {
  const col = new Map(m.col_names.map((n, j) => [n, j] as const));
  const loads = prep.allowed.flatMap((pairs, l) => (pairs.length > 0 ? [l] : []));
  const points = prep.ratingOptions.map((_, p) => p).filter((p) => col.has(yName(p, 0)));
  const out: Float64Array[] = [];
  const assign = new Array<number>(prep.problem.loads.length).fill(-1);
  const rating = new Array<number>(prep.problem.points.length).fill(-1);
  const emit = (): void => {
    // The model's own encoding of a plan (unary rating columns: y_p_i = 1 for every R_pi ≤ the rating).
    const state = {
      assign: Int32Array.from(assign),
      rating: prep.ratingOptions.map((opts, p) => (rating[p]! >= 0 ? opts[rating[p]!]! : 0)),
    };
    const values = planStartValues(prep, state, 0, { balance: false });
    const v = Float64Array.from(m.col_names, (n) => values[n] ?? 0);
    if (satisfies(m, v)) out.push(v);
  };
  const rate = (i: number): void => {
    if (i === points.length) return emit();
    const p = points[i]!;
    for (let r = -1; r < (prep.ratingOptions[p] ?? []).length; r++) {
      rating[p] = r;
      rate(i + 1);
    }
  };
  const place = (i: number): void => {
    if (i === loads.length) return rate(0);
    const l = loads[i]!;
    for (const pair of [{ point: -1 }, ...(prep.allowed[l] ?? [])]) {
      assign[l] = pair.point;
      place(i + 1);
    }
  };
  place(0);
  return out;
}

/** Tight tiny instances: six loads of 60–150 kVA on one week, three points, a small cap. */
function tightSpec(seed: number): InstanceSpec {
  const spec = tinySpec(seed);
  return {
    ...spec,
    days: 7,
    loads: [...spec.loads, { ...spec.loads[0]!, x: spec.loads[0]!.y, y: spec.loads[0]!.x }].map((l, i) => ({
      ...l,
      demand: 60 + ((i * 37 + seed * 11) % 90),
      start: i % 2,
      len: 6,
      lv: false,
    })),
    points: spec.points.map((p) => ({ ...p, energised_day: 0, min: 5 + (seed % 3) })),
    cap: 500 + 40 * (seed % 4),
  };
}

describe('capacity cover cuts', () => {
  it('no cut separated from the LP relaxation (three rounds) cuts off a feasible integer plan (exhaustive enumeration)', async () => {
    let separated = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { problem, grid } = buildInstance(tightSpec(seed));
      const prep = preparePlan(problem, grid, feederCheck);
      const model = buildPlanModel(prep, { balance: false });
      const plans = integerPlans(prep, model.matrix);
      expect(plans.length).toBeGreaterThan(0); // "everything unserved" is always feasible
      // plans with a point at its second rating or above are among them (the unary encoding is enumerated)
      const second = model.matrix.col_names.flatMap((n, j) => (/^y\d+_1$/.test(n) ? [j] : []));
      expect(plans.some((v) => second.some((j) => v[j] === 1))).toBe(true);
      const separate = capacityCutSeparator(model, { min_violation: 1e-4 });
      let m = model.matrix;
      for (let round = 0; round < 3; round++) {
        const lp = await solver.solve(m, { time_limit_s: 10, mip_rel_gap: 0, relaxation: true });
        expect(lp.status).toBe('optimal');
        const values = Float64Array.from(m.col_names, (n) => lp.values[n] ?? 0);
        const cuts = separate(values);
        if (!cuts) break;
        separated += cuts.lower.length;
        const rows = m.row_lower.length;
        m = withRows(m, cuts);
        // the LP point is cut off, no integer plan is
        expect(satisfies(m, values, rows)).toBe(false);
        for (const v of plans) expect(satisfies(m, v, rows)).toBe(true);
      }
    }
    expect(separated).toBeGreaterThan(0); // the instances are tight enough to exercise the separator
  });

  it('with the cut rounds, the LP bound after the cuts and the reported bound never exceed the MIP optimum, and the cuts tighten the LP bound', async () => {
    let tightened = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const { problem, grid } = buildInstance(tightSpec(seed));
      const prep = preparePlan(problem, grid, feederCheck);
      const model = buildPlanModel(prep);
      const plain = await solver.solve(model.matrix, { time_limit_s: 10, mip_rel_gap: 0 });
      const res = await solver.solve(model.matrix, {
        time_limit_s: 10,
        mip_rel_gap: 0,
        separator: capacityCutSeparator(model),
      });
      expect(plain.status).toBe('optimal');
      expect(res.status).toBe('optimal');
      const optimum = plain.objective ?? Number.NaN;
      expect(res.objective).toBeCloseTo(optimum, 4);
      const cuts = res.cuts!;
      expect(cuts.lp_before).not.toBeNull();
      expect(cuts.lp_after!).toBeLessThanOrEqual(optimum + 1e-6 * Math.abs(optimum));
      expect(cuts.lp_after!).toBeGreaterThanOrEqual(cuts.lp_before! - 1e-6 * Math.abs(optimum));
      expect(res.bound!).toBeLessThanOrEqual(optimum + 1e-6 * Math.abs(optimum));
      if (cuts.lp_after! > cuts.lp_before! + 1e-6 * Math.abs(optimum)) tightened++;
    }
    expect(tightened).toBeGreaterThan(0);
  });
});
