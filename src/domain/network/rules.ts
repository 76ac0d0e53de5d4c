/**
 * JGJ 46 rule checks on a declared distribution design (DOMAIN.md §2): R1, R2, R3, R3a, R4, R5, R5a, R9, R10,
 * R11, R13. Each rule is a separate function returning its findings; limits and clauses come from the
 * RuleSet where it has them, otherwise from {@link NETWORK_RULE_SUPPLEMENTS} (same rule-set ids).
 *
 * Convention: a rule whose inputs were not declared yields no finding and is listed in `not_checked`.
 * `compliant` designs have no `error` finding; `warning` (R5a "should") and `info` do not break compliance.
 */
import type { Conductor, Installation, Insulation, MechanicalContext } from '../catalog/cables.js';
import type { RuleSet, RuleSetId } from '../catalog/rule-sets.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import type { Finding, RuleId, RuleNotChecked, Severity } from './types.js';

/** A residual-current device as declared (scenario field names). */
export interface RcdDeclaration {
  rated_residual_current_ma: number;
  operating_time_s: number;
}

/** Lighting locations of JGJ 46-2005 10.2.2 (DOMAIN.md §2 R13). */
export type LightingLocation =
  | 'general'
  | 'tunnel'
  | 'civil_air_defence'
  | 'high_temperature'
  | 'conductive_dust'
  | 'low_mounted'
  | 'damp'
  | 'easily_touched'
  | 'very_damp'
  | 'metal_container';

/** The declared feeder cable (scenario field names: conductor, insulation, installation, cross_section_mm2, length_m). */
export interface FeederDesign {
  conductor: Conductor;
  insulation: Insulation;
  installation: Installation;
  /** Absent → the engine sizes the cable. */
  cross_section_mm2?: number;
  length_m: number;
  /** Number of cores of the cable (R9: five for three-phase four-wire TN-S). */
  cores?: number;
  burial_depth_m?: number;
  ambient_temperature_c?: number;
  grouped_circuits?: number;
  /** n identical cables in parallel per circuit (n × cross_section_mm2); default 1. */
  parallel_count?: number;
  conductor_temperature_c?: number;
  mechanical_context?: MechanicalContext;
}

/** A declared distribution design; accepts the scenario's `distribution` objects as-is. */
export interface DistributionDesign {
  earthing_system?: string;
  wet_location?: boolean;
  switch_box_rcd?: RcdDeclaration;
  main_box_rcd?: RcdDeclaration;
  distribution_to_switch_box_m?: number;
  switch_box_to_equipment_m?: number;
  repeated_earth_resistance_ohm?: number;
  lighting?: { voltage_v: number; location: LightingLocation };
  feeder?: FeederDesign;
}

export interface OrganisationDeclaration {
  device_count: number;
  installed_power_kw: number;
  /** Whether the temporary-electricity organisation design exists; unknown → an `info` finding only. */
  design_provided?: boolean;
}

export interface RuleInput {
  distribution?: DistributionDesign;
  organisation?: OrganisationDeclaration;
  feeder?: FeederDesign;
  /** Where `feeder` sits in the caller's input (default ['feeder']). */
  feeder_path?: (string | number)[];
}

/** Limits and clauses the RuleSet does not carry, per rule set (null = the rule is not part of that set). */
export interface NetworkRuleSupplement {
  distances_clause: string | null;
  five_core: { cores: number; clause: string } | null;
  burial_clause: string | null;
  repeated_earth_clause: string | null;
  lighting: { limits_v: Record<LightingLocation, number | null>; clause: string; note: string } | null;
  voltage_drop_clause: string;
  ampacity_clause: string;
  overload_clause: string;
  mechanical_clause_prefix: string;
}

const JGJ_LIGHTING_LIMITS_V: Record<LightingLocation, number | null> = {
  general: null,
  tunnel: 36,
  civil_air_defence: 36,
  high_temperature: 36,
  conductive_dust: 36,
  low_mounted: 36,
  damp: 24,
  easily_touched: 24,
  very_damp: 12,
  metal_container: 12,
};

