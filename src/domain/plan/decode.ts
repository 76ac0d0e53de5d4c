/**
 * Decoding of solver column values (see `model.ts` for the column names) into a plan.
 */
import type { PreparedPlan } from './prepare.js';
import type { PlanState } from './state.js';
import { ratingOf, xName, yName } from './model.js';

/** Decodes solver column values into a plan (x > 0.5 → assigned; y > 0.5 → rating). */
export function decodePlanValues(prep: PreparedPlan, values: Readonly<Record<string, number>>): PlanState {
  const assign = new Int32Array(prep.problem.loads.length).fill(-1);
  prep.allowed.forEach((pairs, l) => {
    for (const pair of pairs) if ((values[xName(l, pair.point)] ?? 0) > 0.5) assign[l] = pair.point;
  });
  const rating = prep.ratingOptions.map((opts, p) => ratingOf(opts, (i) => values[yName(p, i)] ?? 0));
  return { assign, rating };
}
