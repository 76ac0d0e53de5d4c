/**
 * Cable evaluation and sizing for one three-phase LV feeder (DOMAIN.md §4.1–4.3, §0 item 6).
 *
 * A cable passes when
 *   ampacity:          Iz = I0·k_θ·k_g ≥ I_required (Ib, or the protective device's In so that Ib ≤ In ≤ Iz can hold),
 *   voltage drop:      ΔU% (impedance form, R0 at the conductor temperature) ≤ budget,
 *   mechanical minimum: S ≥ JGJ 46 minimum for the context (R8 overhead, R14 indoor).
 */
import {
  AMPACITY_SOURCE,
  MAX_CONDUCTOR_TEMPERATURE_C,
  MAX_GROUPED_CIRCUITS,
  MAX_PARALLEL_CABLES,
  MIN_PARALLEL_CROSS_SECTION_MM2,
  MECHANICAL_MINIMUM_MM2,
  REACTANCE_OHM_PER_KM,
  REACTANCE_SOURCE,
  RESISTANCE_SOURCE,
  TEMPERATURE_COEFFICIENT_PER_K,
  ambientTemperatureFactor,
  baseAmpacityA,
  defaultMechanicalContext,
  groupingFactor,
  referenceAmbientC,
  resistance20OhmPerKm,
  tabulatedCrossSections,
} from '../catalog/cables.js';
import type { Conductor, Installation, Insulation, MechanicalContext } from '../catalog/cables.js';
import { smallestRatingAtLeast } from '../catalog/breakers.js';
import { ruleSet } from '../catalog/rule-sets.js';
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import { SQRT3, apparentPowerKva, threePhaseCurrentA } from '../units.js';
import type { TraceEntry } from './types.js';
import { loadMomentVoltageDropPercent, voltageDropPercent, type CircuitKind } from './voltage-drop.js';

/** The load at the far end of the feeder. */
export interface FeederLoad {
  active_power_kw: number;
  reactive_power_kvar: number;
  /**
   * A floor on the design current, A: the demand engine's `design_current.current_a` (the largest motor's
   * full-load current plus the others' demand, DOMAIN.md "Product decisions"). Ib = max(S/(√3·U), this).
   */
  design_current_a?: number;
}

/** Cable type and laying conditions. */
export interface CableConditions {
  conductor: Conductor;
  insulation: Insulation;
  installation: Installation;
  length_m: number;
  /** Ambient air (clipped/air) or ground (buried) temperature, °C; default the table's reference (30/20 °C). */
  ambient_temperature_c?: number;
  /** Circuits laid together, this one included (counted once); default 1. */
  grouped_circuits?: number;
  /**
   * n identical cables in parallel per circuit (IEC 60364-5-52 523.7); default 1. The n cables lie together,
   * so the group counts grouped_circuits + n − 1 circuits; Iz = n·I0·k_θ·k_g, R and X are divided by n.
   */
  parallel_count?: number;
  /** Temperature for R0, °C; default the insulation's maximum (90 °C XLPE, 70 °C PVC) — conservative. */
  conductor_temperature_c?: number;
  /** Which mechanical minimum applies; default by installation ({@link defaultMechanicalContext}). */
  mechanical_context?: MechanicalContext;
}

export interface CableCriteria {
  /** Nominal line-to-line voltage, V; for a single-phase circuit the phase voltage U₀ (220/230 V). */
  voltage_v: number;
  /** Default three-phase. Single-phase: Ib = S/U₀ and ΔU counts the go and return conductor. */
  circuit?: CircuitKind;
  voltage_drop_budget_percent: number;
  /** Current the cable must carry, A; default the design current Ib. */
  required_current_a?: number;
  /** Sizing only: the most cables in parallel tried when no single cable fits; default {@link MAX_PARALLEL_CABLES}. */
  max_parallel_count?: number;
}

export type CableCheckName = 'ampacity' | 'voltage_drop' | 'mechanical_minimum';