const JGJ_SUPPLEMENT: NetworkRuleSupplement = {
  distances_clause: 'JGJ 46-2005 8.1.2',
  five_core: { cores: 5, clause: 'JGJ 46-2005 7.2.1' },
  burial_clause: 'JGJ 46-2005 7.2.3',
  repeated_earth_clause: 'JGJ 46-2005 5.3.2',
  lighting: {
    limits_v: JGJ_LIGHTING_LIMITS_V,
    clause: 'JGJ 46-2005 10.2.2',
    note:
      'DOMAIN.md §2 R13 (clause number unconfirmed); metal_container (boiler/metal vessel, 12 V) as commonly quoted ' +
      'from 10.2.2 item 3, not in DOMAIN.md',
  },
  voltage_drop_clause: 'JGJ 46-2005 7.1.3',
  ampacity_clause: 'JGJ 46-2005 7.1.3',
  overload_clause: 'IEC 60364-4-43 433.1 / GB 50054-2011 6.3.3 (GB clause number unconfirmed)',
  mechanical_clause_prefix: 'JGJ 46-2005',
};

export const NETWORK_RULE_SUPPLEMENTS: Record<RuleSetId, NetworkRuleSupplement> = {
  'JGJ46-2005': JGJ_SUPPLEMENT,
  // Same numbers until the 2024 text is checked (DOMAIN.md head note); clause numbers are the 2005 layout.
  'JGJ/T46-2024': JGJ_SUPPLEMENT,
  'IEC60364-7-704': {
    distances_clause: null,
    five_core: null,
    burial_clause: null,
    repeated_earth_clause: null,
    lighting: null,
    voltage_drop_clause: 'IEC 60364-5-52 525 / Annex G (budget as configured)',
    ampacity_clause: 'IEC 60364-5-52 523',
    overload_clause: 'IEC 60364-4-43 433.1',
    mechanical_clause_prefix: 'JGJ 46-2005 (no IEC equivalent; informative)',
  },
};

/** The supplement for a rule set. */
export function ruleSupplement(rs: RuleSet): NetworkRuleSupplement {
  return NETWORK_RULE_SUPPLEMENTS[rs.id];
}

export interface RuleOutcome {
  findings: Finding[];
  not_checked: RuleNotChecked[];
}

function finding(
  rs: RuleSet,
  rule: RuleId,
  code: string,
  severity: Severity,
  message: string,
  path: (string | number)[],
  clause: string,
  values: Finding['values'],
): Finding {
  return { code, rule, severity, message, path, clause, edition: rs.edition, values };
}

function outcome(findings: Finding[] = [], notChecked: RuleNotChecked[] = []): RuleOutcome {
  return { findings, not_checked: notChecked };
}

const D = ['distribution'];

/** R1 (JGJ 46-2005 3.1.1): organisation design required from ≥ 5 devices or ≥ 50 kW installed. */
export function checkR1OrganisationDesign(
  org: OrganisationDeclaration | undefined,
  rs: RuleSet,
): RuleOutcome {
  if (org === undefined)
    return outcome(
      [],
      [{ rule: 'R1', reason: 'organisation (device_count, installed_power_kw) not declared' }],
    );
  const t = rs.organisation_design;
  const byCount = org.device_count >= t.min_devices;
  const byPower = org.installed_power_kw >= t.min_power_kw;
  if (!byCount && !byPower) return outcome();
  const path = byCount ? ['organisation', 'device_count'] : ['organisation', 'installed_power_kw'];
  const values: Finding['values'] = byCount
    ? { actual: org.device_count, limit: t.min_devices, unit: 'devices' }
    : { actual: org.installed_power_kw, limit: t.min_power_kw, unit: 'kW' };
  const why = `${String(org.device_count)} devices / ${String(org.installed_power_kw)} kW reach the threshold (≥ ${String(t.min_devices)} devices or ≥ ${String(t.min_power_kw)} kW)`;
  if (org.design_provided === false) {
    return outcome([
      finding(
        rs,
        'R1',
        'R1_ORGANISATION_DESIGN_MISSING',
        'error',
        `an organisation design is required and missing: ${why}`,
        ['organisation', 'design_provided'],
        t.clause,
        values,
      ),
    ]);
  }
  if (org.design_provided === true) return outcome();
  return outcome([
    finding(
      rs,
      'R1',
      'R1_ORGANISATION_DESIGN_REQUIRED',
      'info',
      `a temporary-electricity organisation design is required: ${why}`,
      path,
      t.clause,
      values,
    ),
  ]);
}

