/**
 * Time–current data of gG fuse-links (IEC 60269-1 Table 3 "gates"), as catalogue data with its source, and
 * the current that makes a fuse operate within a required time (IEC 60364-4-41 §411.3.2: 0.4 s for final
 * circuits ≤ 32 A, 5 s for distribution circuits, TN at U0 230 V).
 *
 * Between the 5 s and 0.1 s gates the operating current for a time t is interpolated on log–log axes
 * (a fuse's pre-arcing characteristic is close to a straight line there), always from the gates' upper
 * limits Imax — the current that certainly melts the fuse within the gate time. This is conservative: BS 7671
 * Table 41.2 (BS 88-2 fuses, from the makers' curves) allows e.g. Zs 2.43 Ω for 16 A at 0.4 s, i.e.
 * Ia ≈ 0.95·230/2.43 = 90 A, where this rule gives 111.5 A.
 */
import type { DataSource } from './cables.js';

export interface FuseGates {
  rated_current_a: number;
  /** Imin(10 s): below this the fuse does not operate within 10 s, A. */
  min_10s_a: number;
  /** Imax(5 s): the fuse operates within 5 s at or above this current, A. */
  max_5s_a: number;
  /** Imin(0.1 s), A. */
  min_0_1s_a: number;
  /** Imax(0.1 s): the fuse operates within 0.1 s at or above this current, A. */
  max_0_1s_a: number;
}

/** IEC 60269-1:2006+A2:2014 Table 3 (gG), In 16–1250 A: [In, Imin(10 s), Imax(5 s), Imin(0.1 s), Imax(0.1 s)]. */
const GATES: readonly (readonly [number, number, number, number, number])[] = [
  [16, 33, 65, 85, 150],
  [20, 42, 85, 110, 200],
  [25, 52, 110, 150, 260],
  [32, 75, 150, 200, 350],
  [40, 95, 190, 260, 450],
  [50, 125, 250, 350, 610],
  [63, 160, 320, 450, 820],
  [80, 215, 425, 610, 1100],
  [100, 290, 580, 820, 1450],
  [125, 355, 715, 1100, 1910],
  [160, 465, 950, 1450, 2590],
  [200, 610, 1250, 1910, 3420],
  [250, 750, 1650, 2590, 4500],
  [315, 1050, 2200, 3420, 6000],
  [400, 1400, 2840, 4500, 8060],
  [500, 1800, 3800, 6000, 10600],
  [630, 2400, 5100, 8060, 14140],
  [800, 3000, 7000, 10600, 19000],
  [1000, 4000, 9500, 14140, 24000],
  [1250, 5000, 13000, 19000, 35000],
];

export const GG_FUSE_GATES: readonly FuseGates[] = GATES.map(([i, a, b, c, d]) => ({
  rated_current_a: i,
  min_10s_a: a,
  max_5s_a: b,
  min_0_1s_a: c,
  max_0_1s_a: d,
}));

export const FUSE_CURVES_SOURCE: DataSource = {
  source:
    'IEC 60269-1:2006+A2:2014 Table 3 (gates of gG fuse-links, 16–1250 A); operating current at 0.4 s by log–log interpolation between the Imax(5 s) and Imax(0.1 s) gates (this service)',
  confidence: 'medium',
  note: 'the gates are the standard’s envelope; a maker’s curve (or BS 7671 Table 41.2/41.4 for BS 88 fuses) is less conservative',
};

/** Gate data of a gG fuse of rating In, or `null` when the rating is not tabulated. */
export function ggFuseGates(ratedCurrentA: number): FuseGates | null {
  return GG_FUSE_GATES.find((g) => g.rated_current_a === ratedCurrentA) ?? null;
}

/**
 * The current that makes a gG fuse operate within `timeS`, A: Imax(5 s) for t ≥ 5 s, Imax(0.1 s) for t ≤ 0.1 s,
 * and in between I(t) = Imax5·(Imax0.1/Imax5)^(ln(5/t)/ln(50)) (log–log line through the two gates).
 *
 * @param ratedCurrentA In, A (16–1250, IEC 60269-1 Table 3)
 * @param timeS required operating time, s
 * @returns the current, A, or `null` when the rating is not tabulated
 */
export function ggOperatingCurrentA(ratedCurrentA: number, timeS: number): number | null {
  const g = ggFuseGates(ratedCurrentA);
  if (g === null) return null;
  if (timeS >= 5) return g.max_5s_a;
  if (timeS <= 0.1) return g.max_0_1s_a;
  const f = Math.log(5 / timeS) / Math.log(50);
  return g.max_5s_a * (g.max_0_1s_a / g.max_5s_a) ** f;
}
