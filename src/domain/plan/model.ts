/**
 * The planning MIP in CPLEX LP text (the format HiGHS' `solve()` and `createModel({format:'lp'})` read).
 *
 * Variables
 *   x_l_p ∈ {0,1}   load l at point p (allowed pairs only: energised by the window start, feeder within the
 *                   voltage-drop budget, LV rule respected)
 *   y_p_i ∈ {0,1}   point p gets its i-th admissible rating R_pi (no y = 0 kVA, point unused)
 *   u_l  ∈ [0,1]    load l unserved (integral because the assignment row has binaries only otherwise)
 *   U    ∈ [0,β]    highest utilisation peak/rating
 *   z_p_i = U·y_p_i (exact McCormick linearisation, y binary), only when the balance weight is > 0
 * Rows
 *   a_l:   Σ_p x_l_p + u_l = 1
 *   c_p_k: Σ_l a_l(k)·x_l_p − Σ_i R_pi·z_p_i ≤ 0   for every reduced hour k (load ≤ U·rating ≤ β·rating)
 *          (balance weight 0: Σ_l a_l(k)·x_l_p − β·Σ_i R_pi·y_p_i ≤ 0)
 *   r_p:   Σ_i y_p_i ≤ 1 (= 1 for a fixed rating)
 *   g_l_p: x_l_p − Σ_{i: β·R_pi ≥ peak_l} y_p_i ≤ 0 (a load only at a point rated to carry it alone)
 *   cap:   Σ R_pi·y_p_i ≤ total cap;   cnt: Σ y_p_i ≤ max points
 *   m1/m2/m3_p_i: z ≤ β·y, z ≤ U, z ≥ U − β·(1 − y)
 * Objective: Σ cost_lp·x_l_p + penalty·Σ u_l + balance·U, with cost_lp = w_f·demand·distance (+ preference).
 * Loads with no allowed pair are left out (they are unserved whatever the solver does).
 */
import { contribution, type PreparedPlan } from './prepare.js';
import type { PlanState } from './state.js';

export interface PlanModel {
  lp: string;
  columns: number;
  rows: number;
  /** Column name of load l at point p. */
  x: (l: number, p: number) => string;
}

/** Formats a coefficient for LP text: 12 significant digits, no exponent noise for ordinary values. */
function num(v: number): string {
  return Number(v.toPrecision(12)).toString();
}

function term(coef: number, name: string, first: boolean): string {
  if (coef < 0) return ` - ${num(-coef)} ${name}`;
  return first ? ` ${num(coef)} ${name}` : ` + ${num(coef)} ${name}`;
}

/** Column names: x = load at point, y = point's i-th admissible rating, z = U·y. */
export const xName = (l: number, p: number): string => `x${l}_${p}`;
export const yName = (p: number, i: number): string => `y${p}_${i}`;
export const zName = (p: number, i: number): string => `z${p}_${i}`;

/** A point gets rating columns when some load may use it or its rating is fixed. */
export function modelUsesPoint(prep: PreparedPlan, p: number): boolean {
  return (prep.mustUse[p] ?? false) || prep.allowed.some((pairs) => pairs.some((a) => a.point === p));
}

