/**
 * Short-circuit currents of a radial LV path from a 10/0.4 kV supply point (IEC 60909-0:2016):
 *
 *   maximum three-phase:  I''k3 = c_max·U_n/(√3·|Z_Q(c_Q,max) + K_T·Z_T + Σ Z_L(20 °C)|)          (eq. 29)
 *   peak:                 i_p = κ·√2·I''k3, κ = 1.02 + 0.98·e^(−3R/X)                             (eq. 55)
 *   minimum single-phase earth fault at the far end, TN-S (phase + PE loop):
 *                         I''k1 = √3·c_min·U_n/|2·Z(1) + Z(0)|
 *                               = c_min·(U_n/√3)/|⅔·Z_Q + Z_T + Σ (Z_L + Z_PE)(θe)|                (eq. 52)
 *   with, for a Dyn11 transformer, Z(0)T = Z_T and no zero-sequence path to the 10 kV network, and for the
 *   cable with its PE as return Z(0)L = Z_L + 3·Z_PE.
 */
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import { SQRT3 } from '../units.js';
import type { CableSection, Impedance, SupplyInput } from './impedance.js';
import {
  CABLE_IMPEDANCE_TRACE,
  DEFAULT_SOURCE_SHORT_CIRCUIT_MVA,
  FAULT_END_TEMPERATURE_C,
  VOLTAGE_FACTOR,
  VOLTAGE_FACTOR_SOURCE,
  ZERO_IMPEDANCE,
  addImpedance,
  faultTemperatureFactor,
  magnitudeOhm,
  scaleImpedance,
  sectionImpedance,
  sectionIssues,
  sourceImpedance,
  supplyIssues,
  transformerCorrectionFactor,
  transformerImpedance,
} from './impedance.js';
import type { TraceEntry } from './types.js';

export interface FaultPathInput {
  /** Nominal system voltage U_n (line to line), V. */
  voltage_v: number;
  /** The point's supply; `null` = not known: only the cables count (the bus is then an infinite source). */
  supply: SupplyInput | null;
  /** Cable sections from the LV bus outward; the last one ends at the fault location of the earth-fault check. */
  sections: readonly CableSection[];
  /** Voltage tolerance of the LV system, % (6 → c_max 1.05, 10 → 1.10; default 10, the conservative one). */
  voltage_tolerance_percent?: 6 | 10;
  /** θe for minimum currents, °C; default per insulation of each section ({@link FAULT_END_TEMPERATURE_C}). */
  fault_end_temperature_c?: number;
}

export interface ThreePhaseFault {
  /** 'LV bus' or 'end of section k' (1-based). */
  location: string;
  impedance: Impedance;
  impedance_ohm: number;
  r_over_x: number;
  kappa: number;
  /** I''k3 max, kA. */
  initial_current_ka: number;
  /** i_p, kA (peak). */
  peak_current_ka: number;
}

export interface EarthFault {
  location: string;
  /** ⅔·Z_Q + Z_T + Σ(Z_L + Z_PE) at θe, Ω. */
  loop_impedance: Impedance;
  loop_impedance_ohm: number;
  /** c_min·U_n/√3, V. */
  source_voltage_v: number;
  /** I''k1 min, A. */
  current_a: number;
}

export interface FaultCurrents {
  voltage_v: number;
  source_included: boolean;
  c_max: number;
  c_min: number;
  /** Three-phase maximum currents at the LV bus (when the supply is known) and the end of each section. */
  levels: ThreePhaseFault[];
  /** Minimum earth-fault current at the far end of the last section (the LV bus when there are none). */
  earth_fault_min: EarthFault;
  trace: TraceEntry[];
}

/** Peak factor κ = 1.02 + 0.98·e^(−3R/X) (IEC 60909-0 eq. 55). R/X = ∞ (X = 0) gives 1.02. */
export function peakFactor(rOhm: number, xOhm: number): number {
  if (xOhm <= 0) return 1.02;
  return 1.02 + 0.98 * Math.exp((-3 * rOhm) / xOhm);
}

/** The upstream part of the minimum earth-fault loop and the per-metre loop of the last section. */
export interface EarthLoopParts {
  /** ⅔·Z_Q + Z_T + all sections but the last (phase + PE, at θe), Ω. */
  upstream: Impedance;
  /** Phase + PE loop of the last section per metre of route, Ω/m (0 when there are no sections). */
  last_per_m: Impedance;
  last_length_m: number;
  source_voltage_v: number;
}

export function validateFaultPath(
  input: FaultPathInput,
  supplyBase: (string | number)[],
  sectionBase: (string | number)[],
): void {
  const issues: FieldIssue[] = [];
  if (!Number.isFinite(input.voltage_v) || input.voltage_v <= 0)
    issues.push({ path: ['voltage_v'], message: 'must be > 0' });
  issues.push(...supplyIssues(input.supply, supplyBase), ...sectionIssues(input.sections, sectionBase));
  assertNoIssues(issues);
}

