/**
 * One load, three forms (schemas/load.ts): an equipment list goes through the demand engine
 * (src/domain/load); a lumped load — active power or apparent power with a power factor — maps to P, Q, S
 * directly (Q = P·tan φ, S = √(P² + Q²), I = S/(√3·U)), and is described by a demand result of the same shape
 * so every consumer (feeder, capacity check, application assessment) reads one kind of answer.
 */
import { DomainError, type FieldIssue } from '../domain/errors.js';
import type { RuleSet } from '../domain/catalog/rule-sets.js';
import { EQUIPMENT_CATALOGUE } from '../domain/catalog/equipment.js';
import { ENGINE_VERSION } from '../domain/canonical.js';
import {
  calculateDemand,
  recommendTransformer,
  type DemandGroupInput,
  type DemandMethod,
  type DemandResult,
  type DemandWarning,
  type EquipmentItemInput,
  type HandbookOptions,
  type TraceStep,
} from '../domain/load/index.js';
import { apparentPowerKva, tanPhiFromPowerFactor, threePhaseCurrentA } from '../domain/units.js';

/** cos φ of a lumped load that gives none (schemas/load.ts says the same on the wire). */
export const DEFAULT_LUMPED_POWER_FACTOR = 0.8;

export interface EquipmentLoadInput {
  equipment: EquipmentItemInput[];
  simultaneity_factor?: number;
  groups?: DemandGroupInput[];
}

export type LoadInput =
  | EquipmentLoadInput
  | { active_power_kw: number; power_factor?: number; reactive_power_kvar?: number }
  | { apparent_power_kva: number; power_factor?: number };

type Path = (string | number)[];

/**
 * Where a load sits in the caller's body, to point errors and findings at real fields: `equipment` is the
 * equipment list, `load` the object holding simultaneity_factor and groups (and the lumped fields).
 */
export interface LoadPaths {
  equipment: Path;
  load: Path;
}

/** The paths of `{ load: … }` in a request body. */
export const LOAD_PATHS: LoadPaths = { equipment: ['load', 'equipment'], load: ['load'] };

export function isEquipmentLoad(load: LoadInput): load is EquipmentLoadInput {
  return 'equipment' in load;
}

/** A demand-engine path (`items/3/type`, `groups/0`, `simultaneity_factor`, `handbook`) in the caller's body. */
export function demandPath(path: readonly (string | number)[], at: LoadPaths): Path {
  const [head, ...rest] = path;
  if (head === 'items') return [...at.equipment, ...rest];
  if (head === 'groups' || head === 'simultaneity_factor') return [...at.load, ...path];
  return [...path];
}

/** A load given as the deprecated equipment list of an older request shape. */
export function loadOfLegacy(body: { load?: LoadInput; equipment?: EquipmentItemInput[] }): {
  load: LoadInput;
  paths: LoadPaths;
} {
  if (body.load) return { load: body.load, paths: LOAD_PATHS };
  if (body.equipment)
    return { load: { equipment: body.equipment }, paths: { equipment: ['equipment'], load: [] } };
  throw new DomainError('validation_failed', 'The request has no load', {
    issues: [{ path: ['load'], message: 'required' }],
  });
}

export interface DemandOfLoadOptions {
  ruleSet: RuleSet;
  at?: LoadPaths;
  method?: DemandMethod;
  loading_cap?: number;
  handbook?: HandbookOptions;
}