/** Builds the LP text of the planning MIP (see the module comment for the formulation). */
export function buildPlanModel(prep: PreparedPlan): PlanModel {
  const { problem, weights } = prep;
  const beta = prep.loadingCap;
  const N = problem.loads.length;
  const P = problem.points.length;
  const K = prep.reduced.hours.length;
  const useBalance = weights.balance > 0;
  const lines: string[] = [];
  const binaries: string[] = [];
  const bounds: string[] = [];
  let rows = 0;
  let columns = 0;
  const push = (name: string, terms: string[], sense: string, rhs: number): void => {
    const chunks: string[] = [];
    for (let i = 0; i < terms.length; i += 40) chunks.push(terms.slice(i, i + 40).join(''));
    lines.push(` ${name}:${chunks.join('\n ')} ${sense} ${num(rhs)}`);
    rows++;
  };

  // Loads per point for the capacity rows.
  const atPoint: number[][] = Array.from({ length: P }, () => []);
  const served: number[] = [];
  for (let l = 0; l < N; l++) {
    const pairs = prep.allowed[l] ?? [];
    if (pairs.length === 0) continue;
    served.push(l);
    for (const pair of pairs) atPoint[pair.point]?.push(l);
  }

  const obj: string[] = [];
  for (const l of served) {
    for (const pair of prep.allowed[l] ?? []) {
      obj.push(term(pair.cost, xName(l, pair.point), obj.length === 0));
      binaries.push(xName(l, pair.point));
      columns++;
    }
    obj.push(term(weights.unserved_penalty, `u${l}`, obj.length === 0));
    bounds.push(` u${l} <= 1`);
    columns++;
  }
  const usedPoint = (p: number): boolean => (atPoint[p]?.length ?? 0) > 0 || (prep.mustUse[p] ?? false);
  for (let p = 0; p < P; p++) {
    if (!usedPoint(p)) continue;
    (prep.ratingOptions[p] ?? []).forEach((_, i) => {
      binaries.push(yName(p, i));
      columns++;
      if (useBalance) {
        bounds.push(` ${zName(p, i)} <= ${num(beta)}`);
        columns++;
      }
    });
  }
  if (useBalance) {
    obj.push(term(weights.balance, 'U', obj.length === 0));
    bounds.push(` U <= ${num(beta)}`);
    columns++;
  }
  lines.push('Minimize');
  lines.push(` obj:${obj.length > 0 ? obj.join('') : ' 0 U'}`);
  lines.push('Subject To');

  for (const l of served) {
    const t = (prep.allowed[l] ?? []).map((pair, i) => term(1, xName(l, pair.point), i === 0));
    t.push(term(1, `u${l}`, false));
    push(`a${l}`, t, '=', 1);
  }
  const capTerms: string[] = [];
  const cntTerms: string[] = [];
  for (let p = 0; p < P; p++) {
    if (!usedPoint(p)) continue;
    const opts = prep.ratingOptions[p] ?? [];
    const members = atPoint[p] ?? [];
    // Capacity/utilisation rows on the reduced hours where some allowed load is present.
    for (let k = 0; k < K; k++) {
      const t: string[] = [];
      for (const l of members) {
        if (k < (prep.kFrom[l] ?? 0) || k >= (prep.kTo[l] ?? 0)) continue;
        const a = contribution(prep, l, k);
        if (a > 0) t.push(term(a, xName(l, p), t.length === 0));
      }
      if (t.length === 0) continue;
      opts.forEach((r, i) =>
        t.push(useBalance ? term(-r, zName(p, i), false) : term(-beta * r, yName(p, i), false)),
      );
      push(`c${p}_${k}`, t, '<=', 0);
    }
    const ys = opts.map((_, i) => term(1, yName(p, i), i === 0));
    push(`r${p}`, ys, prep.mustUse[p] ? '=' : '<=', 1);
    // x_l_p ≤ Σ_{i: β·R_pi ≥ peak_l} y_p_i: the disaggregated (facility-location) link, restricted to the
    // ratings that could carry the load on its own — much tighter in the LP relaxation than an aggregate.
    for (const l of members) {
      let peak = 0;
      for (let k = prep.kFrom[l] ?? 0; k < (prep.kTo[l] ?? 0); k++)
        peak = Math.max(peak, contribution(prep, l, k));
      const g = [term(1, xName(l, p), true)];
      opts.forEach((r, i) => {
        if (beta * r * (1 + 1e-9) >= peak) g.push(term(-1, yName(p, i), false));
      });
      push(`g${l}_${p}`, g, '<=', 0);
    }
    opts.forEach((r, i) => {
      capTerms.push(term(r, yName(p, i), capTerms.length === 0));
      cntTerms.push(term(1, yName(p, i), cntTerms.length === 0));
      if (useBalance) {
        push(`m1_${p}_${i}`, [term(1, zName(p, i), true), term(-beta, yName(p, i), false)], '<=', 0);
        push(`m2_${p}_${i}`, [term(1, zName(p, i), true), term(-1, 'U', false)], '<=', 0);
        push(
          `m3_${p}_${i}`,
          [term(1, zName(p, i), true), term(-1, 'U', false), term(-beta, yName(p, i), false)],
          '>=',
          -beta,
        );
      }
    });
  }
  if (capTerms.length > 0) {
    push('cap', capTerms, '<=', problem.site.total_capacity_cap_kva);
    push('cnt', cntTerms, '<=', problem.site.max_supply_points);
  }
  lines.push('Bounds');
  lines.push(...bounds);
  if (binaries.length > 0) {
    lines.push('Binary');
    for (let i = 0; i < binaries.length; i += 40) lines.push(` ${binaries.slice(i, i + 40).join(' ')}`);
  }
  lines.push('End');
  return { lp: lines.join('\n') + '\n', columns, rows, x: xName };
}

/** Column values of a plan, as a MIP start (all columns of `buildPlanModel`). */
export function planStartValues(
  prep: PreparedPlan,
  state: PlanState,
  maxUtilisation: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  const useBalance = prep.weights.balance > 0;
  prep.allowed.forEach((pairs, l) => {
    if (pairs.length === 0) return;
    const at = state.assign[l] ?? -1;
    for (const pair of pairs) out[xName(l, pair.point)] = pair.point === at ? 1 : 0;
    out[`u${l}`] = at < 0 ? 1 : 0;
  });
  prep.ratingOptions.forEach((opts, p) => {
    if (!modelUsesPoint(prep, p)) return;
    opts.forEach((r, i) => {
      const on = (state.rating[p] ?? 0) === r ? 1 : 0;
      out[yName(p, i)] = on;
      if (useBalance) out[zName(p, i)] = on * maxUtilisation;
    });
  });
  if (useBalance) out.U = maxUtilisation;
  return out;
}
