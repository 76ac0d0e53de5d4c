/**
 * Impedances along the supply path of a site supply point, referred to its LV side (IEC 60909-0:2016, §6):
 *
 *   network feeder Q:  Z_Q = c_Q·U_rTLV²/S''kQ  (eq. 6, referred through the rated ratio 10/0.4 kV),
 *                      X_Q = 0.995·Z_Q, R_Q = 0.1·X_Q (§6.2, when R_Q/X_Q is not known);
 *   transformer T:     Z_T = uk/100·U_rT²/S_rT, R_T = P_krT·U_rT²/S_rT², X_T = √(Z_T² − R_T²) (eqs. 7–9),
 *                      correction K_T = 0.95·c_max/(1 + 0.6·x_T) for maximum currents (eq. 12a);
 *   LV cable L:        R_L = R20·ℓ/n at 20 °C for maximum currents, R_L = [1 + 0.004/K·(θe − 20 °C)]·R20·ℓ/n at
 *                      the conductor temperature θe at the end of the fault for minimum ones (eq. 31),
 *                      X_L = X'·ℓ/n; n parallel cables of the same size.
 */
import type { Conductor, Insulation } from '../catalog/cables.js';
import {
  REACTANCE_OHM_PER_KM,
  REACTANCE_SOURCE,
  RESISTANCE_SOURCE,
  resistance20OhmPerKm,
} from '../catalog/cables.js';
import type { TransformerType } from '../catalog/transformer-impedance.js';
import {
  TRANSFORMER_IMPEDANCE_SOURCE,
  TRANSFORMER_RATED_LV_V,
  transformerImpedanceFor,
} from '../catalog/transformer-impedance.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import type { TraceEntry } from './types.js';

/** A complex impedance, Ω. */
export interface Impedance {
  r_ohm: number;
  x_ohm: number;
}

export const ZERO_IMPEDANCE: Impedance = { r_ohm: 0, x_ohm: 0 };

export function addImpedance(...zs: Impedance[]): Impedance {
  let r = 0;
  let x = 0;
  for (const z of zs) {
    r += z.r_ohm;
    x += z.x_ohm;
  }
  return { r_ohm: r, x_ohm: x };
}

export function scaleImpedance(z: Impedance, k: number): Impedance {
  return { r_ohm: z.r_ohm * k, x_ohm: z.x_ohm * k };
}

/** |Z|, Ω. */
export function magnitudeOhm(z: Impedance): number {
  return Math.hypot(z.r_ohm, z.x_ohm);
}

/** Voltage factors c of IEC 60909-0:2016 Table 1. */
export const VOLTAGE_FACTOR = {
  /** LV 100–1000 V, systems with a tolerance of +6 % (cmax) / +10 % (cmax). */
  lv_max_6_percent: 1.05,
  lv_max_10_percent: 1.1,
  lv_min: 0.95,
  /** HV > 1 kV (the 10 kV network feeder). */
  hv_max: 1.1,
  hv_min: 1.0,
} as const;
export const VOLTAGE_FACTOR_SOURCE = 'IEC 60909-0:2016 Table 1 (GB/T 15544.1-2023 identical)';

/** Default short-circuit power of the 10 kV network at a supply point's HV connection, MVA (DOMAIN.md). */
export const DEFAULT_SOURCE_SHORT_CIRCUIT_MVA = 250;

/** The supply of a point: the 10 kV network's short-circuit power and the 10/0.4 kV transformer. */
export interface SupplyInput {
  /** S''kQ at the HV connection, MVA (default 250). */
  source_short_circuit_mva?: number;
  transformer_rating_kva: number;
  transformer_type?: TransformerType;
  /** uk override, % (otherwise GB/T 6451 / GB/T 10228 per rating). */
  transformer_impedance_percent?: number;
  /** P_krT override, W. */
  transformer_load_losses_w?: number;
}

