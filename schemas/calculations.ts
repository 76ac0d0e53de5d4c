/**
 * Wire contract of the stateless calculations: demand (JGJ 46 demand-coefficient method, handbook estimate)
 * and feeder (cable, voltage drop, breaker, JGJ 46 rules).
 */
import { z } from 'zod';
import { RuleSetIdSchema } from './sites.js';
import { EquipmentItem } from './equipment.js';
import { DistributionDesign } from './scenario.js';
import { quantity } from './quantity.js';
import { FeederFaultFields, FeederFaultResultFields, MotorStartingResultFields } from './faults.js';

export const Provenance = z
  .object({
    engine_version: z.string(),
    api_version: z.string(),
    rule_set: z.string(),
    edition: z.string(),
    catalogue_version: z.string(),
    input_sha256: z
      .string()
      .meta({ description: 'SHA-256 of the canonical JSON of the input as understood (units parsed)' }),
  })
  .meta({ id: 'Provenance' });

const Trace = z.array(z.looseObject({ source: z.string() }));
const Warning = z.looseObject({ code: z.string(), message: z.string() });

export const DemandRequest = z
  .strictObject({
    items: z.array(EquipmentItem).min(1).max(100_000),
    groups: z
      .array(
        z.strictObject({
          name: z.string().min(1).max(64),
          demand_factor: z.number().gt(0).max(1).optional(),
          power_factor: z.number().gt(0).max(1).optional(),
          tan_phi: z.number().min(0).max(10).optional(),
        }),
      )
      .max(1000)
      .optional(),
    simultaneity_factor: z
      .number()
      .optional()
      .meta({ description: 'K∑; default from the rule set (0.8), accepted 0.5–1.0' }),
    method: z.enum(['demand_coefficient', 'handbook_a', 'handbook_b']).default('demand_coefficient'),
    loading_cap: z.number().min(0.5).max(1).optional(),
    rule_set: RuleSetIdSchema.default('JGJ46-2005'),
    handbook: z
      .strictObject({
        k: z.number().positive().max(2).optional(),
        k1: z.number().positive().max(1).optional(),
        k2: z.number().positive().max(1).optional(),
        k3: z.number().positive().max(1).optional(),
        k4: z.number().positive().max(1).optional(),
        power_factor: z.number().gt(0).max(1).optional(),
        non_uniformity_factor: z.number().positive().max(2).optional(),
        loss_factor: z.number().positive().max(2).optional(),
        short_form: z.boolean().optional(),
      })
      .optional(),
  })
  .meta({ id: 'DemandRequest' });

export const DemandTotals = z.object({
  simultaneity_factor: z.number(),
  simultaneity_factor_source: z.string(),
  active_power_kw: z.number(),
  reactive_power_kvar: z.number(),
  apparent_power_kva: z.number(),
  current_a: z.number(),
  power_factor: z.number(),
});

export const DemandResponse = z
  .object({
    method: z.string(),
    rule_set: z.object({ id: z.string(), edition: z.string() }),
    nominal_voltage_v: z.number(),
    items: z.array(
      z.looseObject({
        index: z.number(),
        type: z.string(),
        quantity: z.number(),
        formula: z.string(),
        pe_kw: z.number(),
        equivalent_pe_kw: z.number(),
      }),
    ),
    groups: z.array(
      z.looseObject({
        name: z.string(),
        kx: z.number(),
        power_factor: z.number(),
        tan_phi: z.number(),
        pe_kw: z.number(),
        active_power_kw: z.number(),
        reactive_power_kvar: z.number(),
        apparent_power_kva: z.number(),
        current_a: z.number(),
      }),
    ),
    handbook: z.looseObject({ variant: z.string(), formula: z.string(), demand: z.number() }).nullable(),
    unbalance: z.looseObject({ applied: z.boolean() }).nullable(),
    totals: DemandTotals,
    installed_power_kw: z.number(),
    largest_unit_kw: z.number(),
    device_count: z.number(),
    organisation_design_required: z.boolean(),
    organisation_design: z.looseObject({ required: z.boolean(), clause: z.string() }),
    transformer: z.looseObject({
      rating_kva: z.number().nullable(),
      loading_fraction: z.number().nullable(),
      next_rating_kva: z.number().nullable(),
    }),
    summary: z
      .string()
      .meta({ description: 'the answer in one sentence, for people who do not know the method' }),
    trace: Trace,
    warnings: z.array(Warning),
    provenance: Provenance,
  })
  .meta({ id: 'DemandResult' });

