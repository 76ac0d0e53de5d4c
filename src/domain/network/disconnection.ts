/**
 * Protection against faults: the device must break the maximum fault current at its place
 * (IEC 60364-4-43 §434.5.1, GB 50054-2011 §6.1) and disconnect the minimum earth fault at the far end of its
 * circuit in time (IEC 60364-4-41 §411.3.2, GB 50054-2011 §5.2.8):
 *
 *   Ik1,min ≥ Ia, where Ia = the current that operates the device within the required time:
 *     MCB type B/C/D: 5/10/20 × In (instantaneous, IEC 60898-1 Table 7);
 *     MCCB: 1.2 × the magnetic setting (default 10 × In; IEC 60947-2 ±20 % tolerance);
 *     gG fuse: its time–current gate data (IEC 60269-1 Table 3) at 0.4 s or 5 s.
 *   Required time (TN, 120 V < U0 ≤ 230 V): 0.4 s for final circuits ≤ 32 A (Table 41.1), 5 s for distribution
 *   circuits (§411.3.2.3).
 *
 * When the check fails it lists what fixes it, in the style of the capacity check's alternatives: the longest
 * run that passes, a larger PE, a larger cable (phase and PE), a lower magnetic setting / type B, and an RCD
 * (IEC 60364-4-41 §411.4.5: Zs·IΔn ≤ U0 makes an RCD a valid disconnecting device in TN).
 */
import type { BreakerStandard } from '../catalog/breakers.js';
import {
  BREAKING_CAPACITY_SOURCE,
  MCB_INSTANTANEOUS_MULTIPLE,
  MCB_TRIP_SOURCE,
  MCCB_DEFAULT_MAGNETIC_MULTIPLE,
  MCCB_MAGNETIC_TOLERANCE,
  MCCB_MIN_MAGNETIC_MULTIPLE,
  MCCB_TRIP_SOURCE,
  assumedBreakingCapacity,
  mccbFrameFor,
} from '../catalog/breaker-trip.js';
import type { McbCurve } from '../catalog/breaker-trip.js';
import { CROSS_SECTIONS_MM2, resistance20OhmPerKm } from '../catalog/cables.js';
import { FUSE_CURVES_SOURCE, ggOperatingCurrentA } from '../catalog/fuse-curves.js';
import type { FaultPathInput, ThreePhaseFault } from './fault-current.js';
import { earthFaultCurrentForLengthA, earthLoopParts } from './fault-current.js';
import type { CableSection } from './impedance.js';
import type { TraceEntry } from './types.js';

/** The protective device at the origin of a circuit. */
export type ProtectiveDevice =
  | { kind: 'mcb'; rated_current_a: number; curve?: McbCurve; breaking_capacity_ka?: number }
  | {
      kind: 'mccb';
      rated_current_a: number;
      /** Instantaneous setting, × In (default 10). */
      magnetic_multiple?: number;
      breaking_capacity_ka?: number;
      service_breaking_capacity_ka?: number;
    }
  | { kind: 'fuse_gG'; rated_current_a: number; breaking_capacity_ka?: number };

export type DeviceKind = ProtectiveDevice['kind'];

/** gG fuses (IEC 60269-2 industrial NH) break at least 50 kA at 400 V a.c. */
export const GG_FUSE_BREAKING_CAPACITY_KA = 50;

/** The device implied by a breaker of the feeder check: IEC 60898 → MCB (type C default), IEC 60947-2 → MCCB. */
export function deviceFromBreaker(ratedCurrentA: number, standard: BreakerStandard): ProtectiveDevice {
  return standard === 'IEC60898'
    ? { kind: 'mcb', rated_current_a: ratedCurrentA, curve: 'C' }
    : { kind: 'mccb', rated_current_a: ratedCurrentA };
}

export type CircuitKind = 'final' | 'distribution';

/** Required disconnection time, s (IEC 60364-4-41 Table 41.1 TN 230 V: 0.4 s; §411.3.2.3: 5 s). */
export function requiredDisconnectionTimeS(kind: CircuitKind): number {
  return kind === 'final' ? 0.4 : 5;
}

