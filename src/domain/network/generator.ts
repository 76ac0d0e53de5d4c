/**
 * Generator sizing for the days before a supply point is energised (DOMAIN.md §6.4; Cummins T-030 method):
 *
 *   running:   S_gen ≥ S_run/ℓ_max                      (ℓ_max: continuous loading, default 0.8 of the prime rating)
 *   real power: P_gen = 0.8·S_gen ≥ P_run/ℓ_max          (ratings at cos φ 0.8, ISO 8528-1)
 *   motor start transient dip, the starting motor as an impedance on the alternator's subtransient reactance:
 *              d = x''d·S_st/(S_gen + x''d·S_st) ≤ d_max  ⇔  S_gen ≥ x''d·S_st·(1 − d_max)/d_max
 *   step load: the largest single load step P_step ≤ a·P_gen (a: step acceptance, default 0.7 of rated kW for a
 *              turbocharged diesel to stay within ISO 8528-5 class G2 frequency limits).
 * The recommendation is the smallest standard rating meeting all three, and the binding requirement is named.
 */
import type { FieldIssue } from '../errors.js';
import { assertNoIssues } from '../errors.js';
import type { MotorInput, MotorStartingCurrent } from './motor-starting.js';
import { motorStartingCurrent } from './motor-starting.js';
import type { TraceEntry } from './types.js';

/** Common prime ratings of diesel generating sets at 400 V, cos φ 0.8, kVA (maker ranges; not a normative list). */
export const GENERATOR_RATINGS_KVA: readonly number[] = [
  20, 30, 40, 50, 63, 80, 100, 125, 150, 200, 250, 300, 400, 500, 625, 750, 800, 1000, 1250, 1500, 1750, 2000,
  2250, 2500,
];
export const GENERATOR_SOURCE =
  "prime ratings of common 400 V diesel sets (Cummins, Caterpillar, Perkins-based ranges), cos φ 0.8 per ISO 8528-1 — low confidence; x''d 0.15 typical of LV alternators (0.10–0.20); step acceptance 0.7 (DOMAIN.md §6.4, Cummins T-030 / Caterpillar LEBE5294) — use the maker’s transient data";

export const GENERATOR_POWER_FACTOR = 0.8;

export interface GeneratorInput {
  /** Running load (all loads that run together), kW and kvar. */
  running_active_power_kw: number;
  running_reactive_power_kvar: number;
  /** The largest motor that starts with the others running (none: no motor). */
  largest_motor?: MotorInput;
  /** U_n, V. */
  voltage_v: number;
  /** Allowed transient voltage dip, fraction (default 0.20, ISO 8528-5 class G2 −20 %). */
  max_transient_dip?: number;
  /** Subtransient reactance x''d, p.u. on the set's rating (default 0.15). */
  subtransient_reactance_pu?: number;
  /** Continuous loading limit of the prime rating, fraction (default 0.8). */
  max_loading?: number;
  /** Largest single load step, kW (default: the running kW less the largest motor, switched together). */
  largest_step_kw?: number;
  /** Step acceptance, fraction of rated kW (default 0.7). */
  step_acceptance?: number;
}

export type GeneratorCriterion = 'running_kva' | 'running_kw' | 'motor_start_dip' | 'step_load';

export interface GeneratorSizing {
  running_kva: number;
  running_kw: number;
  motor: MotorStartingCurrent | null;
  /** Minimum rating by each criterion, kVA. */
  required_kva: Record<GeneratorCriterion, number>;
  binding: GeneratorCriterion;
  /** Smallest standard rating ≥ every requirement, kVA, or null above the list. */
  recommended_kva: number | null;
  /** Transient dip at the recommended rating, fraction. */
  transient_dip_at_recommended: number | null;
  reason: string;
  trace: TraceEntry[];
}

const CRITERION_TEXT: Record<GeneratorCriterion, string> = {
  running_kva: 'the running kVA',
  running_kw: 'the running kW',
  motor_start_dip: 'the largest motor’s starting dip',
  step_load: 'the largest load step',
};

/**
 * Sizes a generating set for the running load, the largest motor start and the largest load step (module header).
 *
 * @param input running P (kW)/Q (kvar), largest motor, U_n (V), dip limit, x''d (p.u.), loading and step limits
 */
