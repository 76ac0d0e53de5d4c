/**
 * The fault and motor-starting checks of one feeder from a supply point's LV bus (DOMAIN.md "Product
 * decisions": protection must clear faults; motor starting): maximum fault currents against the device's
 * breaking capacity, the minimum earth fault at the far end against its disconnection, and the starting dip
 * of each motor of ≥ 5.5 kW on the feeder, as results and as findings in the feeder engine's style.
 */
import type { Conductor, Insulation } from '../catalog/cables.js';
import { MOTOR_START_CHECK_MIN_KW, motorDefaults, MOTOR_DEFAULTS_BY_TYPE } from '../catalog/motors.js';
import type {
  BreakingCapacityCheck,
  CircuitKind,
  DisconnectionCheck,
  ProtectiveDevice,
} from './disconnection.js';
import { BREAKING_CAPACITY_TRACE, checkBreakingCapacity, checkDisconnection } from './disconnection.js';
import type { FaultCurrents, FaultPathInput } from './fault-current.js';
import { faultCurrents } from './fault-current.js';
import type { CableSection, SupplyInput } from './impedance.js';
import type { MotorInput, MotorStartResult, PowerFlow } from './motor-starting.js';
import { feederImpedanceForDip, motorStartDip, supplyImpedanceForDip } from './motor-starting.js';
import type { Finding, RuleNotChecked, TraceEntry } from './types.js';

/** One motor to check: its data (defaults per equipment type), where it came from, how often it starts. */
export interface MotorToCheck extends MotorInput {
  label: string;
  frequent_starts?: boolean;
  sensitive_loads?: boolean;
  /** JSON pointer into the caller's input. */
  path: (string | number)[];
}

export interface FeederFaultInput {
  /** U_n, V. */
  voltage_v: number;
  supply: SupplyInput | null;
  /** The feeder cable (sized or declared); `null` when none. */
  cable: {
    conductor: Conductor;
    insulation: Insulation;
    cross_section_mm2: number;
    length_m: number;
    parallel_count?: number;
    pe_cross_section_mm2?: number;
  } | null;
  /** The device at the feeder's origin; `null` when none could be chosen. */
  device: ProtectiveDevice | null;
  circuit?: CircuitKind;
  voltage_tolerance_percent?: 6 | 10;
  fault_end_temperature_c?: number;
  /** The feeder's whole running load (all its loads), kW / kvar. */
  load: PowerFlow;
  /** Loads of the point's other feeders running while a motor starts. */
  bus_other_load?: PowerFlow;
  motors: readonly MotorToCheck[];
  /** JSON pointers for findings. */
  paths?: { cable: (string | number)[]; device: (string | number)[]; supply: (string | number)[] };
  /** Rule-set edition for findings. */
  edition: string;
}

export interface MotorStartingSummary {
  motors: (MotorStartResult & { label: string })[];
  /** The largest motor (by rated kW) and the worst bus / terminal voltage during a start. */
  largest_motor_kw: number | null;
  worst_bus_voltage: number | null;
  worst_terminal_voltage: number | null;
  ok: boolean;
}

export interface FeederFaultResult {
  fault_currents: FaultCurrents | null;
  breaking_capacity: BreakingCapacityCheck | null;
  disconnection: DisconnectionCheck | null;
  motor_starting: MotorStartingSummary | null;
  findings: Finding[];
  not_checked: RuleNotChecked[];
  trace: TraceEntry[];
}

/**
 * The motors of an equipment list to check for starting: items whose type has motor defaults, one motor per
 * item (the largest: rated power × the type's largest-motor fraction; only one starts at a time), ≥ 5.5 kW.
 *
 * @param items equipment items (type, rated kW, optional motor overrides)
 * @param basePath JSON pointer prefix of the list
 */
