/**
 * Wire contract of the fault and motor-starting checks: the supply (10 kV short-circuit power and the
 * transformer), the protective device, motors, and the results added to the feeder check, plus the
 * stand-alone motor-starting calculation (with generator sizing before energisation).
 */
import { z } from 'zod';
import { quantity } from './quantity.js';

export const SupplySpec = z
  .strictObject({
    transformer_rating_kva: quantity('apparent_power', { gt: 0, max: 2500 }),
    transformer_type: z
      .enum(['oil', 'dry'])
      .optional()
      .meta({ description: 'GB/T 6451 oil-immersed (default) or GB/T 10228 dry-type' }),
    transformer_impedance_percent: z
      .number()
      .gt(0)
      .max(25)
      .optional()
      .meta({ description: 'uk override, % (default per rating and type from the catalogue)' }),
    transformer_load_losses_w: z.number().gt(0).max(100_000).optional(),
    source_short_circuit_mva: z
      .number()
      .gt(0)
      .max(10_000)
      .optional()
      .meta({ description: "S''kQ of the 10 kV network at the point, MVA (default 250)" }),
  })
  .meta({
    id: 'SupplySpec',
    description: 'the supply point: 10 kV network short-circuit power and 10/0.4 kV transformer',
  });

export const ProtectiveDeviceSpec = z
  .strictObject({
    kind: z.enum(['mcb', 'mccb', 'fuse_gG']),
    rated_current_a: quantity('current', { gt: 0, max: 6300 })
      .optional()
      .meta({ description: 'default: the breaker rating of the feeder check' }),
    curve: z.enum(['B', 'C', 'D']).optional().meta({ description: 'MCB type (default C)' }),
    magnetic_multiple: z
      .number()
      .min(2)
      .max(20)
      .optional()
      .meta({ description: 'MCCB instantaneous setting × In (default 10)' }),
    breaking_capacity_ka: z.number().gt(0).max(200).optional().meta({ description: 'Icu / Icn, kA' }),
    service_breaking_capacity_ka: z.number().gt(0).max(200).optional().meta({ description: 'Ics, kA' }),
  })
  .meta({ id: 'ProtectiveDevice' });

export const MotorSpec = z
  .strictObject({
    label: z.string().max(200).optional(),
    rated_power_kw: quantity('active_power', { gt: 0, max: 5000 }),
    starter: z.enum(['direct_on_line', 'star_delta', 'soft_starter', 'vfd']).optional(),
    locked_rotor_multiple: z
      .number()
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'I_LR/FLC (default 6.5)' }),
    nema_code_letter: z
      .enum(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'U', 'V'])
      .optional(),
    efficiency: z.number().gt(0).max(1).optional(),
    power_factor: z.number().gt(0).max(1).optional(),
    power_factor_start: z.number().gt(0).max(1).optional(),
    current_limit_multiple: z
      .number()
      .min(1)
      .max(20)
      .optional()
      .meta({ description: 'soft starter / VFD current limit × FLC' }),
    frequent_starts: z.boolean().optional().meta({ description: 'bus limit 90 % instead of 85 %' }),
    sensitive_loads: z
      .boolean()
      .optional()
      .meta({ description: 'false: no lighting or sensitive loads on the bus (limit 80 %)' }),
  })
  .meta({ id: 'MotorSpec' });

export const PowerFlowSpec = z.strictObject({
  active_power_kw: quantity('active_power', { min: 0, max: 100_000 }),
  reactive_power_kvar: quantity('reactive_power', { min: 0, max: 100_000 }).default(0),
});

const Trace = z.array(z.looseObject({ source: z.string() }));
const Alternatives = z.array(
  z.looseObject({ kind: z.string(), description: z.string(), value: z.number(), unit: z.string() }),
);

export const FaultCurrentsResult = z
  .looseObject({
    source_included: z.boolean(),
    c_max: z.number(),
    c_min: z.number(),
    levels: z.array(
      z.looseObject({
        location: z.string(),
        initial_current_ka: z.number(),
        peak_current_ka: z.number(),
        kappa: z.number(),
      }),
    ),
    earth_fault_min: z.looseObject({
      location: z.string(),
      current_a: z.number(),
      loop_impedance_ohm: z.number(),
    }),
  })
  .meta({ id: 'FaultCurrents' });

export const BreakingCapacityResult = z
  .looseObject({
    breaking_capacity_ka: z.number().nullable(),
    fault_current_ka: z.number(),
    ok: z.boolean().nullable(),
    message: z.string(),
    alternatives: Alternatives,
  })
  .meta({ id: 'BreakingCapacityCheck' });

export const DisconnectionResult = z
  .looseObject({
    required_time_s: z.number(),
    operating_current_a: z.number().nullable(),
    earth_fault_current_a: z.number(),
    ok: z.boolean().nullable(),
    message: z.string(),
    alternatives: Alternatives,
  })
  .meta({ id: 'DisconnectionCheck' });