/** A circuit is final and ≤ 32 A unless declared otherwise: the 0.4 s limit applies to it. */
export function defaultCircuitKind(ratedCurrentA: number): CircuitKind {
  return ratedCurrentA <= 32 ? 'final' : 'distribution';
}

export interface OperatingCurrent {
  /** Ia, A; `null` when the device has no data (untabulated fuse). */
  current_a: number | null;
  basis: string;
  source: string;
}

/** Ia: the current that operates the device within `timeS` (see the module header). */
export function operatingCurrent(device: ProtectiveDevice, timeS: number): OperatingCurrent {
  switch (device.kind) {
    case 'mcb': {
      const curve = device.curve ?? 'C';
      const k = MCB_INSTANTANEOUS_MULTIPLE[curve];
      return {
        current_a: k * device.rated_current_a,
        basis: `type ${curve}: ${String(k)} × In (instantaneous)`,
        source: MCB_TRIP_SOURCE.source,
      };
    }
    case 'mccb': {
      const m = device.magnetic_multiple ?? MCCB_DEFAULT_MAGNETIC_MULTIPLE;
      return {
        current_a: MCCB_MAGNETIC_TOLERANCE * m * device.rated_current_a,
        basis: `1.2 × magnetic setting ${String(m)} × In${device.magnetic_multiple === undefined ? ' (default)' : ''}`,
        source: MCCB_TRIP_SOURCE.source,
      };
    }
    case 'fuse_gG':
      return {
        current_a: ggOperatingCurrentA(device.rated_current_a, timeS),
        basis: `gG ${String(device.rated_current_a)} A operating within ${String(timeS)} s`,
        source: FUSE_CURVES_SOURCE.source,
      };
  }
}

export interface BreakingCapacityCheck {
  /** Icu (or Icn / fuse breaking capacity), kA. */
  breaking_capacity_ka: number | null;
  service_breaking_capacity_ka: number | null;
  declared: boolean;
  /** I''k3 max at the device (the LV bus), kA. */
  fault_current_ka: number;
  peak_current_ka: number;
  ok: boolean | null;
  /** I''k3 ≤ Ics (the device stays serviceable after breaking it); informational. */
  service_ok: boolean | null;
  message: string;
  alternatives: Alternative[];
}

/** One way to make a failing check pass, in the capacity check's alternatives style. */
export interface Alternative {
  kind:
    | 'shorter_run'
    | 'larger_pe'
    | 'larger_cable'
    | 'parallel_cables'
    | 'lower_magnetic_setting'
    | 'mcb_type_b'
    | 'rcd'
    | 'higher_breaking_capacity';
  description: string;
  value: number;
  unit: string;
  clause: string;
}

/**
 * Breaking capacity: Icu ≥ I''k3 max at the device's place (IEC 60364-4-43 §434.5.1). Without a declared value
 * the catalogue's assumed capacity for the device's kind and frame is used.
 *
 * @param device the device (In A, kind, optional declared Icu/Ics kA)
 * @param fault the three-phase maximum at the device's place (normally the LV bus)
 */
