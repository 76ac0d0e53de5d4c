/**
 * Standard distribution-transformer ratings, 10/0.4 kV, 30–2500 kVA (GB 20052-2024 scope), stepped on the
 * R10 preferred-number series. Source: DOMAIN.md §3.1 (range confirmed: bzfyw.com GB20052-2024; steps are
 * the standard R10 values, high confidence but the GB/T 6451 table itself was not retrieved).
 */
export const TRANSFORMER_RATINGS_KVA = [
  30, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
] as const;

export const TRANSFORMER_CATALOGUE = {
  id: 'GB20052-2024-R10',
  source: 'GB 20052-2024 scope 30–2500 kVA; R10 preferred numbers (DOMAIN.md §3.1)',
  ratings_kva: TRANSFORMER_RATINGS_KVA,
} as const;

/** True when `ratingKva` is one of the standard ratings. */
export function isStandardRating(ratingKva: number): boolean {
  return (TRANSFORMER_RATINGS_KVA as readonly number[]).includes(ratingKva);
}

/**
 * Smallest standard rating r with r·loadingCap ≥ demand (DOMAIN.md §3.3: S_N = min{r : r ≥ Sjs/β_max}).
 * @param demandKva computed demand Sjs, kVA
 * @param loadingCap β_max, fraction of the rating allowed for routine allocation (0.85 default)
 * @returns the rating in kVA, or null when even 2500 kVA is too small
 */
export function smallestRatingFor(demandKva: number, loadingCap: number): number | null {
  for (const r of TRANSFORMER_RATINGS_KVA) if (r * loadingCap >= demandKva - 1e-9) return r;
  return null;
}
