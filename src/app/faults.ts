/**
 * The fault and motor-starting checks attached to a feeder check, and the stand-alone motor-starting
 * calculation with generator sizing (issue #17).
 */
import type { EquipmentItemInput } from '../domain/load/index.js';
import type { FeederCheckResult } from '../domain/network/index.js';
import type { ProtectiveDevice, CircuitKind } from '../domain/network/disconnection.js';
import { deviceFromBreaker } from '../domain/network/disconnection.js';
import type { FeederFaultResult, MotorToCheck } from '../domain/network/feeder-faults.js';
import { checkFeederFaults, motorsFromEquipment } from '../domain/network/feeder-faults.js';
import type { GeneratorInput, GeneratorSizing } from '../domain/network/generator.js';
import { sizeGenerator } from '../domain/network/generator.js';
import type { CableSection, SupplyInput } from '../domain/network/impedance.js';
import type {
  MotorInput,
  MotorStartResult,
  MotorStartingCurrent,
  PowerFlow,
} from '../domain/network/motor-starting.js';
import {
  TERMINAL_MIN_FRACTION,
  busMinFraction,
  dipVoltages,
  dropFraction,
  feederImpedanceForDip,
  motorStartDip,
  motorStartingCurrent,
  supplyImpedanceForDip,
} from '../domain/network/motor-starting.js';
import type { FeederDesign } from '../domain/network/rules.js';

export interface ProtectiveDeviceInput {
  kind: ProtectiveDevice['kind'];
  rated_current_a?: number;
  curve?: 'B' | 'C' | 'D';
  magnetic_multiple?: number;
  breaking_capacity_ka?: number;
  service_breaking_capacity_ka?: number;
}

export type MotorSpecInput = MotorInput & {
  label?: string;
  frequent_starts?: boolean;
  sensitive_loads?: boolean;
};

export interface FeederFaultRequest {
  supply?: SupplyInput;
  protective_device?: ProtectiveDeviceInput;
  disconnection_circuit?: CircuitKind;
  motors?: MotorSpecInput[];
  bus_other_load?: PowerFlow;
  voltage_tolerance_percent?: 6 | 10;
  fault_end_temperature_c?: number;
}

type FeederWithExtras = FeederDesign & { parallel_count?: number; pe_cross_section_mm2?: number };

/** The device at the feeder's origin: the declared one (rating defaulting to the breaker's) or the breaker. */
function deviceOf(req: FeederFaultRequest, result: FeederCheckResult): ProtectiveDevice | null {
  const rated = req.protective_device?.rated_current_a ?? result.breaker.rated_current_a;
  if (rated === null) return null;
  const d = req.protective_device;
  if (d === undefined)
    return result.breaker.standard === null ? null : deviceFromBreaker(rated, result.breaker.standard);
  const bc = d.breaking_capacity_ka === undefined ? {} : { breaking_capacity_ka: d.breaking_capacity_ka };
  switch (d.kind) {
    case 'mcb':
      return {
        kind: 'mcb',
        rated_current_a: rated,
        ...(d.curve === undefined ? {} : { curve: d.curve }),
        ...bc,
      };
    case 'mccb':
      return {
        kind: 'mccb',
        rated_current_a: rated,
        ...(d.magnetic_multiple === undefined ? {} : { magnetic_multiple: d.magnetic_multiple }),
        ...(d.service_breaking_capacity_ka === undefined
          ? {}
          : { service_breaking_capacity_ka: d.service_breaking_capacity_ka }),
        ...bc,
      };
    case 'fuse_gG':
      return { kind: 'fuse_gG', rated_current_a: rated, ...bc };
  }
}

/**
 * Fault and motor-starting checks of a feeder whose cable and breaker the feeder engine has settled.
 *
 * @param req supply, device, circuit kind, motors, other loads on the bus
 * @param result the feeder check (its cable and breaker are the ones checked here)
 * @param feeder the declared feeder design (parallel count and PE size)
 * @param equipment the equipment list when the load was given as one (its motors are checked by default)
 */
