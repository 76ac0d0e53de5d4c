/**
 * The planning MIP, built as a matrix model (`MipModel`, what HiGHS' `passModel` takes) with CPLEX LP text
 * available for inspection and tests.
 *
 * Variables
 *   x_l_p ∈ {0,1}   load l at point p (allowed pairs only: energised by the window start, feeder within the
 *                   voltage-drop budget, LV rule respected)
 *   u_l  ∈ [0,1]    load l unserved (integral because the assignment row has binaries only otherwise)
 *   y_p_i ∈ {0,1}   point p is rated at least its i-th admissible rating R_pi (unary encoding:
 *                   y_p_1 ≥ y_p_2 ≥ …; rating = Σ_i ΔR_pi·y_p_i with ΔR_pi = R_pi − R_p,i−1, R_p0 = 0;
 *                   all y = 0: point unused)
 *   z_p_i = U·y_p_i (exact McCormick linearisation, y binary), only when the balance weight is > 0
 *   U    ∈ [0,β]    highest utilisation peak/rating
 * Rows
 *   a_l:   Σ_p x_l_p + u_l = 1
 *   c_p_k: Σ_l a_l(k)·x_l_p − Σ_i ΔR_pi·z_p_i ≤ 0   (load ≤ U·rating ≤ β·rating)
 *          (balance weight 0: Σ_l a_l(k)·x_l_p − β·Σ_i ΔR_pi·y_pi ≤ 0)
 *          for every hour k of the point's OWN reduced hour set: `reduceHours` over the loads allowed at p
 *          only — valid because only those loads can ever load p (hours.ts), and about half the rows and
 *          non-zeros of the site-wide set
 *   r_p:   y_p_1 ≤ 1 (= 1 for a fixed rating);  o_p_i: y_p_i − y_p_i−1 ≤ 0
 *   g_l_p: x_l_p − y_p_j ≤ 0, j the smallest rating with β·R_pj ≥ peak_l (a load only at a point rated to
 *          carry it alone)
 *   cap:   Σ ΔR_pi·y_p_i ≤ total cap;   cnt: Σ_p y_p_1 ≤ max points
 *   m1/m2/m3_p_i: z ≤ β·y, z ≤ U, z ≥ U − β·(1 − y)
 * Objective: Σ cost_lp·x_l_p + penalty·Σ u_l + balance·U, with cost_lp = w_f·demand·distance (+ preference).
 * Loads with no allowed pair are left out (they are unserved whatever the solver does).
 *
 * The unary rating encoding has the same LP relaxation as one binary per rating (y'_i = y_i − y_i+1), but a
 * branch on y_p_i splits "rating ≥ R_pi" from "rating < R_pi", a balanced split of the rating range instead
 * of "this one rating or any other". Measured alone (5 s, 500 loads, seeds 1–3, one run each) the gaps went
 * 1.32 / 2.12 / 2.34 % → 1.24 / 1.90 / 1.76 % (BENCHMARKS.md "## Planner").
 */
import { reduceHours } from './hours.js';
import type { PreparedPlan } from './prepare.js';
import type { PlanState } from './state.js';
import type { MipModel } from './types.js';

/** The capacity rows of one point, for cut separation (`cuts.ts`). */
export interface PointCapacity {
  point: number;
  /** Rating columns y_p_i and the load each rating carries within the loading cap, β·R_pi (kVA). */
  y: number[];
  capacity: number[];
  /** One entry per capacity row: the x columns with load at that hour and their load a_l(k) (kVA). */
  rows: { x: Int32Array; a: Float64Array }[];
}

export interface PlanModel {
  matrix: MipModel;
  /** Capacity-row structure per point with rating columns (for `separateCapacityCuts`). */
  capacity: PointCapacity[];
  /** Peak contribution of the load of each x column over its window (kVA), by column index (0 elsewhere). */
  columnPeak: Float64Array;
  columns: number;
  rows: number;
  /** Column name of load l at point p. */
  x: (l: number, p: number) => string;
  /** CPLEX LP text of the same model (built on first use). */
  readonly lp: string;
}

/** Column names: x = load at point, y = point rated at least its i-th admissible rating, z = U·y. */
export const xName = (l: number, p: number): string => `x${l}_${p}`;
export const yName = (p: number, i: number): string => `y${p}_${i}`;
export const zName = (p: number, i: number): string => `z${p}_${i}`;

