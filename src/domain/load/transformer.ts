/**
 * Transformer recommendation from a computed demand (DOMAIN.md §3.3): S_N = min{ r ∈ R10 series : r ≥ Sjs/β_max }.
 */
import {
  TRANSFORMER_CATALOGUE,
  TRANSFORMER_RATINGS_KVA,
  smallestRatingFor,
} from '../catalog/transformers.js';
import type { TransformerRecommendation, ValueSource } from './types.js';

/**
 * Recommends the smallest standard rating that carries the demand within the loading cap.
 * @param demandKva computed apparent demand Sjs, kVA
 * @param loadingCap β_max, fraction of the rating allowed for routine allocation (GB 51348-2019 §4.3.2: 0.85)
 * @param warningBand loading above which a warning is raised (economic band, DOMAIN.md §3.3: 0.75)
 * @param loadingCapSource whether β_max came from the caller or the rule set
 */
export function recommendTransformer(
  demandKva: number,
  loadingCap: number,
  warningBand: number,
  loadingCapSource: ValueSource,
): TransformerRecommendation {
  const rating = smallestRatingFor(demandKva, loadingCap);
  const ratings = TRANSFORMER_RATINGS_KVA as readonly number[];
  const next = rating === null ? null : (ratings[ratings.indexOf(rating) + 1] ?? null);
  const loading = rating === null ? null : demandKva / rating;
  return {
    catalogue: TRANSFORMER_CATALOGUE.id,
    demand_kva: demandKva,
    loading_cap: loadingCap,
    loading_cap_source: loadingCapSource,
    warning_band: warningBand,
    rating_kva: rating,
    loading_fraction: loading,
    next_rating_kva: next,
    above_warning_band: loading !== null && loading > warningBand,
    exceeds_largest_rating: rating === null,
  };
}
