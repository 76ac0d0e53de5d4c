/**
 * One load shape for every endpoint that takes a load (demand, feeder, capacity check, applications, scenario
 * requests): an equipment list, or a lumped load given as active power or apparent power with a power factor.
 * Every quantity accepts a unit string ("80 kW", "100 kVA").
 *
 * Validation picks the alternative by its key field (`equipment`, `active_power_kw`, `apparent_power_kva`) and
 * reports that alternative's own errors at their real paths (`/load/equipment/0/rated_power_kw`); a load that
 * names none or several of them gets one error at the load's path listing the alternatives, instead of the
 * per-alternative noise of a plain union.
 */
import { z } from 'zod';
import { EquipmentItem } from './equipment.js';
import { quantity } from './quantity.js';

/** cos φ assumed for a lumped load that does not give one (the usual construction-site figure). */
export const DEFAULT_LUMPED_POWER_FACTOR = 0.8;

const PowerFactor = z
  .number()
  .gt(0)
  .max(1)
  .meta({
    description: `cos φ of the load, 0 < cos φ ≤ 1 (default ${DEFAULT_LUMPED_POWER_FACTOR}); Q = P·tan φ`,
  });

export const DemandGroup = z
  .strictObject({
    name: z.string().min(1).max(64),
    demand_factor: z.number().gt(0).max(1).optional(),
    power_factor: z.number().gt(0).max(1).optional(),
    tan_phi: z.number().min(0).max(10).optional(),
  })
  .meta({ id: 'DemandGroup', description: 'an explicit calculation group (items name it in `group`)' });

export const MAX_LOAD_ITEMS = 10_000;

export const EquipmentLoad = z
  .strictObject({
    equipment: z.array(EquipmentItem).min(1).max(MAX_LOAD_ITEMS),
    simultaneity_factor: z
      .number()
      .optional()
      .meta({ description: 'K∑; default from the rule set (0.8), accepted 0.5–1.0' }),
    groups: z.array(DemandGroup).max(1000).optional(),
  })
  .meta({
    id: 'EquipmentLoad',
    description: 'an equipment list; its demand is computed by the JGJ 46 demand-coefficient method',
  });

export const ActivePowerLoad = z
  .strictObject({
    active_power_kw: quantity('active_power', { min: 0, max: 100_000 }),
    power_factor: PowerFactor.optional(),
    reactive_power_kvar: quantity('reactive_power', { min: -100_000, max: 100_000 }).optional().meta({
      deprecated: true,
      description:
        'deprecated (one release): the feeder’s old P/Q form; give `power_factor` instead. Excludes `power_factor`.',
    }),
  })
  .meta({
    id: 'ActivePowerLoad',
    description: 'a lumped load: active power P with its power factor (S = P / cos φ)',
  });

export const ApparentPowerLoad = z
  .strictObject({
    apparent_power_kva: quantity('apparent_power', { gt: 0, max: 100_000 }),
    power_factor: PowerFactor.optional(),
  })
  .meta({
    id: 'ApparentPowerLoad',
    description: 'a lumped load: apparent power S with its power factor (P = S·cos φ)',
  });

const FORMS = [
  { key: 'equipment', schema: EquipmentLoad },
  { key: 'active_power_kw', schema: ActivePowerLoad },
  { key: 'apparent_power_kva', schema: ApparentPowerLoad },
] as const;

/** The hint every "which load is this?" error carries. */
export const LOAD_ALTERNATIVES =
  'a load is one of: {"equipment": [{"type": …, "rated_power_kw": …}, …]} (an equipment list, optional ' +
  'simultaneity_factor and groups); {"active_power_kw": "80 kW", "power_factor": 0.85}; ' +
  '{"apparent_power_kva": "100 kVA", "power_factor": 0.8}';

type LoadOutput =
  z.output<typeof EquipmentLoad> | z.output<typeof ActivePowerLoad> | z.output<typeof ApparentPowerLoad>;

function selectForm(value: unknown, ctx: z.RefinementCtx): LoadOutput {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `must be an object: ${LOAD_ALTERNATIVES}`, input: value });
    return z.NEVER;
  }
  const present = FORMS.filter((f) => f.key in value);
  if (present.length !== 1) {
    const keys = Object.keys(value);
    const got =
      present.length === 0
        ? `got ${keys.length ? keys.map((k) => `"${k}"`).join(', ') : 'an empty object'}`
        : `got ${present.map((f) => `"${f.key}"`).join(' and ')} together`;
    ctx.addIssue({ code: 'custom', message: `${got}; ${LOAD_ALTERNATIVES}`, input: value });
    return z.NEVER;
  }
  const form = present[0]!;
  const r = form.schema.safeParse(value);
  if (!r.success) {
    // Re-raised as custom issues: a pipe goes on past an `unrecognized_keys` issue, and the union after it
    // would add its per-alternative noise.
    for (const issue of r.error.issues)
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.path,
        params: { zod_code: issue.code },
        input: value,
      });
    return z.NEVER;
  }
  if (
    'reactive_power_kvar' in r.data &&
    r.data.reactive_power_kvar !== undefined &&
    'power_factor' in value
  ) {
    ctx.addIssue({
      code: 'custom',
      message: 'give power_factor or the deprecated reactive_power_kvar, not both',
      path: ['reactive_power_kvar'],
      input: value,
    });
    return z.NEVER;
  }
  return r.data;
}

/**
 * A load. In the spec it is `oneOf` the three alternatives; the parsed value is the alternative as given,
 * quantities in kW / kVA / kvar.
 */
export const Load = z
  .preprocess(selectForm, z.union([EquipmentLoad, ActivePowerLoad, ApparentPowerLoad]))
  .meta({
    id: 'Load',
    description: `${LOAD_ALTERNATIVES}. Every quantity may be a number in the unit of its name or a string with a unit.`,
  });

export type LoadWire = z.output<typeof Load>;
