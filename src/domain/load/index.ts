/** Demand calculation engine (JGJ 46 demand-coefficient method and handbook estimate). */
export { calculateDemand, type DemandOptions } from './demand.js';
export { acWelderPeKw, convertItem, dcWelderPeKw, intermittentPeKw, lightingPeKw } from './conversion.js';
export { handbookEstimateA, handbookEstimateB, handbookK1A, handbookK1B, handbookK2A } from './handbook.js';
export { recommendTransformer } from './transformer.js';
export { assessUnbalance, lineToLineEquivalentKw, spreadUnits, UNBALANCE_THRESHOLD } from './unbalance.js';
export { validateDemandInput, MAX_ITEMS, MAX_QUANTITY, MAX_RATING } from './validate.js';
export type * from './types.js';
export { LINE_PAIRS, PHASES } from './types.js';