export const MotorStartResult = z
  .looseObject({
    motor: z.looseObject({
      starting_current_a: z.number(),
      starting_kva: z.number(),
      full_load_current_a: z.number(),
    }),
    bus_voltage_during: z.number(),
    terminal_voltage_during: z.number(),
    bus_min_fraction: z.number(),
    terminal_min_fraction: z.number(),
    ok: z.boolean(),
    message: z.string(),
    trace: Trace,
  })
  .meta({ id: 'MotorStartResult' });

export const MotorStartingSummary = z
  .looseObject({
    motors: z.array(MotorStartResult),
    largest_motor_kw: z.number().nullable(),
    worst_bus_voltage: z.number().nullable(),
    worst_terminal_voltage: z.number().nullable(),
    ok: z.boolean(),
  })
  .meta({ id: 'MotorStartingSummary' });

/** Fields added to the feeder request. */
export const FeederFaultFields = {
  supply: SupplySpec.optional().meta({
    description:
      'the supply point; without it breaking capacity and motor starting are not checked and the earth-fault loop counts the cable only',
  }),
  protective_device: ProtectiveDeviceSpec.optional().meta({
    description:
      'the device at the feeder origin (default: the breaker of the check as an MCB type C ≤ 125 A / MCCB 10 × In above)',
  }),
  disconnection_circuit: z.enum(['final', 'distribution']).optional().meta({
    description:
      'for the disconnection time: final (0.4 s) or distribution (5 s) circuit; default by In ≤ 32 A (`circuit` is the phase arrangement)',
  }),
  motors: z.array(MotorSpec).max(1000).optional().meta({
    description: 'motors to check for starting dip (default: the motor loads of an equipment list, ≥ 5.5 kW)',
  }),
  bus_other_load: PowerFlowSpec.optional().meta({
    description: "the point's other feeders running while a motor starts",
  }),
  voltage_tolerance_percent: z
    .union([z.literal(6), z.literal(10)])
    .optional()
    .meta({ description: 'c_max 1.05 (6) or 1.10 (10, default)' }),
  fault_end_temperature_c: z
    .number()
    .min(20)
    .max(350)
    .optional()
    .meta({ description: 'θe for minimum currents (default PVC 160 °C, XLPE 250 °C)' }),
};

export const FeederFaultResultFields = {
  fault_currents: FaultCurrentsResult.nullable(),
  breaking_capacity: BreakingCapacityResult.nullable(),
  disconnection: DisconnectionResult.nullable(),
  motor_starting: MotorStartingSummary.nullable(),
};

const CableSpec = z.strictObject({
  conductor: z.enum(['Cu', 'Al']),
  insulation: z.enum(['XLPE', 'PVC']),
  cross_section_mm2: quantity('cross_section', { gt: 0, max: 1000 }),
  length_m: quantity('length', { min: 0, max: 5000 }),
  parallel_count: z.number().int().min(1).max(12).optional(),
});

export const MotorStartingRequest = z
  .strictObject({
    motor: MotorSpec,
    voltage_v: quantity('voltage', { gt: 0, max: 1000 }).default(380),
    supply: SupplySpec.optional().meta({ description: 'the point (omit to size a generator only)' }),
    feeder: CableSpec.optional(),
    other_load_bus: PowerFlowSpec.optional(),
    other_load_feeder: PowerFlowSpec.optional(),
    generator: z
      .strictObject({
        running_active_power_kw: quantity('active_power', { min: 0, max: 100_000 }),
        running_reactive_power_kvar: quantity('reactive_power', { min: 0, max: 100_000 }).default(0),
        max_transient_dip: z
          .number()
          .gt(0)
          .max(1)
          .optional()
          .meta({ description: 'fraction (default 0.20, ISO 8528-5 G2)' }),
        subtransient_reactance_pu: z.number().gt(0).max(1).optional(),
        max_loading: z.number().gt(0).max(1).optional(),
        largest_step_kw: quantity('active_power', { min: 0, max: 100_000 }).optional(),
        step_acceptance: z.number().gt(0).max(1).optional(),
      })
      .optional()
      .meta({ description: 'size a generator for the days before the point is energised' }),
  })
  .meta({ id: 'MotorStartingRequest' });

/** Fields of the motor-starting response (provenance is added in calculations.ts). */
export const MotorStartingResultFields = {
  motor: z.looseObject({
    starting_current_a: z.number(),
    starting_kva: z.number(),
    full_load_current_a: z.number(),
  }),
  dip: MotorStartResult.nullable(),
  generator: z
    .looseObject({
      recommended_kva: z.number().nullable(),
      binding: z.string(),
      reason: z.string(),
      required_kva: z.record(z.string(), z.number()),
      trace: Trace,
    })
    .nullable(),
};