export function feederFaults(
  req: FeederFaultRequest,
  result: FeederCheckResult,
  load: PowerFlow,
  feeder: FeederWithExtras | undefined,
  feederPath: (string | number)[],
  equipment: readonly EquipmentItemInput[] | null,
): FeederFaultResult {
  const c = result.cable;
  const cable =
    c === null
      ? null
      : {
          conductor: c.conductor,
          insulation: c.insulation,
          cross_section_mm2: c.cross_section_mm2,
          length_m: c.length_m,
          ...(feeder?.parallel_count === undefined ? {} : { parallel_count: feeder.parallel_count }),
          ...(feeder?.pe_cross_section_mm2 === undefined
            ? {}
            : { pe_cross_section_mm2: feeder.pe_cross_section_mm2 }),
        };
  const motors: MotorToCheck[] =
    req.motors !== undefined
      ? req.motors.map((m, i) => ({ ...m, label: m.label ?? `motor #${String(i + 1)}`, path: ['motors', i] }))
      : equipment === null
        ? []
        : motorsFromEquipment(
            equipment.map((e) => ({
              type: e.type,
              ...(e.rated_power_kw === undefined ? {} : { rated_power_kw: e.rated_power_kw }),
              ...(e.label === undefined ? {} : { label: e.label }),
            })),
            ['load', 'equipment'],
          );
  return checkFeederFaults({
    voltage_v: result.voltage_v,
    supply: req.supply ?? null,
    cable,
    device: deviceOf(req, result),
    ...(req.disconnection_circuit === undefined ? {} : { circuit: req.disconnection_circuit }),
    ...(req.voltage_tolerance_percent === undefined
      ? {}
      : { voltage_tolerance_percent: req.voltage_tolerance_percent }),
    ...(req.fault_end_temperature_c === undefined
      ? {}
      : { fault_end_temperature_c: req.fault_end_temperature_c }),
    load,
    ...(req.bus_other_load === undefined ? {} : { bus_other_load: req.bus_other_load }),
    motors,
    paths: {
      cable: feederPath,
      device: req.protective_device === undefined ? ['breaker'] : ['protective_device'],
      supply: ['supply'],
    },
    edition: result.rule_set.edition,
  });
}

export interface MotorStartingRequestInput {
  motor: MotorSpecInput;
  voltage_v: number;
  supply?: SupplyInput;
  feeder?: CableSection & { insulation: CableSection['insulation'] };
  other_load_bus?: PowerFlow;
  other_load_feeder?: PowerFlow;
  generator?: Omit<GeneratorInput, 'largest_motor' | 'voltage_v'>;
}

export interface MotorStartingOutcome {
  motor: MotorStartingCurrent;
  dip: MotorStartResult | null;
  generator: GeneratorSizing | null;
}

/** Starting current, dip at the point (when a supply is given) and a generator sizing (when asked). */
export function motorStarting(input: MotorStartingRequestInput): MotorStartingOutcome {
  const { label: _l, frequent_starts, sensitive_loads, ...motor } = input.motor;
  const current = motorStartingCurrent(motor, input.voltage_v);
  const dip =
    input.supply === undefined
      ? null
      : motorStartDip({
          motor,
          voltage_v: input.voltage_v,
          supply: input.supply,
          feeder: input.feeder === undefined ? [] : [input.feeder],
          ...(input.other_load_bus === undefined ? {} : { other_load_bus: input.other_load_bus }),
          ...(input.other_load_feeder === undefined ? {} : { other_load_feeder: input.other_load_feeder }),
          limits: {
            ...(frequent_starts === undefined ? {} : { frequent_starts }),
            ...(sensitive_loads === undefined ? {} : { sensitive_loads }),
          },
        });
  const generator =
    input.generator === undefined
      ? null
      : sizeGenerator({ ...input.generator, largest_motor: motor, voltage_v: input.voltage_v });
  return { motor: current, dip, generator };
}

/** The largest motor of an equipment list (types with motor defaults, ≥ 5.5 kW), or undefined. */
export function largestMotorOf(
  equipment: readonly { type: string; rated_power_kw?: number }[],
): MotorToCheck | undefined {
  let best: MotorToCheck | undefined;
  for (const m of motorsFromEquipment(equipment))
    if (best === undefined || m.rated_power_kw > best.rated_power_kw) best = m;
  return best;
}

/**
 * Starting-dip check of a site for the planner and the capacity check: the load's largest motor at a point of
 * the given rating (oil-immersed, catalogue uk, S''kQ 250 MVA), over a Cu XLPE feeder of the chosen size, with
 * the load's own other equipment running on the feeder. Supply impedances are computed once per rating.
 */