export function motorsFromEquipment(
  items: readonly {
    type: string;
    rated_power_kw?: number;
    label?: string;
    motor?: Partial<MotorInput> & { frequent_starts?: boolean };
  }[],
  basePath: (string | number)[] = ['equipment'],
  minKw = MOTOR_START_CHECK_MIN_KW,
): MotorToCheck[] {
  const out: MotorToCheck[] = [];
  items.forEach((item, i) => {
    if (item.rated_power_kw === undefined || MOTOR_DEFAULTS_BY_TYPE[item.type] === undefined) return;
    const d = motorDefaults(item.type);
    const kw = item.motor?.rated_power_kw ?? item.rated_power_kw * d.largest_motor_fraction;
    if (kw < minKw) return;
    out.push({
      label: item.label ?? `${item.type} #${String(i + 1)}`,
      rated_power_kw: kw,
      starter: d.starter,
      locked_rotor_multiple: d.locked_rotor_multiple,
      efficiency: d.efficiency,
      power_factor: d.power_factor,
      frequent_starts: d.frequent_starts,
      ...(item.motor ?? {}),
      path: [...basePath, i],
    });
  });
  return out;
}

function sub(a: PowerFlow, kw: number, kvar: number): PowerFlow {
  return {
    active_power_kw: Math.max(0, a.active_power_kw - kw),
    reactive_power_kvar: Math.max(0, a.reactive_power_kvar - kvar),
  };
}

/**
 * Runs the fault and motor-starting checks of one feeder (module header).
 *
 * @param input U_n (V), supply, cable (mm², m, parallel count, PE mm²), device, loads (kW/kvar), motors
 */