const FeederLoad = z.union([
  z.strictObject({
    active_power_kw: quantity('active_power', { min: 0, max: 100_000 }),
    reactive_power_kvar: quantity('reactive_power', { min: -100_000, max: 100_000 }).default(0),
  }),
  z.strictObject({
    equipment: z.array(EquipmentItem).min(1).max(10_000),
    simultaneity_factor: z.number().optional(),
  }),
]);

export const FeederRequest = z
  .strictObject({
    rule_set: RuleSetIdSchema.default('JGJ46-2005'),
    load: FeederLoad.meta({
      description: 'P and Q, or an equipment list (its demand is computed by the demand engine)',
    }),
    feeder: DistributionDesign.shape.feeder.meta({
      description: 'the feeder cable; omit cross_section_mm2 to have it sized',
    }),
    breaker: z
      .strictObject({
        rated_current_a: quantity('current', { gt: 0, max: 6300 }),
        standard: z.enum(['IEC60947-2', 'IEC60898']).optional(),
      })
      .optional(),
    distribution: DistributionDesign.optional(),
    organisation: z
      .strictObject({
        device_count: z.number().int().min(0),
        installed_power_kw: quantity('active_power', { min: 0 }),
        design_provided: z.boolean().optional(),
      })
      .optional(),
    voltage_drop_budget_percent: z.number().gt(0).max(20).optional(),
    ...FeederFaultFields,
  })
  .meta({ id: 'FeederRequest' });

export const Finding = z
  .object({
    code: z.string(),
    rule: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    path: z.array(z.union([z.string(), z.number()])),
    clause: z.string(),
    edition: z.string(),
    values: z.object({
      actual: z.union([z.number(), z.string(), z.boolean(), z.null()]),
      limit: z.union([z.number(), z.string(), z.array(z.string()), z.null()]),
      unit: z.string().nullable(),
    }),
  })
  .meta({ id: 'Finding' });

export const FeederResponse = z
  .object({
    rule_set: z.object({ id: z.string(), edition: z.string() }),
    load: z.object({
      active_power_kw: z.number(),
      reactive_power_kvar: z.number(),
      apparent_power_kva: z.number(),
    }),
    voltage_v: z.number(),
    voltage_drop_budget_percent: z.number(),
    design_current_a: z.number(),
    cable: z
      .looseObject({
        cross_section_mm2: z.number(),
        ampacity_a: z.number(),
        voltage_drop_percent: z.number(),
      })
      .nullable(),
    cable_origin: z.enum(['declared', 'sized', 'none']),
    sizing_failure: z.looseObject({ message: z.string() }).nullable(),
    voltage_drop: z
      .looseObject({
        impedance_percent: z.number(),
        load_moment_percent: z.number(),
        budget_percent: z.number(),
        ok: z.boolean(),
      })
      .nullable(),
    breaker: z.looseObject({
      rated_current_a: z.number().nullable(),
      binding: z.string().nullable(),
      ok: z.boolean(),
    }),
    findings: z.array(Finding),
    not_checked: z.array(z.object({ rule: z.string(), reason: z.string() })),
    compliant: z.boolean(),
    demand: z.looseObject({ totals: DemandTotals }).nullable(),
    ...FeederFaultResultFields,
    trace: Trace,
    provenance: Provenance,
  })
  .meta({ id: 'FeederResult' });

export const MotorStartingResponse = z
  .object({ ...MotorStartingResultFields, provenance: Provenance })
  .meta({ id: 'MotorStartingResult' });

export const EquipmentCatalogueResponse = z
  .object({
    version: z.string(),
    source: z.string(),
    types: z.array(
      z.looseObject({
        id: z.string(),
        duty_class: z.string(),
        demand_factor: z.number(),
        power_factor: z.number(),
        source: z.string(),
        confidence: z.string(),
      }),
    ),
  })
  .meta({ id: 'EquipmentCatalogue' });