export interface CableEvaluation {
  conductor: Conductor;
  insulation: Insulation;
  installation: Installation;
  cross_section_mm2: number;
  /** n cables in parallel (n × cross_section_mm2 per phase). */
  parallel_count: number;
  length_m: number;
  design_current_a: number;
  required_current_a: number;
  base_ampacity_a: number;
  ambient_temperature_c: number;
  ambient_factor: number;
  grouped_circuits: number;
  grouping_factor: number;
  derating_factor: number;
  /** Iz = n·I0·k_θ·k_g, A (all parallel cables together). */
  ampacity_a: number;
  /** I0·k_θ·k_g of one cable, A. */
  ampacity_per_cable_a: number;
  conductor_temperature_c: number;
  r20_ohm_per_km: number;
  r0_ohm_per_km: number;
  x0_ohm_per_km: number;
  voltage_drop_percent: number;
  voltage_drop_resistive_percent: number;
  voltage_drop_reactive_percent: number;
  voltage_drop_budget_percent: number;
  /** ε% = P·L/(C·S), for comparison only. */
  load_moment_voltage_drop_percent: number;
  load_moment_c: number;
  mechanical_context: MechanicalContext;
  mechanical_minimum_mm2: number;
  checks: Record<CableCheckName, boolean>;
  ok: boolean;
  trace: TraceEntry[];
}

export type CableSizingResult =
  | { ok: true; cable: CableEvaluation; sizes_tried: number[] }
  | {
      ok: false;
      cable: null;
      /** The largest tabulated size, evaluated, showing which checks still fail. */
      largest: CableEvaluation | null;
      failing: CableCheckName[];
      message: string;
      sizes_tried: number[];
    };

function validate(load: FeederLoad, c: CableConditions, criteria: CableCriteria): void {
  const issues: FieldIssue[] = [];
  const finite = (path: string[], v: number | undefined, ok: (x: number) => boolean, msg: string) => {
    if (v !== undefined && (!Number.isFinite(v) || !ok(v))) issues.push({ path, message: msg });
  };
  finite(['load', 'active_power_kw'], load.active_power_kw, (x) => x >= 0, 'must be a finite number ≥ 0');
  finite(['load', 'reactive_power_kvar'], load.reactive_power_kvar, () => true, 'must be a finite number');
  finite(['load', 'design_current_a'], load.design_current_a, (x) => x >= 0, 'must be a finite number ≥ 0');
  finite(['length_m'], c.length_m, (x) => x >= 0, 'must be a finite number ≥ 0');
  finite(
    ['grouped_circuits'],
    c.grouped_circuits,
    (x) => Number.isInteger(x) && x >= 1,
    'must be an integer ≥ 1',
  );
  finite(
    ['ambient_temperature_c'],
    c.ambient_temperature_c,
    (x) => x > -50,
    'must be a finite temperature, °C',
  );
  finite(
    ['conductor_temperature_c'],
    c.conductor_temperature_c,
    (x) => x > -50 && x <= 250,
    'must be in (−50, 250] °C',
  );
  finite(['voltage_v'], criteria.voltage_v, (x) => x > 0, 'must be > 0');
  finite(['voltage_drop_budget_percent'], criteria.voltage_drop_budget_percent, (x) => x > 0, 'must be > 0');
  finite(
    ['parallel_count'],
    c.parallel_count,
    (x) => Number.isInteger(x) && x >= 1 && x <= MAX_PARALLEL_CABLES,
    `must be an integer 1…${String(MAX_PARALLEL_CABLES)}`,
  );
  finite(['required_current_a'], criteria.required_current_a, (x) => x >= 0, 'must be ≥ 0');
  assertNoIssues(issues);
}

/**
 * Design current Ib = S/(√3·U), A, for P kW and Q kvar at `voltageV` (DOMAIN.md §1.2), never below the load's
 * `design_current_a` floor (largest motor's full-load current plus the others, DOMAIN.md "Product decisions").
 */
export function designCurrentA(
  load: FeederLoad,
  voltageV: number,
  circuit: CircuitKind = 'three_phase',
): number {
  const s = apparentPowerKva(load.active_power_kw, load.reactive_power_kvar);
  const ijs = circuit === 'single_phase' ? (s * 1000) / voltageV : threePhaseCurrentA(s, voltageV);
  return Math.max(ijs, load.design_current_a ?? 0);
}

/**
 * P and Q of a balanced three-phase load given by its current: P = √3·U·I·cos φ, Q = P·tan φ.
 *
 * @param currentA line current, A
 * @param powerFactor cos φ in (0, 1]
 * @param voltageV line-to-line voltage, V
 */
export function loadFromCurrent(currentA: number, powerFactor: number, voltageV: number): FeederLoad {
  const s = (SQRT3 * voltageV * currentA) / 1000;
  return {
    active_power_kw: s * powerFactor,
    reactive_power_kvar: s * Math.sqrt(1 - powerFactor * powerFactor),
  };
}