export function startingDipCheckFor(site: { nominal_lv_voltage_v: number }, sourceShortCircuitMva?: number) {
  const u = site.nominal_lv_voltage_v;
  const zsByRating = new Map<number, ReturnType<typeof supplyImpedanceForDip>>();
  const startOf = new WeakMap<object, MotorStartingCurrent>();
  return (
    load: {
      active_power_kw: number;
      reactive_power_kvar: number;
      largest_motor?: MotorInput & { frequent_starts?: boolean; sensitive_loads?: boolean };
    },
    ratingKva: number,
    distanceM: number,
    crossSectionMm2: number | undefined,
  ): { ok: boolean; bus_voltage_during: number; terminal_voltage_during: number } | null => {
    const motor = load.largest_motor;
    if (motor === undefined) return null;
    let zs = zsByRating.get(ratingKva);
    if (zs === undefined) {
      zs = supplyImpedanceForDip({
        transformer_rating_kva: ratingKva,
        ...(sourceShortCircuitMva === undefined ? {} : { source_short_circuit_mva: sourceShortCircuitMva }),
      });
      zsByRating.set(ratingKva, zs);
    }
    let start = startOf.get(motor);
    if (start === undefined) {
      start = motorStartingCurrent(motor, u);
      startOf.set(motor, start);
    }
    const zf =
      crossSectionMm2 === undefined
        ? { r_ohm: 0, x_ohm: 0 }
        : feederImpedanceForDip([
            { conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: crossSectionMm2, length_m: distanceM },
          ]);
    // The load's own other equipment runs on the feeder (and the bus) while its largest motor starts.
    const eta = motor.efficiency ?? 0.9;
    const pf = motor.power_factor ?? 0.85;
    const pRun = motor.rated_power_kw / eta;
    const others = {
      active_power_kw: Math.max(0, load.active_power_kw - pRun),
      reactive_power_kvar: Math.max(0, load.reactive_power_kvar - pRun * (Math.sqrt(1 - pf * pf) / pf)),
    };
    const v0 = 1 - dropFraction(others, zs, u);
    const v = dipVoltages(
      zs,
      zf,
      start.starting_kva,
      start.power_factor_start,
      u,
      v0,
      dropFraction(others, zf, u),
    );
    const busMin = busMinFraction({
      ...(motor.frequent_starts === undefined ? {} : { frequent_starts: motor.frequent_starts }),
      ...(motor.sensitive_loads === undefined ? {} : { sensitive_loads: motor.sensitive_loads }),
    });
    return {
      ok: v.bus >= busMin - 1e-12 && v.terminal >= TERMINAL_MIN_FRACTION - 1e-12,
      bus_voltage_during: v.bus,
      terminal_voltage_during: v.terminal,
    };
  };
}

/**
 * The fault and motor-starting findings of an application at its point: the declared feeder (if any) with the
 * breaker the feeder check chose, the point's transformer (catalogue uk, S''kQ 250 MVA), and the largest
 * motor of each motor item of the equipment list, with the point's other loads at the window's tightest hour.
 */
export function assessFaults(
  site: { nominal_lv_voltage_v: number },
  pointRatingKva: number,
  feeder: FeederCheckResult | null,
  feederDesign: FeederWithExtras | undefined,
  equipment: readonly { type: string; rated_power_kw?: number }[],
  load: PowerFlow,
  otherLoadKva: number,
): FeederFaultResult {
  const cable =
    feeder?.cable === null || feeder === null
      ? null
      : {
          conductor: feeder.cable.conductor,
          insulation: feeder.cable.insulation,
          cross_section_mm2: feeder.cable.cross_section_mm2,
          length_m: feeder.cable.length_m,
          ...(feederDesign?.parallel_count === undefined
            ? {}
            : { parallel_count: feederDesign.parallel_count }),
          ...(feederDesign?.pe_cross_section_mm2 === undefined
            ? {}
            : { pe_cross_section_mm2: feederDesign.pe_cross_section_mm2 }),
        };
  const device =
    feeder === null || feeder.breaker.rated_current_a === null || feeder.breaker.standard === null
      ? null
      : deviceFromBreaker(feeder.breaker.rated_current_a, feeder.breaker.standard);
  const other = Math.max(0, otherLoadKva);
  return checkFeederFaults({
    voltage_v: site.nominal_lv_voltage_v,
    supply: { transformer_rating_kva: pointRatingKva },
    cable,
    device,
    load,
    // The other loads at an assumed cos φ 0.8 (their P and Q are not kept per hour).
    bus_other_load: { active_power_kw: 0.8 * other, reactive_power_kvar: 0.6 * other },
    motors: motorsFromEquipment(equipment, ['equipment']),
    paths: {
      cable: ['distribution', 'feeder'],
      device: ['distribution', 'feeder'],
      supply: ['requested_point_id'],
    },
    edition: feeder?.rule_set.edition ?? '',
  });
}
