/**
 * Motor starting: starting current and kVA per starter type, and the voltage dip it causes at the supply
 * point's LV bus and at the motor's terminals (GB 50055-2011 §2.2.2; DOMAIN.md "Product decisions" and §6.4).
 *
 *   FLC = P/(√3·U·η·cos φ);  locked-rotor current I_LR = k_LR·FLC, or from a NEMA code letter
 *   I_LR = hp·(kVA/hp)·1000/(√3·U);  starting current: DOL I_LR, star–delta I_LR/3, soft starter / VFD a
 *   current limit × FLC;  S_st = √3·U·I_st.
 *
 * Dip: the starting motor is a constant impedance Z_m = U²/S_st at its starting power factor, fed through
 * the source and transformer (Z_s = Z_Q(c = 1) + Z_T) and the feeder (Z_f at the conductor's operating
 * temperature). The other loads are present as constant power: before the start they already lower the bus
 * to v0 = 1 − (P_b·R_s + Q_b·X_s)/U² and the terminals by a further (P_f·R_f + Q_f·X_f)/U². During the start
 *   v_bus  = v0·|Z_f + Z_m|/|Z_s + Z_f + Z_m|,
 *   v_term = v0·|Z_m|/|Z_s + Z_f + Z_m| − (P_f·R_f + Q_f·X_f)/U²    (fractions of U_n).
 * Limits: bus ≥ 85 % (infrequent starts), ≥ 90 % (frequent starts with lighting or voltage-sensitive loads
 * on the bus), ≥ 80 % when no such loads share it; terminals ≥ 80 % (enough torque to start; T ∝ V²).
 */
import { REACTANCE_OHM_PER_KM, MAX_CONDUCTOR_TEMPERATURE_C, resistanceOhmPerKm } from '../catalog/cables.js';
import type { NemaCodeLetter, StarterType } from '../catalog/motors.js';
import {
  KW_PER_HP,
  NEMA_CODE_KVA_PER_HP,
  NEMA_SOURCE,
  STARTERS,
  STARTER_SOURCE,
  GENERIC_MOTOR,
} from '../catalog/motors.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import { SQRT3 } from '../units.js';
import type { CableSection, Impedance, SupplyInput } from './impedance.js';
import {
  DEFAULT_SOURCE_SHORT_CIRCUIT_MVA,
  ZERO_IMPEDANCE,
  addImpedance,
  magnitudeOhm,
  sectionIssues,
  sourceImpedance,
  supplyIssues,
  transformerImpedance,
} from './impedance.js';
import type { TraceEntry } from './types.js';

export interface MotorInput {
  rated_power_kw: number;
  starter?: StarterType;
  /** Locked-rotor current, × FLC (DOL); ignored when `nema_code_letter` is given. */
  locked_rotor_multiple?: number;
  nema_code_letter?: NemaCodeLetter;
  efficiency?: number;
  power_factor?: number;
  /** Supply power factor during the start; default per starter. */
  power_factor_start?: number;
  /** Soft-starter / VFD current limit, × FLC; default per starter. */
  current_limit_multiple?: number;
}

export interface MotorStartingCurrent {
  rated_power_kw: number;
  starter: StarterType;
  full_load_current_a: number;
  locked_rotor_current_a: number;
  starting_current_a: number;
  starting_kva: number;
  power_factor_start: number;
  /** Starting kW = S_st·cos φ_st (generator step). */
  starting_kw: number;
  trace: TraceEntry[];
}

export function motorIssues(m: MotorInput, base: (string | number)[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const frac = (v: number | undefined, key: string): void => {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > 1))
      issues.push({ path: [...base, key], message: 'must be in (0, 1]' });
  };
  if (!Number.isFinite(m.rated_power_kw) || m.rated_power_kw <= 0)
    issues.push({ path: [...base, 'rated_power_kw'], message: 'must be > 0' });
  frac(m.efficiency, 'efficiency');
  frac(m.power_factor, 'power_factor');
  frac(m.power_factor_start, 'power_factor_start');
  for (const key of ['locked_rotor_multiple', 'current_limit_multiple'] as const) {
    const v = m[key];
    if (v !== undefined && (!Number.isFinite(v) || v < 1 || v > 20))
      issues.push({ path: [...base, key], message: 'must be in [1, 20]' });
  }
  return issues;
}