/** R2 (JGJ 46-2005 1.0.3): the earthing system must be one the rule set allows (TN-S for JGJ 46). */
export function checkR2Earthing(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  if (d?.earthing_system === undefined)
    return outcome([], [{ rule: 'R2', reason: 'earthing_system not declared' }]);
  if (rs.earthing_systems_allowed.includes(d.earthing_system)) return outcome();
  return outcome([
    finding(
      rs,
      'R2',
      'R2_EARTHING_SYSTEM',
      'error',
      `earthing system ${d.earthing_system} is not allowed; use ${rs.earthing_systems_allowed.join(' / ')}`,
      [...D, 'earthing_system'],
      rs.earthing_clause,
      { actual: d.earthing_system, limit: rs.earthing_systems_allowed, unit: null },
    ),
  ]);
}

/**
 * R3 / R3a (JGJ 46-2005 8.2.10): switch-box RCD IΔn ≤ 30 mA and t ≤ 0.1 s; in wet or corrosive locations
 * IΔn ≤ 15 mA. In a wet location the wet limit replaces the general one (one finding, R3a).
 */
export function checkR3SwitchBoxRcd(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const rcd = d?.switch_box_rcd;
  if (rcd === undefined) return outcome([], [{ rule: 'R3', reason: 'switch_box_rcd not declared' }]);
  const t = rs.switch_box_rcd;
  const p = [...D, 'switch_box_rcd'];
  const out: Finding[] = [];
  const notChecked: RuleNotChecked[] = [];
  const wet = d?.wet_location === true;
  if (d?.wet_location === undefined)
    notChecked.push({ rule: 'R3a', reason: 'wet_location not declared (general limit applied)' });
  if (wet) {
    if (rcd.rated_residual_current_ma > t.wet_max_residual_current_ma) {
      out.push(
        finding(
          rs,
          'R3a',
          'R3A_SWITCH_BOX_RCD_WET',
          'error',
          `switch-box RCD in a wet location: IΔn ${String(rcd.rated_residual_current_ma)} mA > ${String(t.wet_max_residual_current_ma)} mA (splash-proof type required)`,
          [...p, 'rated_residual_current_ma'],
          t.clause,
          { actual: rcd.rated_residual_current_ma, limit: t.wet_max_residual_current_ma, unit: 'mA' },
        ),
      );
    }
  } else if (rcd.rated_residual_current_ma > t.max_residual_current_ma) {
    out.push(
      finding(
        rs,
        'R3',
        'R3_SWITCH_BOX_RCD_CURRENT',
        'error',
        `switch-box RCD IΔn ${String(rcd.rated_residual_current_ma)} mA > ${String(t.max_residual_current_ma)} mA`,
        [...p, 'rated_residual_current_ma'],
        t.clause,
        { actual: rcd.rated_residual_current_ma, limit: t.max_residual_current_ma, unit: 'mA' },
      ),
    );
  }
  if (rcd.operating_time_s > t.max_time_s) {
    out.push(
      finding(
        rs,
        'R3',
        'R3_SWITCH_BOX_RCD_TIME',
        'error',
        `switch-box RCD operating time ${String(rcd.operating_time_s)} s > ${String(t.max_time_s)} s`,
        [...p, 'operating_time_s'],
        t.clause,
        { actual: rcd.operating_time_s, limit: t.max_time_s, unit: 's' },
      ),
    );
  }
  return outcome(out, notChecked);
}