export function sizeGenerator(input: GeneratorInput): GeneratorSizing {
  const issues: FieldIssue[] = [];
  if (!Number.isFinite(input.running_active_power_kw) || input.running_active_power_kw < 0)
    issues.push({ path: ['running_active_power_kw'], message: 'must be ≥ 0' });
  if (!Number.isFinite(input.running_reactive_power_kvar))
    issues.push({ path: ['running_reactive_power_kvar'], message: 'must be finite' });
  for (const [k, v] of [
    ['max_transient_dip', input.max_transient_dip],
    ['subtransient_reactance_pu', input.subtransient_reactance_pu],
    ['max_loading', input.max_loading],
    ['step_acceptance', input.step_acceptance],
  ] as const) {
    if (v !== undefined && (!Number.isFinite(v) || v <= 0 || v > 1))
      issues.push({ path: [k], message: 'must be in (0, 1]' });
  }
  assertNoIssues(issues);
  const dMax = input.max_transient_dip ?? 0.2;
  const xd = input.subtransient_reactance_pu ?? 0.15;
  const lmax = input.max_loading ?? 0.8;
  const a = input.step_acceptance ?? 0.7;
  const p = input.running_active_power_kw;
  const s = Math.hypot(p, input.running_reactive_power_kvar);
  const motor =
    input.largest_motor === undefined ? null : motorStartingCurrent(input.largest_motor, input.voltage_v);
  const step =
    input.largest_step_kw ??
    Math.max(0, p - (input.largest_motor?.rated_power_kw ?? 0) / (input.largest_motor?.efficiency ?? 0.9));
  const required: Record<GeneratorCriterion, number> = {
    running_kva: s / lmax,
    running_kw: p / lmax / GENERATOR_POWER_FACTOR,
    motor_start_dip: motor === null ? 0 : (xd * motor.starting_kva * (1 - dMax)) / dMax,
    step_load: step / a / GENERATOR_POWER_FACTOR,
  };
  let binding: GeneratorCriterion = 'running_kva';
  for (const c of Object.keys(required) as GeneratorCriterion[])
    if (required[c] > required[binding]) binding = c;
  const need = required[binding];
  const rec = GENERATOR_RATINGS_KVA.find((r) => r >= need - 1e-9) ?? null;
  const dip =
    rec === null || motor === null ? null : (xd * motor.starting_kva) / (rec + xd * motor.starting_kva);
  const trace: TraceEntry[] = [
    { name: 'S_run = √(P² + Q²)', value: s, unit: 'kVA', source: 'running load' },
    { name: 'S ≥ S_run/ℓ_max', value: required.running_kva, unit: 'kVA', source: `ℓ_max ${String(lmax)}` },
    {
      name: 'S ≥ P_run/(ℓ_max·0.8)',
      value: required.running_kw,
      unit: 'kVA',
      source: 'ISO 8528-1 ratings at cos φ 0.8',
    },
    {
      name: "S ≥ x''d·S_st·(1 − d_max)/d_max",
      value: required.motor_start_dip,
      unit: 'kVA',
      source: `x''d ${String(xd)}, d_max ${String(dMax)} (ISO 8528-5 G2)`,
    },
    {
      name: 'largest load step',
      value: step,
      unit: 'kW',
      source:
        input.largest_step_kw === undefined
          ? 'running kW without the largest motor, switched together'
          : 'declared',
    },
    {
      name: 'S ≥ P_step/(a·0.8)',
      value: required.step_load,
      unit: 'kVA',
      source: `step acceptance a ${String(a)}`,
    },
    {
      name: 'standard ratings',
      value: GENERATOR_RATINGS_KVA.join(', '),
      unit: 'kVA',
      source: GENERATOR_SOURCE,
    },
    ...(motor?.trace ?? []),
  ];
  const reason =
    rec === null
      ? `${CRITERION_TEXT[binding]} needs ${need.toFixed(0)} kVA, above the largest standard set (${String(GENERATOR_RATINGS_KVA[GENERATOR_RATINGS_KVA.length - 1])} kVA): use sets in parallel`
      : `${String(rec)} kVA: the smallest standard set ≥ ${need.toFixed(0)} kVA required by ${CRITERION_TEXT[binding]}` +
        (dip === null
          ? ''
          : `; starting dip ${(dip * 100).toFixed(1)} % (limit ${(dMax * 100).toFixed(0)} %)`) +
        `; running load ${((s / rec) * 100).toFixed(0)} % of the rating`;
  return {
    running_kva: s,
    running_kw: p,
    motor,
    required_kva: required,
    binding,
    recommended_kva: rec,
    transient_dip_at_recommended: dip,
    reason,
    trace,
  };
}