/**
 * Evaluates one cross-section against ampacity, voltage drop and mechanical minimum. Returns `null` when
 * the catalogue has no ampacity or resistance for the combination.
 *
 * @param load P kW, Q kvar at the far end
 * @param conditions conductor, insulation, installation, length (m), ambient (°C), grouping
 * @param crossSectionMm2 S, mm²
 * @param criteria voltage (V), ΔU budget (%), required current (A)
 */
export function evaluateCable(
  load: FeederLoad,
  conditions: CableConditions,
  crossSectionMm2: number,
  criteria: CableCriteria,
): CableEvaluation | null {
  validate(load, conditions, criteria);
  const { conductor, insulation, installation, length_m } = conditions;
  const base = baseAmpacityA(conductor, insulation, installation, crossSectionMm2);
  const r20 = resistance20OhmPerKm(conductor, crossSectionMm2);
  if (base === null || r20 === null) return null;

  const ambientC = conditions.ambient_temperature_c ?? referenceAmbientC(installation);
  const kTheta = ambientTemperatureFactor(insulation, installation, ambientC);
  const n = conditions.parallel_count ?? 1;
  const circuits = (conditions.grouped_circuits ?? 1) + n - 1;
  const kGroup = groupingFactor(installation, circuits);
  const derating = kTheta.factor * kGroup.factor;
  const izOne = base * derating;
  const iz = n * izOne;

  const theta = conditions.conductor_temperature_c ?? MAX_CONDUCTOR_TEMPERATURE_C[insulation];
  const alpha = TEMPERATURE_COEFFICIENT_PER_K[conductor];
  const r0 = r20 * (1 + alpha * (theta - 20));
  const x0 = REACTANCE_OHM_PER_KM;

  const vd = voltageDropPercent(
    [
      {
        length_m,
        r0_ohm_per_km: r0 / n,
        x0_ohm_per_km: x0 / n,
        active_power_kw: load.active_power_kw,
        reactive_power_kvar: load.reactive_power_kvar,
      },
    ],
    criteria.voltage_v,
    criteria.circuit ?? 'three_phase',
  );
  const lm = loadMomentVoltageDropPercent(
    [
      {
        distance_m: length_m,
        active_power_kw: load.active_power_kw,
        reactive_power_kvar: load.reactive_power_kvar,
      },
    ],
    conductor,
    n * crossSectionMm2,
    criteria.voltage_v,
    criteria.circuit ?? 'three_phase',
  );

  const context = conditions.mechanical_context ?? defaultMechanicalContext(installation);
  const mech = MECHANICAL_MINIMUM_MM2[context];
  const minMm2 = mech[conductor];

  const single = criteria.circuit === 'single_phase';
  const ib = designCurrentA(load, criteria.voltage_v, criteria.circuit);
  const required = criteria.required_current_a ?? ib;
  const checks: Record<CableCheckName, boolean> = {
    ampacity: iz >= required,
    voltage_drop: vd.voltage_drop_percent <= criteria.voltage_drop_budget_percent,
    mechanical_minimum: crossSectionMm2 >= minMm2,
  };
  const label = `${n > 1 ? `${String(n)} × ` : ''}${conductor} ${insulation} ${installation} ${String(crossSectionMm2)} mm²`;
  const trace: TraceEntry[] = [
    { name: `base ampacity I0 (${label})`, value: base, unit: 'A', source: AMPACITY_SOURCE.source },
    {
      name: `ambient factor k_θ at ${String(ambientC)} °C (table row ${String(kTheta.table_temperature_c)} °C)`,
      value: kTheta.factor,
      unit: null,
      source: kTheta.source.source,
    },
    {
      name: `grouping factor k_g for ${String(circuits)} circuit(s) (table column ${String(kGroup.table_circuits)})`,
      value: kGroup.factor,
      unit: null,
      source: kGroup.source.source,
    },
    {
      name:
        n > 1
          ? `Iz = n·I0·k_θ·k_g (n = ${String(n)} in parallel, grouped as ${String(circuits)} circuits)`
          : 'Iz = I0·k_θ·k_g',
      value: iz,
      unit: 'A',
      source:
        n > 1
          ? 'computed; IEC 60364-5-52 523.7 (parallel conductors), grouping of B.52.17/B.52.18'
          : 'computed',
    },
    {
      name: `R20 (${conductor} ${String(crossSectionMm2)} mm²)`,
      value: r20,
      unit: 'ohm/km',
      source: RESISTANCE_SOURCE.source,
    },
    {
      name: `R0 at ${String(theta)} °C = R20·(1 + ${String(alpha)}·(θ − 20))`,
      value: r0,
      unit: 'ohm/km',
      source:
        conditions.conductor_temperature_c === undefined
          ? 'IEC 60287-1-1 α; θ = maximum conductor temperature of the insulation (conservative)'
          : 'IEC 60287-1-1 α; θ declared by the caller',
    },
    { name: 'X0', value: x0, unit: 'ohm/km', source: REACTANCE_SOURCE.source },
    {
      name: single
        ? `ΔU% = 2·(P·R0${n > 1 ? '/n' : ''} + Q·X0${n > 1 ? '/n' : ''})·L/(10·U₀²), single-phase (go and return conductor)`
        : n > 1
          ? `ΔU% = (P·R0/n + Q·X0/n)·L/(10·U²), n = ${String(n)}`
          : 'ΔU% = (P·R0 + Q·X0)·L/(10·U²)',
      value: vd.voltage_drop_percent,
      unit: '%',
      source: 'DOMAIN.md §4.1 form 1',
    },
    {
      name: `ε% = P·L/(C·S), C = ${String(lm.c)}${lm.c_derived ? ' (scaled by (U/380)²)' : ''}`,
      value: lm.voltage_drop_percent,
      unit: '%',
      source: 'DOMAIN.md §4.1 form 2 (360docs.net/doc/50775180.html), comparison only',
    },
    {
      name: `mechanical minimum (${context})`,
      value: minMm2,
      unit: 'mm^2',
      source:
        mech.rule === 'none'
          ? 'no JGJ minimum for this context; smallest catalogue size'
          : `JGJ 46-2005 ${mech.clause} (${mech.rule})`,
    },
  ];

  return {
    conductor,
    insulation,
    installation,
    cross_section_mm2: crossSectionMm2,
    parallel_count: n,
    length_m,
    design_current_a: ib,
    required_current_a: required,
    base_ampacity_a: base,
    ambient_temperature_c: ambientC,
    ambient_factor: kTheta.factor,
    grouped_circuits: circuits,
    grouping_factor: kGroup.factor,
    derating_factor: derating,
    ampacity_a: iz,
    ampacity_per_cable_a: izOne,
    conductor_temperature_c: theta,
    r20_ohm_per_km: r20,
    r0_ohm_per_km: r0,
    x0_ohm_per_km: x0,
    voltage_drop_percent: vd.voltage_drop_percent,
    voltage_drop_resistive_percent: vd.resistive_percent,
    voltage_drop_reactive_percent: vd.reactive_percent,
    voltage_drop_budget_percent: criteria.voltage_drop_budget_percent,
    load_moment_voltage_drop_percent: lm.voltage_drop_percent,
    load_moment_c: lm.c,
    mechanical_context: context,
    mechanical_minimum_mm2: minMm2,
    checks,
    ok: checks.ampacity && checks.voltage_drop && checks.mechanical_minimum,
    trace,
  };
}

