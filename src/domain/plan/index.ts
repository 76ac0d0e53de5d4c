/**
 * The supply-point planner's public API (pure; the MIP solver is injected through the `MipSolver` port).
 */
export type * from './types.js';
export {
  planSite,
  planSiteHeuristic,
  buildPlanResult,
  nearestPointBaseline,
  toAssignment,
  PLAN_DEFAULTS,
} from './plan.js';
export { preparePlan, planProblemIssues, type PreparedPlan } from './prepare.js';
export { reduceHours, type ReducedHours, type HourLoad } from './hours.js';
export { buildPlanModel, planStartValues, type PlanModel } from './model.js';
export { decodePlanValues } from './decode.js';
export { heuristicPlan, improvePlan, type HeuristicOptions } from './heuristic.js';
export { verifyPlan, pointPeaks } from './verify.js';
export { explainUnserved } from './explain.js';
export {
  syntheticSite,
  closedFormFeederCheck,
  mulberry32,
  REFERENCE_POINTS,
  type SyntheticOptions,
  type SyntheticSite,
} from './synthetic.js';