/** R4 (JGJ 46-2005 8.2.11): main-box RCD IΔn > 30 mA, t > 0.1 s and IΔn·t ≤ 30 mA·s. */
export function checkR4MainBoxRcd(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const rcd = d?.main_box_rcd;
  if (rcd === undefined) return outcome([], [{ rule: 'R4', reason: 'main_box_rcd not declared' }]);
  const t = rs.main_box_rcd;
  const p = [...D, 'main_box_rcd'];
  const out: Finding[] = [];
  const i = rcd.rated_residual_current_ma;
  const s = rcd.operating_time_s;
  if (!(i > t.min_residual_current_ma)) {
    out.push(
      finding(
        rs,
        'R4',
        'R4_MAIN_BOX_RCD_CURRENT',
        'error',
        `main-box RCD IΔn ${String(i)} mA must be > ${String(t.min_residual_current_ma)} mA`,
        [...p, 'rated_residual_current_ma'],
        t.clause,
        {
          actual: i,
          limit: t.min_residual_current_ma,
          unit: 'mA',
        },
      ),
    );
  }
  if (!(s > t.min_time_s)) {
    out.push(
      finding(
        rs,
        'R4',
        'R4_MAIN_BOX_RCD_TIME',
        'error',
        `main-box RCD operating time ${String(s)} s must be > ${String(t.min_time_s)} s`,
        [...p, 'operating_time_s'],
        t.clause,
        {
          actual: s,
          limit: t.min_time_s,
          unit: 's',
        },
      ),
    );
  }
  const product = i * s;
  // Tolerance for binary floating point (e.g. 300 × 0.1 = 30.000000000000004).
  if (product > t.max_product_ma_s + 1e-9) {
    out.push(
      finding(
        rs,
        'R4',
        'R4_MAIN_BOX_RCD_PRODUCT',
        'error',
        `main-box RCD IΔn·t = ${String(i)} mA × ${String(s)} s = ${String(Math.round(product * 1000) / 1000)} mA·s > ${String(t.max_product_ma_s)} mA·s`,
        p,
        t.clause,
        { actual: product, limit: t.max_product_ma_s, unit: 'mA·s' },
      ),
    );
  }
  return outcome(out);
}

/** R5 (JGJ 46-2005 8.1.2, "不得超过"): distribution box → switch box ≤ 30 m. */
export function checkR5SwitchBoxDistance(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const clause = ruleSupplement(rs).distances_clause;
  if (clause === null) return outcome([], [{ rule: 'R5', reason: `not part of ${rs.edition}` }]);
  const v = d?.distribution_to_switch_box_m;
  if (v === undefined)
    return outcome([], [{ rule: 'R5', reason: 'distribution_to_switch_box_m not declared' }]);
  const limit = rs.distribution_to_switch_box_max_m;
  if (v <= limit) return outcome();
  return outcome([
    finding(
      rs,
      'R5',
      'R5_SWITCH_BOX_DISTANCE',
      'error',
      `distribution box to switch box ${String(v)} m > ${String(limit)} m`,
      [...D, 'distribution_to_switch_box_m'],
      clause,
      {
        actual: v,
        limit,
        unit: 'm',
      },
    ),
  ]);
}

/** R5a (JGJ 46-2005 8.1.2, "不宜超过" — should): switch box → fixed equipment ≤ 3 m; a warning. */
export function checkR5aEquipmentDistance(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const clause = ruleSupplement(rs).distances_clause;
  if (clause === null) return outcome([], [{ rule: 'R5a', reason: `not part of ${rs.edition}` }]);
  const v = d?.switch_box_to_equipment_m;
  if (v === undefined)
    return outcome([], [{ rule: 'R5a', reason: 'switch_box_to_equipment_m not declared' }]);
  const limit = rs.switch_box_to_equipment_max_m;
  if (v <= limit) return outcome();
  return outcome([
    finding(
      rs,
      'R5a',
      'R5A_EQUIPMENT_DISTANCE',
      'warning',
      `switch box to equipment ${String(v)} m > ${String(limit)} m (should not exceed)`,
      [...D, 'switch_box_to_equipment_m'],
      clause,
      {
        actual: v,
        limit,
        unit: 'm',
      },
    ),
  ]);
}