/** The demand of a load in any form; errors and warnings point into the caller's body. */
export function demandOfLoad(load: LoadInput, options: DemandOfLoadOptions): DemandResult {
  const at = options.at ?? LOAD_PATHS;
  if (isEquipmentLoad(load)) {
    let result: DemandResult;
    try {
      result = calculateDemand(
        {
          items: load.equipment,
          ...(load.groups ? { groups: load.groups } : {}),
          ...(load.simultaneity_factor !== undefined
            ? { simultaneity_factor: load.simultaneity_factor }
            : {}),
          ...(options.method ? { method: options.method } : {}),
          ...(options.loading_cap !== undefined ? { loading_cap: options.loading_cap } : {}),
          ...(options.handbook ? { handbook: options.handbook } : {}),
        },
        { ruleSet: options.ruleSet },
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      throw new DomainError(err.code, err.message, {
        details: err.details,
        issues: err.issues.map((i: FieldIssue) => ({ ...i, path: demandPath(i.path, at) })),
      });
    }
    return {
      ...result,
      warnings: result.warnings.map((w) => (w.path ? { ...w, path: demandPath(w.path, at) } : w)),
    };
  }
  if (options.method && options.method !== 'demand_coefficient')
    throw new DomainError('validation_failed', 'The handbook estimate needs an equipment list', {
      issues: [{ path: ['method'], message: `${options.method} needs an equipment list, not a lumped load` }],
    });
  return lumpedDemand(load, options.ruleSet, options.loading_cap, at);
}

/**
 * The demand of a lumped load: P, Q, S taken as given (no Kx, no K∑ — the caller's figure is already a
 * demand), I = S/(√3·U) at the rule set's nominal voltage, the transformer recommendation, and the
 * organisation-design rule on the load as one device of its own active power.
 */
export function lumpedDemand(
  load: Exclude<LoadInput, EquipmentLoadInput>,
  rules: RuleSet,
  loadingCap: number | undefined,
  at: LoadPaths = LOAD_PATHS,
): DemandResult {
  const pfGiven = load.power_factor;
  let p: number;
  let q: number;
  let s: number;
  const trace: TraceStep[] = [];
  if ('apparent_power_kva' in load) {
    const pf = pfGiven ?? DEFAULT_LUMPED_POWER_FACTOR;
    s = load.apparent_power_kva;
    p = s * pf;
    q = Math.sqrt(Math.max(0, s * s - p * p));
    trace.push(
      {
        step: 'lumped.apparent_power',
        quantity: 'S',
        value: s,
        unit: 'kVA',
        source: 'caller',
        reference: 'given',
      },
      {
        step: 'lumped.power_factor',
        quantity: 'cos φ',
        value: pf,
        source: pfGiven === undefined ? 'rule_set' : 'caller',
        reference: pfGiven === undefined ? `default cos φ ${DEFAULT_LUMPED_POWER_FACTOR}` : 'given',
      },
      {
        step: 'lumped.active_power',
        quantity: 'P',
        value: p,
        unit: 'kW',
        source: 'caller',
        reference: 'P = S·cos φ',
      },
    );
  } else {
    p = load.active_power_kw;
    trace.push({
      step: 'lumped.active_power',
      quantity: 'P',
      value: p,
      unit: 'kW',
      source: 'caller',
      reference: 'given',
    });
    if (load.reactive_power_kvar !== undefined) {
      q = load.reactive_power_kvar;
      trace.push({
        step: 'lumped.reactive_power',
        quantity: 'Q',
        value: q,
        unit: 'kvar',
        source: 'caller',
        reference: 'given (deprecated P/Q form)',
      });
    } else {
      const pf = pfGiven ?? DEFAULT_LUMPED_POWER_FACTOR;
      q = p * tanPhiFromPowerFactor(pf);
      trace.push({
        step: 'lumped.power_factor',
        quantity: 'cos φ',
        value: pf,
        source: pfGiven === undefined ? 'rule_set' : 'caller',
        reference: pfGiven === undefined ? `default cos φ ${DEFAULT_LUMPED_POWER_FACTOR}` : 'given',
      });
    }
    s = apparentPowerKva(p, q);
  }
  const voltage = rules.nominal_lv_voltage_v;
  const current = threePhaseCurrentA(s, voltage);
  trace.push({
    step: 'lumped.current',
    quantity: 'I',
    value: current,
    unit: 'A',
    source: 'rule_set',
    reference: `I = S/(√3·U), U = ${voltage} V`,
  });
  const transformer = recommendTransformer(
    s,
    loadingCap ?? rules.loading_cap,
    rules.loading_warning,
    loadingCap === undefined ? 'rule_set' : 'caller',
  );
  const od = rules.organisation_design;
  const triggered: ('device_count' | 'installed_power')[] = [];
  if (1 >= od.min_devices) triggered.push('device_count');
  if (p >= od.min_power_kw) triggered.push('installed_power');
  const warnings: DemandWarning[] = [];
  if (
    load.power_factor === undefined &&
    !('reactive_power_kvar' in load && load.reactive_power_kvar !== undefined)
  )
    warnings.push({
      code: 'power_factor_assumed',
      message: `no power factor given: cos φ ${DEFAULT_LUMPED_POWER_FACTOR} assumed`,
      path: [...at.load, 'power_factor'],
    });
  if (transformer.exceeds_largest_rating)
    warnings.push({
      code: 'demand_exceeds_largest_rating',
      message: `demand ${s.toFixed(1)} kVA exceeds the largest standard rating: split the load over several supply points`,
    });
  if (p > rules.low_voltage_threshold_kw)
    warnings.push({
      code: 'above_low_voltage_threshold',
      message: `the load of ${p.toFixed(1)} kW exceeds the ${rules.low_voltage_threshold_kw} kW low-voltage connection threshold (DOMAIN.md §5.2)`,
    });
  return {
    method: 'demand_coefficient',
    engine_version: ENGINE_VERSION,
    catalogue_version: EQUIPMENT_CATALOGUE.version,
    rule_set: { id: rules.id, edition: rules.edition },
    nominal_voltage_v: voltage,
    items: [],
    groups: [],
    handbook: null,
    unbalance: null,
    totals: {
      simultaneity_factor: 1,
      simultaneity_factor_source: 'caller',
      active_power_kw: p,
      reactive_power_kvar: q,
      apparent_power_kva: s,
      current_a: current,
      power_factor: s > 0 ? p / s : 1,
    },
    // A lumped load names no motor: its design current is its demand current.
    design_current: {
      current_a: current,
      basis: 'demand',
      demand_current_a: current,
      largest_motor: null,
      others_current_a: null,
      reference: 'lumped load: Ib = S/(√3·U)',
    },
    installed_power_kw: p,
    largest_unit_kw: p,
    device_count: 1,
    organisation_design_required: triggered.length > 0,
    organisation_design: {
      required: triggered.length > 0,
      triggered_by: triggered,
      min_devices: od.min_devices,
      min_power_kw: od.min_power_kw,
      clause: od.clause,
    },
    transformer,
    trace,
    warnings,
  };
}
