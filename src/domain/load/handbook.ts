/**
 * Whole-site quick estimate (handbook method), DOMAIN.md §1.5. Both circulating variants are offered; they
 * are not interchangeable (DOMAIN.md §7.5). The estimate uses nameplate ratings (no duty conversion).
 */
import type { HandbookCategory } from '../catalog/equipment.js';
import { threePhaseCurrentA } from '../units.js';
import { fixed, given } from './format.js';
import type {
  DemandWarning,
  HandbookOptions,
  HandbookResult,
  HandbookTerm,
  TraceStep,
  ValueSource,
} from './types.js';

/** One equipment line as the handbook sees it. */
export interface HandbookLine {
  category: HandbookCategory;
  quantity: number;
  /** quantity × nameplate kW (kVA-rated welders: kVA × nameplate cos φ). */
  installed_kw: number;
  /** Variant A welder capacity: quantity × rated kVA (kW-rated DC welders: their kW). */
  welder_capacity: number;
}

export interface HandbookEstimate {
  handbook: HandbookResult;
  active_power_kw: number;
  reactive_power_kvar: number;
  apparent_power_kva: number;
  current_a: number;
  trace: TraceStep[];
  warnings: DemandWarning[];
}

const REF_A = 'DOMAIN.md §1.5 variant A (建筑施工手册; https://360docs.net/doc/0c21191619.html)';
const REF_B = 'DOMAIN.md §1.5 variant B (建筑施工计算手册; https://360docs.net/doc/2f9585947.html)';

/**
 * Variant A K1 (motors) by number of units: 3–10 → 0.7, 11–30 → 0.6, > 30 → 0.5. The table starts at 3 units;
 * fewer units take the 3–10 value, as variant B's "≤ 10 units" band does (DOMAIN.md §1.6 example A, 1 unit).
 * @param units number of motor units
 */
export function handbookK1A(units: number): number {
  return units <= 10 ? 0.7 : units <= 30 ? 0.6 : 0.5;
}

/**
 * Variant A K2 (welders) by number of units: 3–10 → 0.6, > 10 → 0.5 (fewer than 3 take 0.6).
 * @param units number of welders
 */
export function handbookK2A(units: number): number {
  return units <= 10 ? 0.6 : 0.5;
}

/**
 * Variant B K1 (all power equipment) by number of units: ≤ 10 → 0.75, 10–30 → 0.7, > 30 → 0.6.
 * @param units number of power-equipment units
 */
export function handbookK1B(units: number): number {
  return units <= 10 ? 0.75 : units <= 30 ? 0.7 : 0.6;
}

function sums(lines: readonly HandbookLine[], categories: readonly HandbookCategory[], welderKva = false) {
  let sum = 0;
  let count = 0;
  for (const l of lines)
    if (categories.includes(l.category)) {
      sum += welderKva ? l.welder_capacity : l.installed_kw;
      count += l.quantity;
    }
  return { sum, count };
}

function coef(given: number | undefined, dflt: number): { value: number; source: ValueSource } {
  return given === undefined ? { value: dflt, source: 'catalogue' } : { value: given, source: 'caller' };
}

/**
 * Variant A (建筑施工手册): P = K·(K1·ΣP1/cos φ + K2·ΣP2 + K3·ΣP3 + K4·ΣP4), P in kVA.
 * ΣP1 power equipment kW, ΣP2 welders kVA, ΣP3 indoor lighting (and living/office boards) kW, ΣP4 outdoor
 * lighting kW. Defaults: K = 1.10 (upper end of 1.05–1.10), K1/K2 by unit count, K3 = 0.8 (DOMAIN.md §7.4),
 * K4 = 1.0, cos φ = 0.75 (typical 0.65–0.75). The active share is K·(K1·ΣP1 + K2·ΣP2,kW + K3·ΣP3 + K4·ΣP4).
 * @param lines equipment lines (kW / kVA)
 * @param options caller coefficients
 * @param voltageV nominal line-to-line voltage, V (current I = S/(√3·U))
 */