function thetaE(input: FaultPathInput, s: CableSection): number {
  return input.fault_end_temperature_c ?? FAULT_END_TEMPERATURE_C[s.insulation];
}

/**
 * Splits the minimum earth-fault loop into the fixed upstream part and the last section's loop per metre, so
 * the disconnection check can solve for the longest run (IEC 60909-0 eq. 52 as in {@link faultCurrents}).
 */
export function earthLoopParts(input: FaultPathInput): EarthLoopParts {
  const cMin = VOLTAGE_FACTOR.lv_min;
  let up: Impedance = ZERO_IMPEDANCE;
  if (input.supply !== null) {
    const sk = input.supply.source_short_circuit_mva ?? DEFAULT_SOURCE_SHORT_CIRCUIT_MVA;
    const zq = sourceImpedance(sk, VOLTAGE_FACTOR.hv_min);
    const zt = transformerImpedance(input.supply) ?? ZERO_IMPEDANCE;
    up = addImpedance(scaleImpedance(zq, 2 / 3), zt);
  }
  const n = input.sections.length;
  let lastPerM: Impedance = ZERO_IMPEDANCE;
  let lastLen = 0;
  input.sections.forEach((s, i) => {
    const z = sectionImpedance(s, faultTemperatureFactor(thetaE(input, s)));
    if (z === null) return;
    const loop = addImpedance(z.phase, z.pe);
    if (i < n - 1) up = addImpedance(up, loop);
    else if (s.length_m > 0) {
      lastPerM = scaleImpedance(loop, 1 / s.length_m);
      lastLen = s.length_m;
    }
  });
  return {
    upstream: up,
    last_per_m: lastPerM,
    last_length_m: lastLen,
    source_voltage_v: (cMin * input.voltage_v) / SQRT3,
  };
}

/** I''k1 min for the loop parts with the last section `lengthM` long, A. */
export function earthFaultCurrentForLengthA(parts: EarthLoopParts, lengthM: number): number {
  const z = addImpedance(parts.upstream, scaleImpedance(parts.last_per_m, lengthM));
  const m = magnitudeOhm(z);
  return m > 0 ? parts.source_voltage_v / m : Number.POSITIVE_INFINITY;
}

/**
 * Maximum three-phase currents at the LV bus and at the end of every section, and the minimum earth-fault
 * current at the far end (IEC 60909-0; formulas in the module header).
 *
 * @param input U_n (V), supply (S''kQ MVA, transformer kVA/type/uk %), sections (mm², m, parallel count)
 * @throws DomainError `validation_failed` on invalid input
 */
