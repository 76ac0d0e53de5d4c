/**
 * Breaking capacity and instantaneous (magnetic) trip data of circuit-breakers, as catalogue data with its
 * source. Used by the fault checks (IEC 60364-4-43 §434.5.1: the device's breaking capacity ≥ the prospective
 * maximum short-circuit current at its place; IEC 60364-4-41 §411.3.2: automatic disconnection in time).
 */
import type { DataSource } from './cables.js';
import type { BreakerStandard } from './breakers.js';

/** MCB instantaneous-trip characteristic (IEC 60898-1 §8.6.1 Table 7: B 3–5·In, C 5–10·In, D 10–20·In). */
export type McbCurve = 'B' | 'C' | 'D';
export const MCB_CURVES: readonly McbCurve[] = ['B', 'C', 'D'];

/**
 * The upper limit of each type's instantaneous-trip band, ×In: the current that trips an IEC 60898 MCB within
 * 0.1 s for certain. IEC 60364-4-41 / BS 7671 Table 41.3 use the same multiples (5, 10, 20) for Ia.
 */
export const MCB_INSTANTANEOUS_MULTIPLE: Record<McbCurve, number> = { B: 5, C: 10, D: 20 };

export const MCB_TRIP_SOURCE: DataSource = {
  source:
    'IEC 60898-1:2015 Table 7 (instantaneous tripping bands B 3–5, C 5–10, D 10–20 × In); BS 7671 Table 41.3',
  confidence: 'high',
};

/**
 * MCCB instantaneous setting assumed when not declared, ×In: thermal-magnetic MCCBs are most often fixed or
 * set at 10·In (e.g. Schneider NSX TM-D, Chint NM1 distribution type); IEC 60947-2 §8.3.3.1.2 allows ±20 % on the
 * setting, so a trip is certain at 1.2 × the setting.
 */
export const MCCB_DEFAULT_MAGNETIC_MULTIPLE = 10;
/** Lowest settable instantaneous multiple offered as a fix (electronic / adjustable releases, 5·In typical). */
export const MCCB_MIN_MAGNETIC_MULTIPLE = 5;
export const MCCB_MAGNETIC_TOLERANCE = 1.2;

export const MCCB_TRIP_SOURCE: DataSource = {
  source:
    'IEC 60947-2:2016 §8.3.3.1.2 (instantaneous release tolerance ±20 %); maker catalogues (Schneider NSX TM-D 10·In fixed, Chint NM1 10·In) for the default',
  confidence: 'medium',
  note: 'use the declared setting of the actual device',
};

export interface BreakingCapacity {
  /** Frame size, A (the largest In of the frame). */
  frame_a: number;
  /** Ultimate breaking capacity Icu (IEC 60947-2) or rated short-circuit capacity Icn (IEC 60898), kA. */
  ultimate_ka: number;
  /** Service breaking capacity Ics, kA. */
  service_ka: number;
}

/**
 * Breaking capacity assumed per frame when not declared, kA (rms, 400 V). MCB: Icn 6 kA with Ics = Icn
 * (IEC 60898-1 Table 18: Ics = Icn for Icn ≤ 6 kA). MCCB frames: the "standard/N" breaking class of common
 * makers (Chint NM1-S, Schneider NSX-F/B, ABB Tmax XT-N), Ics = 75–100 % Icu; ACB-sized frames ≥ 1000 A.
 */
export const MCB_BREAKING_CAPACITY: BreakingCapacity = { frame_a: 125, ultimate_ka: 6, service_ka: 6 };

export const MCCB_BREAKING_CAPACITY: readonly BreakingCapacity[] = [
  { frame_a: 125, ultimate_ka: 25, service_ka: 18.75 },
  { frame_a: 160, ultimate_ka: 36, service_ka: 36 },
  { frame_a: 250, ultimate_ka: 36, service_ka: 36 },
  { frame_a: 400, ultimate_ka: 50, service_ka: 37.5 },
  { frame_a: 630, ultimate_ka: 50, service_ka: 37.5 },
  { frame_a: 800, ultimate_ka: 50, service_ka: 37.5 },
  { frame_a: 1000, ultimate_ka: 65, service_ka: 65 },
  { frame_a: 1250, ultimate_ka: 65, service_ka: 65 },
  { frame_a: 1600, ultimate_ka: 65, service_ka: 65 },
  { frame_a: 2000, ultimate_ka: 65, service_ka: 65 },
  { frame_a: 2500, ultimate_ka: 65, service_ka: 65 },
  { frame_a: 3200, ultimate_ka: 80, service_ka: 80 },
];

export const BREAKING_CAPACITY_SOURCE: DataSource = {
  source:
    'IEC 60898-1 Table 18 (MCB Icn/Ics); maker catalogues for MCCB frames (Chint NM1 S-class, Schneider Compact NSX-F, ABB Tmax XT-N) — typical, not a normative list',
  confidence: 'low',
  note: 'declare the actual device’s Icu/Ics; higher breaking classes (H/L, 70–150 kA) exist for every frame',
};

/**
 * Breaking capacity assumed for a breaker, or `null` above the largest frame.
 *
 * @param ratedCurrentA In, A
 * @param standard IEC 60898 (MCB) or IEC 60947-2 (MCCB/ACB)
 */
export function assumedBreakingCapacity(
  ratedCurrentA: number,
  standard: BreakerStandard,
): BreakingCapacity | null {
  if (standard === 'IEC60898')
    return ratedCurrentA <= MCB_BREAKING_CAPACITY.frame_a ? MCB_BREAKING_CAPACITY : null;
  return MCCB_BREAKING_CAPACITY.find((f) => f.frame_a >= ratedCurrentA) ?? null;
}

/** The smallest MCCB frame ≥ In whose Icu ≥ the current, as a fix; `null` when none. */
export function mccbFrameFor(ratedCurrentA: number, currentKa: number): BreakingCapacity | null {
  return MCCB_BREAKING_CAPACITY.find((f) => f.frame_a >= ratedCurrentA && f.ultimate_ka >= currentKa) ?? null;
}