export function checkBreakingCapacity(
  device: ProtectiveDevice,
  fault: ThreePhaseFault,
): BreakingCapacityCheck {
  const ik = fault.initial_current_ka;
  let icu: number | null;
  let ics: number | null;
  const declared = device.breaking_capacity_ka !== undefined;
  if (device.kind === 'fuse_gG') {
    icu = device.breaking_capacity_ka ?? GG_FUSE_BREAKING_CAPACITY_KA;
    ics = icu;
  } else {
    const std: BreakerStandard = device.kind === 'mcb' ? 'IEC60898' : 'IEC60947-2';
    const cat = assumedBreakingCapacity(device.rated_current_a, std);
    icu = device.breaking_capacity_ka ?? cat?.ultimate_ka ?? null;
    ics =
      device.kind === 'mccb'
        ? (device.service_breaking_capacity_ka ?? (declared ? icu : (cat?.service_ka ?? null)))
        : icu !== null && icu <= 6
          ? icu
          : icu === null
            ? null
            : Math.max(6, 0.75 * icu);
  }
  const ok = icu === null ? null : icu >= ik;
  const alternatives: Alternative[] = [];
  if (ok === false) {
    const frame = mccbFrameFor(device.rated_current_a, ik);
    if (frame !== null)
      alternatives.push({
        kind: 'higher_breaking_capacity',
        description: `use a breaker with Icu ≥ ${ik.toFixed(1)} kA, e.g. an MCCB frame ${String(frame.frame_a)} A with Icu ${String(frame.ultimate_ka)} kA`,
        value: frame.ultimate_ka,
        unit: 'kA',
        clause: 'IEC 60364-4-43 §434.5.1',
      });
    alternatives.push({
      kind: 'higher_breaking_capacity',
      description: `or a gG fuse (breaking capacity ≥ ${String(GG_FUSE_BREAKING_CAPACITY_KA)} kA) ahead of the breaker as back-up protection (IEC 60364-4-43 §434.5.1 allows a device of lower capacity with back-up)`,
      value: GG_FUSE_BREAKING_CAPACITY_KA,
      unit: 'kA',
      clause: 'IEC 60364-4-43 §434.5.1',
    });
  }
  return {
    breaking_capacity_ka: icu,
    service_breaking_capacity_ka: ics,
    declared,
    fault_current_ka: ik,
    peak_current_ka: fault.peak_current_ka,
    ok,
    service_ok: ics === null ? null : ics >= ik,
    message:
      icu === null
        ? `no breaking-capacity data for a ${String(device.rated_current_a)} A ${device.kind}: declare Icu`
        : ok === true
          ? `breaking capacity ${String(icu)} kA ≥ I''k3 max ${ik.toFixed(2)} kA`
          : `breaking capacity ${String(icu)} kA${declared ? '' : ' (assumed)'} is below the prospective fault current I''k3 max ${ik.toFixed(2)} kA at the supply point's LV bus`,
    alternatives,
  };
}

export interface DisconnectionCheck {
  device: ProtectiveDevice;
  circuit: CircuitKind;
  required_time_s: number;
  /** Ia, A. */
  operating_current_a: number | null;
  operating_basis: string;
  /** I''k1 min at the far end, A. */
  earth_fault_current_a: number;
  /** Zs = U0·c_min/I''k1 (the loop), Ω, and the largest Zs that passes (c_min·U0/Ia), Ω. */
  loop_impedance_ohm: number;
  max_loop_impedance_ohm: number | null;
  ok: boolean | null;
  message: string;
  alternatives: Alternative[];
  trace: TraceEntry[];
}

const CLAUSE_411 = 'IEC 60364-4-41 §411.3.2 (GB 50054-2011 §5.2.8)';

