/**
 * Input and result types of the demand calculation (JGJ 46 demand-coefficient method and the handbook
 * estimate). Plain numbers only, in the unit named by each field's suffix; unit strings are parsed at the
 * HTTP edge.
 */
import type { DutyClass, PhaseConnection } from '../catalog/equipment.js';
import type { RuleSetId } from '../catalog/rule-sets.js';

export type Phase = 'L1' | 'L2' | 'L3';
export type LinePair = 'L1-L2' | 'L2-L3' | 'L3-L1';
export const PHASES: readonly Phase[] = ['L1', 'L2', 'L3'];
export const LINE_PAIRS: readonly LinePair[] = ['L1-L2', 'L2-L3', 'L3-L1'];

/**
 * One line of an equipment list. The field names match the scenario file's equipment items.
 *
 * `power_factor`: for AC/butt/spot welders (rated in kVA) it is the nameplate cos φ used in Pe = √JC·Sn·cos φ;
 * the reactive power of those items uses the group cos φ unless the item gives `tan_phi`. For every other
 * type it overrides the item's cos φ for the reactive power.
 */
export interface EquipmentItemInput {
  type: string;
  /** Number of identical units, integer ≥ 1. */
  quantity: number;
  /** Nameplate active power per unit, kW (lamp power for lighting). */
  rated_power_kw?: number;
  /** Nameplate apparent power per unit, kVA (AC, butt and spot welders). */
  rated_apparent_power_kva?: number;
  /** Nameplate duty ratio JC, fraction in (0, 1]. */
  duty_cycle?: number;
  power_factor?: number;
  note?: string;
  label?: string;
  /** Name of an explicit group declared in `DemandInput.groups`. */
  group?: string;
  /** Item override of Kx, fraction in (0, 1]. */
  demand_factor?: number;
  /** Item override of tan φ (wins over any cos φ), ≥ 0. */
  tan_phi?: number;
  phase_connection?: PhaseConnection;
  /** Phase (line-to-neutral) or line pair (line-to-line) the units are connected to. */
  phase?: Phase | LinePair;
}

/** An explicit group with its own coefficients (a calculation book's group). */
export interface DemandGroupInput {
  name: string;
  demand_factor?: number;
  power_factor?: number;
  /** Wins over `power_factor` when both are given. */
  tan_phi?: number;
}

export type DemandMethod = 'demand_coefficient' | 'handbook_a' | 'handbook_b';

/** Coefficients of the handbook estimate (DOMAIN.md §1.5); every one is optional. */
export interface HandbookOptions {
  /** Variant A: K = 1.05…1.10 (default 1.10). */
  k?: number;
  /** K1 (power equipment); default by unit-count band of the variant. */
  k1?: number;
  /** Variant A: K2 (welders) default by band; variant B: K2 indoor lighting (0.8). */
  k2?: number;
  /** Variant A: K3 indoor lighting (0.8); variant B: K3 outdoor lighting (1.0). */
  k3?: number;
  /** Variant A: K4 outdoor lighting (1.0). */
  k4?: number;
  /** Average power factor (variant A motors: 0.75; variant B transformer: 0.75). */
  power_factor?: number;
  /** Variant B non-uniformity factor, default 1.1. */
  non_uniformity_factor?: number;
  /** Variant B transformer loss factor, default 1.05 (P0 = 1.05·P/cos φ). */
  loss_factor?: number;
  /** Variant B short form P = 1.24·K1·ΣPc (lighting as 10 % of power). */
  short_form?: boolean;
}

export interface DemandInput {
  items: EquipmentItemInput[];
  groups?: DemandGroupInput[];
  /** K∑, fraction within the rule set's range (JGJ 46-2005: 0.5–1.0); default the rule set's 0.8. */
  simultaneity_factor?: number;
  method?: DemandMethod;
  /** β_max for the transformer recommendation, fraction in (0, 1]; default the rule set's 0.85. */
  loading_cap?: number;
  handbook?: HandbookOptions;
}

/** Where a coefficient or value came from. */
export type ValueSource = 'catalogue' | 'group_override' | 'item_override' | 'rule_set' | 'caller';

export interface TraceStep {
  step: string;
  quantity: string;
  value: number;
  unit?: string;
  source: ValueSource;
  reference: string;
}

export interface DemandWarning {
  code: string;
  message: string;
  path?: (string | number)[];
}

export interface ItemResult {
  index: number;
  type: string;
  label?: string;
  group: string;
  quantity: number;
  duty_class: DutyClass;
  phase_connection: PhaseConnection;
  /** JC used in the conversion (intermittent duty and welders), fraction. */
  duty_cycle?: number;
  duty_cycle_source?: ValueSource;
  /** Nameplate cos φ used in an AC-welder conversion. */
  conversion_power_factor?: number;
  ballast_factor?: number;
  /** Setting capacity of one unit, kW. */
  unit_pe_kw: number;
  /** quantity × unit Pe, kW (before the single-phase unbalance rule). */
  pe_kw: number;
  /** Three-phase equivalent after the unbalance rule (= pe_kw when balanced), kW. */
  equivalent_pe_kw: number;
  unbalance_multiplier: number;
  formula: string;
  /** Coefficients and demand of the item within its group; null for the handbook estimate. */
  demand_factor: number | null;
  demand_factor_source: ValueSource | null;
  power_factor: number | null;
  tan_phi: number | null;
  power_factor_source: ValueSource | null;
  active_power_kw: number | null;
  reactive_power_kvar: number | null;
  /** Σ nameplate kW of the item (kVA-rated welders: kVA × nameplate cos φ). */
  installed_power_kw: number;
}