export function checkFeederFaults(input: FeederFaultInput): FeederFaultResult {
  const findings: Finding[] = [];
  const notChecked: RuleNotChecked[] = [];
  const paths = input.paths ?? { cable: ['feeder'], device: ['breaker'], supply: ['supply'] };
  const sections: CableSection[] = input.cable === null ? [] : [{ ...input.cable }];
  const path: FaultPathInput = {
    voltage_v: input.voltage_v,
    supply: input.supply,
    sections,
    ...(input.voltage_tolerance_percent === undefined
      ? {}
      : { voltage_tolerance_percent: input.voltage_tolerance_percent }),
    ...(input.fault_end_temperature_c === undefined
      ? {}
      : { fault_end_temperature_c: input.fault_end_temperature_c }),
  };
  if (input.supply === null && input.cable === null) {
    notChecked.push({
      rule: 'FAULT',
      reason: 'neither a supply nor a feeder cable: fault currents not computed',
    });
    if (input.motors.length > 0)
      notChecked.push({
        rule: 'MOTOR_START',
        reason: 'no supply transformer known: motor-starting dip not checked',
      });
    return {
      fault_currents: null,
      breaking_capacity: null,
      disconnection: null,
      motor_starting: null,
      findings,
      not_checked: notChecked,
      trace: [],
    };
  }
  const fc = faultCurrents(path, { supply: paths.supply, sections: paths.cable });
  const trace: TraceEntry[] = [...fc.trace];
  const fnd = (f: Omit<Finding, 'edition'>): void => {
    findings.push({ ...f, edition: input.edition });
  };

  let breaking: BreakingCapacityCheck | null = null;
  let disconnection: DisconnectionCheck | null = null;
  if (input.device === null) {
    notChecked.push({
      rule: 'FAULT',
      reason: 'no protective device: breaking capacity and disconnection not checked',
    });
  } else {
    const bus = fc.levels[0];
    if (input.supply === null || bus?.location !== 'LV bus') {
      notChecked.push({
        rule: 'FAULT',
        reason: 'no supply transformer known: breaking capacity not checked',
      });
    } else {
      breaking = checkBreakingCapacity(input.device, bus);
      trace.push(BREAKING_CAPACITY_TRACE);
      if (breaking.ok === false)
        fnd({
          code: 'FAULT_BREAKING_CAPACITY',
          rule: 'FAULT',
          severity: 'error',
          message: `${breaking.message}; ${breaking.alternatives.map((a) => a.description).join('; ')}`,
          path: [...paths.device, 'rated_current_a'],
          clause: 'IEC 60364-4-43 §434.5.1 (GB 50054-2011 §6.1)',
          values: { actual: breaking.fault_current_ka, limit: breaking.breaking_capacity_ka, unit: 'kA' },
        });
    }
    if (input.cable === null) {
      notChecked.push({ rule: 'FAULT', reason: 'no feeder cable: disconnection at the far end not checked' });
    } else {
      disconnection = checkDisconnection(path, input.device, input.circuit);
      trace.push(...disconnection.trace);
      if (disconnection.ok === false)
        fnd({
          code: 'FAULT_DISCONNECTION',
          rule: 'FAULT',
          severity: 'error',
          message: `${disconnection.message}. Fixes: ${disconnection.alternatives.map((a) => a.description).join('; ')}`,
          path: [...paths.cable, 'length_m'],
          clause: 'IEC 60364-4-41 §411.3.2 (GB 50054-2011 §5.2.8)',
          values: {
            actual: disconnection.earth_fault_current_a,
            limit: disconnection.operating_current_a,
            unit: 'A',
          },
        });
      if (!fc.source_included)
        notChecked.push({
          rule: 'FAULT',
          reason: 'no supply transformer known: the earth-fault loop counts the cable only (optimistic)',
        });
    }
  }

  let motorStarting: MotorStartingSummary | null = null;
  if (input.motors.length > 0) {
    if (input.supply === null) {
      notChecked.push({
        rule: 'MOTOR_START',
        reason: 'no supply transformer known: motor-starting dip not checked',
      });
    } else {
      const zs = supplyImpedanceForDip(input.supply);
      const zf = feederImpedanceForDip(sections);
      const results = input.motors.map((m) => {
        const eta = m.efficiency ?? 0.9;
        const pf = m.power_factor ?? 0.85;
        const pRun = m.rated_power_kw / eta;
        const qRun = pRun * (Math.sqrt(1 - pf * pf) / pf);
        const onFeeder = sub(input.load, pRun, qRun);
        const bus = input.bus_other_load
          ? {
              active_power_kw: onFeeder.active_power_kw + input.bus_other_load.active_power_kw,
              reactive_power_kvar: onFeeder.reactive_power_kvar + input.bus_other_load.reactive_power_kvar,
            }
          : onFeeder;
        const r = motorStartDip(
          {
            motor: m,
            voltage_v: input.voltage_v,
            supply: input.supply,
            feeder: sections,
            other_load_bus: bus,
            other_load_feeder: onFeeder,
            limits: {
              ...(m.frequent_starts === undefined ? {} : { frequent_starts: m.frequent_starts }),
              ...(m.sensitive_loads === undefined ? {} : { sensitive_loads: m.sensitive_loads }),
            },
          },
          { supply: zs, feeder: zf },
        );
        if (!r.ok)
          fnd({
            code: r.bus_ok ? 'MOTOR_START_DIP_TERMINALS' : 'MOTOR_START_DIP_BUS',
            rule: 'MOTOR_START',
            severity: 'error',
            message: `${m.label}: ${r.message}; use a reduced-voltage starter (star–delta, soft starter or VFD), a larger transformer or a shorter/larger feeder`,
            path: m.path,
            clause: 'GB 50055-2011 §2.2.2',
            values: r.bus_ok
              ? { actual: r.terminal_voltage_during, limit: r.terminal_min_fraction, unit: 'p.u.' }
              : { actual: r.bus_voltage_during, limit: r.bus_min_fraction, unit: 'p.u.' },
          });
        return { ...r, label: m.label };
      });
      motorStarting = {
        motors: results,
        largest_motor_kw: Math.max(...input.motors.map((m) => m.rated_power_kw)),
        worst_bus_voltage: Math.min(...results.map((r) => r.bus_voltage_during)),
        worst_terminal_voltage: Math.min(...results.map((r) => r.terminal_voltage_during)),
        ok: results.every((r) => r.ok),
      };
    }
  }
  return {
    fault_currents: fc,
    breaking_capacity: breaking,
    disconnection,
    motor_starting: motorStarting,
    findings,
    not_checked: notChecked,
    trace,
  };
}
