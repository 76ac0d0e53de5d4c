/**
 * gG fuse-link catalogue (general-purpose, full-range breaking, IEC 60269-1 / GB/T 13539.1): rated currents
 * and the conventional fusing current I2 (DOMAIN.md §4.4).
 */
import type { DataSource } from './cables.js';

/** Utilisation category of a fuse-link; only gG (general purpose, cable protection) is catalogued. */
export type FuseCategory = 'gG';

/**
 * Rated currents In of gG fuse-links, A, ascending: the IEC 60269-1 §5.3.1 preferred values from 2 A to
 * 1250 A (the 315 A step is sometimes made as 320 A).
 */
export const FUSE_RATINGS_A: readonly number[] = [
  2, 4, 6, 8, 10, 12, 16, 20, 25, 32, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000,
  1250,
];

export const FUSE_RATINGS_SOURCE: DataSource = {
  source:
    'IEC 60269-1:2006+A2:2014 §5.3.1 preferred rated currents of fuse-links; GB/T 13539.1-2015 (identical)',
  confidence: 'medium',
  note: 'makers offer the list from 2 to 1250 A in NH sizes 000–4; 315 A is sometimes 320 A',
};

/**
 * I2/In of gG fuse-links (IEC 60269-1 Table 2, conventional fusing current within the conventional time):
 * 2.1 below 4 A, 1.9 from 4 A to below 16 A, 1.6 from 16 A (the value that governs cable protection).
 * Conventional time: 1 h up to 63 A, 2 h up to 160 A, 3 h up to 400 A, 4 h above.
 */
export const FUSE_CONVENTIONAL_FUSING_SOURCE: DataSource = {
  source:
    'IEC 60269-1:2006+A2:2014 Table 2 (gG): I2 = 1.6·In for In ≥ 16 A, 1.9·In for 4 ≤ In < 16 A, 2.1·In below 4 A; IEC 60269-2 Table 102',
  confidence: 'high',
};

/** I2/In of a gG fuse-link of rating In (IEC 60269-1 Table 2). */
export function fuseFusingFactor(ratedCurrentA: number): number {
  return ratedCurrentA >= 16 ? 1.6 : ratedCurrentA >= 4 ? 1.9 : 2.1;
}

/**
 * Conventional fusing current I2 of a gG fuse-link, A.
 * @param ratedCurrentA In, A
 */
export function fuseConventionalFusingCurrentA(ratedCurrentA: number): number {
  return fuseFusingFactor(ratedCurrentA) * ratedCurrentA;
}

/**
 * JGJ 46: a fuse used for short-circuit protection of insulated conductors in conduit is at most 2.5 × their
 * continuous ampacity (DOMAIN.md §2 R14, §4.4).
 */
export const JGJ46_FUSE_MAX_AMPACITY_MULTIPLE = 2.5;
export const JGJ46_FUSE_CLAUSE = 'JGJ 46-2005 7.3.5';
export const JGJ46_FUSE_SOURCE: DataSource = {
  source:
    'JGJ 46-2005 7.3.5 (DOMAIN.md §2 R14, §4.4): fuse-link rating ≤ 2.5 × the continuous ampacity of the conductors in conduit',
  confidence: 'medium',
  note: 'DOMAIN.md lists R14 under 7.3.5, 7.3.7, 7.3.3; the fuse sentence is read as 7.3.5',
};

/** Smallest gG rating ≥ `currentA`, A, or `null` above the list. */
export function smallestFuseRatingAtLeast(currentA: number): number | null {
  return FUSE_RATINGS_A.find((r) => r >= currentA) ?? null;
}
