/**
 * Main entry of the feeder and protection engine: one feeder with its load, optional declared cable and
 * breaker, and the declared distribution design → design current, cable (checked or sized), voltage drop by
 * both forms, breaker, every rule finding, `compliant`, and a trace of every table value used.
 */
import { BREAKER_RATINGS_SOURCE, CONVENTIONAL_TRIPPING_FACTOR } from '../catalog/breakers.js';
import type { BreakerStandard } from '../catalog/breakers.js';
import { CABLE_CATALOGUE } from '../catalog/cables.js';
import type { RuleSet, RuleSetId } from '../catalog/rule-sets.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import type { CableCheckName, CableConditions, CableEvaluation, FeederLoad } from './cable-sizing.js';
import { designCurrentA, evaluateCable, requiredCurrentForProtectionA, sizeCable } from './cable-sizing.js';
import {
  FUSE_CONVENTIONAL_FUSING_SOURCE,
  JGJ46_FUSE_CLAUSE,
  JGJ46_FUSE_MAX_AMPACITY_MULTIPLE,
  JGJ46_FUSE_SOURCE,
} from '../catalog/fuses.js';
import type { BreakerCheck, FuseCheck, FuseCondition, OverloadCondition } from './protection.js';
import {
  checkFuse,
  FUSE_CONDITION_TEXT,
  OVERLOAD_CONDITION_TEXT,
  requiredCurrentForFuseA,
  selectBreaker,
} from './protection.js';
import type { DistributionDesign, FeederDesign, OrganisationDeclaration } from './rules.js';
import { checkRules, ruleSupplement } from './rules.js';
import type { Finding, RuleNotChecked, TraceEntry } from './types.js';
import type { CircuitKind } from './voltage-drop.js';
import { SQRT3 } from '../units.js';

export const FEEDER_ENGINE_VERSION = 'tpp-feeder-1.0.0';

export interface FeederCheckInput {
  load: FeederLoad;
  /** The feeder cable; if absent, `distribution.feeder` (the scenario's place for it) is used. */
  feeder?: FeederDesign;
  breaker?: { rated_current_a: number; standard?: BreakerStandard };
  /**
   * A declared gG fuse as the feeder's protective device (instead of a breaker): overload protection by
   * default; `overload_protection: false` = short-circuit protection only (JGJ 46 In ≤ 2.5·Iz).
   */
  fuse?: { rated_current_a: number; overload_protection?: boolean };
  distribution?: DistributionDesign;
  organisation?: OrganisationDeclaration;
  /** Overrides the rule set's budget (e.g. the 7 % handbook budget). */
  voltage_drop_budget_percent?: number;
  /**
   * Overrides the rule set's nominal LV voltage, V: line-to-line for a three-phase circuit, the phase voltage
   * U₀ for a single-phase one (default U/√3).
   */
  voltage_v?: number;
  /** Default three-phase; a single-phase (220/230 V) circuit counts the go and return conductor in ΔU. */
  circuit?: CircuitKind;
}

export interface FeederCheckResult {
  engine_version: string;
  rule_set: { id: RuleSetId; edition: string };
  cable_catalogue_version: string;
  voltage_v: number;
  circuit: CircuitKind;
  voltage_drop_budget_percent: number;
  /** Ib = S/(√3·U) three-phase, S/U₀ single-phase, A. */
  design_current_a: number;
  /** The checked (declared size) or chosen (sized) cable; null when there is no feeder or nothing fits. */
  cable: CableEvaluation | null;
  /** 'declared' = the caller's size was checked; 'sized' = chosen by the engine; 'none' = no feeder given. */
  cable_origin: 'declared' | 'sized' | 'none';
  /** When sizing failed: the largest size evaluated and the checks it still fails. */
  sizing_failure: { largest: CableEvaluation | null; failing: CableCheckName[]; message: string } | null;
  voltage_drop: {
    impedance_percent: number;
    resistive_percent: number;
    reactive_percent: number;
    load_moment_percent: number;
    load_moment_c: number;
    budget_percent: number;
    ok: boolean;
  } | null;
  breaker: BreakerCheck;
  /** The declared gG fuse's check; null when no fuse is declared. */
  fuse: FuseCheck | null;
  findings: Finding[];
  not_checked: RuleNotChecked[];
  compliant: boolean;
  trace: TraceEntry[];
}