/**
 * A point's rating from its y column values (`get(i)` = y_p_i): the largest R_pi with y_p_i > 0.5, or with
 * `fractional` the LP's rating Σ_i ΔR_pi·y_p_i.
 */
export function ratingOf(opts: readonly number[], get: (i: number) => number, fractional = false): number {
  let r = 0;
  opts.forEach((opt, i) => {
    const v = get(i);
    if (fractional) r += (opt - (i > 0 ? (opts[i - 1] ?? 0) : 0)) * v;
    else if (v > 0.5) r = opt;
  });
  return r;
}

/** A point gets rating columns when some load may use it or its rating is fixed. */
export function modelUsesPoint(prep: PreparedPlan, p: number): boolean {
  return (prep.mustUse[p] ?? false) || prep.allowed.some((pairs) => pairs.some((a) => a.point === p));
}

export interface PlanModelOptions {
  /**
   * Model the balance term (U and the z = U·y linearisation). Default: when the balance weight is > 0.
   * Without it the model's optimum and bound are those of the objective less balance·U, a valid lower bound
   * of the full objective (balance·U ≥ 0) that is at most balance·β below it.
   */
  balance?: boolean;
}

/** Builds the planning MIP (see the module comment for the formulation). */
export function buildPlanModel(prep: PreparedPlan, options: PlanModelOptions = {}): PlanModel {
  const { problem, weights, grid } = prep;
  const beta = prep.loadingCap;
  const N = problem.loads.length;
  const P = problem.points.length;
  const useBalance = (options.balance ?? true) && weights.balance > 0;

  const colNames: string[] = [];
  const cost: number[] = [];
  const upper: number[] = [];
  const integ: number[] = [];
  const col = (name: string, c: number, ub: number, integer: boolean): number => {
    colNames.push(name);
    cost.push(c);
    upper.push(ub);
    integ.push(integer ? 1 : 0);
    return colNames.length - 1;
  };
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const starts: number[] = [0];
  const index: number[] = [];
  const value: number[] = [];
  const row = (cols: readonly number[], vals: readonly number[], lo: number, hi: number): void => {
    for (let i = 0; i < cols.length; i++) {
      index.push(cols[i] ?? 0);
      value.push(vals[i] ?? 0);
    }
    starts.push(index.length);
    rowLower.push(lo);
    rowUpper.push(hi);
  };

  const atPoint: number[][] = Array.from({ length: P }, () => []);
  const served: number[] = [];
  const xCol = new Map<number, number>(); // l·P + p → column
  const uCol = new Map<number, number>();
  for (let l = 0; l < N; l++) {
    const pairs = prep.allowed[l] ?? [];
    if (pairs.length === 0) continue;
    served.push(l);
    for (const pair of pairs) {
      atPoint[pair.point]?.push(l);
      xCol.set(l * P + pair.point, col(xName(l, pair.point), pair.cost, 1, true));
    }
    uCol.set(l, col(`u${l}`, weights.unserved_penalty, 1, false));
  }
  const usedPoint = (p: number): boolean => (atPoint[p]?.length ?? 0) > 0 || (prep.mustUse[p] ?? false);
  const yCol: number[][] = [];
  const zCol: number[][] = [];
  for (let p = 0; p < P; p++) {
    const ys: number[] = [];
    const zs: number[] = [];
    if (usedPoint(p))
      (prep.ratingOptions[p] ?? []).forEach((_, i) => {
        ys.push(col(yName(p, i), 0, 1, true));
        if (useBalance) zs.push(col(zName(p, i), 0, beta, false));
      });
    yCol.push(ys);
    zCol.push(zs);
  }
  const uMax = useBalance ? col('U', weights.balance, beta, false) : -1;

  for (const l of served) {
    const pairs = prep.allowed[l] ?? [];
    row(
      [...pairs.map((pair) => xCol.get(l * P + pair.point) ?? 0), uCol.get(l) ?? 0],
      new Array<number>(pairs.length + 1).fill(1),
      1,
      1,
    );
  }
  const extraDates = problem.points.map((p) => p.energised_from);
  const capacity: PointCapacity[] = [];
  const peakOfCol = new Map<number, number>();
  const capCols: number[] = [];
  const capVals: number[] = [];
  for (let p = 0; p < P; p++) {
    if (!usedPoint(p)) continue;
    const opts = prep.ratingOptions[p] ?? [];
    const members = atPoint[p] ?? [];
    const ys = yCol[p] ?? [];
    const zs = zCol[p] ?? [];
    const ratingCols = useBalance ? zs : ys;
    const step = opts.map((r, i) => r - (i > 0 ? (opts[i - 1] ?? 0) : 0));
    const ratingVals = step.map((d) => (useBalance ? -d : -beta * d));
    const pointCap: PointCapacity = { point: p, y: [...ys], capacity: opts.map((r) => beta * r), rows: [] };
    if (ys.length > 0) capacity.push(pointCap);
    // The point's own reduced hours: only its allowed loads can load it.
    const hours = reduceHours(
      grid,
      members.map(
        (l) =>
          problem.loads[l] ?? {
            demand_kva: 0,
            factors: new Float64Array(72),
            window: { start: '', end: '' },
          },
      ),
      extraDates,
    ).hours;
    for (const h of hours) {
      const cols: number[] = [];
      const vals: number[] = [];
      const cls = grid.hour_class[h] ?? 0;
      for (const l of members) {
        if (h < (prep.loadFrom[l] ?? 0) || h >= (prep.loadTo[l] ?? 0)) continue;
        const load = problem.loads[l];
        const a = (load?.demand_kva ?? 0) * (load?.factors[cls] ?? 0);
        if (a > 0) {
          cols.push(xCol.get(l * P + p) ?? 0);
          vals.push(a);
        }
      }
      if (cols.length === 0) continue;
      pointCap.rows.push({ x: Int32Array.from(cols), a: Float64Array.from(vals) });
      row([...cols, ...ratingCols], [...vals, ...ratingVals], -Infinity, 0);
    }
    if (ys.length > 0) row([ys[0] ?? 0], [1], prep.mustUse[p] ? 1 : -Infinity, 1);
    for (let i = 1; i < ys.length; i++) row([ys[i] ?? 0, ys[i - 1] ?? 0], [1, -1], -Infinity, 0);
    // x_l_p ≤ Σ_{i: β·R_pi ≥ peak_l} y_p_i: the disaggregated (facility-location) link, restricted to the
    // ratings that could carry the load on its own — much tighter in the LP relaxation than an aggregate.
    for (const l of members) {
      let peak = 0;
      for (let k = prep.kFrom[l] ?? 0; k < (prep.kTo[l] ?? 0); k++) {
        const load = problem.loads[l];
        const h = prep.reduced.hours[k] ?? 0;
        peak = Math.max(peak, (load?.demand_kva ?? 0) * (load?.factors[grid.hour_class[h] ?? 0] ?? 0));
      }
      const cols = [xCol.get(l * P + p) ?? 0];
      peakOfCol.set(cols[0] ?? 0, peak);
      const vals = [1];
      const first = opts.findIndex((r) => beta * r * (1 + 1e-9) >= peak);
      if (first >= 0) {
        cols.push(ys[first] ?? 0);
        vals.push(-1);
      }
      row(cols, vals, -Infinity, 0);
    }
    opts.forEach((r, i) => {
      capCols.push(ys[i] ?? 0);
      capVals.push(step[i] ?? 0);
      if (useBalance) {
        const y = ys[i] ?? 0;
        const z = zs[i] ?? 0;
        row([z, y], [1, -beta], -Infinity, 0);
        row([z, uMax], [1, -1], -Infinity, 0);
        row([z, uMax, y], [1, -1, -beta], -beta, Infinity);
      }
    });
  }
  if (capCols.length > 0) {
    row(capCols, capVals, -Infinity, problem.site.total_capacity_cap_kva);
    const firsts = yCol.flatMap((ys) => (ys.length > 0 ? [ys[0] ?? 0] : []));
    row(firsts, new Array<number>(firsts.length).fill(1), -Infinity, problem.site.max_supply_points);
  }
  const matrix: MipModel = {
    col_names: colNames,
    col_cost: Float64Array.from(cost),
    col_lower: new Float64Array(colNames.length),
    col_upper: Float64Array.from(upper),
    integrality: Uint8Array.from(integ),
    row_lower: Float64Array.from(rowLower),
    row_upper: Float64Array.from(rowUpper),
    row_starts: Int32Array.from(starts),
    row_index: Int32Array.from(index),
    row_value: Float64Array.from(value),
  };
  const columnPeak = new Float64Array(colNames.length);
  for (const [j, v] of peakOfCol) columnPeak[j] = v;
  let text: string | null = null;
  return {
    matrix,
    capacity,
    columnPeak,
    columns: colNames.length,
    rows: rowLower.length,
    x: xName,
    get lp(): string {
      text ??= mipModelToLp(matrix);
      return text;
    },
  };
}

