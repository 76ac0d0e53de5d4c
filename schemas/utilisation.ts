import { z } from 'zod';
import { IsoDate, PositionM } from './common.js';
import { DailyShapeSchema } from './sites.js';
import { Load } from './load.js';

export const UtilisationQuery = z.strictObject({
  from: IsoDate.optional().meta({ description: 'first local date (default: horizon start)' }),
  to: IsoDate.optional().meta({
    description: 'local date the range ends at, exclusive (default: horizon end)',
  }),
  resolution: z.enum(['hour', 'day', 'week']).default('day').meta({
    description: 'bucket size; an hourly read covers at most 20,000 hours (else 400 range_too_large)',
  }),
  at: z.iso
    .datetime({ offset: true })
    .optional()
    .meta({ description: '"now" for current and forecast figures (default: the server clock)' }),
});

const Peak = z.looseObject({
  peak_kva: z.number(),
  peak_at: z.string().nullable(),
  headroom_at_peak_kva: z.number(),
  utilisation_of_rating_percent: z.number(),
  utilisation_of_limit_percent: z.number(),
});

const Bucket = z.object({ start: z.string(), reserved_kva: z.number(), total_kva: z.number() });

export const PointUtilisationOut = z
  .object({
    point_id: z.string(),
    name: z.string(),
    status: z.string(),
    position_m: z.object({ x: z.number(), y: z.number() }),
    rating_kva: z.number(),
    loading_cap: z.number(),
    limit_kva: z.number(),
    energised_from: z.string(),
    reserved: Peak.meta({ description: 'approved or energised loads only' }),
    total: Peak.meta({ description: 'reserved + pending (accepted, awaiting approval)' }),
    peak_kva: z.number(),
    peak_at: z.string().nullable(),
    headroom_kva: z.number().meta({ description: 'limit − peak of reserved + pending over the range' }),
    utilisation_percent: z.number().meta({ description: 'peak / rating × 100' }),
    utilisation_of_limit_percent: z.number(),
    hours_above_limit: z.number(),
    now: z.looseObject({ at: z.string(), reserved_kva: z.number(), total_kva: z.number() }).nullable(),
    forecast_peak_kva: z.number(),
    forecast_peak_at: z.string().nullable(),
    next_conflict_at: z.string().nullable(),
    loads: z.object({ reserved: z.number(), pending: z.number() }),
    loads_before_energisation: z.array(z.string()).meta({
      description:
        'reservation ids of loads starting before the point is energised, among the loads the key may see (engineer: all; contractor: its organisation’s; viewer: none)',
    }),
    overcommitted: z
      .object({
        count: z.number().int(),
        demand_kva: z.number(),
        reservation_ids: z.array(z.string()),
      })
      .meta({
        description:
          'reservations an engineer kept with "force": true although the point’s limit no longer covers them (count, Σ demand kVA)',
      }),
    series: z.array(Bucket),
  })
  .meta({ id: 'PointUtilisation' });

export const UtilisationOut = z
  .object({
    site_id: z.string(),
    timezone: z.string(),
    from: z.string(),
    to: z.string(),
    resolution: z.string(),
    at: z.string(),
    now_at: z.string().nullable(),
    site: z.object({
      cap_kva: z.number(),
      rating_sum_kva: z.number(),
      limit_sum_kva: z.number(),
      cap_headroom_kva: z.number(),
      ratings_within_cap: z.boolean(),
      coincident_peak_kva: z.number(),
      coincident_peak_at: z.string().nullable(),
      coincident_peak_of_cap_percent: z.number(),
      sum_of_point_peaks_kva: z.number(),
      series: z.array(Bucket),
    }),
    points: z.array(PointUtilisationOut),
  })
  .meta({ id: 'Utilisation' });

export const TimelineQuery = z.strictObject({ from: IsoDate.optional(), to: IsoDate.optional() });

export const PointTimelineOut = z
  .object({
    site_id: z.string(),
    point_id: z.string(),
    rating_kva: z.number(),
    limit_kva: z.number(),
    energised_from: z.string(),
    start_at: z.string().meta({ description: 'first hour of the arrays, ISO 8601 with the site offset' }),
    start_at_utc: z
      .string()
      .meta({ description: 'the same instant in UTC: the origin of the hourly arrays' }),
    hours: z.number(),
    step_s: z.number(),
    reserved_kva: z.array(z.number()),
    pending_kva: z.array(z.number()),
    summary: z.looseObject({}),
    load_counts: z
      .object({ reserved: z.number().int(), pending: z.number().int() })
      .meta({ description: 'every load on the point, whoever may see it by id' }),
    loads: z.array(
      z.object({
        reservation_id: z.string(),
        state: z.string(),
        demand_kva: z.number(),
        window: z.object({ start: z.string(), end: z.string() }),
        source: z.string().nullable(),
        source_id: z.string().nullable(),
        before_energisation: z.boolean(),
        overcommitted: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'PointTimeline' });

export const CapacityCheckRequest = z
  .strictObject({
    load: Load,
    profile: z
      .union([z.string().min(1).max(64), DailyShapeSchema])
      .meta({ description: 'a profile name of the site, or a custom daily shape' }),
    window: z.strictObject({ start: IsoDate, end: IsoDate }),
    position_m: PositionM,
    count_pending: z.boolean().default(true),
  })
  .meta({ id: 'CapacityCheckRequest' });

export const CapacityCheckOut = z
  .object({
    window: z.object({ start: z.string(), end: z.string() }),
    count_pending: z.boolean(),
    voltage_drop_budget_percent: z.number(),
    fits: z.boolean(),
    best_point_id: z.string().nullable(),
    earliest_fit: z
      .object({ point_id: z.string(), window: z.object({ start: z.string(), end: z.string() }) })
      .nullable(),
    points: z.array(
      z
        .object({
          point_id: z.string(),
          fits: z.boolean(),
          reasons: z.array(z.object({ code: z.string(), message: z.string() })),
          distance_m: z.number(),
          limit_kva: z.number(),
          min_headroom_kva: z.number(),
          min_headroom_at: z.string(),
          first_conflict_at: z.string().nullable(),
          feeder: z
            .object({ cross_section_mm2: z.number(), voltage_drop_percent: z.number() })
            .loose()
            .nullable(),
        })
        .loose(),
    ),
    demand: z.looseObject({
      apparent_power_kva: z.number(),
      active_power_kw: z.number(),
      reactive_power_kvar: z.number(),
    }),
    reserved_nothing: z.literal(true),
  })
  .meta({ id: 'CapacityCheck' });
