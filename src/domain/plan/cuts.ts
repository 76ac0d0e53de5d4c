/**
 * Cutting planes for the planning MIP: disjunctive cardinality (cover) cuts on the per-point capacity rows.
 *
 * For a point p, one of its capacity rows (hour k) and any set S of loads allowed at p:
 *
 *     Σ_{l∈S} x_l_p  ≤  Σ_i K_i(S)·(y_p_i − y_p_i+1)  =  Σ_i (K_i(S) − K_i−1(S))·y_p_i,
 *     K_i(S) = the largest number of loads of S that fit together under rating i at hour k:
 *              max |T|, T ⊆ S, every l ∈ T has peak_l ≤ β·R_pi, Σ_{l∈T} a_l(k) ≤ β·R_pi.
 *
 * (y_p_i − y_p_i+1 is 1 exactly when the point gets rating i: the rating columns are unary, `model.ts`;
 * K is non-decreasing in the rating, so every coefficient is ≥ 0.)
 * Valid for every integer plan: when the point gets rating i the loads of S
 * at p are such a T (each passed the load-alone row g_l_p, together they pass the capacity row at hour k,
 * and with the balance term the capacity row only gets tighter: load ≤ U·R ≤ β·R); when the point is
 * unused every x_l_p is 0 (the g rows). K_i is computed exactly (the most loads fitting are the smallest
 * ones), so no integer plan is cut off; the LP optimum with the cuts is a valid lower bound.
 *
 * With a fixed rating these are the classic cover cuts of a knapsack row (|S| − 1 when S overfills it),
 * which the LP relaxation lacks: the LP splits loads across points and fills every point to the kVA. With
 * the rating free, the right-hand side follows the rating mix of the LP. The LP-relaxation bound rises from
 * 5.9 % to 1.3 % below the optimum on the 500-load benchmark site (BENCHMARKS.md "## Planner").
 *
 * Separation (heuristic, exact K): per capacity row, the loads with x > 0 by decreasing x (then larger
 * load first) are added one by one; once they overfill a rating the LP uses, every longer prefix is a
 * candidate S and the most violated one is kept.
 */
import type { PlanModel } from './model.js';
import type { CutRows } from './types.js';

export interface CutSeparatorOptions {
  /** Minimum violation of a cut (in loads) to be returned (default 0.02). */
  min_violation?: number;
  /** Longest candidate set per row (default 64). */
  max_set?: number;
}

const EPS = 1e-6;

/**
 * A separator for the model's capacity cuts: called with the LP solution (column values by column index)
 * it returns the most violated cut of every capacity row (at most one per row, never one returned before),
 * or null when none is violated.
 */
export function capacityCutSeparator(
  model: Pick<PlanModel, 'capacity' | 'columnPeak'>,
  options: CutSeparatorOptions = {},
): (values: ArrayLike<number>) => CutRows | null {
  const minViolation = options.min_violation ?? 0.02;
  const maxSet = options.max_set ?? 64;
  const seen = new Set<string>();
  return (values) => {
    const lower: number[] = [];
    const upper: number[] = [];
    const starts: number[] = [0];
    const index: number[] = [];
    const value: number[] = [];
    for (const pc of model.capacity) {
      // y_p_i = "rating ≥ R_i" (unary): the share of rating i exactly is y_i − y_{i+1}.
      const yv = pc.y.map(
        (j, i) => (values[j] ?? 0) - (i + 1 < pc.y.length ? (values[pc.y[i + 1] ?? 0] ?? 0) : 0),
      );
      const targets = pc.capacity.filter((_, i) => (yv[i] ?? 0) > EPS);
      if (targets.length === 0) continue;
      for (const row of pc.rows) {
        const cand: number[] = [];
        for (let t = 0; t < row.x.length; t++) if ((values[row.x[t] ?? 0] ?? 0) > EPS) cand.push(t);
        if (cand.length < 2) continue;
        cand.sort(
          (s, t) =>
            (values[row.x[t] ?? 0] ?? 0) - (values[row.x[s] ?? 0] ?? 0) || (row.a[t] ?? 0) - (row.a[s] ?? 0),
        );
        let best: { set: number[]; k: number[]; violation: number } | null = null;
        for (const cap of targets) {
          let sum = 0;
          let lhs = 0;
          const set: number[] = [];
          for (const t of cand) {
            if (set.length >= maxSet) break;
            set.push(t);
            sum += row.a[t] ?? 0;
            lhs += values[row.x[t] ?? 0] ?? 0;
            if (sum <= cap * (1 + 1e-9)) continue;
            const k = pc.capacity.map((c) => fitCount(row, model.columnPeak, set, c));
            let rhs = 0;
            k.forEach((ki, i) => (rhs += ki * (yv[i] ?? 0)));
            const violation = lhs - rhs;
            if (violation > minViolation && (!best || violation > best.violation + 1e-12))
              best = { set: [...set], k, violation };
          }
        }
        if (!best) continue;
        const cols = best.set.map((t) => row.x[t] ?? 0);
        const key = [...cols].sort((a, b) => a - b).join(',') + '|' + best.k.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        for (const j of cols) {
          index.push(j);
          value.push(1);
        }
        best.k.forEach((ki, i) => {
          const dk = ki - (i > 0 ? (best.k[i - 1] ?? 0) : 0);
          if (dk !== 0) {
            index.push(pc.y[i] ?? 0);
            value.push(-dk);
          }
        });
        starts.push(index.length);
        lower.push(-Infinity);
        upper.push(0);
      }
    }
    if (lower.length === 0) return null;
    return {
      lower: Float64Array.from(lower),
      upper: Float64Array.from(upper),
      starts: Int32Array.from(starts),
      index: Int32Array.from(index),
      value: Float64Array.from(value),
    };
  };
}

/**
 * K(S, c): the most loads of S (entries of `row`) fitting together within c kVA at the row's hour, each
 * able to carry itself (peak ≤ c). The smallest loads first is optimal for a count. Rounding is in the
 * safe direction (a larger K only weakens the cut).
 */
function fitCount(
  row: { x: Int32Array; a: Float64Array },
  peak: Float64Array,
  set: readonly number[],
  cap: number,
): number {
  const limit = cap * (1 + 1e-9) + 1e-9;
  const sizes: number[] = [];
  for (const t of set) if ((peak[row.x[t] ?? 0] ?? 0) <= limit) sizes.push(row.a[t] ?? 0);
  sizes.sort((a, b) => a - b);
  let sum = 0;
  let k = 0;
  for (const s of sizes) {
    if (sum + s > limit) break;
    sum += s;
    k++;
  }
  return k;
}
