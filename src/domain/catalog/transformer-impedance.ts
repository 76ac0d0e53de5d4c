/**
 * Short-circuit impedance uk and load losses of 10/0.4 kV distribution transformers per rating, as catalogue
 * data with its source: GB/T 6451 (oil-immersed, Dyn11, S11/S13 series) and GB/T 10228 (dry-type, SCB10/11,
 * F class at 120 °C). Used for the transformer's positive-sequence impedance in IEC 60909-0 (eqs. 7–9):
 *   Z_T = uk/100 · U_rT²/S_rT,  R_T = P_krT · U_rT²/S_rT²,  X_T = √(Z_T² − R_T²).
 */
import type { DataSource } from './cables.js';
import { TRANSFORMER_RATINGS_KVA } from './transformers.js';

export type TransformerType = 'oil' | 'dry';
export const TRANSFORMER_TYPES: readonly TransformerType[] = ['oil', 'dry'];

export interface TransformerImpedanceData {
  rating_kva: number;
  /** Short-circuit impedance uk, % of U_r. */
  impedance_percent: number;
  /** Load (copper) losses at rated current P_krT, W (oil at 75 °C, dry at 120 °C). */
  load_losses_w: number;
}

/** Oil-immersed 10 kV (±5 %)/0.4 kV Dyn11: uk 4 % up to 630 kVA, 4.5 % from 800 kVA (GB/T 6451 table). */
const OIL_LOAD_LOSSES_W: Record<number, number> = {
  30: 630,
  50: 910,
  63: 1090,
  80: 1310,
  100: 1580,
  125: 1890,
  160: 2310,
  200: 2730,
  250: 3200,
  315: 3830,
  400: 4520,
  500: 5410,
  630: 6200,
  800: 7500,
  1000: 10300,
  1250: 12000,
  1600: 14500,
  2000: 18300,
  2500: 21200,
};
/** Dry-type 10/0.4 kV Dyn11, F class at 120 °C: uk 4 % up to 500 kVA, 6 % from 630 kVA (GB/T 10228 table). */
const DRY_LOAD_LOSSES_W: Record<number, number> = {
  30: 710,
  50: 1000,
  63: 1190,
  80: 1380,
  100: 1570,
  125: 1850,
  160: 2130,
  200: 2530,
  250: 2760,
  315: 3470,
  400: 3990,
  500: 4880,
  630: 5880,
  800: 6960,
  1000: 8130,
  1250: 9690,
  1600: 11730,
  2000: 14450,
  2500: 17170,
};

function ukPercent(type: TransformerType, ratingKva: number): number {
  if (type === 'oil') return ratingKva <= 630 ? 4 : 4.5;
  return ratingKva <= 500 ? 4 : 6;
}

export const TRANSFORMER_IMPEDANCE_SOURCE: Record<TransformerType, DataSource> = {
  oil: {
    source:
      'GB/T 6451-2015 (three-phase oil-immersed power transformers) performance table for 10 kV Dyn11 units 30–2500 kVA: ' +
      'uk 4.0 % (≤ 630 kVA), 4.5 % (800–2500 kVA); load losses at 75 °C (S11 level), as remembered',
    confidence: 'medium',
    note: 'uk confirmed by DOMAIN.md "Product decisions" (4–4.5 % for 10 kV oil units); loss values not re-read from the standard — use the nameplate for final design',
  },
  dry: {
    source:
      'GB/T 10228-2015 (dry-type power transformers) performance table for 10 kV units 30–2500 kVA: uk 4 % (≤ 500 kVA), ' +
      '6 % (630–2500 kVA); load losses at 120 °C (F class, SCB10 level), as remembered; 63 kVA interpolated',
    confidence: 'low',
    note: 'DOMAIN.md "Product decisions" gives 4–6 % for dry-type; loss values not re-read from the standard',
  },
};

/** Rated LV voltage U_rT of a 10/0.4 kV transformer, V (no-load secondary voltage). */
export const TRANSFORMER_RATED_LV_V = 400;

/**
 * Catalogue uk and load losses of a transformer, or `null` when the rating is not a standard one.
 *
 * @param ratingKva S_rT, kVA (one of {@link TRANSFORMER_RATINGS_KVA})
 * @param type 'oil' (GB/T 6451, the default for a site's temporary supply point) or 'dry' (GB/T 10228)
 */
export function transformerImpedanceData(
  ratingKva: number,
  type: TransformerType = 'oil',
): TransformerImpedanceData | null {
  if (!(TRANSFORMER_RATINGS_KVA as readonly number[]).includes(ratingKva)) return null;
  const losses = (type === 'oil' ? OIL_LOAD_LOSSES_W : DRY_LOAD_LOSSES_W)[ratingKva];
  if (losses === undefined) return null;
  return { rating_kva: ratingKva, impedance_percent: ukPercent(type, ratingKva), load_losses_w: losses };
}

/**
 * The same data for any rating: a standard rating reads the table; another rating takes the uk of the next
 * larger standard rating and load losses scaled from it by (S/S_std)^0.75 (losses per kVA fall with size) —
 * marked `interpolated`. `null` above 2500 kVA.
 *
 * @param ratingKva S_rT, kVA
 */
export function transformerImpedanceFor(
  ratingKva: number,
  type: TransformerType = 'oil',
): (TransformerImpedanceData & { interpolated: boolean }) | null {
  const exact = transformerImpedanceData(ratingKva, type);
  if (exact !== null) return { ...exact, interpolated: false };
  const next = TRANSFORMER_RATINGS_KVA.find((r) => r >= ratingKva);
  if (next === undefined) return null;
  const d = transformerImpedanceData(next, type);
  if (d === null) return null;
  return {
    rating_kva: ratingKva,
    impedance_percent: d.impedance_percent,
    load_losses_w: d.load_losses_w * (ratingKva / next) ** 0.75,
    interpolated: true,
  };
}
