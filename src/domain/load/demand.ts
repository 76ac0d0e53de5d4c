/**
 * Construction demand calculation, JGJ 46 demand-coefficient method (需要系数法), DOMAIN.md §0–§1 and §3.3:
 * nameplate → Pe (§1.1) → single-phase unbalance (§1.1) → groups Pjs = Kx·ΣPe, Qjs = Pjs·tan φ, Sjs, Ijs
 * (§1.2) → totals with K∑ (§1.3) → transformer recommendation (§3.3). The handbook quick estimate (§1.5) is
 * selectable as `method`. Pure: returns a new result; invalid input is the only exception (DomainError).
 */
import type { EquipmentCatalogue, EquipmentType, PhaseConnection } from '../catalog/equipment.js';
import { EQUIPMENT_CATALOGUE, catalogueDemandFactor } from '../catalog/equipment.js';
import type { RuleSet } from '../catalog/rule-sets.js';
import { ENGINE_VERSION } from '../canonical.js';
import { lvConnectionThreshold } from '../site.js';
import { SQRT3, tanPhiFromPowerFactor, threePhaseCurrentA } from '../units.js';
import { convertItem, type ItemConversion } from './conversion.js';
import { fixed } from './format.js';
import { handbookEstimateA, handbookEstimateB, type HandbookLine } from './handbook.js';
import { recommendTransformer } from './transformer.js';
import type {
  DemandGroupInput,
  DemandInput,
  DemandResult,
  DemandTotals,
  DemandWarning,
  DesignCurrent,
  GroupResult,
  LargestMotor,
  HandbookResult,
  ItemResult,
  OrganisationDesign,
  TraceStep,
  UnbalanceResult,
  ValueSource,
} from './types.js';
import { assessUnbalance, UNBALANCE_THRESHOLD, type SinglePhaseBlock } from './unbalance.js';
import { validateDemandInput, type ValidItem } from './validate.js';

export interface DemandOptions {
  /** Equipment catalogue; default the shipped `EQUIPMENT_CATALOGUE`. */
  catalogue?: EquipmentCatalogue;
  /** Rule set giving K∑, β_max, the warning band, the nominal LV voltage and R1 thresholds. */
  ruleSet: RuleSet;
  /** Internal: skip the design-current floor (used when computing the demand of "the others"). */
  without_design_current?: boolean;
}

const REF_GROUP = 'DOMAIN.md §1.2 Pjs = Kx·ΣPe, Qjs = Pjs·tan φ, Sjs = √(Pjs² + Qjs²), Ijs = Sjs/(√3·U)';
const REF_TOTAL = 'DOMAIN.md §1.3 Pjs = K∑·ΣPjs,i, Qjs = K∑·ΣQjs,i';
const SINGLE_GROUP_REFERENCE =
  'DOMAIN.md §1.3 and "Product decisions" (single group / few units): K∑ applies only when a total combines two or more groups; one group → K∑ = 1';
const REF_DESIGN_CURRENT =
  'DOMAIN.md "Product decisions" (single group / few units): Ib = max(Ijs, I_FLC of the largest motor + Ijs of the others); I_FLC = Pn/(√3·U·cos φ) at the catalogue cos φ, efficiency not applied';

/** An item's conversion to Pe (conversion.ts), with the validated item it belongs to. */
interface Converted extends Omit<ItemConversion, 'warnings' | 'trace_reference'> {
  valid: ValidItem;
}

interface GroupAcc {
  key: string;
  name: string;
  kind: 'type' | 'explicit';
  declared?: DemandGroupInput;
  members: Converted[];
}

/**
 * Computes the construction demand of an equipment list.
 * @param input equipment items (kW / kVA / fractions), optional explicit groups, K∑ (fraction), method, β_max
 * @param options catalogue (default shipped) and the rule set (JGJ 46-2005: K∑ 0.8 in 0.5–1.0, U = 380 V,
 *   β_max 0.85, warning above 0.75, R1 ≥ 5 devices or ≥ 50 kW per JGJ 46-2005 3.1.1)
 * @returns per-item, per-group and total demand (kW, kvar, kVA, A), transformer recommendation, trace
 * @throws DomainError `validation_failed` or `unknown_equipment_type` listing every bad field with its path
 */