export function handbookEstimateA(
  lines: readonly HandbookLine[],
  options: HandbookOptions,
  voltageV: number,
): HandbookEstimate {
  const p1 = sums(lines, ['power']);
  const p2 = sums(lines, ['welder'], true);
  const p2kw = sums(lines, ['welder']);
  const p3 = sums(lines, ['indoor_lighting']);
  const p4 = sums(lines, ['outdoor_lighting']);
  const k = coef(options.k, 1.1);
  const k1 = coef(options.k1, handbookK1A(p1.count));
  const k2 = coef(options.k2, handbookK2A(p2.count));
  const k3 = coef(options.k3, 0.8);
  const k4 = coef(options.k4, 1.0);
  const pf = coef(options.power_factor, 0.75);
  const terms: HandbookTerm[] = [
    term('motors and power equipment', 'K1·ΣP1/cos φ', p1, 'kW', k1, (k1.value * p1.sum) / pf.value),
    term('welders', 'K2·ΣP2', p2, 'kVA', k2, k2.value * p2.sum),
    term('indoor lighting and living', 'K3·ΣP3', p3, 'kW', k3, k3.value * p3.sum),
    term('outdoor lighting', 'K4·ΣP4', p4, 'kW', k4, k4.value * p4.sum),
  ];
  const apparent = k.value * terms.reduce((s, t) => s + t.value, 0);
  const active = k.value * (k1.value * p1.sum + k2.value * p2kw.sum + k3.value * p3.sum + k4.value * p4.sum);
  const reactive = Math.sqrt(Math.max(0, apparent * apparent - active * active));
  const formula =
    `P = K·(K1·ΣP1/cos φ + K2·ΣP2 + K3·ΣP3 + K4·ΣP4) = ${given(k.value)}·(${given(k1.value)}·${fixed(p1.sum)}/${given(pf.value)}` +
    ` + ${given(k2.value)}·${fixed(p2.sum)} + ${given(k3.value)}·${fixed(p3.sum)} + ${given(k4.value)}·${fixed(p4.sum)})` +
    ` = ${fixed(apparent)} kVA`;
  const trace: TraceStep[] = [
    step('handbook.k', 'K', k.value, undefined, k.source, REF_A),
    step('handbook.k1', 'K1', k1.value, undefined, k1.source, `${REF_A}: ${p1.count} units`),
    step('handbook.k2', 'K2', k2.value, undefined, k2.source, `${REF_A}: ${p2.count} welders`),
    step(
      'handbook.k3',
      'K3',
      k3.value,
      undefined,
      k3.source,
      `${REF_A}; 0.8 vs 0.6 in sources, DOMAIN.md §7.4`,
    ),
    step('handbook.k4', 'K4', k4.value, undefined, k4.source, REF_A),
    step('handbook.power_factor', 'cos φ', pf.value, undefined, pf.source, REF_A),
    step('handbook.demand', 'P', apparent, 'kVA', 'catalogue', REF_A),
  ];
  return {
    handbook: {
      variant: 'A',
      short_form: false,
      formula,
      terms,
      k: k.value,
      power_factor: pf.value,
      demand: apparent,
    },
    active_power_kw: active,
    reactive_power_kvar: reactive,
    apparent_power_kva: apparent,
    current_a: threePhaseCurrentA(apparent, voltageV),
    trace,
    warnings: [],
  };
}

/**
 * Variant B (建筑施工计算手册, 江正荣): P = 1.1·(K1·ΣPc + K2·ΣPa + K3·ΣPb) in kW, or the short form
 * P = 1.24·K1·ΣPc (lighting taken as 10 % of power); transformer P0 = 1.05·P/cos φ (= 1.4·P at cos φ 0.75);
 * current I = P/(√3·U·cos φ) (≈ 2·P A). ΣPc is all power equipment including welders (nameplate kW).
 * The apparent demand reported is P0 (it includes the 1.05 loss factor, as the handbook sizes on it).
 * @param lines equipment lines (kW)
 * @param options caller coefficients
 * @param voltageV nominal line-to-line voltage, V
 */