/**
 * Starting current and kVA of one motor (module header).
 *
 * @param m rated power (kW), starter, k_LR (× FLC) or NEMA code letter, η, cos φ, cos φ at start
 * @param voltageV U_n line to line, V
 */
export function motorStartingCurrent(m: MotorInput, voltageV: number): MotorStartingCurrent {
  assertNoIssues(motorIssues(m, ['motor']));
  const starter = m.starter ?? GENERIC_MOTOR.starter;
  const sd = STARTERS[starter];
  const eta = m.efficiency ?? GENERIC_MOTOR.efficiency;
  const pf = m.power_factor ?? GENERIC_MOTOR.power_factor;
  const flc = (m.rated_power_kw * 1000) / (SQRT3 * voltageV * eta * pf);
  const trace: TraceEntry[] = [
    {
      name: 'FLC = P/(√3·U·η·cos φ)',
      value: flc,
      unit: 'A',
      source: `η ${String(eta)}, cos φ ${String(pf)}${m.efficiency === undefined || m.power_factor === undefined ? ' (defaults: generic LV cage motor)' : ''}`,
    },
  ];
  let ilr: number;
  if (m.nema_code_letter !== undefined) {
    const kvaPerHp = NEMA_CODE_KVA_PER_HP[m.nema_code_letter];
    const hp = m.rated_power_kw / KW_PER_HP;
    ilr = (hp * kvaPerHp * 1000) / (SQRT3 * voltageV);
    trace.push({
      name: `I_LR = hp·kVA/hp (code ${m.nema_code_letter}: ${String(kvaPerHp)})/(√3·U)`,
      value: ilr,
      unit: 'A',
      source: NEMA_SOURCE.source,
    });
  } else {
    const k = m.locked_rotor_multiple ?? GENERIC_MOTOR.locked_rotor_multiple;
    ilr = k * flc;
    trace.push({
      name: `I_LR = ${String(k)} × FLC`,
      value: ilr,
      unit: 'A',
      source:
        m.locked_rotor_multiple === undefined ? 'default 6.5 × FLC (DOMAIN.md: DOL 6–7 × FLC)' : 'declared',
    });
  }
  let ist: number;
  if (sd.basis === 'lrc_factor') {
    ist = sd.value * ilr;
    trace.push({
      name: `I_st = ${sd.value.toFixed(3)} × I_LR (${sd.label})`,
      value: ist,
      unit: 'A',
      source: STARTER_SOURCE.source,
    });
  } else {
    const lim = m.current_limit_multiple ?? sd.value;
    ist = Math.min(lim * flc, ilr);
    trace.push({
      name: `I_st = min(${String(lim)} × FLC, I_LR) (${sd.label} current limit)`,
      value: ist,
      unit: 'A',
      source: STARTER_SOURCE.source,
    });
  }
  const pfSt = m.power_factor_start ?? sd.power_factor_start;
  const skva = (SQRT3 * voltageV * ist) / 1000;
  trace.push(
    { name: 'S_st = √3·U·I_st', value: skva, unit: 'kVA', source: 'DOMAIN.md §6.4' },
    {
      name: 'cos φ at start',
      value: pfSt,
      unit: null,
      source: m.power_factor_start === undefined ? `${sd.label} default` : 'declared',
    },
  );
  return {
    rated_power_kw: m.rated_power_kw,
    starter,
    full_load_current_a: flc,
    locked_rotor_current_a: ilr,
    starting_current_a: ist,
    starting_kva: skva,
    power_factor_start: pfSt,
    starting_kw: skva * pfSt,
    trace,
  };
}

export interface DipLimits {
  /** Motor starts frequently (hoists, cranes, pumps on level control). Default false. */
  frequent_starts?: boolean;
  /** Lighting or voltage-sensitive loads share the bus. Default true. */
  sensitive_loads?: boolean;
  /** Overrides, fractions of U_n. */
  bus_min_fraction?: number;
  terminal_min_fraction?: number;
}

export interface PowerFlow {
  active_power_kw: number;
  reactive_power_kvar: number;
}

export interface MotorStartInput {
  motor: MotorInput;
  /** U_n, V. */
  voltage_v: number;
  supply: SupplyInput | null;
  /** Feeder sections from the bus to the motor (empty: the motor is at the bus). */
  feeder: readonly CableSection[];
  /** Other loads running on the point's bus while the motor starts (this feeder's included). */
  other_load_bus?: PowerFlow;
  /** Other loads running on the same feeder. */
  other_load_feeder?: PowerFlow;
  limits?: DipLimits;
}