/** One LV cable section of the path, from the supply point's LV bus outward. */
export interface CableSection {
  conductor: Conductor;
  insulation: Insulation;
  cross_section_mm2: number;
  /** Protective conductor (PE) cross-section, mm²; default = the phase conductor (five-core cable). */
  pe_cross_section_mm2?: number;
  length_m: number;
  /** Identical cables in parallel (default 1); each carries its own PE core. */
  parallel_count?: number;
}

/**
 * Conductor temperature at the end of a short circuit θe, °C, for minimum fault currents: the insulation's
 * short-circuit limit (IEC 60364-5-54 Table A.54.2 / IEC 60724: PVC ≤ 300 mm² 160 °C; IEC 60502-1: XLPE 250 °C).
 */
export const FAULT_END_TEMPERATURE_C: Record<Insulation, number> = { PVC: 160, XLPE: 250 };

/**
 * Network-feeder impedance referred to the LV side (IEC 60909-0 eq. 6, §6.2).
 *
 * @param shortCircuitMva S''kQ, MVA
 * @param cQ voltage factor of the HV network (1.10 max, 1.00 min)
 * @param ratedLvV U_rTLV, V (400 for a 10/0.4 kV transformer)
 */
export function sourceImpedance(
  shortCircuitMva: number,
  cQ: number,
  ratedLvV = TRANSFORMER_RATED_LV_V,
): Impedance {
  const z = (cQ * ratedLvV * ratedLvV) / (shortCircuitMva * 1e6);
  const x = 0.995 * z;
  return { r_ohm: 0.1 * x, x_ohm: x };
}

export interface TransformerImpedance extends Impedance {
  impedance_percent: number;
  load_losses_w: number;
  rating_kva: number;
  /** x_T = X_T·S_rT/U_rT², p.u. */
  reactance_pu: number;
  source: string;
}

/**
 * Transformer positive-sequence impedance referred to the LV side (IEC 60909-0 eqs. 7–9).
 *
 * @param supply rating (kVA), type, optional uk (%) and load-loss (W) overrides
 * @param ratedLvV U_rTLV, V
 * @returns impedance, or `null` when the rating has no catalogue data and no uk is declared
 */
export function transformerImpedance(
  supply: SupplyInput,
  ratedLvV = TRANSFORMER_RATED_LV_V,
): TransformerImpedance | null {
  const type = supply.transformer_type ?? 'oil';
  const cat = transformerImpedanceFor(supply.transformer_rating_kva, type);
  const uk = supply.transformer_impedance_percent ?? cat?.impedance_percent;
  if (uk === undefined) return null;
  const sr = supply.transformer_rating_kva * 1000;
  // Without catalogue losses (rating above the table), R_T/X_T of the 2500 kVA unit is the best guess: ~0.1.
  const pk = supply.transformer_load_losses_w ?? cat?.load_losses_w ?? 0.01 * sr;
  const z = ((uk / 100) * ratedLvV * ratedLvV) / sr;
  const r = Math.min((pk * ratedLvV * ratedLvV) / (sr * sr), z);
  const x = Math.sqrt(z * z - r * r);
  const declared = supply.transformer_impedance_percent !== undefined;
  return {
    r_ohm: r,
    x_ohm: x,
    impedance_percent: uk,
    load_losses_w: pk,
    rating_kva: supply.transformer_rating_kva,
    reactance_pu: (x * sr) / (ratedLvV * ratedLvV),
    source: declared
      ? 'uk declared for the point'
      : TRANSFORMER_IMPEDANCE_SOURCE[type].source +
        (cat?.interpolated === true ? ' (non-standard rating: interpolated)' : ''),
  };
}

/** K_T = 0.95·c_max/(1 + 0.6·x_T) (IEC 60909-0 eq. 12a), applied to Z_T for maximum currents only. */
export function transformerCorrectionFactor(cMax: number, reactancePu: number): number {
  return (0.95 * cMax) / (1 + 0.6 * reactancePu);
}