const FUSE_CODES: Record<FuseCondition, string> = {
  ib_le_in: 'FUSE_BELOW_DESIGN_CURRENT',
  in_le_iz: 'FUSE_ABOVE_AMPACITY',
  i2_le_1_45_iz: 'FUSE_CONVENTIONAL_FUSING',
  jgj_in_le_2_5_iz: 'FUSE_ABOVE_2_5_AMPACITY',
};

const BREAKER_CODES: Record<OverloadCondition, string> = {
  ib_le_in: 'BREAKER_BELOW_DESIGN_CURRENT',
  in_le_iz: 'BREAKER_ABOVE_AMPACITY',
  i2_le_1_45_iz: 'BREAKER_CONVENTIONAL_TRIPPING',
};

function validateTop(input: FeederCheckInput): void {
  const issues: FieldIssue[] = [];
  const { active_power_kw: p, reactive_power_kvar: q } = input.load;
  if (!Number.isFinite(p) || p < 0)
    issues.push({ path: ['load', 'active_power_kw'], message: 'must be a finite number ≥ 0' });
  if (!Number.isFinite(q))
    issues.push({ path: ['load', 'reactive_power_kvar'], message: 'must be a finite number' });
  const b = input.voltage_drop_budget_percent;
  if (b !== undefined && (!Number.isFinite(b) || b <= 0))
    issues.push({ path: ['voltage_drop_budget_percent'], message: 'must be > 0' });
  const v = input.voltage_v;
  if (v !== undefined && (!Number.isFinite(v) || v <= 0))
    issues.push({ path: ['voltage_v'], message: 'must be > 0' });
  if (input.fuse !== undefined && input.breaker !== undefined)
    issues.push({ path: ['fuse'], message: 'declare either a breaker or a fuse as the protective device' });
  const fr = input.fuse?.rated_current_a;
  if (fr !== undefined && (!Number.isFinite(fr) || fr <= 0))
    issues.push({ path: ['fuse', 'rated_current_a'], message: 'must be > 0' });
  if (input.feeder !== undefined && input.distribution?.feeder !== undefined) {
    issues.push({
      path: ['feeder'],
      message: 'give the feeder either at top level or in distribution.feeder, not both',
    });
  }
  assertNoIssues(issues);
}

/**
 * Checks (or sizes) one feeder and its protection and runs the JGJ 46 rules on the declared design.
 *
 * Cable: a declared `cross_section_mm2` is judged on ampacity (Iz ≥ Ib), voltage drop and mechanical minimum;
 * without one the smallest size with Iz ≥ In (the breaker's rating, so Ib ≤ In ≤ Iz can hold) that also
 * meets voltage drop and the mechanical minimum is chosen (DOMAIN.md §4.1–4.4).
 *
 * @param input load (P kW, Q kvar), feeder (m, mm², °C), breaker (A), distribution design, organisation figures
 * @param rs rule set: voltage (V), ΔU budget (%), RCD/earthing/distance limits and clauses, edition
 * @throws DomainError `validation_failed` / `invalid_quantity` on invalid input
 */