export function calculateDemand(input: DemandInput, options: DemandOptions): DemandResult {
  const catalogue = options.catalogue ?? EQUIPMENT_CATALOGUE;
  const rules = options.ruleSet;
  const v = validateDemandInput(input, catalogue, rules);
  const voltage = rules.nominal_lv_voltage_v;
  const trace: TraceStep[] = [];
  const warnings: DemandWarning[] = [];

  const installedKw = v.items.reduce((s, it) => s + it.input.quantity * unitInstalledKw(it), 0);
  const largestUnitKw = v.items.reduce((m, it) => Math.max(m, unitInstalledKw(it)), 0);
  const deviceCount = v.items.reduce((s, it) => s + it.input.quantity, 0);

  let items: ItemResult[];
  let groups: GroupResult[] = [];
  let handbook: HandbookResult | null = null;
  let unbalance: UnbalanceResult | null = null;
  let totals: DemandTotals;

  if (v.method === 'demand_coefficient') {
    if (v.handbook !== undefined)
      warnings.push({
        code: 'handbook_options_ignored',
        message: 'handbook options apply only to handbook methods',
        path: ['handbook'],
      });
    const converted = v.items.map((it) => {
      const c = convertItem(it.input, it.type, it.index);
      warnings.push(...c.warnings);
      const { warnings: _warnings, trace_reference: _reference, ...conversion } = c;
      const conv: Converted = { ...conversion, valid: it };
      if (c.duty_cycle !== undefined)
        trace.push({
          step: `items[${it.index}].duty_cycle`,
          quantity: 'JC',
          value: c.duty_cycle,
          source: c.duty_cycle_source ?? 'caller',
          reference:
            c.duty_cycle_source === 'catalogue' ? `catalogue ${catalogue.version}: ${it.type.id}` : 'caller',
        });
      trace.push({
        step: `items[${it.index}].pe`,
        quantity: 'Pe',
        value: c.pe_kw,
        unit: 'kW',
        source: 'catalogue',
        reference: c.trace_reference,
      });
      return conv;
    });

    const u = unbalanceOf(converted);
    unbalance = u.result;
    trace.push({
      step: 'unbalance.single_phase_pe',
      quantity: 'ΣPe single-phase',
      value: u.result.single_phase_pe_kw,
      unit: 'kW',
      source: 'catalogue',
      reference: 'DOMAIN.md §1.1 unbalanced single-phase loads',
    });
    if (u.result.ratio !== null)
      trace.push({
        step: 'unbalance.ratio',
        quantity: 'single-phase / three-phase Pe',
        value: u.result.ratio,
        source: 'catalogue',
        reference: `DOMAIN.md §1.1: < ${UNBALANCE_THRESHOLD} → balanced`,
      });
    trace.push({
      step: 'unbalance.applied',
      quantity: 'unbalance rule applied (1 = yes)',
      value: u.result.applied ? 1 : 0,
      source: 'catalogue',
      reference: u.result.rule,
    });
    if (u.result.applied)
      warnings.push({
        code: 'single_phase_unbalance',
        message: `single-phase capacity ${fixed(u.result.single_phase_pe_kw)} kW is not below 15 % of the three-phase capacity: ${u.result.rule}`,
      });

    const accs = buildGroups(converted, v.groups);
    const itemResults = new Map<number, ItemResult>();
    groups = accs.map((g) => computeGroup(g, u, voltage, itemResults, trace, warnings, catalogue));
    items = v.items.map((it) => itemResults.get(it.index)).filter((r): r is ItemResult => r !== undefined);

    // K∑ combines several groups (DOMAIN.md §1.3); a single group (or a single device) keeps its own demand.
    const combined = groups.filter((g) => g.device_count > 0).length >= 2;
    if (!combined && v.simultaneity_factor !== undefined)
      warnings.push({
        code: 'simultaneity_factor_ignored',
        message: 'K∑ combines two or more groups: a single group keeps its own demand (K∑ = 1)',
        path: ['simultaneity_factor'],
      });
    const ks = combined ? (v.simultaneity_factor ?? rules.simultaneity_factor.default) : 1;
    const ksSource: ValueSource = !combined
      ? 'rule_set'
      : v.simultaneity_factor === undefined
        ? 'rule_set'
        : 'caller';
    const p = ks * groups.reduce((s, g) => s + g.active_power_kw, 0);
    const q = ks * groups.reduce((s, g) => s + g.reactive_power_kvar, 0);
    const sTot = Math.hypot(p, q);
    totals = {
      simultaneity_factor: ks,
      simultaneity_factor_source: ksSource,
      active_power_kw: p,
      reactive_power_kvar: q,
      apparent_power_kva: sTot,
      current_a: threePhaseCurrentA(sTot, voltage),
      power_factor: sTot > 0 ? p / sTot : 1,
    };
    trace.push(
      {
        step: 'totals.simultaneity_factor',
        quantity: 'K∑',
        value: ks,
        source: ksSource,
        reference: !combined
          ? `${SINGLE_GROUP_REFERENCE}`
          : ksSource === 'rule_set'
            ? `${rules.edition} rule set default (DOMAIN.md §1.3)`
            : 'caller',
      },
      {
        step: 'totals.active_power',
        quantity: 'Pjs',
        value: p,
        unit: 'kW',
        source: ksSource,
        reference: REF_TOTAL,
      },
      {
        step: 'totals.reactive_power',
        quantity: 'Qjs',
        value: q,
        unit: 'kvar',
        source: ksSource,
        reference: REF_TOTAL,
      },
      {
        step: 'totals.apparent_power',
        quantity: 'Sjs',
        value: sTot,
        unit: 'kVA',
        source: ksSource,
        reference: REF_TOTAL,
      },
      {
        step: 'totals.current',
        quantity: 'Ijs',
        value: totals.current_a,
        unit: 'A',
        source: 'rule_set',
        reference: `Ijs = Sjs/(√3·${voltage} V), DOMAIN.md §1.3`,
      },
    );
  } else {
    if (v.simultaneity_factor !== undefined)
      warnings.push({
        code: 'simultaneity_factor_ignored',
        message: 'the handbook estimate has its own coefficients: simultaneity_factor is not used',
        path: ['simultaneity_factor'],
      });
    if (v.groups.length > 0 || v.items.some((it) => hasDemandOverride(it)))
      warnings.push({
        code: 'demand_overrides_ignored',
        message: 'groups and item Kx / cos φ / tan φ overrides apply only to the demand-coefficient method',
      });
    const lines: HandbookLine[] = v.items.map((it) => ({
      category: it.type.handbook_category,
      quantity: it.input.quantity,
      installed_kw: it.input.quantity * unitInstalledKw(it),
      welder_capacity:
        it.input.quantity * (it.input.rated_apparent_power_kva ?? it.input.rated_power_kw ?? 0),
    }));
    const est =
      v.method === 'handbook_a'
        ? handbookEstimateA(lines, v.handbook ?? {}, voltage)
        : handbookEstimateB(lines, v.handbook ?? {}, voltage);
    handbook = est.handbook;
    trace.push(...est.trace);
    warnings.push(...est.warnings);
    items = v.items.map((it) => handbookItem(it));
    totals = {
      simultaneity_factor: 1,
      simultaneity_factor_source: 'catalogue',
      active_power_kw: est.active_power_kw,
      reactive_power_kvar: est.reactive_power_kvar,
      apparent_power_kva: est.apparent_power_kva,
      current_a: est.current_a,
      power_factor: est.apparent_power_kva > 0 ? est.active_power_kw / est.apparent_power_kva : 1,
    };
  }

  // Handbook variant B sizes the transformer on P0 = 1.05·P/cos φ, which already carries its margin: S_N ≥ P0
  // (DOMAIN.md §1.5). Applying β_max on top would be a double margin (250 kVA where the handbook gives 200).
  const p0Sized = v.method === 'handbook_b';
  if (p0Sized && v.loading_cap !== undefined)
    warnings.push({
      code: 'loading_cap_ignored',
      message:
        'handbook variant B sizes the transformer on P0 = 1.05·P/cos φ, which carries its own margin: loading_cap is not applied',
      path: ['loading_cap'],
    });
  const capSource: ValueSource = p0Sized ? 'catalogue' : v.loading_cap === undefined ? 'rule_set' : 'caller';
  const transformer = recommendTransformer(
    totals.apparent_power_kva,
    p0Sized ? 1 : (v.loading_cap ?? rules.loading_cap),
    rules.loading_warning,
    capSource,
  );
  trace.push(
    {
      step: 'transformer.loading_cap',
      quantity: 'β_max',
      value: transformer.loading_cap,
      source: capSource,
      reference: p0Sized
        ? 'DOMAIN.md §1.5 variant B: S_N ≥ P0 = 1.05·P/cos φ (the 1.05 loss factor is the margin; no β_max on top)'
        : 'DOMAIN.md §3.3 (GB 51348-2019 §4.3.2: long-term loading ≤ 85 %)',
    },
    ...(transformer.rating_kva === null
      ? []
      : [
          {
            step: 'transformer.rating',
            quantity: 'S_N',
            value: transformer.rating_kva,
            unit: 'kVA',
            source: 'catalogue' as const,
            reference: 'DOMAIN.md §3.3 S_N = min{r ∈ R10 : r ≥ Sjs/β_max}',
          },
        ]),
  );
  if (transformer.exceeds_largest_rating)
    warnings.push({
      code: 'demand_exceeds_largest_rating',
      message: `demand ${fixed(totals.apparent_power_kva)} kVA exceeds the largest standard rating at β_max ${fixed(transformer.loading_cap)}: split the load over several supply points`,
    });
  else if (transformer.above_warning_band)
    warnings.push({
      code: 'transformer_above_warning_band',
      message: `the recommended ${transformer.rating_kva} kVA unit would be loaded to ${fixed((transformer.loading_fraction ?? 0) * 100, 1)} % (> ${fixed(rules.loading_warning * 100, 0)} % economic band); next rating ${transformer.next_rating_kva ?? '—'} kVA`,
    });
  // The same rule as the application assessment (DOMAIN.md "Product decisions", LV connection limit): asked
  // as a direct public-LV connection, installed capacity above the limit takes the 10 kV path.
  const lv = lvConnectionThreshold(rules.low_voltage_threshold_kw, installedKw, 'public_lv');
  if (lv.exceeded)
    warnings.push({
      code: 'above_low_voltage_threshold',
      message: `as a direct public-LV connection, the installed capacity ${fixed(installedKw)} kW exceeds the ${rules.low_voltage_threshold_kw} kW LV connection limit (DOMAIN.md §5.2): it would need a 10 kV connection; supply from a site's own 10/0.4 kV points is not subject to it`,
    });

  const od = rules.organisation_design;
  const triggered: OrganisationDesign['triggered_by'] = [];
  if (deviceCount >= od.min_devices) triggered.push('device_count');
  if (installedKw >= od.min_power_kw) triggered.push('installed_power');
  trace.push(
    {
      step: 'installed_power',
      quantity: 'Σ nameplate P',
      value: installedKw,
      unit: 'kW',
      source: 'caller',
      reference: 'Σ quantity × rated kW (kVA-rated welders: kVA × nameplate cos φ)',
    },
    {
      step: 'device_count',
      quantity: 'Σ quantity',
      value: deviceCount,
      source: 'caller',
      reference: `${od.clause} (R1: ≥ ${od.min_devices} devices or ≥ ${od.min_power_kw} kW)`,
    },
  );

  const design = options.without_design_current
    ? {
        current_a: totals.current_a,
        basis: 'demand' as const,
        demand_current_a: totals.current_a,
        largest_motor: null,
        others_current_a: null,
        reference: REF_DESIGN_CURRENT,
      }
    : designCurrentOf(input, v.items, totals.current_a, voltage, options);
  trace.push({
    step: 'design_current',
    quantity: 'Ib',
    value: design.current_a,
    unit: 'A',
    source: 'catalogue',
    reference:
      design.largest_motor === null
        ? `${REF_DESIGN_CURRENT}; no motor on the list: Ib = Ijs`
        : `${REF_DESIGN_CURRENT}; largest motor items[${design.largest_motor.index}] ${design.largest_motor.type} ${fixed(design.largest_motor.rated_power_kw)} kW: I_FLC ${fixed(design.largest_motor.full_load_current_a)} A + others ${fixed(design.others_current_a ?? 0)} A vs Ijs ${fixed(design.demand_current_a)} A`,
  });

  return {
    method: v.method,
    engine_version: ENGINE_VERSION,
    catalogue_version: catalogue.version,
    rule_set: { id: rules.id, edition: rules.edition },
    nominal_voltage_v: voltage,
    items,
    groups,
    handbook,
    unbalance,
    totals,
    design_current: design,
    installed_power_kw: installedKw,
    largest_unit_kw: largestUnitKw,
    device_count: deviceCount,
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

/**
 * The largest motor of a list (by full-load current) and the design-current floor it sets: Ib = max(Ijs,
 * I_FLC + Ijs of the list without one unit of that motor). The others' demand is computed by the same method
 * on the reduced list, so a motor alone gives Ib = I_FLC.
 * @param input the caller's demand input
 * @param items validated items
 * @param demandCurrentA Ijs of the whole list, A
 * @param voltageV nominal line-to-line voltage, V
 */
function designCurrentOf(
  input: DemandInput,
  items: readonly ValidItem[],
  demandCurrentA: number,
  voltageV: number,
  options: DemandOptions,
): DesignCurrent {
  let largest: LargestMotor | null = null;
  for (const it of items) {
    if (!it.type.motor) continue;
    const pn = it.input.rated_power_kw ?? 0;
    const cos = it.input.power_factor ?? it.type.power_factor;
    const flc = fullLoadCurrentA(pn, cos, it.phase_connection, voltageV);
    if (largest === null || flc > largest.full_load_current_a)
      largest = {
        index: it.index,
        type: it.type.id,
        rated_power_kw: pn,
        power_factor: cos,
        phase_connection: it.phase_connection,
        full_load_current_a: flc,
      };
  }
  if (largest === null)
    return {
      current_a: demandCurrentA,
      basis: 'demand',
      demand_current_a: demandCurrentA,
      largest_motor: null,
      others_current_a: null,
      reference: REF_DESIGN_CURRENT,
    };
  const motorIndex = largest.index;
  const rest = input.items.flatMap((item, i) =>
    i !== motorIndex ? [item] : item.quantity > 1 ? [{ ...item, quantity: item.quantity - 1 }] : [],
  );
  const others =
    rest.length === 0
      ? 0
      : calculateDemand({ ...input, items: rest }, { ...options, without_design_current: true }).totals
          .current_a;
  const floor = largest.full_load_current_a + others;
  return {
    current_a: Math.max(demandCurrentA, floor),
    basis: floor > demandCurrentA ? 'largest_motor' : 'demand',
    demand_current_a: demandCurrentA,
    largest_motor: largest,
    others_current_a: others,
    reference: REF_DESIGN_CURRENT,
  };
}

/**
 * Full-load line current of one motor from its nameplate, A: three-phase Pn/(√3·U·cos φ), line-to-line
 * Pn/(U·cos φ), line-to-neutral Pn/((U/√3)·cos φ). Efficiency is not applied (nameplate kW taken as input).
 * @param ratedPowerKw Pn, kW
 * @param powerFactor cos φ
 * @param connection how the unit is connected
 * @param voltageV line-to-line voltage, V
 */
export function fullLoadCurrentA(
  ratedPowerKw: number,
  powerFactor: number,
  connection: PhaseConnection,
  voltageV: number,
): number {
  const u =
    connection === 'three_phase'
      ? SQRT3 * voltageV
      : connection === 'line_to_line'
        ? voltageV
        : voltageV / SQRT3;
  return (ratedPowerKw * 1000) / (u * powerFactor);
}

/** One unit's nameplate kW; kVA-rated welders count kVA × nameplate cos φ (item's, else the catalogue's). */
function unitInstalledKw(it: ValidItem): number {
  const i = it.input;
  if (it.type.rated_quantity === 'apparent_power_kva')
    return (
      (i.rated_apparent_power_kva ?? 0) *
      (i.power_factor ?? it.type.nameplate_power_factor ?? it.type.power_factor)
    );
  return i.rated_power_kw ?? 0;
}

function hasDemandOverride(it: ValidItem): boolean {
  return (
    it.input.demand_factor !== undefined || it.input.tan_phi !== undefined || it.input.group !== undefined
  );
}

function unbalanceOf(converted: readonly Converted[]): {
  result: UnbalanceResult;
  multiplier: (c: Converted) => number;
} {
  let threePhase = 0;
  const blocks: SinglePhaseBlock[] = [];
  for (const c of converted) {
    const conn = c.valid.phase_connection;
    if (conn === 'three_phase') threePhase += c.pe_kw;
    else {
      const b: SinglePhaseBlock = {
        key: c.valid.type.id,
        connection: conn,
        unit_pe_kw: c.unit_pe_kw,
        quantity: c.valid.input.quantity,
      };
      if (c.valid.input.phase !== undefined) b.slot = c.valid.input.phase;
      blocks.push(b);
    }
  }
  const o = assessUnbalance(blocks, threePhase);
  const rule = o.applied
    ? `unbalanced: line-to-neutral → 3 × most loaded phase (${fixed(o.line_to_neutral_equivalent_kw)} kW), line-to-line → √3·P_max pair + (3 − √3)·P_mid pair (${fixed(o.line_to_line_equivalent_kw)} kW; √3 × Pe for one device)`
    : o.single_phase_pe_kw > 0
      ? 'balanced: single-phase capacity below 15 % of the three-phase capacity'
      : 'no single-phase equipment';
  const result: UnbalanceResult = {
    single_phase_pe_kw: o.single_phase_pe_kw,
    three_phase_pe_kw: o.three_phase_pe_kw,
    ratio: o.ratio,
    threshold: UNBALANCE_THRESHOLD,
    applied: o.applied,
    phase_loads_kw: o.phase_loads_kw,
    line_pair_loads_kw: o.line_pair_loads_kw,
    line_to_neutral_equivalent_kw: o.line_to_neutral_equivalent_kw,
    line_to_line_equivalent_kw: o.line_to_line_equivalent_kw,
    rule,
  };
  return {
    result,
    multiplier: (c) =>
      c.valid.phase_connection === 'line_to_neutral'
        ? o.line_to_neutral_multiplier
        : c.valid.phase_connection === 'line_to_line'
          ? o.line_to_line_multiplier
          : 1,
  };
}

/** Explicit groups in declaration order, then one group per type in type-id order. */
function buildGroups(converted: readonly Converted[], declared: readonly DemandGroupInput[]): GroupAcc[] {
  const explicit = new Map<string, GroupAcc>();
  for (const g of declared)
    explicit.set(g.name, {
      key: `explicit:${g.name}`,
      name: g.name,
      kind: 'explicit',
      declared: g,
      members: [],
    });
  const byType = new Map<string, GroupAcc>();
  for (const c of converted) {
    const name = c.valid.input.group;
    const target = name === undefined ? undefined : explicit.get(name);
    if (target) target.members.push(c);
    else {
      const id = c.valid.type.id;
      let acc = byType.get(id);
      if (!acc) {
        acc = { key: `type:${id}`, name: id, kind: 'type', members: [] };
        byType.set(id, acc);
      }
      acc.members.push(c);
    }
  }
  const types = [...byType.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...explicit.values(), ...types];
}

function computeGroup(
  g: GroupAcc,
  u: ReturnType<typeof unbalanceOf>,
  voltage: number,
  itemResults: Map<number, ItemResult>,
  trace: TraceStep[],
  warnings: DemandWarning[],
  catalogue: EquipmentCatalogue,
): GroupResult {
  const unitsByType = new Map<string, number>();
  for (const c of g.members)
    unitsByType.set(c.valid.type.id, (unitsByType.get(c.valid.type.id) ?? 0) + c.valid.input.quantity);
  let pe = 0;
  let p = 0;
  let q = 0;
  const kxSources = new Set<ValueSource>();
  const pfSources = new Set<ValueSource>();
  const refs = new Set<string>();
  const flagged = new Set<string>();
  for (const c of g.members) {
    const it = c.valid.input;
    const type = c.valid.type;
    const mult = u.multiplier(c);
    const eqPe = c.pe_kw * mult;
    const kx = demandFactorOf(it.demand_factor, g.declared, type, unitsByType.get(type.id) ?? 0);
    const pf = powerFactorOf(
      it.tan_phi,
      type.duty_class === 'welder_ac' ? undefined : it.power_factor,
      g.declared,
      type,
    );
    const itemP = kx.value * eqPe;
    const itemQ = itemP * pf.tan;
    pe += eqPe;
    p += itemP;
    q += itemQ;
    kxSources.add(kx.source);
    pfSources.add(pf.source);
    if (kx.source === 'catalogue' || pf.source === 'catalogue')
      refs.add(`catalogue ${catalogue.version} ${type.id}: ${type.source}`);
    if (kx.source === 'catalogue' && type.confidence === 'unconfirmed' && !flagged.has(type.id)) {
      flagged.add(type.id);
      warnings.push({
        code: 'coefficient_unconfirmed',
        message: `the catalogue Kx / cos φ of ${type.id} is unconfirmed (${type.source}); override it if the calculation book gives a value`,
        path: ['items', c.valid.index, 'type'],
      });
    }
    const formula =
      mult === 1
        ? c.formula
        : `${c.formula}; unbalance: × ${fixed(mult, 3)} = ${fixed(eqPe)} kW (${c.valid.phase_connection === 'line_to_line' ? 'line-to-line' : 'line-to-neutral'})`;
    const r: ItemResult = {
      index: c.valid.index,
      type: type.id,
      group: g.name,
      quantity: it.quantity,
      duty_class: type.duty_class,
      phase_connection: c.valid.phase_connection,
      unit_pe_kw: c.unit_pe_kw,
      pe_kw: c.pe_kw,
      equivalent_pe_kw: eqPe,
      unbalance_multiplier: mult,
      formula,
      demand_factor: kx.value,
      demand_factor_source: kx.source,
      power_factor: pf.cos,
      tan_phi: pf.tan,
      power_factor_source: pf.source,
      active_power_kw: itemP,
      reactive_power_kvar: itemQ,
      installed_power_kw: it.quantity * c.unit_installed_kw,
    };
    if (it.label !== undefined) r.label = it.label;
    if (c.duty_cycle !== undefined) r.duty_cycle = c.duty_cycle;
    if (c.duty_cycle_source !== undefined) r.duty_cycle_source = c.duty_cycle_source;
    if (c.conversion_power_factor !== undefined) r.conversion_power_factor = c.conversion_power_factor;
    if (c.ballast_factor !== undefined) r.ballast_factor = c.ballast_factor;
    itemResults.set(c.valid.index, r);
  }
  if (g.members.length === 0 && g.kind === 'explicit')
    warnings.push({ code: 'empty_group', message: `group "${g.name}" has no items` });
  const s = Math.hypot(p, q);
  const kxEff = pe > 0 ? p / pe : 0;
  const tanEff = p > 0 ? q / p : 0;
  const cosEff = s > 0 ? p / s : 1;
  const current = threePhaseCurrentA(s, voltage);
  // The most specific source involved (a group mixing catalogue and item values reports item_override).
  const single = (set: Set<ValueSource>): ValueSource =>
    (['item_override', 'group_override', 'caller', 'rule_set'] as const).find((x) => set.has(x)) ??
    'catalogue';
  const label = `groups[${g.name}]`;
  trace.push(
    {
      step: `${label}.pe`,
      quantity: 'ΣPe',
      value: pe,
      unit: 'kW',
      source: 'catalogue',
      reference: REF_GROUP,
    },
    {
      step: `${label}.kx`,
      quantity: 'Kx',
      value: kxEff,
      source: single(kxSources),
      reference: [...kxSources].join(', '),
    },
    {
      step: `${label}.tan_phi`,
      quantity: 'tan φ',
      value: tanEff,
      source: single(pfSources),
      reference: [...pfSources].join(', '),
    },
    {
      step: `${label}.active_power`,
      quantity: 'Pjs',
      value: p,
      unit: 'kW',
      source: single(kxSources),
      reference: REF_GROUP,
    },
    {
      step: `${label}.reactive_power`,
      quantity: 'Qjs',
      value: q,
      unit: 'kvar',
      source: single(pfSources),
      reference: REF_GROUP,
    },
    {
      step: `${label}.apparent_power`,
      quantity: 'Sjs',
      value: s,
      unit: 'kVA',
      source: single(pfSources),
      reference: REF_GROUP,
    },
    {
      step: `${label}.current`,
      quantity: 'Ijs',
      value: current,
      unit: 'A',
      source: 'rule_set',
      reference: `U = ${voltage} V`,
    },
  );
  return {
    name: g.name,
    kind: g.kind,
    types: [...new Set(g.members.map((c) => c.valid.type.id))].sort(),
    item_indices: g.members.map((c) => c.valid.index),
    device_count: g.members.reduce((n, c) => n + c.valid.input.quantity, 0),
    pe_kw: pe,
    kx: kxEff,
    power_factor: cosEff,
    tan_phi: tanEff,
    active_power_kw: p,
    reactive_power_kvar: q,
    apparent_power_kva: s,
    current_a: current,
    coefficient_sources: { demand_factor: [...kxSources].sort(), power_factor: [...pfSources].sort() },
    references: [...refs].sort(),
  };
}

/** Kx precedence: item override > group override > catalogue (count band when the type has one). */
function demandFactorOf(
  itemKx: number | undefined,
  group: DemandGroupInput | undefined,
  type: EquipmentType,
  unitsOfType: number,
): { value: number; source: ValueSource } {
  if (itemKx !== undefined) return { value: itemKx, source: 'item_override' };
  if (group?.demand_factor !== undefined) return { value: group.demand_factor, source: 'group_override' };
  return { value: catalogueDemandFactor(type, unitsOfType), source: 'catalogue' };
}

/**
 * cos φ / tan φ precedence: item tan φ > item cos φ > group tan φ > group cos φ > catalogue cos φ. An explicit
 * tan φ wins over a cos φ at the same level and is reported with cos φ = 1/√(1 + tan² φ).
 */
function powerFactorOf(
  itemTan: number | undefined,
  itemCos: number | undefined,
  group: DemandGroupInput | undefined,
  type: EquipmentType,
): { cos: number; tan: number; source: ValueSource } {
  const fromTan = (tan: number, source: ValueSource) => ({ cos: 1 / Math.sqrt(1 + tan * tan), tan, source });
  const fromCos = (cos: number, source: ValueSource) => ({ cos, tan: tanPhiFromPowerFactor(cos), source });
  if (itemTan !== undefined) return fromTan(itemTan, 'item_override');
  if (itemCos !== undefined) return fromCos(itemCos, 'item_override');
  if (group?.tan_phi !== undefined) return fromTan(group.tan_phi, 'group_override');
  if (group?.power_factor !== undefined) return fromCos(group.power_factor, 'group_override');
  return fromCos(type.power_factor, 'catalogue');
}

function handbookItem(it: ValidItem): ItemResult {
  const unit = unitInstalledKw(it);
  const q = it.input.quantity;
  const kva = it.type.rated_quantity === 'apparent_power_kva';
  const r: ItemResult = {
    index: it.index,
    type: it.type.id,
    group: it.type.handbook_category,
    quantity: q,
    duty_class: it.type.duty_class,
    phase_connection: it.phase_connection,
    unit_pe_kw: unit,
    pe_kw: q * unit,
    equivalent_pe_kw: q * unit,
    unbalance_multiplier: 1,
    formula: kva
      ? `P = n·Sn·cos φ = ${q}·${fixed(it.input.rated_apparent_power_kva ?? 0)}·${fixed(unit / (it.input.rated_apparent_power_kva ?? 1))} = ${fixed(q * unit)} kW (nameplate; the handbook estimate uses rated capacity)`
      : `P = n·Pn = ${q}·${fixed(unit)} = ${fixed(q * unit)} kW (nameplate; the handbook estimate uses rated capacity)`,
    demand_factor: null,
    demand_factor_source: null,
    power_factor: null,
    tan_phi: null,
    power_factor_source: null,
    active_power_kw: null,
    reactive_power_kvar: null,
    installed_power_kw: q * unit,
  };
  if (it.input.label !== undefined) r.label = it.input.label;
  return r;
}