export function handbookEstimateB(
  lines: readonly HandbookLine[],
  options: HandbookOptions,
  voltageV: number,
): HandbookEstimate {
  const pc = sums(lines, ['power', 'welder']);
  const pa = sums(lines, ['indoor_lighting']);
  const pb = sums(lines, ['outdoor_lighting']);
  const shortForm = options.short_form === true;
  const k1 = coef(options.k1, handbookK1B(pc.count));
  const k2 = coef(options.k2, 0.8);
  const k3 = coef(options.k3, 1.0);
  const nu = coef(options.non_uniformity_factor, 1.1);
  const loss = coef(options.loss_factor, 1.05);
  const pf = coef(options.power_factor, 0.75);
  const warnings: DemandWarning[] = [];
  let active: number;
  let formula: string;
  let terms: HandbookTerm[];
  if (shortForm) {
    active = 1.24 * k1.value * pc.sum;
    terms = [term('power equipment', '1.24·K1·ΣPc', pc, 'kW', k1, active)];
    formula = `P = 1.24·K1·ΣPc = 1.24·${given(k1.value)}·${fixed(pc.sum)} = ${fixed(active)} kW`;
    if (pa.sum + pb.sum > 0)
      warnings.push({
        code: 'lighting_in_short_form',
        message: 'the short form counts lighting as 10 % of power: the listed lighting items are not added',
      });
  } else {
    terms = [
      term('power equipment', 'K1·ΣPc', pc, 'kW', k1, k1.value * pc.sum),
      term('indoor lighting and living', 'K2·ΣPa', pa, 'kW', k2, k2.value * pa.sum),
      term('outdoor lighting', 'K3·ΣPb', pb, 'kW', k3, k3.value * pb.sum),
    ];
    active = nu.value * terms.reduce((s, t) => s + t.value, 0);
    formula =
      `P = ${given(nu.value)}·(K1·ΣPc + K2·ΣPa + K3·ΣPb) = ${given(nu.value)}·(${given(k1.value)}·${fixed(pc.sum)}` +
      ` + ${given(k2.value)}·${fixed(pa.sum)} + ${given(k3.value)}·${fixed(pb.sum)}) = ${fixed(active)} kW`;
  }
  const p0 = (loss.value * active) / pf.value;
  formula += `; P0 = ${given(loss.value)}·P/cos φ = ${given(loss.value)}·${fixed(active)}/${given(pf.value)} = ${fixed(p0)} kVA`;
  const trace: TraceStep[] = [
    step('handbook.k1', 'K1', k1.value, undefined, k1.source, `${REF_B}: ${pc.count} units`),
    ...(shortForm
      ? []
      : [
          step('handbook.k2', 'K2', k2.value, undefined, k2.source, REF_B),
          step('handbook.k3', 'K3', k3.value, undefined, k3.source, REF_B),
          step('handbook.non_uniformity_factor', '1.1', nu.value, undefined, nu.source, REF_B),
        ]),
    step('handbook.loss_factor', 'loss factor', loss.value, undefined, loss.source, REF_B),
    step('handbook.power_factor', 'cos φ', pf.value, undefined, pf.source, REF_B),
    step('handbook.demand', 'P', active, 'kW', 'catalogue', REF_B),
    step('handbook.transformer_capacity', 'P0', p0, 'kVA', 'catalogue', REF_B),
  ];
  return {
    handbook: {
      variant: 'B',
      short_form: shortForm,
      formula,
      terms,
      k: shortForm ? 1.24 : nu.value,
      power_factor: pf.value,
      demand: active,
      transformer_capacity_kva: p0,
    },
    active_power_kw: active,
    reactive_power_kvar: Math.sqrt(Math.max(0, p0 * p0 - active * active)),
    apparent_power_kva: p0,
    current_a: threePhaseCurrentA(active / pf.value, voltageV),
    trace,
    warnings,
  };
}

function term(
  name: string,
  symbol: string,
  s: { sum: number; count: number },
  unit: 'kW' | 'kVA',
  c: { value: number; source: ValueSource },
  value: number,
): HandbookTerm {
  return {
    name,
    symbol,
    sum: s.sum,
    unit,
    device_count: s.count,
    coefficient: c.value,
    coefficient_source: c.source,
    value,
  };
}

function step(
  name: string,
  quantity: string,
  value: number,
  unit: string | undefined,
  source: ValueSource,
  reference: string,
): TraceStep {
  return unit === undefined
    ? { step: name, quantity, value, source, reference }
    : { step: name, quantity, value, unit, source, reference };
}
