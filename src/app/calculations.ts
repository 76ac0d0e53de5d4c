/**
 * Stateless calculations: demand and feeder. Each result carries provenance: engine version, rule set and
 * edition, catalogue version and the SHA-256 of the canonical input as understood (units already parsed),
 * so the same input always yields the same hash and body.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, ENGINE_VERSION } from '../domain/canonical.js';
import { ruleSet, type RuleSetId } from '../domain/catalog/rule-sets.js';
import { EQUIPMENT_CATALOGUE } from '../domain/catalog/equipment.js';
import { CABLE_CATALOGUE } from '../domain/catalog/cables.js';
import type {
  DemandGroupInput,
  DemandMethod,
  DemandResult,
  EquipmentItemInput,
  HandbookOptions,
} from '../domain/load/index.js';
import { demandOfLoad, isEquipmentLoad, LOAD_PATHS, type LoadInput } from './load.js';
import { warningWithPointer, withPointer } from './pointer.js';
import { checkFeeder, type FeederCheckInput, type FeederCheckResult } from '../domain/network/index.js';
import { round } from '../domain/units.js';
import type { FeederFaultResult } from '../domain/network/feeder-faults.js';
import {
  feederFaults,
  motorStarting,
  type FeederFaultRequest,
  type MotorStartingOutcome,
  type MotorStartingRequestInput,
} from './faults.js';

export const API_VERSION = '0.1.0';

export interface Provenance {
  engine_version: string;
  api_version: string;
  rule_set: string;
  edition: string;
  catalogue_version: string;
  input_sha256: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function provenance(input: unknown, ruleSetId: RuleSetId, catalogueVersion: string): Provenance {
  const rs = ruleSet(ruleSetId);
  return {
    engine_version: ENGINE_VERSION,
    api_version: API_VERSION,
    rule_set: rs.id,
    edition: rs.edition,
    catalogue_version: catalogueVersion,
    input_sha256: sha256(canonicalJson(input)),
  };
}

/** One plain sentence that a contractor can read without knowing the method. */
export function demandSummary(r: DemandResult): string {
  const t = r.totals;
  const parts = [
    `${r.device_count} device${r.device_count === 1 ? '' : 's'} with ${round(r.installed_power_kw, 1)} kW installed are expected to draw at most ` +
      `${round(t.apparent_power_kva, 1)} kVA together (${round(t.active_power_kw, 1)} kW, ${round(t.current_a, 0)} A at ${r.nominal_voltage_v} V)`,
  ];
  if (r.transformer.rating_kva !== null && r.transformer.loading_fraction !== null)
    parts.push(
      `a ${r.transformer.rating_kva} kVA transformer would carry it at ${round(r.transformer.loading_fraction * 100, 0)} % of its rating`,
    );
  parts.push(
    r.organisation_design_required
      ? `a temporary-electricity organisation design is required (${r.organisation_design.clause})`
      : 'no organisation design is required',
  );
  return parts.join('; ') + '.';
}

export interface DemandRequestInput {
  load?: LoadInput;
  /** Deprecated top-level equipment list (one release). */
  items?: EquipmentItemInput[];
  groups?: DemandGroupInput[];
  simultaneity_factor?: number;
  method?: DemandMethod;
  loading_cap?: number;
  handbook?: HandbookOptions;
  rule_set: RuleSetId;
}

export type LoadForm = 'equipment' | 'active_power' | 'apparent_power';

export function loadForm(load: LoadInput): LoadForm {
  return isEquipmentLoad(load) ? 'equipment' : 'active_power_kw' in load ? 'active_power' : 'apparent_power';
}