/** Formats a coefficient for LP text: 12 significant digits, no exponent noise for ordinary values. */
function num(v: number): string {
  return Number(v.toPrecision(12)).toString();
}

/** CPLEX LP text of a matrix model (rows named r0, r1, …). */
export function mipModelToLp(m: MipModel): string {
  const lines: string[] = ['Minimize'];
  const terms = (cols: ArrayLike<number>, vals: ArrayLike<number>): string => {
    const out: string[] = [];
    for (let i = 0; i < cols.length; i++) {
      const v = vals[i] ?? 0;
      const name = m.col_names[cols[i] ?? 0] ?? '';
      out.push(
        v < 0 ? ` - ${num(-v)} ${name}` : out.length === 0 ? ` ${num(v)} ${name}` : ` + ${num(v)} ${name}`,
      );
    }
    const chunks: string[] = [];
    for (let i = 0; i < out.length; i += 40) chunks.push(out.slice(i, i + 40).join(''));
    return chunks.join('\n ');
  };
  const objCols: number[] = [];
  const objVals: number[] = [];
  m.col_cost.forEach((c, j) => {
    if (c !== 0) {
      objCols.push(j);
      objVals.push(c);
    }
  });
  lines.push(` obj:${objCols.length > 0 ? terms(objCols, objVals) : ` 0 ${m.col_names[0] ?? 'U'}`}`);
  lines.push('Subject To');
  for (let i = 0; i < m.row_lower.length; i++) {
    const a = m.row_starts[i] ?? 0;
    const b = m.row_starts[i + 1] ?? 0;
    const t = terms(m.row_index.subarray(a, b), m.row_value.subarray(a, b));
    const lo = m.row_lower[i] ?? -Infinity;
    const hi = m.row_upper[i] ?? Infinity;
    if (lo === hi) lines.push(` r${i}:${t} = ${num(hi)}`);
    else if (lo === -Infinity) lines.push(` r${i}:${t} <= ${num(hi)}`);
    else if (hi === Infinity) lines.push(` r${i}:${t} >= ${num(lo)}`);
    else lines.push(` r${i}: ${num(lo)} <=${t} <= ${num(hi)}`);
  }
  lines.push('Bounds');
  const binaries: string[] = [];
  m.col_names.forEach((name, j) => {
    if (m.integrality[j] === 1) binaries.push(name);
    else lines.push(` ${num(m.col_lower[j] ?? 0)} <= ${name} <= ${num(m.col_upper[j] ?? Infinity)}`);
  });
  if (binaries.length > 0) {
    lines.push('Binary');
    for (let i = 0; i < binaries.length; i += 40) lines.push(` ${binaries.slice(i, i + 40).join(' ')}`);
  }
  lines.push('End');
  return lines.join('\n') + '\n';
}

/** Column values of a plan, as a MIP start (all columns of `buildPlanModel`). */
export function planStartValues(
  prep: PreparedPlan,
  state: PlanState,
  maxUtilisation: number,
  options: PlanModelOptions = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  const useBalance = (options.balance ?? true) && prep.weights.balance > 0;
  prep.allowed.forEach((pairs, l) => {
    if (pairs.length === 0) return;
    const at = state.assign[l] ?? -1;
    for (const pair of pairs) out[xName(l, pair.point)] = pair.point === at ? 1 : 0;
    out[`u${l}`] = at < 0 ? 1 : 0;
  });
  prep.ratingOptions.forEach((opts, p) => {
    if (!modelUsesPoint(prep, p)) return;
    opts.forEach((r, i) => {
      const on = (state.rating[p] ?? 0) >= r ? 1 : 0;
      out[yName(p, i)] = on;
      if (useBalance) out[zName(p, i)] = on * maxUtilisation;
    });
  });
  if (useBalance) out.U = maxUtilisation;
  return out;
}