export interface MotorStartResult {
  motor: MotorStartingCurrent;
  /** Limits used, fractions of U_n. */
  bus_min_fraction: number;
  terminal_min_fraction: number;
  /** Bus voltage before / during the start, fraction of U_n. */
  bus_voltage_before: number;
  bus_voltage_during: number;
  /** Dip at the bus during the start, % of U_n. */
  bus_dip_percent: number;
  terminal_voltage_before: number;
  terminal_voltage_during: number;
  terminal_dip_percent: number;
  bus_ok: boolean;
  terminal_ok: boolean;
  ok: boolean;
  message: string;
  trace: TraceEntry[];
}

/** Bus limit: 0.90 frequent starts with sensitive loads, 0.85 infrequent, 0.80 no sensitive loads (GB 50055 §2.2.2). */
export function busMinFraction(l: DipLimits = {}): number {
  if (l.bus_min_fraction !== undefined) return l.bus_min_fraction;
  if (l.sensitive_loads === false) return 0.8;
  return l.frequent_starts === true ? 0.9 : 0.85;
}

export const TERMINAL_MIN_FRACTION = 0.8;

/** Source + transformer impedance for load flow (c = 1, no K_T), Ω. */
export function supplyImpedanceForDip(supply: SupplyInput | null): Impedance {
  if (supply === null) return ZERO_IMPEDANCE;
  const zq = sourceImpedance(supply.source_short_circuit_mva ?? DEFAULT_SOURCE_SHORT_CIRCUIT_MVA, 1);
  return addImpedance(zq, transformerImpedance(supply) ?? ZERO_IMPEDANCE);
}

/** Feeder impedance at the insulation's maximum operating temperature (as the voltage-drop check), Ω. */
export function feederImpedanceForDip(feeder: readonly CableSection[]): Impedance {
  let z = ZERO_IMPEDANCE;
  for (const s of feeder) {
    const r = resistanceOhmPerKm(s.conductor, s.cross_section_mm2, MAX_CONDUCTOR_TEMPERATURE_C[s.insulation]);
    if (r === null) continue;
    const km = s.length_m / 1000 / (s.parallel_count ?? 1);
    z = addImpedance(z, { r_ohm: r * km, x_ohm: REACTANCE_OHM_PER_KM * km });
  }
  return z;
}

/**
 * The bus and terminal voltages during a start, fractions of U_n (the two divider formulas of the module
 * header), without validation or trace: the hot path of the planner and the capacity check.
 *
 * @param zs source + transformer impedance, Ω; @param zf feeder impedance, Ω
 * @param startingKva S_st, kVA; @param pfStart cos φ at start; @param voltageV U_n, V
 * @param v0 bus voltage before the start, p.u.; @param feederDrop other loads' feeder drop, p.u.
 */
export function dipVoltages(
  zs: Impedance,
  zf: Impedance,
  startingKva: number,
  pfStart: number,
  voltageV: number,
  v0: number,
  feederDrop: number,
): { bus: number; terminal: number } {
  const zm = (voltageV * voltageV) / (startingKva * 1000);
  const rm = zm * pfStart;
  const xm = zm * Math.sqrt(Math.max(0, 1 - pfStart * pfStart));
  const total = Math.hypot(zs.r_ohm + zf.r_ohm + rm, zs.x_ohm + zf.x_ohm + xm);
  return {
    bus: (v0 * Math.hypot(zf.r_ohm + rm, zf.x_ohm + xm)) / total,
    terminal: (v0 * zm) / total - feederDrop,
  };
}

/** Voltage drop of a constant-power flow through an impedance, p.u. of U_n: (P·R + Q·X)/U². */
export function dropFraction(flow: PowerFlow | undefined, z: Impedance, u: number): number {
  if (flow === undefined) return 0;
  return (flow.active_power_kw * 1000 * z.r_ohm + flow.reactive_power_kvar * 1000 * z.x_ohm) / (u * u);
}

/**
 * The dip of one motor start at the bus and at the terminals, with the other loads present (module header).
 *
 * @param input motor, U_n (V), supply, feeder sections, other loads (kW/kvar), limits
 * @param precomputed optional impedances (Ω) already computed for this supply and feeder (planner hot path)
 */