function failingChecks(e: CableEvaluation): CableCheckName[] {
  return (Object.keys(e.checks) as CableCheckName[]).filter((k) => !e.checks[k]);
}

/**
 * The smallest tabulated cross-section that meets ampacity after derating, the voltage-drop budget and the
 * mechanical minimum (DOMAIN.md §0 item 6, §4.3). When none does, the result says which checks still fail
 * at the largest size. ΔU% falls and Iz rises with the size, so the first passing size is the smallest.
 *
 * @param load P kW, Q kvar at the far end
 * @param conditions cable type, length (m), ambient (°C), grouping
 * @param criteria voltage (V), ΔU budget (%), required current (A; default Ib)
 */
export function sizeCable(
  load: FeederLoad,
  conditions: CableConditions,
  criteria: CableCriteria,
): CableSizingResult {
  validate(load, conditions, criteria);
  const sizes = tabulatedCrossSections(conditions.conductor, conditions.insulation, conditions.installation);
  const tried: number[] = [];
  let last: CableEvaluation | null = null;
  // Fewest cables first, then the smallest size: one cable of every size, then 2 × …, up to the limit; a
  // declared parallel_count fixes n. Grouping of n cables is bounded by the tabulated 20 circuits.
  const fixedN = conditions.parallel_count;
  const maxN = Math.min(
    fixedN ?? criteria.max_parallel_count ?? MAX_PARALLEL_CABLES,
    MAX_GROUPED_CIRCUITS - (conditions.grouped_circuits ?? 1) + 1,
  );
  for (let n = fixedN ?? 1; n <= maxN; n += 1) {
    for (const s of sizes) {
      if (n > 1 && fixedN === undefined && s < MIN_PARALLEL_CROSS_SECTION_MM2) continue;
      if (n === 1) tried.push(s);
      const e = evaluateCable(load, { ...conditions, parallel_count: n }, s, criteria);
      if (e === null) continue;
      last = e;
      if (e.ok) return { ok: true, cable: e, sizes_tried: tried };
    }
  }
  const failing = last === null ? [] : failingChecks(last);
  const words: Record<CableCheckName, string> = {
    ampacity:
      last === null
        ? 'ampacity'
        : `ampacity (Iz ${last.ampacity_a.toFixed(1)} A < ${last.required_current_a.toFixed(1)} A)`,
    voltage_drop:
      last === null
        ? 'voltage drop'
        : `voltage drop (${last.voltage_drop_percent.toFixed(2)} % > ${String(last.voltage_drop_budget_percent)} %)`,
    mechanical_minimum: 'mechanical minimum',
  };
  return {
    ok: false,
    cable: null,
    largest: last,
    failing,
    message:
      last === null
        ? 'the catalogue has no size for this conductor/insulation/installation'
        : `no size up to ${last.parallel_count > 1 ? `${String(last.parallel_count)} × ` : ''}${String(last.cross_section_mm2)} mm² meets ${failing.map((f) => words[f]).join(' and ')}`,
    sizes_tried: tried,
  };
}