/** Longest last section, m, with I''k1 ≥ ia; `null` when even a zero-length run fails. */
function maxLengthM(parts: ReturnType<typeof earthLoopParts>, ia: number): number | null {
  const k = parts.source_voltage_v / ia;
  const { r_ohm: ru, x_ohm: xu } = parts.upstream;
  const { r_ohm: r, x_ohm: x } = parts.last_per_m;
  const a = r * r + x * x;
  const b = 2 * (ru * r + xu * x);
  const c = ru * ru + xu * xu - k * k;
  if (c > 0) return null;
  if (a === 0) return Number.POSITIVE_INFINITY;
  return (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
}

function withLast(input: FaultPathInput, patch: Partial<CableSection>): FaultPathInput {
  const sections = input.sections.slice();
  const last = sections[sections.length - 1];
  if (last !== undefined) sections[sections.length - 1] = { ...last, ...patch };
  return { ...input, sections };
}

function currentOf(input: FaultPathInput): number {
  const parts = earthLoopParts(input);
  return earthFaultCurrentForLengthA(parts, parts.last_length_m);
}

/**
 * Checks that the device disconnects the minimum earth fault at the far end of the path in time, and lists
 * the fixes when it does not (module header).
 *
 * @param path the fault path (U_n V, supply, sections; the last section is the circuit the device protects)
 * @param device the protective device at the origin of the last section
 * @param circuit 'final' (0.4 s) or 'distribution' (5 s); default by In ≤ 32 A
 */
export function checkDisconnection(
  path: FaultPathInput,
  device: ProtectiveDevice,
  circuit: CircuitKind = defaultCircuitKind(device.rated_current_a),
): DisconnectionCheck {
  const t = requiredDisconnectionTimeS(circuit);
  const op = operatingCurrent(device, t);
  const parts = earthLoopParts(path);
  const ik1 = earthFaultCurrentForLengthA(parts, parts.last_length_m);
  const u0min = parts.source_voltage_v;
  const zs = u0min / ik1;
  const ia = op.current_a;
  const trace: TraceEntry[] = [
    {
      name: 'required disconnection time',
      value: t,
      unit: 's',
      source:
        circuit === 'final'
          ? 'IEC 60364-4-41 Table 41.1 (TN, 120 V < U0 ≤ 230 V, final circuit ≤ 32 A)'
          : 'IEC 60364-4-41 §411.3.2.3 (distribution circuit)',
    },
    { name: `Ia (${op.basis})`, value: ia, unit: 'A', source: op.source },
    { name: "I''k1 min at the far end", value: ik1, unit: 'A', source: 'IEC 60909-0 eq. 52' },
    {
      name: "condition I''k1 min ≥ Ia (Zs·Ia ≤ c_min·U0)",
      value: ia === null ? null : ik1 >= ia,
      unit: null,
      source: CLAUSE_411,
    },
  ];
  if (ia === null) {
    return {
      device,
      circuit,
      required_time_s: t,
      operating_current_a: null,
      operating_basis: op.basis,
      earth_fault_current_a: ik1,
      loop_impedance_ohm: zs,
      max_loop_impedance_ohm: null,
      ok: null,
      message: `no time–current data for a ${String(device.rated_current_a)} A ${device.kind}: disconnection not checked`,
      alternatives: [],
      trace,
    };
  }
  const ok = ik1 >= ia;
  const alternatives: Alternative[] = [];
  const last = path.sections[path.sections.length - 1];
  if (!ok) {
    const lMax = maxLengthM(parts, ia);
    if (lMax !== null && last !== undefined && Number.isFinite(lMax))
      alternatives.push({
        kind: 'shorter_run',
        description: `shorten the run to at most ${Math.floor(lMax).toString()} m (now ${String(last.length_m)} m)`,
        value: Math.floor(lMax),
        unit: 'm',
        clause: CLAUSE_411,
      });
    if (last !== undefined) {
      const sizes = (CROSS_SECTIONS_MM2 as readonly number[]).filter(
        (s) => resistance20OhmPerKm(last.conductor, s) !== null,
      );
      const pe = last.pe_cross_section_mm2 ?? last.cross_section_mm2;
      const pePass = sizes.find(
        (s) =>
          s > pe &&
          s <= last.cross_section_mm2 &&
          currentOf(withLast(path, { pe_cross_section_mm2: s })) >= ia,
      );
      if (pePass !== undefined)
        alternatives.push({
          kind: 'larger_pe',
          description: `a ${String(pePass)} mm² protective conductor (now ${String(pe)} mm²)`,
          value: pePass,
          unit: 'mm^2',
          clause: `${CLAUSE_411}; IEC 60364-5-54 Table 54.2`,
        });
      const bigger = sizes.find(
        (s) =>
          s > last.cross_section_mm2 &&
          currentOf(withLast(path, { cross_section_mm2: s, pe_cross_section_mm2: s })) >= ia,
      );
      if (bigger !== undefined)
        alternatives.push({
          kind: 'larger_cable',
          description: `a ${String(bigger)} mm² cable with a ${String(bigger)} mm² PE (now ${String(last.cross_section_mm2)}/${String(pe)} mm²)`,
          value: bigger,
          unit: 'mm^2',
          clause: CLAUSE_411,
        });
      const n0 = last.parallel_count ?? 1;
      for (let n = n0 + 1; n <= n0 + 3; n += 1) {
        if (currentOf(withLast(path, { parallel_count: n })) >= ia) {
          alternatives.push({
            kind: 'parallel_cables',
            description: `${String(n)} cables in parallel (now ${String(n0)})`,
            value: n,
            unit: 'cables',
            clause: CLAUSE_411,
          });
          break;
        }
      }
    }
    if (device.kind === 'mccb') {
      const m = Math.floor(ik1 / (MCCB_MAGNETIC_TOLERANCE * device.rated_current_a));
      if (m >= MCCB_MIN_MAGNETIC_MULTIPLE)
        alternatives.push({
          kind: 'lower_magnetic_setting',
          description: `set the instantaneous release to ${String(m)} × In = ${String(m * device.rated_current_a)} A or lower (trips with certainty at 1.2 × the setting = ${String(MCCB_MAGNETIC_TOLERANCE * m * device.rated_current_a)} A ≤ ${ik1.toFixed(0)} A); check motor starting currents stay below it`,
          value: m,
          unit: 'x In',
          clause: `${CLAUSE_411}; IEC 60947-2 §8.3.3.1.2`,
        });
    } else if (device.kind === 'mcb' && (device.curve ?? 'C') !== 'B') {
      if (MCB_INSTANTANEOUS_MULTIPLE.B * device.rated_current_a <= ik1)
        alternatives.push({
          kind: 'mcb_type_b',
          description: `a type B MCB (Ia = 5 × In = ${String(5 * device.rated_current_a)} A ≤ ${ik1.toFixed(0)} A) if no motor inrush needs type ${device.curve ?? 'C'}`,
          value: 5,
          unit: 'x In',
          clause: `${CLAUSE_411}; IEC 60898-1 Table 7`,
        });
    }
    // Zs·IΔn ≤ U0 (§411.4.5): with Zs of a few ohms any standard IΔn up to amperes qualifies; a 300 mA
    // time-delayed (S-type) device stays selective with the 30/100 mA RCDs downstream.
    const rcdLimitA = u0min / zs;
    const rcdMa = rcdLimitA >= 0.3 ? 300 : ([30, 100].filter((x) => x <= rcdLimitA * 1000).pop() ?? 30);
    alternatives.push({
      kind: 'rcd',
      description: `a residual-current device at the origin of the feeder (IΔn ≤ U0/Zs = ${rcdLimitA.toFixed(0)} A, e.g. ${String(rcdMa)} mA time-delayed for selectivity with the downstream RCDs) disconnects the fault`,
      value: rcdMa,
      unit: 'mA',
      clause: 'IEC 60364-4-41 §411.4.5 (RCD in TN systems)',
    });
  }
  return {
    device,
    circuit,
    required_time_s: t,
    operating_current_a: ia,
    operating_basis: op.basis,
    earth_fault_current_a: ik1,
    loop_impedance_ohm: zs,
    max_loop_impedance_ohm: u0min / ia,
    ok,
    message: ok
      ? `the minimum earth-fault current ${ik1.toFixed(0)} A at the far end operates the ${String(device.rated_current_a)} A ${device.kind} within ${String(t)} s (Ia ${ia.toFixed(0)} A)`
      : `the minimum earth-fault current ${ik1.toFixed(0)} A at the far end is below the ${ia.toFixed(0)} A that operates the ${String(device.rated_current_a)} A ${device.kind} within ${String(t)} s (${op.basis}): the fault would not be cleared in time`,
    alternatives,
    trace,
  };
}

export const BREAKING_CAPACITY_TRACE: TraceEntry = {
  name: 'assumed breaking capacities',
  value: 'MCB 6 kA; MCCB frames 25–65 kA',
  unit: 'kA',
  source: BREAKING_CAPACITY_SOURCE.source,
};