export interface GroupResult {
  name: string;
  kind: 'type' | 'explicit';
  types: string[];
  item_indices: number[];
  device_count: number;
  /** Σ equivalent Pe, kW. */
  pe_kw: number;
  /** Effective Kx = Pjs/ΣPe (equal to the coefficient when no item overrides it). */
  kx: number;
  power_factor: number;
  tan_phi: number;
  active_power_kw: number;
  reactive_power_kvar: number;
  apparent_power_kva: number;
  current_a: number;
  coefficient_sources: { demand_factor: ValueSource[]; power_factor: ValueSource[] };
  references: string[];
}

export interface UnbalanceResult {
  single_phase_pe_kw: number;
  three_phase_pe_kw: number;
  /** single-phase / three-phase Pe; null when there is no three-phase equipment. */
  ratio: number | null;
  threshold: number;
  applied: boolean;
  phase_loads_kw: Record<Phase, number>;
  line_pair_loads_kw: Record<LinePair, number>;
  line_to_neutral_equivalent_kw: number;
  line_to_line_equivalent_kw: number;
  rule: string;
}

export interface HandbookTerm {
  name: string;
  symbol: string;
  sum: number;
  unit: 'kW' | 'kVA';
  device_count: number;
  coefficient: number;
  coefficient_source: ValueSource;
  value: number;
}

export interface HandbookResult {
  variant: 'A' | 'B';
  short_form: boolean;
  formula: string;
  terms: HandbookTerm[];
  k: number;
  power_factor: number;
  /** Variant A: apparent demand P (kVA); variant B: active demand P (kW). */
  demand: number;
  /** Variant B: transformer capacity P0 = loss·P/cos φ (kVA). */
  transformer_capacity_kva?: number;
}

export interface DemandTotals {
  simultaneity_factor: number;
  simultaneity_factor_source: ValueSource;
  active_power_kw: number;
  reactive_power_kvar: number;
  apparent_power_kva: number;
  current_a: number;
  power_factor: number;
}

export interface TransformerRecommendation {
  catalogue: string;
  demand_kva: number;
  loading_cap: number;
  loading_cap_source: ValueSource;
  warning_band: number;
  /** Smallest standard rating with rating·β_max ≥ demand; null when even the largest is too small. */
  rating_kva: number | null;
  /** demand / rating; null when there is no rating. */
  loading_fraction: number | null;
  next_rating_kva: number | null;
  above_warning_band: boolean;
  exceeds_largest_rating: boolean;
}

/** The largest motor of a list: one unit at its nameplate, the floor of a feeder's design current. */
export interface LargestMotor {
  /** Index of the item in the input list. */
  index: number;
  type: string;
  rated_power_kw: number;
  power_factor: number;
  phase_connection: PhaseConnection;
  /** I_FLC = Pn/(√3·U·cos φ) three-phase, Pn/(U·cos φ) line-to-line, Pn/(U/√3·cos φ) line-to-neutral, A. */
  full_load_current_a: number;
}

/**
 * The current a feeder and its protective device must be sized for: the demand current Ijs, but never less
 * than the full-load current of the largest motor plus the demand current of everything else on the list
 * (DOMAIN.md "Product decisions": single group / few units).
 */
export interface DesignCurrent {
  /** max(Ijs, I_FLC,max + I_others), A. */
  current_a: number;
  basis: 'demand' | 'largest_motor';
  /** Ijs of the whole list, A. */
  demand_current_a: number;
  largest_motor: LargestMotor | null;
  /** Ijs of the list without one unit of the largest motor, A; null without a motor. */
  others_current_a: number | null;
  reference: string;
}

export interface OrganisationDesign {
  required: boolean;
  triggered_by: ('device_count' | 'installed_power')[];
  min_devices: number;
  min_power_kw: number;
  clause: string;
}

export interface DemandResult {
  method: DemandMethod;
  engine_version: string;
  catalogue_version: string;
  rule_set: { id: RuleSetId; edition: string };
  nominal_voltage_v: number;
  items: ItemResult[];
  groups: GroupResult[];
  handbook: HandbookResult | null;
  /** Single-phase unbalance assessment; null for the handbook estimate (nameplate sums). */
  unbalance: UnbalanceResult | null;
  totals: DemandTotals;
  /** The current the feeder and its protection are sized for (≥ Ijs, ≥ the largest motor's FLC). */
  design_current: DesignCurrent;
  installed_power_kw: number;
  largest_unit_kw: number;
  device_count: number;
  organisation_design_required: boolean;
  organisation_design: OrganisationDesign;
  transformer: TransformerRecommendation;
  trace: TraceStep[];
  warnings: DemandWarning[];
}