/**
 * Current the cable must carry so that a standard protective device can satisfy Ib ≤ In ≤ Iz: the smallest
 * standard In ≥ Ib (DOMAIN.md §4.4), or Ib itself above the rating list.
 *
 * @param designCurrentA Ib, A
 */
export function requiredCurrentForProtectionA(designCurrentA: number): number {
  return smallestRatingAtLeast(designCurrentA) ?? designCurrentA;
}

export interface FeederEstimateOptions {
  conductor?: Conductor;
  insulation?: Insulation;
  installation?: Installation;
  /** Default: the JGJ46-2005 rule set's 380 V. */
  voltage_v?: number;
  /** Default: the JGJ46-2005 rule set's 5 %. */
  voltage_drop_budget_percent?: number;
  ambient_temperature_c?: number;
  grouped_circuits?: number;
}

export interface FeederEstimate {
  conductor: Conductor;
  insulation: Insulation;
  installation: Installation;
  cross_section_mm2: number;
  /** n cables in parallel. */
  parallel_count: number;
  voltage_drop_percent: number;
  ampacity_a: number;
  design_current_a: number;
}

/**
 * Quick feeder estimate for the capacity check and the planner: the smallest cable (default Cu XLPE buried,
 * 380 V, 5 % budget from JGJ46-2005) that carries the load — sized for the standard breaker In ≥ Ib — and keeps
 * ΔU within budget at `distanceM`; `null` when no catalogue size does.
 *
 * @param distanceM feeder route length, m
 * @param activePowerKw P, kW
 * @param reactivePowerKvar Q, kvar
 */
export function estimateFeeder(
  distanceM: number,
  activePowerKw: number,
  reactivePowerKvar: number,
  options: FeederEstimateOptions = {},
): FeederEstimate | null {
  const defaults = ruleSet('JGJ46-2005');
  const voltage = options.voltage_v ?? defaults.nominal_lv_voltage_v;
  const load = { active_power_kw: activePowerKw, reactive_power_kvar: reactivePowerKvar };
  const conditions: CableConditions = {
    conductor: options.conductor ?? 'Cu',
    insulation: options.insulation ?? 'XLPE',
    installation: options.installation ?? 'buried',
    length_m: distanceM,
    ...(options.ambient_temperature_c === undefined
      ? {}
      : { ambient_temperature_c: options.ambient_temperature_c }),
    ...(options.grouped_circuits === undefined ? {} : { grouped_circuits: options.grouped_circuits }),
  };
  const ib = designCurrentA(load, voltage);
  const result = sizeCable(load, conditions, {
    voltage_v: voltage,
    voltage_drop_budget_percent: options.voltage_drop_budget_percent ?? defaults.voltage_drop_budget_percent,
    required_current_a: requiredCurrentForProtectionA(ib),
  });
  if (!result.ok) return null;
  const c = result.cable;
  return {
    conductor: c.conductor,
    insulation: c.insulation,
    installation: c.installation,
    cross_section_mm2: c.cross_section_mm2,
    parallel_count: c.parallel_count,
    voltage_drop_percent: c.voltage_drop_percent,
    ampacity_a: c.ampacity_a,
    design_current_a: c.design_current_a,
  };
}
