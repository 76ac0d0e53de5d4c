import { z } from 'zod';
import { Identifier, IsoDate, PositionM } from './common.js';
import { EquipmentItem } from './equipment.js';
import { Load, LOAD_ALTERNATIVES } from './load.js';
import { DistributionDesign } from './scenario.js';
import { DailyShapeSchema } from './sites.js';
import { APPLICATION_STATES } from '../src/domain/application/model.js';

const DocStatus = z.enum(['provided', 'deferred', 'missing']);
const DocRef = z.strictObject({
  file_name: z.string().min(1).max(255).optional(),
  sha256: z
    .string()
    .max(64)
    .regex(/^[0-9a-f]{64}$/, 'must be a hex SHA-256')
    .optional(),
});

export const ApplicationRequest = z
  .strictObject({
    reference: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .meta({ description: 'the applicant’s own reference, e.g. R-011' }),
    organisation: z.string().min(1).max(200),
    contact: z
      .strictObject({
        name: z.string().max(200).optional(),
        phone: z.string().max(64).optional(),
        email: z.email().max(254).optional(),
      })
      .optional(),
    zone: z.string().min(1).max(200),
    position_m: PositionM,
    window: z
      .strictObject({ start: IsoDate, end: IsoDate })
      .meta({ description: '[start, end) local dates of the supply' }),
    profile: z
      .union([Identifier, DailyShapeSchema])
      .meta({ description: 'a profile name of the site (day_shift, two_shift, …) or a custom daily shape' }),
    load: Load.optional(),
    equipment: z.array(EquipmentItem).min(1).max(2000).optional().meta({
      deprecated: true,
      description: 'deprecated (one release): use `load: { equipment: [...] }`',
    }),
    requested_point_id: Identifier.optional(),
    connection: z.enum(['site_point', 'public_lv']).optional().meta({
      description:
        'site_point (default): supplied from the site’s own 10/0.4 kV points; public_lv: a direct public-LV connection, the only case the LV connection limit (installed capacity ≤ 160 kW) decides',
    }),
    distribution: DistributionDesign.optional(),
    documents: z.record(Identifier, DocStatus).optional().meta({
      description:
        'status of each document type; a type not listed counts as provided (the commitment letter only when listed as provided)',
    }),
    document_refs: z.record(Identifier, DocRef).optional(),
    note: z.string().max(1000).optional(),
  })
  .superRefine((body, ctx) => {
    if (body.load === undefined && body.equipment === undefined)
      ctx.addIssue({ code: 'custom', path: ['load'], message: `required: ${LOAD_ALTERNATIVES}` });
    if (body.load !== undefined && body.equipment !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['equipment'],
        message: 'give `load` or the deprecated top-level equipment, not both',
      });
  })
  .meta({ id: 'ApplicationRequest' });

export const ApplicationState = z.enum(APPLICATION_STATES);

const FindingOut = z.looseObject({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  path: z
    .string()
    .meta({ description: 'JSON pointer into the application body, e.g. /load/equipment/0/type' }),
  rule: z.string(),
});

export const AssessmentOut = z
  .object({
    outcome: z.enum(['accepted', 'accepted_with_deferrals', 'rejected', 'not_accepted']),
    findings: z.array(FindingOut),
    demand: z.looseObject({
      apparent_power_kva: z.number(),
      active_power_kw: z.number(),
      installed_power_kw: z.number(),
      largest_unit_kw: z.number(),
    }),
    documents: z.looseObject({
      required: z.array(z.string()),
      deferred: z.array(z.looseObject({ type: z.string(), due_date: z.string(), consequence: z.string() })),
    }),
    notice: z
      .looseObject({
        text: z.string(),
        items: z.array(z.looseObject({ type: z.string(), due_date: z.string() })),
      })
      .nullable(),
    capacity: z.looseObject({
      point_id: z.string().nullable(),
      fits: z.boolean(),
      min_headroom_kva: z.number().nullable(),
    }),
    low_voltage_threshold: z.looseObject({
      exceeded: z.boolean(),
      value_kw: z.number(),
      threshold_kw: z.number(),
    }),
  })
  .meta({ id: 'Assessment' });