/** R9 (JGJ 46-2005 7.2.1): a three-phase four-wire (TN-S) feeder must be a five-core cable. */
export function checkR9FiveCore(
  feeder: FeederDesign | undefined,
  feederPath: (string | number)[],
  rs: RuleSet,
): RuleOutcome {
  const rule = ruleSupplement(rs).five_core;
  if (rule === null) return outcome([], [{ rule: 'R9', reason: `not part of ${rs.edition}` }]);
  if (feeder?.cores === undefined) return outcome([], [{ rule: 'R9', reason: 'feeder cores not declared' }]);
  if (feeder.cores === rule.cores) return outcome();
  return outcome([
    finding(
      rs,
      'R9',
      'R9_FIVE_CORE_CABLE',
      'error',
      `a three-phase four-wire feeder needs a ${String(rule.cores)}-core cable (declared ${String(feeder.cores)} cores)`,
      [...feederPath, 'cores'],
      rule.clause,
      {
        actual: feeder.cores,
        limit: rule.cores,
        unit: 'cores',
      },
    ),
  ]);
}

/** R10 (JGJ 46-2005 7.2.3): a direct-buried cable lies ≥ 0.7 m deep. */
export function checkR10BurialDepth(
  feeder: FeederDesign | undefined,
  feederPath: (string | number)[],
  rs: RuleSet,
): RuleOutcome {
  const clause = ruleSupplement(rs).burial_clause;
  if (clause === null) return outcome([], [{ rule: 'R10', reason: `not part of ${rs.edition}` }]);
  if (feeder === undefined) return outcome([], [{ rule: 'R10', reason: 'feeder not declared' }]);
  if (feeder.installation !== 'buried') return outcome();
  if (feeder.burial_depth_m === undefined)
    return outcome([], [{ rule: 'R10', reason: 'burial_depth_m not declared' }]);
  const limit = rs.min_burial_depth_m;
  if (feeder.burial_depth_m >= limit) return outcome();
  return outcome([
    finding(
      rs,
      'R10',
      'R10_BURIAL_DEPTH',
      'error',
      `buried cable depth ${String(feeder.burial_depth_m)} m < ${String(limit)} m`,
      [...feederPath, 'burial_depth_m'],
      clause,
      {
        actual: feeder.burial_depth_m,
        limit,
        unit: 'm',
      },
    ),
  ]);
}

/** R11 (JGJ 46-2005 5.3.2): each repeated earth of the PE conductor ≤ 10 Ω. */
export function checkR11RepeatedEarth(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const clause = ruleSupplement(rs).repeated_earth_clause;
  if (clause === null) return outcome([], [{ rule: 'R11', reason: `not part of ${rs.edition}` }]);
  const v = d?.repeated_earth_resistance_ohm;
  if (v === undefined)
    return outcome([], [{ rule: 'R11', reason: 'repeated_earth_resistance_ohm not declared' }]);
  const limit = rs.max_repeated_earth_resistance_ohm;
  if (v <= limit) return outcome();
  return outcome([
    finding(
      rs,
      'R11',
      'R11_REPEATED_EARTH_RESISTANCE',
      'error',
      `repeated-earth resistance ${String(v)} Ω > ${String(limit)} Ω`,
      [...D, 'repeated_earth_resistance_ohm'],
      clause,
      {
        actual: v,
        limit,
        unit: 'ohm',
      },
    ),
  ]);
}

/** R13 (JGJ 46-2005 10.2.2, clause number unconfirmed): lighting supply ≤ 36 / 24 / 12 V by location. */
export function checkR13LightingVoltage(d: DistributionDesign | undefined, rs: RuleSet): RuleOutcome {
  const rule = ruleSupplement(rs).lighting;
  if (rule === null) return outcome([], [{ rule: 'R13', reason: `not part of ${rs.edition}` }]);
  const l = d?.lighting;
  if (l === undefined) return outcome([], [{ rule: 'R13', reason: 'lighting not declared' }]);
  const limit = rule.limits_v[l.location];
  if (limit === null || l.voltage_v <= limit) return outcome();
  return outcome([
    finding(
      rs,
      'R13',
      'R13_LIGHTING_VOLTAGE',
      'error',
      `lighting in a ${l.location.replace(/_/g, ' ')} location at ${String(l.voltage_v)} V > ${String(limit)} V`,
      [...D, 'lighting', 'voltage_v'],
      rule.clause,
      {
        actual: l.voltage_v,
        limit,
        unit: 'V',
      },
    ),
  ]);
}

