import { z } from 'zod';
import { Identifier } from './common.js';

export const PlanRequestSchema = z
  .strictObject({
    method: z
      .enum(['mip', 'heuristic'])
      .default('mip')
      .meta({ description: 'mip: HiGHS with a heuristic warm start; heuristic: greedy + local search only' }),
    time_limit_s: z
      .number()
      .min(0.1)
      .max(300)
      .optional()
      .meta({ description: 'solver time budget (default: server config, 10 s)' }),
    mip_rel_gap: z.number().min(0).max(0.5).default(0.005),
    keep_ratings: z.boolean().default(false).meta({
      description: 'keep the points’ current ratings instead of sizing them from the standard series',
    }),
    points: z
      .array(
        z.strictObject({
          id: Identifier,
          rating_kva: z
            .number()
            .positive()
            .max(2500)
            .optional()
            .meta({ description: 'fix this point’s rating' }),
          min_rating_kva: z.number().positive().max(2500).optional(),
          max_rating_kva: z.number().positive().max(2500).optional(),
        }),
      )
      .max(100)
      .optional(),
    lv_overrides: z
      .array(Identifier)
      .max(10_000)
      .default([])
      .meta({ description: 'request ids whose low-voltage threshold an engineer overrides' }),
    weights: z
      .strictObject({
        feeder_cost_per_kva_m: z.number().min(0).optional(),
        balance: z.number().min(0).optional(),
        unserved_penalty: z.number().min(0).optional(),
        off_preference_kva_m: z.number().min(0).optional(),
      })
      .optional(),
  })
  .meta({ id: 'PlanRequest' });

export const PlanParams = z.strictObject({ siteId: Identifier, planId: z.string().min(1).max(64) });

export const PlanOut = z
  .object({
    id: z.string(),
    site_id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    request: z.looseObject({}),
    result: z
      .looseObject({
        ratings: z.array(z.object({ point_id: z.string(), rating_kva: z.number() })),
        sum_kva: z.number(),
        cap_headroom_kva: z.number(),
        assignments: z.array(
          z.looseObject({ load_id: z.string(), point_id: z.string(), distance_m: z.number() }),
        ),
        points: z.array(z.looseObject({ point_id: z.string(), peak_kva: z.number() })),
        unserved: z.array(z.looseObject({ load_id: z.string(), reason: z.string() })),
        objective: z.looseObject({
          feeder_cost_kva_m: z.number(),
          max_utilisation_fraction: z
            .number()
            .meta({ description: 'highest peak / rating over the used points, as a fraction' }),
          unserved_count: z.number(),
        }),
        solver: z.looseObject({
          method: z.string(),
          status: z.string(),
          gap: z.number().nullable(),
          time_ms: z.number(),
        }),
        baseline: z.looseObject({ feeder_cost_kva_m: z.number() }),
      })
      .nullable(),
    error: z.string().nullable(),
    applied_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Plan' });

export const PlanSummaryOut = z
  .object({
    id: z.string(),
    site_id: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    request: z.looseObject({}),
    summary: z
      .object({
        sum_kva: z.number().meta({ description: 'sum of the planned point ratings, kVA' }),
        cap_headroom_kva: z.number(),
        assigned: z.number().int().meta({ description: 'loads the plan places' }),
        unserved: z.number().int().meta({ description: 'loads it cannot place (reasons in the plan)' }),
        method: z.string(),
        solver_status: z.string(),
      })
      .nullable()
      .meta({ description: 'headline figures of a finished run; the whole result: GET …/plans/{planId}' }),
    error: z.string().nullable(),
    applied_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'PlanSummary' });

export const ApplyOut = z.object({
  plan_id: z.string(),
  applied_at: z.string(),
  ratings: z.array(z.object({ point_id: z.string(), rating_kva: z.number() })),
  sum_kva: z.number(),
  placements: z.number(),
  decommissioned: z.array(z.string()),
  overcommitted: z
    .array(
      z.object({
        point_id: z.string(),
        over_kva: z.number(),
        worst_at: z.string(),
        reservation_ids: z.array(z.string()),
      }),
    )
    .meta({
      description: 'points a forced apply left overbooked, with the reservations recorded as overcommitted',
    }),
});

export const ApplyRequest = z
  .strictObject({
    force: z.boolean().default(false).meta({
      description:
        'keep the new ratings although approved reservations no longer fit: they are recorded as overcommitted',
    }),
    reason: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'recorded with each overcommitted mark' }),
  })
  .meta({ id: 'ApplyRequest' });