export const ApplicationOut = z
  .object({
    id: z.string(),
    site_id: z.string(),
    reference: z.string().nullable(),
    organisation: z.string(),
    state: ApplicationState,
    point_id: z.string().nullable(),
    window: z.object({ start: z.string(), end: z.string() }),
    demand: z.looseObject({}),
    demand_kva: z.number(),
    deferred_documents: z.array(z.looseObject({ type: z.string(), due_date: z.string() })),
    findings: z.array(z.looseObject({})),
    notice: z.looseObject({}).nullable(),
    lv_override: z.boolean(),
    energised_on: z.string().nullable(),
    term_extended_until: z.string().nullable(),
    overdue_items: z.array(z.object({ type: z.string(), due_date: z.string(), days_overdue: z.number() })),
    allowed_events: z.array(z.string()),
    stages: z.array(z.looseObject({ stage: z.string(), working_days: z.number(), open: z.boolean() })),
    payload: z.looseObject({}),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Application' });

export const SubmitOut = z
  .object({ application: ApplicationOut, assessment: AssessmentOut })
  .meta({ id: 'SubmittedApplication' });

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .meta({ description: 'a retried submission with the same key returns the first result' }),
});

export const ApplicationParams = z.strictObject({
  siteId: Identifier,
  applicationId: z.string().min(1).max(64),
});

export const ApplicationListQuery = z.strictObject({
  state: ApplicationState.optional(),
  organisation: z.string().max(200).optional(),
  point_id: Identifier.optional(),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export const TransitionRequest = z
  .strictObject({
    event: z.enum([
      'accept',
      'accept_with_deferrals',
      'reject',
      'approve',
      'energise',
      'suspend',
      'resume',
      'withdraw',
      'expire',
      'extend',
      'close',
    ]),
    point_id: Identifier.optional().meta({
      description: 'approve: the supply point to reserve on (default: the one placed at acceptance)',
    }),
    lv_override: z
      .boolean()
      .optional()
      .meta({ description: 'approve: engineer’s override of the low-voltage threshold' }),
    extend_until: IsoDate.optional().meta({
      description: 'extend: the new end of the temporary-supply term',
    }),
    reason: z.string().max(1000).optional(),
  })
  .meta({ id: 'TransitionRequest' });

export const ApproveRequest = TransitionRequest.omit({ event: true, extend_until: true }).meta({
  id: 'ApproveRequest',
});

export const MoveRequest = z
  .strictObject({
    point_id: Identifier.meta({
      description: 'the supply point to move the application and its reservations to',
    }),
    force: z.boolean().optional().meta({
      description:
        'move although the target would carry more reserved load than rating × loading cap: the reservations involved are recorded as overcommitted',
    }),
    reason: z.string().min(1).max(500).optional(),
  })
  .meta({ id: 'MoveRequest' });

export const DocumentsRequest = z
  .strictObject({
    documents: z
      .record(Identifier, DocRef)
      .refine((d) => Object.keys(d).length > 0, 'name at least one document'),
  })
  .meta({ id: 'DocumentsRequest' });

export const EventOut = z.object({
  id: z.string(),
  seq: z.number(),
  at: z.string(),
  actor_role: z.string(),
  actor_key_id: z.string().nullable(),
  event: z.string(),
  from_state: z.string().nullable(),
  to_state: z.string(),
  reason: z.string().nullable(),
  data: z.looseObject({}).nullable(),
});

export const StatsOut = z
  .object({
    site_id: z.string(),
    at: z.string(),
    total: z.number(),
    by_state: z.record(z.string(), z.number()),
    overdue_item_count: z
      .number()
      .int()
      .meta({ description: 'overdue deferred documents of every organisation' }),
    overdue_items: z
      .array(
        z.object({
          application_id: z.string(),
          reference: z.string().nullable(),
          organisation: z.string(),
          type: z.string(),
          due_date: z.string(),
          days_overdue: z.number(),
        }),
      )
      .meta({
        description:
          'overdue items by application, among those the key may see: engineer all, contractor its organisation’s, viewer none',
      }),
    stage_times: z.array(
      z.object({
        stage: z.string(),
        count: z.number(),
        median_working_days: z.number(),
        p90_working_days: z.number(),
      }),
    ),
  })
  .meta({ id: 'ApplicationStats' });
