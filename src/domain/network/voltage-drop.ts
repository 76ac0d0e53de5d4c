/**
 * Voltage drop along an LV feeder (DOMAIN.md §4.1).
 *
 * Impedance form (the one the service judges by):
 *   three-phase   ΔU% = Σ_k (P_k·R0_k + Q_k·X0_k)·L_k / (10·U²), U kV line-to-line;
 *   single-phase  ΔU% = 2·Σ_k (P_k·R0_k + Q_k·X0_k)·L_k / (10·U₀²), U₀ kV phase (line-to-neutral) voltage —
 *                 the go and the return conductor both carry I: ΔU = 2·I·L·(R cos φ + X sin φ), in % of U₀
 *                 (DOMAIN.md "Product decisions": single-phase circuits);
 *   P_k kW and Q_k kvar flowing through section k, R0/X0 Ω/km, L_k km.
 * Load-moment form (reported beside it for comparison with Chinese calculation books):
 *   ε% = Σ_k P_k·L_k / (C·S_k), L_k m, S mm², C = 77 Cu / 46.3 Al at 380/220 V.
 * The load-moment form ignores reactance and reactive power (C = 10·U²·γ); it is optimistic for large
 * sections and low cos φ.
 */
import type { Conductor } from '../catalog/cables.js';
import { LOAD_MOMENT_C_380V } from '../catalog/cables.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';

/** One section of a feeder and the power that flows through it (all loads downstream of it). */
export interface VoltageDropSection {
  length_m: number;
  r0_ohm_per_km: number;
  x0_ohm_per_km: number;
  active_power_kw: number;
  reactive_power_kvar: number;
}

/** A load tapped off a uniform feeder at `distance_m` from the supply end. */
export interface FeederTap {
  distance_m: number;
  active_power_kw: number;
  reactive_power_kvar: number;
}

export interface VoltageDropResult {
  /** ΔU% at the far end of the feeder (sum over sections). */
  voltage_drop_percent: number;
  /** Cumulative ΔU% at the far end of each section, in order. */
  cumulative_percent: number[];
  /** The resistive part Σ P·R0·L/(10U²), %. */
  resistive_percent: number;
  /** The reactive part Σ Q·X0·L/(10U²), %. */
  reactive_percent: number;
}

function checkFinite(
  issues: FieldIssue[],
  path: (string | number)[],
  value: number,
  min: number,
  strict: boolean,
) {
  if (!Number.isFinite(value) || (strict ? value <= min : value < min)) {
    issues.push({ path, message: `must be a finite number ${strict ? '>' : '≥'} ${String(min)}` });
  }
}

/** Three-phase (line-to-line voltage) or single-phase (phase voltage, go and return conductor) circuit. */
export type CircuitKind = 'three_phase' | 'single_phase';

/** Conductors carrying the load current in the impedance loop: 1 per phase (balanced three-phase), 2 single-phase. */
export function loopFactor(circuit: CircuitKind): number {
  return circuit === 'single_phase' ? 2 : 1;
}

/**
 * Impedance-form voltage drop along a feeder made of sections in series (DOMAIN.md §4.1 form 1).
 *
 * @param sections in order from the supply end; each carries the P (kW) and Q (kvar) flowing through it,
 *   its length (m) and its R0/X0 (Ω/km). P and Q may be negative (export), lengths and R0/X0 not.
 * @param voltageV three-phase: nominal line-to-line voltage, V (380 for the JGJ rule sets); single-phase: the
 *   phase voltage U₀, V (220/230)
 * @param circuit `single_phase` doubles the drop (go and return conductor) and relates it to U₀
 * @throws DomainError `validation_failed` on a negative length/R0/X0 or a non-positive voltage
 */
export function voltageDropPercent(
  sections: readonly VoltageDropSection[],
  voltageV: number,
  circuit: CircuitKind = 'three_phase',
): VoltageDropResult {
  const issues: FieldIssue[] = [];
  checkFinite(issues, ['voltage_v'], voltageV, 0, true);
  sections.forEach((s, i) => {
    checkFinite(issues, ['sections', i, 'length_m'], s.length_m, 0, false);
    checkFinite(issues, ['sections', i, 'r0_ohm_per_km'], s.r0_ohm_per_km, 0, false);
    checkFinite(issues, ['sections', i, 'x0_ohm_per_km'], s.x0_ohm_per_km, 0, false);
    if (!Number.isFinite(s.active_power_kw))
      issues.push({ path: ['sections', i, 'active_power_kw'], message: 'must be finite' });
    if (!Number.isFinite(s.reactive_power_kvar)) {
      issues.push({ path: ['sections', i, 'reactive_power_kvar'], message: 'must be finite' });
    }
  });
  assertNoIssues(issues);

  const uKv = voltageV / 1000;
  const denominator = (10 * uKv * uKv) / loopFactor(circuit);
  let resistive = 0;
  let reactive = 0;
  const cumulative: number[] = [];
  for (const s of sections) {
    const lKm = s.length_m / 1000;
    resistive += (s.active_power_kw * s.r0_ohm_per_km * lKm) / denominator;
    reactive += (s.reactive_power_kvar * s.x0_ohm_per_km * lKm) / denominator;
    cumulative.push(resistive + reactive);
  }
  return {
    voltage_drop_percent: resistive + reactive,
    cumulative_percent: cumulative,
    resistive_percent: resistive,
    reactive_percent: reactive,
  };
}

