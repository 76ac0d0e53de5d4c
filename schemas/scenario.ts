/**
 * The scenario file format (examples/jinshan-ev-plant.json): a whole site with its supply points, profiles,
 * contractors' requests, document policy and phases. Strict: unknown fields are reported with their path.
 */
import { z } from 'zod';
import { Identifier, IsoDate, PhaseDates, PositionM } from './common.js';
import { EquipmentItem } from './equipment.js';
import { DailyShapeSchema, DocumentTypeSchema, RuleSetIdSchema } from './sites.js';
import { quantity } from './quantity.js';
import { Load, LOAD_ALTERNATIVES } from './load.js';

const DocStatus = z.enum(['provided', 'deferred', 'missing']);

const Rcd = z.strictObject({
  rated_residual_current_ma: quantity('residual_current', { gt: 0, max: 3000 }),
  operating_time_s: quantity('time', { min: 0, max: 10 }),
});

export const DistributionDesign = z
  .strictObject({
    earthing_system: z.enum(['TN-S', 'TN-C', 'TN-C-S', 'TT', 'IT']).optional(),
    wet_location: z.boolean().optional(),
    switch_box_rcd: Rcd.optional(),
    main_box_rcd: Rcd.optional(),
    feeder: z
      .strictObject({
        conductor: z.enum(['Cu', 'Al']),
        insulation: z.enum(['XLPE', 'PVC']),
        installation: z.enum(['clipped', 'air', 'buried']),
        cross_section_mm2: quantity('cross_section', { gt: 0, max: 1000 }).optional(),
        length_m: quantity('length', { gt: 0, max: 5000 }),
        cores: z.number().int().min(1).max(5).optional(),
        burial_depth_m: quantity('length', { min: 0, max: 10 }).optional(),
        ambient_temperature_c: z.number().min(-40).max(70).optional(),
        grouped_circuits: z.number().int().min(1).max(20).optional(),
        parallel_count: z.number().int().min(1).max(6).optional().meta({
          description:
            'n identical cables in parallel per phase (n × cross_section_mm2), derated as n grouped circuits',
        }),
        conductor_temperature_c: z.number().min(-40).max(250).optional(),
        mechanical_context: z.enum(['overhead', 'overhead_crossing', 'indoor', 'none']).optional(),
        pe_cross_section_mm2: quantity('cross_section', { gt: 0, max: 1000 }).optional(),
      })
      .optional(),
    distribution_to_switch_box_m: quantity('length', { min: 0, max: 1000 }).optional(),
    switch_box_to_equipment_m: quantity('length', { min: 0, max: 1000 }).optional(),
    repeated_earth_resistance_ohm: quantity('resistance', { min: 0, max: 10_000 }).optional(),
    lighting: z
      .strictObject({
        voltage_v: quantity('voltage', { gt: 0, max: 1000 }),
        location: z.enum([
          'general',
          'tunnel',
          'high_temperature',
          'conductive_dust',
          'low_mounted',
          'damp',
          'easily_touched',
          'very_damp',
        ]),
      })
      .optional(),
  })
  .meta({
    id: 'DistributionDesign',
    description: 'the declared distribution design of a connection (earthing, RCDs, feeder, distances)',
  });

export const ScenarioRequest = z
  .strictObject({
    id: Identifier,
    organisation: z.string().min(1).max(200),
    zone: z.string().min(1).max(200),
    position_m: PositionM,
    window: z.strictObject({ start: IsoDate, end: IsoDate }),
    profile: Identifier,
    load: Load.optional(),
    equipment: z.array(EquipmentItem).min(1).max(2000).optional().meta({
      deprecated: true,
      description: 'deprecated (one release): use `load: { equipment: [...] }`',
    }),
    documents: z.record(Identifier, DocStatus).optional(),
    distribution: DistributionDesign.optional(),
    note: z.string().max(1000).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.load === undefined) === (r.equipment === undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['load'],
        message:
          r.load === undefined
            ? `required: ${LOAD_ALTERNATIVES}`
            : 'give `load` or the deprecated `equipment`, not both',
      });
  });

export const ScenarioFile = z
  .strictObject({
    site: z.strictObject({
      id: Identifier,
      name: z.string().min(1).max(200),
      timezone: z.string().min(1).max(64),
      area_ha: z.number().positive().optional(),
      grid: z.string().max(500).optional(),
      extent_m: PositionM,
      horizon: z.strictObject({ start: IsoDate, end: IsoDate }),
      rule_set: RuleSetIdSchema,
      total_capacity_cap_kva: quantity('apparent_power', { gt: 0, max: 1_000_000 }),
      supply_point_count: z.number().int().min(1).max(100),
      nominal_lv_voltage_v: quantity('voltage', { min: 100, max: 1000 }).default(380),
      loading_cap: z.number().min(0.5).max(1).default(0.85),
      temporary_supply_term_months: z.number().int().min(1).max(120).default(6),
      low_voltage_threshold_kw: quantity('active_power', { gt: 0 }).default(160),
      voltage_drop_budget_percent: z.number().min(1).max(10).default(5),
      holidays: z.array(IsoDate).max(2000).optional(),
    }),
    supply_points: z
      .array(
        z.strictObject({
          id: Identifier,
          name: z.string().min(1).max(200),
          position_m: PositionM,
          energised_from: IsoDate,
          reference_rating_kva: quantity('apparent_power', { gt: 0, max: 2500 }),
          voltage_primary_kv: z.number().positive().max(110).default(10),
          voltage_secondary_v: z.number().positive().max(1000).default(400),
        }),
      )
      .max(100),
    profiles: z.record(Identifier, DailyShapeSchema).default({}),
    requests: z.array(ScenarioRequest).max(20_000).default([]),
    document_types: z.record(Identifier, DocumentTypeSchema).optional(),
    phases: z.record(Identifier, PhaseDates).default({}),
  })
  .meta({ id: 'ScenarioFile' });

export type ScenarioFileInput = z.output<typeof ScenarioFile>;