function validateRuleInput(input: RuleInput): void {
  const issues: FieldIssue[] = [];
  const nonNeg = (path: (string | number)[], v: number | undefined, strict = false) => {
    if (v !== undefined && (!Number.isFinite(v) || (strict ? v <= 0 : v < 0))) {
      issues.push({ path, message: `must be a finite number ${strict ? '> 0' : '≥ 0'}` });
    }
  };
  const d = input.distribution;
  if (d !== undefined) {
    for (const key of ['switch_box_rcd', 'main_box_rcd'] as const) {
      const r = d[key];
      if (r !== undefined) {
        nonNeg(['distribution', key, 'rated_residual_current_ma'], r.rated_residual_current_ma, true);
        nonNeg(['distribution', key, 'operating_time_s'], r.operating_time_s);
      }
    }
    nonNeg(['distribution', 'distribution_to_switch_box_m'], d.distribution_to_switch_box_m);
    nonNeg(['distribution', 'switch_box_to_equipment_m'], d.switch_box_to_equipment_m);
    nonNeg(['distribution', 'repeated_earth_resistance_ohm'], d.repeated_earth_resistance_ohm);
    if (d.lighting !== undefined) {
      nonNeg(['distribution', 'lighting', 'voltage_v'], d.lighting.voltage_v, true);
      if (!(d.lighting.location in JGJ_LIGHTING_LIMITS_V)) {
        issues.push({
          path: ['distribution', 'lighting', 'location'],
          message: `unknown location ${String(d.lighting.location)}`,
        });
      }
    }
  }
  const o = input.organisation;
  if (o !== undefined) {
    if (!Number.isInteger(o.device_count) || o.device_count < 0) {
      issues.push({ path: ['organisation', 'device_count'], message: 'must be an integer ≥ 0' });
    }
    nonNeg(['organisation', 'installed_power_kw'], o.installed_power_kw);
  }
  const f = input.feeder;
  const fp = input.feeder_path ?? ['feeder'];
  if (f !== undefined) {
    if (f.cores !== undefined && (!Number.isInteger(f.cores) || f.cores < 1))
      issues.push({ path: [...fp, 'cores'], message: 'must be an integer ≥ 1' });
    nonNeg([...fp, 'burial_depth_m'], f.burial_depth_m);
  }
  assertNoIssues(issues);
}

/**
 * Runs every JGJ 46 rule of DOMAIN.md §2 that this engine checks on a declared design.
 *
 * @param input declared distribution design (scenario field names), organisation figures, feeder cable
 * @param rs rule set: limits, clauses, edition
 * @throws DomainError `validation_failed` on negative or non-finite declared values
 */
export function checkRules(input: RuleInput, rs: RuleSet): RuleOutcome {
  validateRuleInput(input);
  const d = input.distribution;
  const feederPath = input.feeder_path ?? ['feeder'];
  const parts = [
    checkR1OrganisationDesign(input.organisation, rs),
    checkR2Earthing(d, rs),
    checkR3SwitchBoxRcd(d, rs),
    checkR4MainBoxRcd(d, rs),
    checkR5SwitchBoxDistance(d, rs),
    checkR5aEquipmentDistance(d, rs),
    checkR9FiveCore(input.feeder, feederPath, rs),
    checkR10BurialDepth(input.feeder, feederPath, rs),
    checkR11RepeatedEarth(d, rs),
    checkR13LightingVoltage(d, rs),
  ];
  return {
    findings: parts.flatMap((p) => p.findings),
    not_checked: parts.flatMap((p) => p.not_checked),
  };
}
