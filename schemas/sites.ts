import { z } from 'zod';
import { RULE_SET_IDS, type RuleSetId } from '../src/domain/catalog/rule-sets.js';
import { TRANSFORMER_RATINGS_KVA } from '../src/domain/catalog/transformers.js';
import { Identifier, IsoDate, PhaseDates, PositionM } from './common.js';
import { quantity } from './quantity.js';

export const RuleSetIdSchema = z.enum(RULE_SET_IDS as [RuleSetId, ...RuleSetId[]]);

export const DailyShapeSchema = z
  .strictObject({
    hourly_factor: z.array(z.number().min(0).max(1.5)).length(24),
    weekend_factor: z.number().min(0).max(1.5),
    holiday_factor: z.number().min(0).max(1.5).optional(),
    description: z.string().max(500).optional(),
  })
  .meta({
    id: 'DailyShape',
    description: '24 hourly factors (local hours 0…23) of a load’s demand, a weekend and a holiday factor',
  });

export const DocumentTypeSchema = z.strictObject({
  core: z.boolean(),
  deferrable_days: z.number().int().min(1).max(365).optional(),
  required_when: z.string().max(200).optional(),
  gates: z.string().max(64).optional(),
  description: z.string().max(500).optional(),
});

const Horizon = z.strictObject({ start: IsoDate, end: IsoDate }).meta({
  description:
    'first and last local date; within 2000-01-01…2100-12-31 and shorter than TPP_MAX_HORIZON_YEARS (default 10) years',
});

const siteFields = {
  name: z.string().min(1).max(200),
  timezone: z.string().min(1).max(64).meta({ description: 'IANA time zone, e.g. Asia/Shanghai' }),
  horizon: Horizon,
  rule_set: RuleSetIdSchema.default('JGJ46-2005'),
  total_capacity_cap_kva: quantity('apparent_power', { gt: 0, max: 1_000_000 }),
  max_supply_points: z.number().int().min(1).max(100),
  loading_cap: z.number().min(0.5).max(1).default(0.85),
  voltage_drop_budget_percent: z.number().min(1).max(10).default(5),
  low_voltage_threshold_kw: quantity('active_power', { gt: 0, max: 100_000 }).default(160).meta({
    description:
      'LV connection limit for requests that ask for a direct public-LV connection, on installed capacity (≤ threshold is LV); requests served from the site’s own points are not subject to it',
  }),
  temporary_supply_term_months: z.number().int().min(1).max(120).default(6),
  nominal_lv_voltage_v: quantity('voltage', { min: 100, max: 1000 }).default(380),
  extent_m: PositionM.meta({
    description: 'site extent in metres (x east, y north) from the south-west corner',
  }),
  area_ha: z.number().positive().nullable().default(null),
  holidays: z.array(IsoDate).max(2000).default([]),
  profiles: z.record(Identifier, DailyShapeSchema).default({}),
  phases: z.record(Identifier, PhaseDates).default({}),
  document_policy: z.record(Identifier, DocumentTypeSchema).optional(),
};

/** Fields of an edit that may overbook a supply point (the capacity invariant, see docs/architecture.md). */
export const forceFields = {
  force: z.boolean().optional().meta({
    description:
      'keep the change although a supply point would carry more reserved load than rating × loading cap: the reservations involved are recorded as overcommitted (without it such a change is refused with 409 capacity_overbooked)',
  }),
  reason: z
    .string()
    .min(1)
    .max(500)
    .optional()
    .meta({ description: 'why the overbooking is accepted; recorded with each overcommitted mark' }),
};

export const SiteCreate = z.strictObject({ id: Identifier, ...siteFields }).meta({ id: 'SiteCreate' });
export const SiteUpdate = z
  .strictObject(
    Object.fromEntries(Object.entries(siteFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof siteFields]: z.ZodOptional<(typeof siteFields)[K]>;
    },
  )
  .extend(forceFields)
  .meta({ id: 'SiteUpdate' });

export const SiteOut = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    horizon: z.object({ start: z.string(), end: z.string() }),
    rule_set: z.string(),
    edition: z.string(),
    total_capacity_cap_kva: z.number(),
    max_supply_points: z.number(),
    loading_cap: z.number(),
    voltage_drop_budget_percent: z.number(),
    low_voltage_threshold_kw: z.number(),
    temporary_supply_term_months: z.number(),
    nominal_lv_voltage_v: z.number(),
    extent_m: z.object({ x: z.number(), y: z.number() }),
    area_ha: z.number().nullable(),
    holidays: z.array(z.string()),
    profiles: z.record(z.string(), DailyShapeSchema),
    phases: z.record(
      z.string(),
      z.array(z.string()).length(2).meta({ description: '[start, end] local dates' }),
    ),
    document_policy: z.record(z.string(), DocumentTypeSchema),
    created_at: z.string(),
    updated_at: z.string(),
    supply_point_count: z.number().int(),
    sum_of_ratings_kva: z.number(),
  })
  .meta({ id: 'Site' });

export const RatingKva = quantity('apparent_power', { gt: 0, max: 2500 }).meta({
  description: `transformer rating, kVA, one of ${TRANSFORMER_RATINGS_KVA.join(', ')} (or a string such as "500 kVA")`,
});

const pointFields = {
  name: z.string().min(1).max(200),
  position_m: PositionM,
  rating_kva: RatingKva,
  voltage_primary_kv: z.number().positive().max(110).default(10),
  voltage_secondary_v: z.number().positive().max(1000).default(400),
  energised_from: IsoDate,
  status: z.enum(['planned', 'energised', 'decommissioned']).default('planned'),
};

export const SupplyPointCreate = z
  .strictObject({ id: Identifier, ...pointFields, ...forceFields })
  .meta({ id: 'SupplyPointCreate' });
export const SupplyPointUpdate = z
  .strictObject(
    Object.fromEntries(Object.entries(pointFields).map(([k, v]) => [k, v.optional()])) as {
      [K in keyof typeof pointFields]: z.ZodOptional<(typeof pointFields)[K]>;
    },
  )
  .extend(forceFields)
  .meta({ id: 'SupplyPointUpdate' });

export const SupplyPointOut = z
  .object({
    site_id: z.string(),
    id: z.string(),
    name: z.string(),
    position_m: z.object({ x: z.number(), y: z.number() }),
    rating_kva: z.number(),
    limit_kva: z.number().meta({ description: 'rating × the site loading cap' }),
    voltage_primary_kv: z.number(),
    voltage_secondary_v: z.number(),
    energised_from: z.string(),
    status: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'SupplyPoint' });