export function runDemand(input: DemandRequestInput): Omit<DemandResult, 'warnings'> & {
  warnings: ReturnType<typeof warningWithPointer<DemandResult['warnings'][number]>>[];
  load_form: LoadForm;
  summary: string;
  provenance: Provenance;
} {
  const { rule_set, load: given, items, groups, simultaneity_factor, ...options } = input;
  const legacy = given === undefined;
  const load: LoadInput = given ?? {
    equipment: items ?? [],
    ...(groups ? { groups } : {}),
    ...(simultaneity_factor !== undefined ? { simultaneity_factor } : {}),
  };
  const result = demandOfLoad(load, {
    ruleSet: ruleSet(rule_set),
    at: legacy ? { equipment: ['items'], load: [] } : LOAD_PATHS,
    ...options,
  });
  return {
    ...result,
    warnings: result.warnings.map((w) => warningWithPointer(w)),
    load_form: loadForm(load),
    summary: demandSummary(result),
    provenance: provenance(input, rule_set, EQUIPMENT_CATALOGUE.version),
  };
}

export type FeederRequestInput = Omit<FeederCheckInput, 'load'> &
  FeederFaultRequest & {
    rule_set: RuleSetId;
    load: LoadInput;
  };

export function runFeeder(input: FeederRequestInput): Omit<FeederCheckResult, 'findings'> &
  Omit<FeederFaultResult, 'findings' | 'not_checked' | 'trace'> & {
    findings: (Omit<FeederCheckResult['findings'][number], 'path'> & { path: string })[];
    load: { active_power_kw: number; reactive_power_kvar: number; apparent_power_kva: number };
    demand: DemandResult | null;
    provenance: Provenance;
  } {
  const rs = ruleSet(input.rule_set);
  const computed = demandOfLoad(input.load, { ruleSet: rs });
  const demand = isEquipmentLoad(input.load) ? computed : null;
  const load = {
    active_power_kw: computed.totals.active_power_kw,
    reactive_power_kvar: computed.totals.reactive_power_kvar,
    ...(demand ? { design_current_a: demand.design_current.current_a } : {}),
  };
  const organisation =
    input.organisation ??
    (demand
      ? { device_count: demand.device_count, installed_power_kw: demand.installed_power_kw }
      : undefined);
  const {
    rule_set: _r,
    load: _l,
    supply: _s,
    protective_device: _d,
    disconnection_circuit: _c,
    motors: _m,
    bus_other_load: _b,
    voltage_tolerance_percent: _v,
    fault_end_temperature_c: _t,
    ...rest
  } = input;
  const checked = checkFeeder({ ...rest, load, organisation }, rs);
  const faults = feederFaults(
    input,
    checked,
    load,
    input.feeder ?? input.distribution?.feeder,
    input.feeder !== undefined ? ['feeder'] : ['distribution', 'feeder'],
    isEquipmentLoad(input.load) ? input.load.equipment : null,
  );
  const findings = [...checked.findings, ...faults.findings];
  const result = {
    ...checked,
    findings,
    not_checked: [...checked.not_checked, ...faults.not_checked],
    compliant: !findings.some((f) => f.severity === 'error'),
    trace: [...checked.trace, ...faults.trace],
    fault_currents: faults.fault_currents,
    breaking_capacity: faults.breaking_capacity,
    disconnection: faults.disconnection,
    motor_starting: faults.motor_starting,
  };
  return {
    ...result,
    findings: result.findings.map((f) => withPointer(f)),
    load: {
      active_power_kw: load.active_power_kw,
      reactive_power_kvar: load.reactive_power_kvar,
      apparent_power_kva: computed.totals.apparent_power_kva,
    },
    demand,
    provenance: provenance(
      input,
      input.rule_set,
      `${EQUIPMENT_CATALOGUE.version}+${CABLE_CATALOGUE.version}`,
    ),
  };
}

/** Motor starting at a point (dip at the bus and terminals) and, when asked, a generator sizing. */
export function runMotorStarting(
  input: MotorStartingRequestInput,
): MotorStartingOutcome & { provenance: Provenance } {
  return { ...motorStarting(input), provenance: provenance(input, 'JGJ46-2005', CABLE_CATALOGUE.version) };
}
