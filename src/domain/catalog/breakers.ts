/**
 * Protective-device catalogue: standard rated currents and the conventional tripping current I2
 * (DOMAIN.md §4.4).
 */
import type { DataSource } from './cables.js';

/**
 * Rated currents In, A, ascending. The common IEC R10-derived steps of MCB/MCCB ranges to 800 A, then the
 * air-circuit-breaker (IEC 60947-2) frame ratings 1000…3200 A for the LV mains of large supply points;
 * **unconfirmed as a normative list** (DOMAIN.md §4.4; some makers use 320 instead of 315 A).
 */
export const BREAKER_RATINGS_A: readonly number[] = [
  16, 20, 25, 32, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000,
  2500, 3200,
];

export const BREAKER_RATINGS_SOURCE: DataSource = {
  source:
    'DOMAIN.md §4.4 (common rating steps; huatuo3.com design table pairs 20–400 A settings with cables); 1000–3200 A: IEC 60947-2 air-circuit-breaker frame ratings (R10 series, IEC 60059)',
  confidence: 'low',
  note: 'unconfirmed as a normative list',
};

/** The product standard a breaker is built to; it fixes the conventional tripping current I2. */
export type BreakerStandard = 'IEC60898' | 'IEC60947-2';

/**
 * I2/In: IEC 60898-1 (MCBs, In ≤ 125 A) conventional tripping current 1.45·In; IEC 60947-2 (MCCBs)
 * conventional tripping current 1.3·In (both within the conventional time, 1 h for In ≤ 63 A, 2 h above).
 */
export const CONVENTIONAL_TRIPPING_FACTOR: Record<BreakerStandard, number> = {
  IEC60898: 1.45,
  'IEC60947-2': 1.3,
};

/** Largest In an IEC 60898-1 MCB has, A. */
export const MCB_MAX_RATED_CURRENT_A = 125;

/**
 * The standard assumed when the caller does not say: an MCB (IEC 60898, I2 = 1.45·In — the conservative
 * value) up to 125 A, an MCCB (IEC 60947-2, I2 = 1.3·In) above.
 *
 * @param ratedCurrentA In, A
 */
export function defaultBreakerStandard(ratedCurrentA: number): BreakerStandard {
  return ratedCurrentA <= MCB_MAX_RATED_CURRENT_A ? 'IEC60898' : 'IEC60947-2';
}

/**
 * Conventional tripping current I2, A.
 *
 * @param ratedCurrentA In, A
 * @param standard product standard (default by {@link defaultBreakerStandard})
 */
export function conventionalTrippingCurrentA(
  ratedCurrentA: number,
  standard: BreakerStandard = defaultBreakerStandard(ratedCurrentA),
): number {
  return CONVENTIONAL_TRIPPING_FACTOR[standard] * ratedCurrentA;
}

/** Smallest standard rating ≥ `currentA`, A, or `null` above the list. */
export function smallestRatingAtLeast(currentA: number): number | null {
  return BREAKER_RATINGS_A.find((r) => r >= currentA) ?? null;
}