export function checkFeeder(input: FeederCheckInput, rs: RuleSet): FeederCheckResult {
  validateTop(input);
  const sup = ruleSupplement(rs);
  const circuit: CircuitKind = input.circuit ?? 'three_phase';
  const voltage =
    input.voltage_v ??
    (circuit === 'single_phase' ? rs.nominal_lv_voltage_v / SQRT3 : rs.nominal_lv_voltage_v);
  const budget = input.voltage_drop_budget_percent ?? rs.voltage_drop_budget_percent;
  const ib = designCurrentA(input.load, voltage, circuit);
  const feeder = input.feeder ?? input.distribution?.feeder;
  const feederPath = input.feeder !== undefined ? ['feeder'] : ['distribution', 'feeder'];

  const trace: TraceEntry[] = [
    { name: 'rule set', value: rs.edition, unit: null, source: rs.title },
    {
      name: 'nominal voltage U',
      value: voltage,
      unit: 'V',
      source: input.voltage_v === undefined ? `${rs.edition} nominal LV voltage` : 'declared by the caller',
    },
    {
      name: 'voltage-drop budget',
      value: budget,
      unit: '%',
      source:
        input.voltage_drop_budget_percent === undefined
          ? `${rs.edition}: ${sup.voltage_drop_clause}`
          : 'declared by the caller',
    },
    circuit === 'single_phase'
      ? { name: 'Ib = √(P² + Q²)/U₀ (single-phase)', value: ib, unit: 'A', source: 'DOMAIN.md §1.2, §4.1' }
      : { name: 'Ib = √(P² + Q²)/(√3·U)', value: ib, unit: 'A', source: 'DOMAIN.md §1.2' },
    { name: 'cable catalogue', value: CABLE_CATALOGUE.version, unit: null, source: CABLE_CATALOGUE.source },
  ];

  const findings: Finding[] = [];
  const notChecked: RuleNotChecked[] = [];
  const fnd = (f: Omit<Finding, 'edition'>): void => {
    findings.push({ ...f, edition: rs.edition });
  };

  let cable: CableEvaluation | null = null;
  let origin: FeederCheckResult['cable_origin'] = 'none';
  let sizingFailure: FeederCheckResult['sizing_failure'] = null;

  if (feeder === undefined) {
    notChecked.push({ rule: 'R8', reason: 'no feeder declared: ampacity and voltage drop not checked' });
  } else {
    const conditions: CableConditions = {
      conductor: feeder.conductor,
      insulation: feeder.insulation,
      installation: feeder.installation,
      length_m: feeder.length_m,
      ...(feeder.ambient_temperature_c === undefined
        ? {}
        : { ambient_temperature_c: feeder.ambient_temperature_c }),
      ...(feeder.grouped_circuits === undefined ? {} : { grouped_circuits: feeder.grouped_circuits }),
      ...(feeder.parallel_count === undefined ? {} : { parallel_count: feeder.parallel_count }),
      ...(feeder.conductor_temperature_c === undefined
        ? {}
        : { conductor_temperature_c: feeder.conductor_temperature_c }),
      ...(feeder.mechanical_context === undefined ? {} : { mechanical_context: feeder.mechanical_context }),
    };
    if (feeder.cross_section_mm2 !== undefined) {
      if (!Number.isFinite(feeder.cross_section_mm2) || feeder.cross_section_mm2 <= 0) {
        assertNoIssues([{ path: [...feederPath, 'cross_section_mm2'], message: 'must be > 0' }]);
      }
      origin = 'declared';
      cable = evaluateCable(input.load, conditions, feeder.cross_section_mm2, {
        voltage_v: voltage,
        voltage_drop_budget_percent: budget,
        circuit,
      });
      if (cable === null) {
        notChecked.push({
          rule: 'R8',
          reason: `no catalogue data for ${feeder.conductor} ${feeder.insulation} ${feeder.installation} ${String(feeder.cross_section_mm2)} mm²`,
        });
        fnd({
          code: 'FEEDER_NOT_IN_CATALOGUE',
          rule: 'R8',
          severity: 'warning',
          message: `the declared ${String(feeder.cross_section_mm2)} mm² ${feeder.conductor} ${feeder.insulation} cable (${feeder.installation}) is not in the catalogue ${CABLE_CATALOGUE.version}: not checked`,
          path: [...feederPath, 'cross_section_mm2'],
          clause: sup.ampacity_clause,
          values: { actual: feeder.cross_section_mm2, limit: null, unit: 'mm^2' },
        });
      }
    } else {
      const required =
        input.fuse !== undefined
          ? requiredCurrentForFuseA(ib, input.fuse)
          : Math.max(ib, input.breaker?.rated_current_a ?? requiredCurrentForProtectionA(ib));
      const sized = sizeCable(input.load, conditions, {
        voltage_v: voltage,
        voltage_drop_budget_percent: budget,
        circuit,
        required_current_a: required,
      });
      origin = 'sized';
      if (sized.ok) {
        cable = sized.cable;
      } else {
        sizingFailure = { largest: sized.largest, failing: sized.failing, message: sized.message };
        const first = sized.failing[0] ?? 'ampacity';
        fnd({
          code: 'FEEDER_NO_SIZE',
          rule: 'R8',
          severity: 'error',
          message: `${sized.message}; shorten the route, split the load, use parallel cables or another supply point`,
          path: [...feederPath, 'length_m'],
          clause: first === 'voltage_drop' ? sup.voltage_drop_clause : sup.ampacity_clause,
          values:
            sized.largest === null
              ? { actual: null, limit: null, unit: null }
              : first === 'voltage_drop'
                ? { actual: sized.largest.voltage_drop_percent, limit: budget, unit: '%' }
                : { actual: sized.largest.required_current_a, limit: sized.largest.ampacity_a, unit: 'A' },
        });
      }
    }

    if (cable !== null) {
      trace.push(...cable.trace);
      if (origin === 'declared') {
        if (!cable.checks.ampacity) {
          fnd({
            code: 'FEEDER_AMPACITY',
            rule: 'R8',
            severity: 'error',
            message: `Ib ${ib.toFixed(1)} A exceeds the cable's ampacity Iz ${cable.ampacity_a.toFixed(1)} A (${String(cable.cross_section_mm2)} mm² ${cable.conductor} ${cable.insulation}, ${cable.installation}: I0 ${String(cable.base_ampacity_a)} A × k ${cable.derating_factor.toFixed(2)})`,
            path: [...feederPath, 'cross_section_mm2'],
            clause: sup.ampacity_clause,
            values: { actual: ib, limit: cable.ampacity_a, unit: 'A' },
          });
        }
        if (!cable.checks.voltage_drop) {
          fnd({
            code: 'FEEDER_VOLTAGE_DROP',
            rule: 'R8',
            severity: 'error',
            message: `voltage drop ${cable.voltage_drop_percent.toFixed(2)} % over ${String(cable.length_m)} m exceeds the ${String(budget)} % budget (load-moment form: ${cable.load_moment_voltage_drop_percent.toFixed(2)} %)`,
            path: [...feederPath, 'length_m'],
            clause: sup.voltage_drop_clause,
            values: { actual: cable.voltage_drop_percent, limit: budget, unit: '%' },
          });
        }
        if (!cable.checks.mechanical_minimum) {
          const rule = cable.mechanical_context === 'indoor' ? 'R14' : 'R8';
          fnd({
            code: 'FEEDER_MECHANICAL_MINIMUM',
            rule,
            severity: 'error',
            message: `${String(cable.cross_section_mm2)} mm² ${cable.conductor} is below the mechanical minimum ${String(cable.mechanical_minimum_mm2)} mm² (${cable.mechanical_context})`,
            path: [...feederPath, 'cross_section_mm2'],
            clause: `${sup.mechanical_clause_prefix} ${rule === 'R14' ? '7.3.5' : '7.1.3'}`,
            values: { actual: cable.cross_section_mm2, limit: cable.mechanical_minimum_mm2, unit: 'mm^2' },
          });
        }
      }
    }
  }

  // Protection. With a cable whose Iz < Ib no automatic rating can exist; FEEDER_AMPACITY already says so.
  const iz = cable?.ampacity_a ?? null;
  const breaker = selectBreaker({
    design_current_a: ib,
    ampacity_a: iz,
    ...(input.breaker === undefined ? {} : { declared: input.breaker }),
  });
  trace.push({
    name: 'breaker rating list',
    value: 'IEC R10-derived steps 16…3200 A',
    unit: 'A',
    source: BREAKER_RATINGS_SOURCE.source + ' — ' + (BREAKER_RATINGS_SOURCE.note ?? ''),
  });
  if (breaker.standard !== null) {
    trace.push({
      name: `I2/In (${breaker.standard})`,
      value: CONVENTIONAL_TRIPPING_FACTOR[breaker.standard],
      unit: null,
      source:
        breaker.standard === 'IEC60898'
          ? 'IEC 60898-1 conventional tripping current 1.45·In'
          : 'IEC 60947-2 conventional tripping current 1.3·In',
    });
  }
  const cableTooSmall = iz !== null && iz < ib;
  let fuse: FuseCheck | null = null;
  if (input.fuse !== undefined) {
    fuse = checkFuse({
      design_current_a: ib,
      ampacity_a: iz,
      rated_current_a: input.fuse.rated_current_a,
      ...(input.fuse.overload_protection === undefined
        ? {}
        : { overload_protection: input.fuse.overload_protection }),
    });
    trace.push(
      {
        name: `gG fuse I2/In (In ${String(fuse.rated_current_a)} A)`,
        value: fuse.conventional_fusing_current_a / fuse.rated_current_a,
        unit: null,
        source: FUSE_CONVENTIONAL_FUSING_SOURCE.source,
      },
      {
        name: 'JGJ 46 fuse limit In ≤ k·Iz',
        value: JGJ46_FUSE_MAX_AMPACITY_MULTIPLE,
        unit: null,
        source: JGJ46_FUSE_SOURCE.source,
      },
    );
    for (const cond of ['ib_le_in', 'in_le_iz', 'i2_le_1_45_iz', 'jgj_in_le_2_5_iz'] as const) {
      if (fuse.conditions[cond] !== false) continue;
      const jgj = cond === 'jgj_in_le_2_5_iz';
      fnd({
        code: FUSE_CODES[cond],
        rule: jgj ? 'R14' : 'OVERLOAD',
        severity: 'error',
        message: `${fuse.message.split(' violates ')[0] ?? ''} violates ${FUSE_CONDITION_TEXT[cond]}`,
        path: ['fuse', 'rated_current_a'],
        clause: jgj ? JGJ46_FUSE_CLAUSE : `${sup.overload_clause}; IEC 60269-1 Table 2 (I2 = 1.6·In)`,
        values:
          cond === 'ib_le_in'
            ? { actual: ib, limit: fuse.rated_current_a, unit: 'A' }
            : cond === 'i2_le_1_45_iz'
              ? {
                  actual: fuse.conventional_fusing_current_a,
                  limit: iz === null ? null : 1.45 * iz,
                  unit: 'A',
                }
              : {
                  actual: fuse.rated_current_a,
                  limit: iz === null ? null : jgj ? JGJ46_FUSE_MAX_AMPACITY_MULTIPLE * iz : iz,
                  unit: 'A',
                },
      });
    }
  }
  // With a declared fuse the breaker is not the protective device: its automatic choice is informative only.
  if (fuse === null && !breaker.ok && breaker.binding !== null && (breaker.declared || !cableTooSmall)) {
    const cond = breaker.binding;
    const declared = breaker.declared;
    const values: Finding['values'] =
      cond === 'ib_le_in'
        ? { actual: ib, limit: breaker.rated_current_a, unit: 'A' }
        : cond === 'in_le_iz'
          ? { actual: breaker.declared ? breaker.rated_current_a : null, limit: iz, unit: 'A' }
          : {
              actual: breaker.conventional_tripping_current_a,
              limit: iz === null ? null : 1.45 * iz,
              unit: 'A',
            };
    fnd({
      code: declared ? BREAKER_CODES[cond] : 'BREAKER_NO_STANDARD_RATING',
      rule: 'OVERLOAD',
      severity: 'error',
      message: declared ? `${breaker.message} (${OVERLOAD_CONDITION_TEXT[cond]})` : breaker.message,
      path: declared
        ? ['breaker', 'rated_current_a']
        : feeder === undefined
          ? ['load']
          : [...feederPath, 'cross_section_mm2'],
      clause: sup.overload_clause,
      values,
    });
  }

  const rules = checkRules(
    {
      ...(input.distribution === undefined ? {} : { distribution: input.distribution }),
      ...(input.organisation === undefined ? {} : { organisation: input.organisation }),
      ...(feeder === undefined ? {} : { feeder }),
      feeder_path: feederPath,
    },
    rs,
  );
  findings.push(...rules.findings);
  notChecked.push(...rules.not_checked);

  return {
    engine_version: FEEDER_ENGINE_VERSION,
    rule_set: { id: rs.id, edition: rs.edition },
    cable_catalogue_version: CABLE_CATALOGUE.version,
    voltage_v: voltage,
    circuit,
    voltage_drop_budget_percent: budget,
    design_current_a: ib,
    cable,
    cable_origin: origin,
    sizing_failure: sizingFailure,
    voltage_drop:
      cable === null
        ? null
        : {
            impedance_percent: cable.voltage_drop_percent,
            resistive_percent: cable.voltage_drop_resistive_percent,
            reactive_percent: cable.voltage_drop_reactive_percent,
            load_moment_percent: cable.load_moment_voltage_drop_percent,
            load_moment_c: cable.load_moment_c,
            budget_percent: budget,
            ok: cable.checks.voltage_drop,
          },
    breaker,
    fuse,
    findings,
    not_checked: notChecked,
    compliant: !findings.some((f) => f.severity === 'error'),
    trace,
  };
}