export function faultCurrents(
  input: FaultPathInput,
  paths: { supply: (string | number)[]; sections: (string | number)[] } = {
    supply: ['supply'],
    sections: ['sections'],
  },
): FaultCurrents {
  validateFaultPath(input, paths.supply, paths.sections);
  const u = input.voltage_v;
  const cMax =
    input.voltage_tolerance_percent === 6
      ? VOLTAGE_FACTOR.lv_max_6_percent
      : VOLTAGE_FACTOR.lv_max_10_percent;
  const cMin = VOLTAGE_FACTOR.lv_min;
  const trace: TraceEntry[] = [
    { name: 'U_n', value: u, unit: 'V', source: 'nominal LV system voltage' },
    {
      name: 'c_max',
      value: cMax,
      unit: null,
      source: `${VOLTAGE_FACTOR_SOURCE}, LV +${String(input.voltage_tolerance_percent ?? 10)} %`,
    },
    { name: 'c_min', value: cMin, unit: null, source: VOLTAGE_FACTOR_SOURCE },
  ];

  let zMaxBus: Impedance = ZERO_IMPEDANCE;
  if (input.supply !== null) {
    const sk = input.supply.source_short_circuit_mva ?? DEFAULT_SOURCE_SHORT_CIRCUIT_MVA;
    const zq = sourceImpedance(sk, VOLTAGE_FACTOR.hv_max);
    const zt = transformerImpedance(input.supply);
    trace.push(
      {
        name: "S''kQ",
        value: sk,
        unit: 'MVA',
        source:
          input.supply.source_short_circuit_mva === undefined
            ? 'default 250 MVA at 10 kV (DOMAIN.md)'
            : 'site setting',
      },
      {
        name: "Z_Q = c_Q·U_rTLV²/S''kQ (c_Q 1.1), R_Q = 0.1·X_Q",
        value: magnitudeOhm(zq),
        unit: 'ohm',
        source: 'IEC 60909-0 eq. 6, §6.2',
      },
    );
    if (zt === null) {
      trace.push({
        name: 'transformer',
        value: null,
        unit: null,
        source: `no uk for ${String(input.supply.transformer_rating_kva)} kVA: transformer impedance not counted`,
      });
      zMaxBus = zq;
    } else {
      const kt = transformerCorrectionFactor(cMax, zt.reactance_pu);
      trace.push(
        { name: 'uk', value: zt.impedance_percent, unit: '%', source: zt.source },
        { name: 'P_krT', value: zt.load_losses_w, unit: 'W', source: zt.source },
        {
          name: 'Z_T = uk·U_rT²/S_rT (R_T = P_krT·U_rT²/S_rT²)',
          value: magnitudeOhm(zt),
          unit: 'ohm',
          source: 'IEC 60909-0 eqs. 7–9',
        },
        { name: 'R_T', value: zt.r_ohm, unit: 'ohm', source: 'IEC 60909-0 eq. 8' },
        { name: 'X_T', value: zt.x_ohm, unit: 'ohm', source: 'IEC 60909-0 eq. 9' },
        {
          name: 'K_T = 0.95·c_max/(1 + 0.6·x_T)',
          value: kt,
          unit: null,
          source: 'IEC 60909-0 eq. 12a (maximum currents only)',
        },
      );
      zMaxBus = addImpedance(zq, scaleImpedance(zt, kt));
    }
  } else {
    trace.push({
      name: 'supply',
      value: null,
      unit: null,
      source:
        'not declared: source and transformer impedance taken as 0 (maximum currents are an upper bound; the minimum earth-fault current is overstated)',
    });
  }
  trace.push(...CABLE_IMPEDANCE_TRACE);

  const level = (location: string, z: Impedance): ThreePhaseFault => {
    const m = magnitudeOhm(z);
    const ik = m > 0 ? (cMax * u) / (SQRT3 * m) / 1000 : Number.POSITIVE_INFINITY;
    const kappa = peakFactor(z.r_ohm, z.x_ohm);
    return {
      location,
      impedance: z,
      impedance_ohm: m,
      r_over_x: z.x_ohm > 0 ? z.r_ohm / z.x_ohm : Number.POSITIVE_INFINITY,
      kappa,
      initial_current_ka: ik,
      peak_current_ka: kappa * Math.SQRT2 * ik,
    };
  };
  // A level with no impedance before it (no supply declared, the bus itself) has no finite current: left out.
  const levels: ThreePhaseFault[] = input.supply === null ? [] : [level('LV bus', zMaxBus)];
  let z = zMaxBus;
  input.sections.forEach((s, i) => {
    const zs = sectionImpedance(s, 1);
    if (zs === null) return;
    z = addImpedance(z, zs.phase);
    if (magnitudeOhm(z) > 0) levels.push(level(`end of section ${String(i + 1)}`, z));
  });
  trace.push({
    name: "I''k3 max = c_max·U_n/(√3·|Z_k|) at the LV bus",
    value: levels[0]?.initial_current_ka ?? null,
    unit: 'kA',
    source: 'IEC 60909-0 eq. 29',
  });
  trace.push({
    name: 'κ = 1.02 + 0.98·e^(−3R/X) at the LV bus',
    value: levels[0]?.kappa ?? null,
    unit: null,
    source: 'IEC 60909-0 eq. 55',
  });

  const parts = earthLoopParts(input);
  const lastLen = parts.last_length_m;
  const loop = addImpedance(parts.upstream, scaleImpedance(parts.last_per_m, lastLen));
  const loopMag = magnitudeOhm(loop);
  const earth: EarthFault = {
    location: input.sections.length === 0 ? 'LV bus' : `end of section ${String(input.sections.length)}`,
    loop_impedance: loop,
    loop_impedance_ohm: loopMag,
    source_voltage_v: parts.source_voltage_v,
    current_a: loopMag > 0 ? parts.source_voltage_v / loopMag : Number.POSITIVE_INFINITY,
  };
  const temps = [...new Set(input.sections.map((s) => thetaE(input, s)))];
  trace.push(
    {
      name: 'θe (conductor temperature at the end of the fault)',
      value: temps.join(', ') || null,
      unit: 'degC',
      source:
        input.fault_end_temperature_c === undefined
          ? 'insulation short-circuit limit: PVC 160 °C (IEC 60724), XLPE 250 °C (IEC 60502-1)'
          : 'declared',
    },
    {
      name: 'R_L(θe) = [1 + 0.004·(θe − 20)]·R20',
      value: temps.map((t) => faultTemperatureFactor(t).toFixed(3)).join(', ') || null,
      unit: null,
      source: 'IEC 60909-0 eq. 31',
    },
    {
      name: 'loop Z = ⅔·Z_Q(c_Q 1.0) + Z_T + Σ(Z_L + Z_PE)(θe)',
      value: loopMag,
      unit: 'ohm',
      source: 'IEC 60909-0 eq. 52 with Z(0)T = Z_T (Dyn11), Z(0)L = Z_L + 3·Z_PE',
    },
    {
      name: "I''k1 min = c_min·U_n/(√3·|loop Z|)",
      value: earth.current_a,
      unit: 'A',
      source: 'IEC 60909-0 eq. 52',
    },
  );
  return {
    voltage_v: u,
    source_included: input.supply !== null,
    c_max: cMax,
    c_min: cMin,
    levels,
    earth_fault_min: earth,
    trace,
  };
}
