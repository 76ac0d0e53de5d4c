/**
 * Wire contract of the stateless calculations: demand (JGJ 46 demand-coefficient method, handbook estimate)
 * and feeder (cable, voltage drop, breaker, JGJ 46 rules).
 */
import { z } from 'zod';
import { RuleSetIdSchema } from './sites.js';
import { EquipmentItem } from './equipment.js';
import { DistributionDesign } from './scenario.js';
import { quantity } from './quantity.js';
import { DemandGroup, Load, LOAD_ALTERNATIVES } from './load.js';
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
const Warning = z.looseObject({
  code: z.string(),
  message: z.string(),
  path: z.string().optional().meta({ description: 'JSON pointer into the request body' }),
});

const deprecatedAlias = (text: string) => ({
  deprecated: true,
  description: `deprecated (one release): ${text}`,
});

export const DemandRequest = z
  .strictObject({
    load: Load.optional(),
    items: z
      .array(EquipmentItem)
      .min(1)
      .max(100_000)
      .optional()
      .meta(deprecatedAlias('use `load: { equipment: [...] }`')),
    groups: z.array(DemandGroup).max(1000).optional().meta(deprecatedAlias('use `load.groups`')),
    simultaneity_factor: z.number().optional().meta(deprecatedAlias('use `load.simultaneity_factor`')),
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
  .superRefine((body, ctx) => {
    const legacy = body.items !== undefined;
    if (body.load === undefined && !legacy)
      ctx.addIssue({ code: 'custom', path: ['load'], message: `required: ${LOAD_ALTERNATIVES}` });
    if (
      body.load !== undefined &&
      (legacy || body.groups !== undefined || body.simultaneity_factor !== undefined)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['items'],
        message: 'give `load` or the deprecated top-level items/groups/simultaneity_factor, not both',
      });
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
    load_form: z.enum(['equipment', 'active_power', 'apparent_power']).meta({
      description:
        'which form the load was given in; a lumped load (active or apparent power) has no items or groups',
    }),
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
    design_current: z
      .looseObject({
        current_a: z.number(),
        basis: z.enum(['demand', 'largest_motor']),
        demand_current_a: z.number(),
        largest_motor: z.looseObject({ full_load_current_a: z.number() }).nullable(),
        others_current_a: z.number().nullable(),
      })
      .meta({
        description:
          'the current cables and breakers are sized for: max(Ijs, full-load current of the largest motor + demand current of the others)',
      }),
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

export const FeederRequest = z
  .strictObject({
    rule_set: RuleSetIdSchema.default('JGJ46-2005'),
    load: Load,
    feeder: DistributionDesign.shape.feeder.meta({
      description: 'the feeder cable; omit cross_section_mm2 to have it sized',
    }),
    breaker: z
      .strictObject({
        rated_current_a: quantity('current', { gt: 0, max: 6300 }),
        standard: z.enum(['IEC60947-2', 'IEC60898']).optional(),
      })
      .optional(),
    fuse: z
      .strictObject({
        rated_current_a: quantity('current', { gt: 0, max: 1250 }),
        overload_protection: z.boolean().optional(),
      })
      .optional()
      .meta({
        description:
          'a gG fuse as the protective device instead of a breaker (I2 = 1.6·In, IEC 60269-1); overload_protection false = short-circuit only (JGJ 46 In ≤ 2.5·Iz)',
      }),
    distribution: DistributionDesign.optional(),
    organisation: z
      .strictObject({
        device_count: z.number().int().min(0),
        installed_power_kw: quantity('active_power', { min: 0 }),
        design_provided: z.boolean().optional(),
      })
      .optional(),
    voltage_drop_budget_percent: z.number().gt(0).max(20).optional(),
    voltage_v: quantity('voltage', { min: 100, max: 1000 }).optional().meta({
      description:
        'nominal voltage, V: line-to-line for a three-phase circuit (default the rule set’s 380 V), phase voltage for a single-phase one (default 380/√3)',
    }),
    circuit: z.enum(['three_phase', 'single_phase']).optional().meta({
      description:
        'single_phase: Ib = S/U₀ and ΔU = 2·I·L·(R cos φ + X sin φ) in % of U₀ (go and return conductor)',
    }),
    ...FeederFaultFields,
  })
  .meta({ id: 'FeederRequest' });

export const Finding = z
  .object({
    code: z.string(),
    rule: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    path: z.string().meta({ description: 'JSON pointer into the request body, e.g. /feeder/length_m' }),
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
    circuit: z.enum(['three_phase', 'single_phase']),
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
    fuse: z
      .looseObject({
        rated_current_a: z.number(),
        conventional_fusing_current_a: z.number(),
        ok: z.boolean(),
      })
      .nullable(),
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
