/**
 * Rule sets: every limit a calculation or a check uses, with the edition it comes from. Calculations take a
 * rule set as an argument; results say which one (and which edition) they used.
 *
 * Values and sources: DOMAIN.md "Product decisions", §2 (rules R1–R17), §3.3 (loading cap), §4.2
 * (voltage-drop budget), §5 (utility process). Values marked unconfirmed there are configurable per site.
 */
export type RuleSetId = 'JGJ46-2005' | 'JGJ/T46-2024' | 'IEC60364-7-704';

export interface RuleSet {
  id: RuleSetId;
  edition: string;
  title: string;
  /** K∑ default and the range a caller may choose (DOMAIN.md §1.3: 0.6–0.9 seen, 0.8 default). */
  simultaneity_factor: { default: number; min: number; max: number };
  /** β_max: long-term loading cap of a transformer (GB 51348-2019 §4.3.2: ≤ 85 %). */
  loading_cap: number;
  /** Warn above this loading (economic band, DOMAIN.md §3.3). */
  loading_warning: number;
  /** Voltage-drop budget from the supply point's LV bus to the load, percent (JGJ 46 7.1.3: 5 %). */
  voltage_drop_budget_percent: number;
  /** The handbook budget selectable instead (DOMAIN.md §4.2, R17: 7 %). */
  voltage_drop_handbook_percent: number;
  nominal_lv_voltage_v: number;
  /** Shanghai LV connection threshold on the capacity applied for (DOMAIN.md §5.2), kW. */
  low_voltage_threshold_kw: number;
  /** R1: an organisation design is required from this many devices or this much installed power. */
  organisation_design: { min_devices: number; min_power_kw: number; clause: string };
  /** R3 / R3a: switch-box RCD. */
  switch_box_rcd: {
    max_residual_current_ma: number;
    wet_max_residual_current_ma: number;
    max_time_s: number;
    clause: string;
  };
  /** R4: main-box RCD. */
  main_box_rcd: {
    min_residual_current_ma: number;
    min_time_s: number;
    max_product_ma_s: number;
    clause: string;
  };
  earthing_systems_allowed: string[];
  earthing_clause: string;
  /** R5 / R5a distances, m. */
  distribution_to_switch_box_max_m: number;
  switch_box_to_equipment_max_m: number;
  /** R10 burial depth, m. */
  min_burial_depth_m: number;
  /** R11 repeated-earthing resistance, Ω. */
  max_repeated_earth_resistance_ohm: number;
  /** Temporary-supply term (DOMAIN.md §5.1: 6 months, 1996 rules art. 12). */
  temporary_supply_term_months: number;
  /** Whether clause numbers are the 2005 layout as printed by sources (see DOMAIN.md §2 notes). */
  clause_numbering: string;
}

const JGJ46_2005: RuleSet = {
  id: 'JGJ46-2005',
  edition: 'JGJ 46-2005',
  title:
    '施工现场临时用电安全技术规范 (Technical code for safety of temporary electrification on construction site)',
  simultaneity_factor: { default: 0.8, min: 0.5, max: 1.0 },
  loading_cap: 0.85,
  loading_warning: 0.75,
  voltage_drop_budget_percent: 5,
  voltage_drop_handbook_percent: 7,
  nominal_lv_voltage_v: 380,
  low_voltage_threshold_kw: 160,
  organisation_design: { min_devices: 5, min_power_kw: 50, clause: 'JGJ 46-2005 3.1.1' },
  switch_box_rcd: {
    max_residual_current_ma: 30,
    wet_max_residual_current_ma: 15,
    max_time_s: 0.1,
    clause: 'JGJ 46-2005 8.2.10',
  },
  main_box_rcd: {
    min_residual_current_ma: 30,
    min_time_s: 0.1,
    max_product_ma_s: 30,
    clause: 'JGJ 46-2005 8.2.11',
  },
  earthing_systems_allowed: ['TN-S'],
  earthing_clause: 'JGJ 46-2005 1.0.3',
  distribution_to_switch_box_max_m: 30,
  switch_box_to_equipment_max_m: 3,
  min_burial_depth_m: 0.7,
  max_repeated_earth_resistance_ohm: 10,
  temporary_supply_term_months: 6,
  clause_numbering:
    '2005 layout; 8.1.2, 7.1.3, 7.2.1, 7.2.3, 10.2.2 as remembered by sources (DOMAIN.md §2 notes)',
};

export const RULE_SETS: Record<RuleSetId, RuleSet> = {
  'JGJ46-2005': JGJ46_2005,
  // JGJ/T 46-2024 replaced JGJ 46-2005 on 2025-01-01; a third-party summary states the numbers used here are
  // unchanged (plusstd.com). Same values until the 2024 text is checked; results name the edition.
  'JGJ/T46-2024': {
    ...JGJ46_2005,
    id: 'JGJ/T46-2024',
    edition: 'JGJ/T 46-2024',
    title: '建筑与市政工程施工现场临时用电安全技术标准',
    clause_numbering:
      '2005 clause numbers shown; the 2024 chapter layout differs (ch. 3 配电系统, 3.3 剩余电流保护)',
  },
  // IEC 60364-7-704:2017 / BS 7671 §704 (DOMAIN.md §6.1): 30 mA RCD on sockets ≤ 32 A; selectivity upstream.
  'IEC60364-7-704': {
    ...JGJ46_2005,
    id: 'IEC60364-7-704',
    edition: 'IEC 60364-7-704:2017',
    title: 'Low-voltage electrical installations — Construction and demolition site installations',
    nominal_lv_voltage_v: 400,
    switch_box_rcd: {
      max_residual_current_ma: 30,
      wet_max_residual_current_ma: 30,
      max_time_s: 0.3,
      clause: 'IEC 60364-7-704 704.410.3.10',
    },
    main_box_rcd: {
      min_residual_current_ma: 30,
      min_time_s: 0,
      max_product_ma_s: Number.POSITIVE_INFINITY,
      clause: 'IEC 60364-7-704 (selectivity by design)',
    },
    earthing_systems_allowed: ['TN-S', 'TT', 'IT'],
    earthing_clause: 'IEC 60364-7-704 704.411',
    clause_numbering: 'IEC 60364-7-704:2017',
  },
};

export const RULE_SET_IDS = Object.keys(RULE_SETS) as RuleSetId[];

/** The rule set by id (the ids are a closed list validated at the edge). */
export function ruleSet(id: RuleSetId): RuleSet {
  return RULE_SETS[id];
}