/** Resistance factor for θ: 1 + 0.004·(θ − 20) (IEC 60909-0 eq. 31, α = 0.004 1/K for Cu and Al). */
export function faultTemperatureFactor(temperatureC: number): number {
  return 1 + 0.004 * (temperatureC - 20);
}

export interface SectionImpedance {
  phase: Impedance;
  pe: Impedance;
}

/**
 * Phase and PE conductor impedance of one section (n parallel cables), Ω, with R at 20 °C × `resistanceFactor`.
 *
 * @param section conductor, sizes (mm²), length (m), parallel count
 * @param resistanceFactor 1 for maximum currents, {@link faultTemperatureFactor}(θe) for minimum ones
 */
export function sectionImpedance(section: CableSection, resistanceFactor: number): SectionImpedance | null {
  const n = section.parallel_count ?? 1;
  const rPh = resistance20OhmPerKm(section.conductor, section.cross_section_mm2);
  const rPe = resistance20OhmPerKm(
    section.conductor,
    section.pe_cross_section_mm2 ?? section.cross_section_mm2,
  );
  if (rPh === null || rPe === null) return null;
  const km = section.length_m / 1000 / n;
  const x = REACTANCE_OHM_PER_KM * km;
  return {
    phase: { r_ohm: rPh * km * resistanceFactor, x_ohm: x },
    pe: { r_ohm: rPe * km * resistanceFactor, x_ohm: x },
  };
}

/** Validates a supply and a list of sections; `base` prefixes the JSON pointers. */
export function supplyIssues(
  supply: SupplyInput | null | undefined,
  base: (string | number)[],
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (supply === null || supply === undefined) return issues;
  const pos = (v: number | undefined, key: string): void => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0))
      issues.push({ path: [...base, key], message: 'must be > 0' });
  };
  pos(supply.source_short_circuit_mva, 'source_short_circuit_mva');
  pos(supply.transformer_rating_kva, 'transformer_rating_kva');
  pos(supply.transformer_impedance_percent, 'transformer_impedance_percent');
  pos(supply.transformer_load_losses_w, 'transformer_load_losses_w');
  if (supply.transformer_impedance_percent !== undefined && supply.transformer_impedance_percent > 25)
    issues.push({ path: [...base, 'transformer_impedance_percent'], message: 'must be ≤ 25 %' });
  return issues;
}

export function sectionIssues(sections: readonly CableSection[], base: (string | number)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  sections.forEach((s, i) => {
    const p = sections.length === 1 ? base : [...base, i];
    if (!Number.isFinite(s.length_m) || s.length_m < 0)
      issues.push({ path: [...p, 'length_m'], message: 'must be ≥ 0' });
    const n = s.parallel_count;
    if (n !== undefined && (!Number.isInteger(n) || n < 1))
      issues.push({ path: [...p, 'parallel_count'], message: 'must be an integer ≥ 1' });
    const pe = s.pe_cross_section_mm2;
    if (pe !== undefined && resistance20OhmPerKm(s.conductor, pe) === null)
      issues.push({
        path: [...p, 'pe_cross_section_mm2'],
        message: `no ${s.conductor} resistance for ${String(pe)} mm²`,
      });
  });
  return issues;
}

export function assertSupplyAndSections(
  supply: SupplyInput | null | undefined,
  sections: readonly CableSection[],
  supplyBase: (string | number)[],
  sectionBase: (string | number)[],
): void {
  assertNoIssues([...supplyIssues(supply, supplyBase), ...sectionIssues(sections, sectionBase)]);
}

export const CABLE_IMPEDANCE_TRACE: TraceEntry[] = [
  { name: 'cable R20', value: 'IEC 60228 class 2', unit: 'ohm/km', source: RESISTANCE_SOURCE.source },
  { name: "cable X'", value: REACTANCE_OHM_PER_KM, unit: 'ohm/km', source: REACTANCE_SOURCE.source },
];