/**
 * Sections of a uniform feeder (one R0/X0) with loads tapped at distances: section k runs from tap k−1 to
 * tap k and carries the sum of the loads at and beyond tap k.
 *
 * @param taps loads with their distance from the supply end, m (any order; equal distances allowed)
 * @param r0OhmPerKm conductor resistance, Ω/km
 * @param x0OhmPerKm reactance, Ω/km
 */
export function sectionsFromTaps(
  taps: readonly FeederTap[],
  r0OhmPerKm: number,
  x0OhmPerKm: number,
): VoltageDropSection[] {
  const issues: FieldIssue[] = [];
  taps.forEach((t, i) => checkFinite(issues, ['taps', i, 'distance_m'], t.distance_m, 0, false));
  assertNoIssues(issues);
  const sorted = [...taps].sort((a, b) => a.distance_m - b.distance_m);
  const sections: VoltageDropSection[] = [];
  let previous = 0;
  for (let k = 0; k < sorted.length; k += 1) {
    const tap = sorted[k] as FeederTap;
    let p = 0;
    let q = 0;
    for (let j = k; j < sorted.length; j += 1) {
      p += (sorted[j] as FeederTap).active_power_kw;
      q += (sorted[j] as FeederTap).reactive_power_kvar;
    }
    sections.push({
      length_m: tap.distance_m - previous,
      r0_ohm_per_km: r0OhmPerKm,
      x0_ohm_per_km: x0OhmPerKm,
      active_power_kw: p,
      reactive_power_kvar: q,
    });
    previous = tap.distance_m;
  }
  return sections;
}

/**
 * Load-moment constant C at `voltageV`: C = C380·(U/380)² (C = 10·U²·γ, DOMAIN.md §4.1 item 3). At 380 V it
 * is the tabulated 77 (Cu) / 46.3 (Al); other voltages are derived. Single-phase: C = 10·U₀²·γ/2 =
 * C380·(U₀/380)²/2 (12.9 Cu at 220 V; calculation books print 12.8).
 *
 * @param voltageV three-phase: line-to-line voltage, V; single-phase: phase voltage U₀, V
 */
export function loadMomentConstant(
  conductor: Conductor,
  voltageV: number,
  circuit: CircuitKind = 'three_phase',
): { c: number; derived: boolean } {
  const c380 = LOAD_MOMENT_C_380V[conductor];
  if (voltageV === 380 && circuit === 'three_phase') return { c: c380, derived: false };
  return { c: (c380 * (voltageV / 380) ** 2) / loopFactor(circuit), derived: true };
}

/**
 * Load-moment voltage drop ε% = Σ P_i·L_i/(C·S) for loads P_i (kW) at distances L_i (m) on a uniform feeder
 * of cross-section S (mm²) — DOMAIN.md §4.1 form 2 (360docs.net/doc/50775180.html). Reactive power is ignored
 * by this form. For comparison only.
 *
 * @param taps loads with distance from the supply end, m, and active power, kW
 * @param crossSectionMm2 S, mm²
 * @param voltageV nominal line-to-line voltage, V (C is tabulated for 380 V, scaled otherwise)
 */
export function loadMomentVoltageDropPercent(
  taps: readonly FeederTap[],
  conductor: Conductor,
  crossSectionMm2: number,
  voltageV: number,
  circuit: CircuitKind = 'three_phase',
): { voltage_drop_percent: number; c: number; c_derived: boolean; load_moment_kw_m: number } {
  const issues: FieldIssue[] = [];
  checkFinite(issues, ['cross_section_mm2'], crossSectionMm2, 0, true);
  checkFinite(issues, ['voltage_v'], voltageV, 0, true);
  taps.forEach((t, i) => checkFinite(issues, ['taps', i, 'distance_m'], t.distance_m, 0, false));
  assertNoIssues(issues);
  const { c, derived } = loadMomentConstant(conductor, voltageV, circuit);
  const moment = taps.reduce((sum, t) => sum + t.active_power_kw * t.distance_m, 0);
  return {
    voltage_drop_percent: moment / (c * crossSectionMm2),
    c,
    c_derived: derived,
    load_moment_kw_m: moment,
  };
}