export function motorStartDip(
  input: MotorStartInput,
  precomputed?: { supply: Impedance; feeder: Impedance },
): MotorStartResult {
  const issues = [...supplyIssues(input.supply, ['supply']), ...sectionIssues(input.feeder, ['feeder'])];
  if (!Number.isFinite(input.voltage_v) || input.voltage_v <= 0)
    issues.push({ path: ['voltage_v'], message: 'must be > 0' });
  assertNoIssues(issues);
  const u = input.voltage_v;
  const motor = motorStartingCurrent(input.motor, u);
  const zs = precomputed?.supply ?? supplyImpedanceForDip(input.supply);
  const zf = precomputed?.feeder ?? feederImpedanceForDip(input.feeder);
  const zmMag = (u * u) / (motor.starting_kva * 1000);
  const v0 = 1 - dropFraction(input.other_load_bus, zs, u);
  const df = dropFraction(input.other_load_feeder, zf, u);
  const { bus: vBus, terminal: vTerm } = dipVoltages(
    zs,
    zf,
    motor.starting_kva,
    motor.power_factor_start,
    u,
    v0,
    df,
  );
  const busMin = busMinFraction(input.limits);
  const termMin = input.limits?.terminal_min_fraction ?? TERMINAL_MIN_FRACTION;
  const busOk = vBus >= busMin - 1e-12;
  const termOk = vTerm >= termMin - 1e-12;
  const trace: TraceEntry[] = [
    ...motor.trace,
    {
      name: 'Z_s = Z_Q(c 1) + Z_T',
      value: magnitudeOhm(zs),
      unit: 'ohm',
      source: 'IEC 60909-0 eqs. 6–9 (no K_T: load flow)',
    },
    {
      name: 'Z_f (feeder at operating temperature)',
      value: magnitudeOhm(zf),
      unit: 'ohm',
      source: 'cable catalogue R at 90/70 °C, X 0.08 Ω/km',
    },
    {
      name: 'Z_m = U²/S_st',
      value: zmMag,
      unit: 'ohm',
      source: 'motor at standstill as a constant impedance',
    },
    {
      name: 'v0 = 1 − (P_b·R_s + Q_b·X_s)/U² (other loads)',
      value: v0,
      unit: 'p.u.',
      source: 'DOMAIN.md §4.1 impedance form',
    },
    {
      name: 'v_bus = v0·|Z_f + Z_m|/|Z_s + Z_f + Z_m|',
      value: vBus,
      unit: 'p.u.',
      source: 'voltage divider',
    },
    {
      name: 'v_term = v0·|Z_m|/|Z_s + Z_f + Z_m| − feeder drop of other loads',
      value: vTerm,
      unit: 'p.u.',
      source: 'voltage divider',
    },
    {
      name: 'bus limit',
      value: busMin,
      unit: 'p.u.',
      source: 'GB 50055-2011 §2.2.2 (85 % infrequent, 90 % frequent with sensitive loads, 80 % none)',
    },
    {
      name: 'terminal limit',
      value: termMin,
      unit: 'p.u.',
      source: 'DOMAIN.md "Product decisions" (80 % default: enough torque to start)',
    },
  ];
  const pct = (v: number): string => (v * 100).toFixed(1);
  const fails: string[] = [];
  if (!busOk) fails.push(`the LV bus falls to ${pct(vBus)} % (limit ${pct(busMin)} %)`);
  if (!termOk) fails.push(`the terminals fall to ${pct(vTerm)} % (limit ${pct(termMin)} %)`);
  return {
    motor,
    bus_min_fraction: busMin,
    terminal_min_fraction: termMin,
    bus_voltage_before: v0,
    bus_voltage_during: vBus,
    bus_dip_percent: (v0 - vBus) * 100,
    terminal_voltage_before: v0 - df,
    terminal_voltage_during: vTerm,
    terminal_dip_percent: (v0 - df - vTerm) * 100,
    bus_ok: busOk,
    terminal_ok: termOk,
    ok: busOk && termOk,
    message:
      fails.length === 0
        ? `the ${String(input.motor.rated_power_kw)} kW motor (${STARTERS[motor.starter].label}, ${motor.starting_kva.toFixed(0)} kVA at start) keeps the bus at ${pct(vBus)} % and its terminals at ${pct(vTerm)} %`
        : `starting the ${String(input.motor.rated_power_kw)} kW motor (${STARTERS[motor.starter].label}, ${motor.starting_kva.toFixed(0)} kVA): ${fails.join('; ')}`,
    trace,
  };
}
