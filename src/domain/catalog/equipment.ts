/**
 * Construction equipment catalogue: per-type duty class, default demand factor Kx, group power factor cos φ,
 * conversion defaults and the handbook category, each with its source and confidence.
 *
 * Sources are DOMAIN.md §1.1 (conversions), Table 1.4-A (values used in published calculation books), Table
 * 1.4-B (工业与民用配电设计手册 industrial table), Table 1.4-C (civil buildings) and Table 1.4-D (the service's
 * recommended defaults). DOMAIN.md §7.2: the classic 建筑施工手册 table was not found legibly, so most values
 * are low confidence; every one can be overridden per item or per group (a calculation book can be reproduced
 * exactly by giving its coefficients). cos φ is stored, tan φ is derived in code.
 */

/** How the nameplate rating is converted to the setting capacity Pe (DOMAIN.md §1.1). */
export type DutyClass =
  /** Pe = Pn. */
  | 'continuous'
  /** Repeated short-time duty converted to JC = 25 %: Pe = 2·√JC·Pn. */
  | 'intermittent'
  /** AC (transformer), butt and spot welders converted to JC = 100 %: Pe = √JC·Sn·cos φ (Sn in kVA). */
  | 'welder_ac'
  /** DC (rectifier / generator) welders converted to JC = 100 %: Pe = √JC·Pn. */
  | 'welder_dc'
  /** Pe = ballast factor × lamp power. */
  | 'lighting';

/** How a single unit is connected to the 380/220 V TN-S system. */
export type PhaseConnection = 'three_phase' | 'line_to_line' | 'line_to_neutral';

/** Which nameplate quantity an item of the type must give. */
export type RatedQuantity = 'active_power_kw' | 'apparent_power_kva';

export type Confidence = 'high' | 'medium' | 'low' | 'unconfirmed';

/**
 * The term of the handbook quick estimate a type falls in (DOMAIN.md §1.5): `power` = motors and other power
 * equipment (P1 / ΣPc; electric heating is added here, "如施工中需用电加热时，应将其用电量计算进去"), `welder` =
 * welders (P2, rated kVA in variant A; in variant B welders are power equipment), `indoor_lighting` = indoor
 * lighting and living/office loads (P3 / ΣPa), `outdoor_lighting` = outdoor lighting (P4 / ΣPb).
 */
export type HandbookCategory = 'power' | 'welder' | 'indoor_lighting' | 'outdoor_lighting';

/** Demand factor chosen by the number of units in the group (DOMAIN.md Table 1.4-C). */
export interface DemandFactorBand {
  /** The band applies up to and including this many units; null = no upper bound. */
  max_units: number | null;
  demand_factor: number;
}

export interface EquipmentType {
  id: string;
  label_en: string;
  label_zh: string;
  duty_class: DutyClass;
  /** Default Kx of the group, fraction. */
  demand_factor: number;
  /** Count-dependent Kx, used instead of `demand_factor` when present and not overridden. */
  demand_factor_bands?: readonly DemandFactorBand[];
  /** cos φ of the group, used for the reactive power Qjs = Pjs·tan φ. */
  power_factor: number;
  /** Welders rated in kVA: nameplate cos φ used in Pe = √JC·Sn·cos φ when the item gives none. */
  nameplate_power_factor?: number;
  /** Intermittent duty and welders: nameplate JC (fraction) assumed when the item gives none. */
  default_duty_cycle?: number;
  /** Lighting: Pe = ballast_factor × lamp power (DOMAIN.md §1.1, partially confirmed). */
  ballast_factor?: number;
  phase_connection: PhaseConnection;
  rated_quantity: RatedQuantity;
  handbook_category: HandbookCategory;
  /**
   * Whether a unit is driven by an electric motor whose full-load current bounds the feeder's design current
   * from below (DOMAIN.md "Product decisions": single group / few units). False for resistive heating,
   * lighting, welders and aggregated boards.
   */
  motor: boolean;
  source: string;
  confidence: Confidence;
}

export interface EquipmentCatalogue {
  version: string;
  title: string;
  source: string;
  types: readonly EquipmentType[];
}

const S_1_4_A = 'DOMAIN.md Table 1.4-A';
const S_BDOCX = 'https://m.bdocx.com/doc/23655532.html';
const S_DOCDUODUO = 'https://m.docduoduo.com/p-11465920.html';
const S_NAMEPLATE = 'nameplate cos φ list, http://m.360docs.net/doc/487389431.html';
const S_1_4_B = 'DOMAIN.md Table 1.4-B (工业与民用配电设计手册 via https://m.yzwku.com/doc/924878.html)';
const S_1_4_D = 'DOMAIN.md Table 1.4-D';
const S_HANDBOOK_WORKSHOP =
  'DOMAIN.md §1.5 variant A: 加工厂动力设备 K = 0.5 (https://360docs.net/doc/0c21191619.html)';
const S_BALLAST = 'DOMAIN.md §1.1 ballast factors (https://yakdoc.com/html/392689.html, partially confirmed)';

function motor(
  id: string,
  label_en: string,
  label_zh: string,
  demand_factor: number,
  power_factor: number,
  source: string,
  confidence: Confidence,
  extra: Partial<EquipmentType> = {},
): EquipmentType {
  return {
    id,
    label_en,
    label_zh,
    duty_class: 'continuous',
    demand_factor,
    power_factor,
    phase_connection: 'three_phase',
    rated_quantity: 'active_power_kw',
    handbook_category: 'power',
    motor: true,
    source,
    confidence,
    ...extra,
  };
}

function lighting(
  id: string,
  label_en: string,
  label_zh: string,
  ballast_factor: number,
  demand_factor: number,
  power_factor: number,
  handbook_category: 'indoor_lighting' | 'outdoor_lighting',
  source: string,
  confidence: Confidence,
  extra: Partial<EquipmentType> = {},
): EquipmentType {
  return {
    id,
    label_en,
    label_zh,
    duty_class: 'lighting',
    demand_factor,
    power_factor,
    ballast_factor,
    phase_connection: 'line_to_neutral',
    rated_quantity: 'active_power_kw',
    handbook_category,
    motor: false,
    source,
    confidence,
    ...extra,
  };
}

function crane(
  id: string,
  label_en: string,
  label_zh: string,
  demand_factor: number,
  power_factor: number,
  default_duty_cycle: number,
  source: string,
  confidence: Confidence,
): EquipmentType {
  return {
    ...motor(id, label_en, label_zh, demand_factor, power_factor, source, confidence),
    duty_class: 'intermittent',
    default_duty_cycle,
  };
}

const TYPES: readonly EquipmentType[] = [
  // — lifting (intermittent duty, converted to JC = 25 %; DOMAIN.md §1.1) —
  crane(
    'tower_crane',
    'Tower crane',
    '塔式起重机',
    0.3,
    0.6,
    0.4,
    `${S_1_4_D} (group value of ${S_DOCDUODUO}); default JC 40 % is the usual tower-crane nameplate rating (unconfirmed)`,
    'medium',
  ),
  crane(
    'construction_hoist',
    'Construction hoist',
    '施工升降机',
    0.3,
    0.6,
    0.4,
    `${S_1_4_D}: same handbook row as cranes (提升机、起重机), no hoist-specific value found; default JC 40 % unconfirmed`,
    'low',
  ),
  crane(
    'winch',
    'Winch',
    '卷扬机',
    0.3,
    0.7,
    0.25,
    `${S_1_4_A} (${S_BDOCX}: Kx 0.3, cos φ 0.7); default JC 25 % as in ${S_DOCDUODUO} (winches counted at Pe = Pn)`,
    'medium',
  ),
  crane(
    'gantry_crane',
    'Gantry crane',
    '龙门吊',
    0.25,
    0.5,
    0.4,
    `${S_1_4_B}: cranes (ε = 25 %) Kd 0.15–0.25, cos φ 0.5 — upper value; default JC 40 % unconfirmed`,
    'low',
  ),
  // — concrete —
  motor(
    'concrete_pump',
    'Concrete pump (electric)',
    '混凝土输送泵',
    0.7,
    0.8,
    `${S_1_4_D}: by analogy with pumps/compressors (1.4-B)`,
    'low',
  ),
  motor(
    'concrete_batching_plant',
    'Concrete batching plant (motors)',
    '混凝土搅拌站',
    0.7,
    0.75,
    `${S_1_4_D} mixer Kx 0.7; cos φ of interlocked continuous conveyors (${S_1_4_B})`,
    'low',
  ),
  motor(
    'concrete_mixer',
    'Concrete mixer',
    '混凝土搅拌机',
    0.7,
    0.68,
    `${S_1_4_D} (${S_BDOCX}; the source prints tan φ 0.62, inconsistent with cos φ 0.68)`,
    'medium',
  ),
  motor(
    'mortar_mixer',
    'Mortar mixer',
    '砂浆搅拌机',
    0.7,
    0.68,
    `${S_1_4_A} (${S_BDOCX}; tan φ printed 0.62 is inconsistent with cos φ 0.68 — tan φ derived in code)`,
    'medium',
  ),
  motor(
    'vibrator',
    'Concrete vibrator (poker / plate)',
    '振动器',
    0.65,
    0.65,
    `${S_1_4_A} (${S_BDOCX}); nameplate cos φ 0.85 in ${S_NAMEPLATE}`,
    'low',
  ),
  motor(
    'frog_rammer',
    'Frog rammer',
    '蛙式打夯机',
    0.7,
    0.8,
    `cos φ from ${S_NAMEPLATE}; Kx by analogy with small site machines (0.7, ${S_1_4_D}) — unconfirmed`,
    'unconfirmed',
  ),
  motor(
    'pile_driver_electric',
    'Electric pile driver / vibratory hammer',
    '电动打桩机',
    0.7,
    0.7,
    'no construction source found; Kx 0.7 and cos φ 0.7 chosen as for heavy site motors (engineering choice)',
    'unconfirmed',
  ),
  // — pumps, air, ventilation —
  motor(
    'water_pump',
    'Water pump',
    '水泵',
    0.75,
    0.8,
    `${S_1_4_D}: pumps Kd 0.7–0.8 (${S_1_4_B}), default 0.75`,
    'medium',
  ),
  motor(
    'dewatering_pump',
    'Dewatering pump',
    '降水泵',
    0.75,
    0.8,
    `${S_1_4_D}: pumps Kd 0.7–0.8 (${S_1_4_B}), default 0.75`,
    'medium',
  ),
  motor(
    'mud_pump',
    'Slurry / mud pump',
    '泥浆泵',
    0.75,
    0.8,
    `${S_1_4_B}: pumps Kd 0.7–0.8, cos φ 0.8`,
    'low',
  ),
  motor(
    'air_compressor',
    'Air compressor',
    '空气压缩机',
    0.75,
    0.8,
    `${S_1_4_B}: fans, pumps, air compressors Kd 0.7–0.8, cos φ 0.8`,
    'medium',
  ),
  motor(
    'fan_ventilator',
    'Fan / ventilator',
    '通风机',
    0.75,
    0.8,
    `${S_1_4_B}: fans Kd 0.7–0.8, cos φ 0.8`,
    'medium',
  ),
  // — rebar and workshop machines —
  motor(
    'rebar_cutter',
    'Rebar cutter',
    '钢筋切断机',
    0.5,
    0.7,
    `Kx unconfirmed (DOMAIN.md Table 1.4-D): handbook K for 加工厂动力设备 0.5 used (${S_HANDBOOK_WORKSHOP}); cos φ QJ40 nameplate 0.7 (${S_NAMEPLATE})`,
    'low',
  ),
  motor(
    'rebar_bender',
    'Rebar bender',
    '钢筋弯曲机',
    0.5,
    0.7,
    `Kx unconfirmed (DOMAIN.md Table 1.4-D): ${S_HANDBOOK_WORKSHOP}; cos φ QJ40 nameplate 0.7 (${S_NAMEPLATE})`,
    'low',
  ),
  motor(
    'rebar_straightener',
    'Rebar straightener',
    '钢筋调直机',
    0.5,
    0.7,
    `Kx unconfirmed (DOMAIN.md Table 1.4-D): ${S_HANDBOOK_WORKSHOP}; cos φ 0.7 as for rebar machines`,
    'low',
  ),
  motor(
    'rebar_threader',
    'Rebar thread-rolling machine',
    '钢筋滚丝机',
    0.5,
    0.7,
    `Kx unconfirmed (DOMAIN.md Table 1.4-D): ${S_HANDBOOK_WORKSHOP}; cos φ 0.7 as for rebar machines`,
    'low',
  ),
  motor(
    'pipe_threader',
    'Pipe threading machine',
    '套丝机',
    0.5,
    0.7,
    `Kx unconfirmed: ${S_HANDBOOK_WORKSHOP}; cos φ 0.7 as for rebar machines`,
    'low',
  ),
  motor(
    'woodworking_saw',
    'Woodworking circular saw',
    '木工圆锯',
    0.7,
    0.75,
    `${S_1_4_A} (${S_BDOCX} 介木机); nameplate cos φ 0.87 in ${S_NAMEPLATE}`,
    'low',
  ),
  motor(
    'woodworking_planer',
    'Woodworking planer',
    '木工平刨',
    0.7,
    0.75,
    `${S_1_4_A} (${S_BDOCX} 介木机)`,
    'low',
  ),
  motor(
    'floor_grinder',
    'Floor grinder',
    '地坪研磨机',
    0.7,
    0.8,
    `cos φ: terrazzo-grinder nameplate 0.8 (${S_NAMEPLATE}); Kx 0.7 by analogy with woodworking machines — unconfirmed`,
    'unconfirmed',
  ),
  motor(
    'terrazzo_grinder',
    'Terrazzo grinder',
    '水磨石机',
    0.7,
    0.8,
    `cos φ nameplate 0.8 (${S_NAMEPLATE}); Kx 0.7 by analogy — unconfirmed`,
    'unconfirmed',
  ),
  motor(
    'industrial_vacuum',
    'Industrial vacuum cleaner',
    '工业吸尘器',
    0.7,
    0.8,
    `by analogy with fans (${S_1_4_B}, Kd 0.7–0.8, cos φ 0.8), lower value`,
    'low',
  ),
  motor(
    'portable_tools',
    'Portable power tools (aggregated board)',
    '手持电动工具',
    0.5,
    0.8,
    'engineering choice for an aggregated board of hand tools (short, scattered use); no source found',
    'unconfirmed',
    { motor: false },
  ),
  motor(
    'scissor_lift_charger',
    'Scissor-lift / MEWP battery charger',
    '剪叉式升降机充电器',
    0.7,
    0.9,
    'engineering choice: chargers run for hours but not all at once; cos φ 0.9 typical of switched-mode chargers — unconfirmed',
    'unconfirmed',
    { phase_connection: 'line_to_neutral', motor: false },
  ),
  // — welders (converted to JC = 100 %) —
  {
    id: 'welder_ac',
    label_en: 'AC arc welder (transformer)',
    label_zh: '交流电焊机',
    duty_class: 'welder_ac',
    demand_factor: 0.5,
    power_factor: 0.4,
    nameplate_power_factor: 0.85,
    default_duty_cycle: 0.65,
    phase_connection: 'line_to_line',
    rated_quantity: 'apparent_power_kva',
    handbook_category: 'welder',
    motor: false,
    source: `${S_1_4_D}: Kx 0.5, group cos φ 0.4 (${S_1_4_B} arc-welding transformers); nameplate cos φ 0.85 and JC 65 % from ${S_NAMEPLATE}`,
    confidence: 'medium',
  },
  {
    id: 'butt_welder',
    label_en: 'Butt (flash) welder',
    label_zh: '对焊机',
    duty_class: 'welder_ac',
    demand_factor: 0.35,
    power_factor: 0.7,
    nameplate_power_factor: 0.85,
    default_duty_cycle: 0.6,
    phase_connection: 'line_to_line',
    rated_quantity: 'apparent_power_kva',
    handbook_category: 'welder',
    motor: false,
    source: `${S_1_4_D} (${S_1_4_B}: butt welders Kd 0.35, cos φ 0.7); nameplate cos φ 0.85 and JC 60 % from ${S_NAMEPLATE}`,
    confidence: 'medium',
  },
  {
    id: 'spot_welder',
    label_en: 'Spot / seam welder',
    label_zh: '点焊机',
    duty_class: 'welder_ac',
    demand_factor: 0.35,
    power_factor: 0.6,
    nameplate_power_factor: 0.6,
    default_duty_cycle: 0.2,
    phase_connection: 'line_to_line',
    rated_quantity: 'apparent_power_kva',
    handbook_category: 'welder',
    motor: false,
    source: `${S_1_4_B}: spot/seam welders Kd 0.35, cos φ 0.6; nameplate cos φ and JC 20 % assumed — unconfirmed`,
    confidence: 'low',
  },
  {
    id: 'welder_dc',
    label_en: 'DC arc welder (rectifier / inverter)',
    label_zh: '直流电焊机',
    duty_class: 'welder_dc',
    demand_factor: 0.5,
    power_factor: 0.87,
    default_duty_cycle: 0.6,
    phase_connection: 'three_phase',
    rated_quantity: 'active_power_kw',
    handbook_category: 'welder',
    motor: false,
    source: `Kx 0.5: ${S_1_4_D} welder row (0.5 for ≤ 10 units) and the handbook welder coefficient K2 0.5–0.6 (DOMAIN.md §1.5); cos φ 0.87 from ${S_1_4_A} (${S_BDOCX} 电焊机 Kx 0.45, cos φ 0.87 — plausible for rectifier/inverter welders); default JC 60 % unconfirmed`,
    confidence: 'low',
  },
  // — lighting (lamp power × ballast factor) —
  lighting(
    'lighting_indoor',
    'Indoor lighting (input power incl. gear)',
    '室内照明',
    1.0,
    0.8,
    1.0,
    'indoor_lighting',
    `${S_1_4_D}: indoor lighting Kx 0.8, cos φ 1.0; rated power taken as luminaire input power (ballast 1.0)`,
    'medium',
  ),
  lighting(
    'lighting_fluorescent',
    'Fluorescent lighting',
    '荧光灯',
    1.2,
    0.8,
    0.9,
    'indoor_lighting',
    `${S_BALLAST}: ballast 1.2; Kx 0.8 (${S_1_4_D}); cos φ 0.9 assumes compensated gear (uncompensated ≈ 0.5) — unconfirmed`,
    'low',
  ),
  lighting(
    'floodlight_metal_halide',
    'Metal-halide floodlight (镝灯)',
    '金属卤化物灯（镝灯）',
    1.1,
    1.0,
    0.55,
    'outdoor_lighting',
    `${S_BALLAST}: ballast 1.1; Kx 1, cos φ ≈ 0.55 uncompensated (${S_1_4_A}, ${S_BDOCX} tan φ 1.52)`,
    'medium',
  ),
  lighting(
    'floodlight_iodine_tungsten',
    'Iodine-tungsten floodlight',
    '碘钨灯',
    1.0,
    1.0,
    1.0,
    'outdoor_lighting',
    `${S_1_4_A} (${S_BDOCX}: Kx 1, cos φ 1); incandescent Pe = lamp power (${S_BALLAST})`,
    'medium',
  ),
  lighting(
    'floodlight_led',
    'LED floodlight',
    'LED投光灯',
    1.0,
    1.0,
    0.9,
    'outdoor_lighting',
    'outdoor lighting Kx 1.0 (DOMAIN.md Table 1.4-B); rated power is driver input power; cos φ 0.9 — unconfirmed',
    'low',
  ),
  lighting(
    'hoarding_light',
    'Hoarding / perimeter light',
    '围挡灯',
    1.0,
    1.0,
    1.0,
    'outdoor_lighting',
    `outdoor lighting Kx 1.0 (${S_1_4_B}); hoarding lights 100 × 0.25 kW in ${S_DOCDUODUO}; cos φ 1 assumed`,
    'low',
  ),
  // — offices, camp, living —
  motor(
    'site_office',
    'Site office block (lighting, IT, sockets)',
    '办公区用电',
    0.6,
    0.8,
    `${S_1_4_D}: site offices & camp Kx 0.6 → 0.3 by count, cos φ 0.8 (one aggregated board: 0.6)`,
    'low',
    { handbook_category: 'indoor_lighting', motor: false },
  ),
  motor(
    'split_air_conditioner',
    'Split air conditioner',
    '分体空调',
    0.6,
    0.8,
    `${S_1_4_D} / Table 1.4-C (04DX101-1 via https://www.91gzw.com/wenku/rdaec/0xypXkGD6B): < 3 units Kx 1; 4–10 units 0.6–0.4; 10–50 units 0.4–0.3; > 50 units unconfirmed (0.3 carried on); upper value of each range used`,
    'low',
    {
      phase_connection: 'line_to_neutral',
      demand_factor_bands: [
        { max_units: 2, demand_factor: 1.0 },
        { max_units: 10, demand_factor: 0.6 },
        { max_units: 50, demand_factor: 0.4 },
        { max_units: null, demand_factor: 0.3 },
      ],
    },
  ),
  motor(
    'camp_living',
    'Camp / living quarters (aggregated board)',
    '生活区用电',
    0.7,
    0.9,
    `${S_1_4_D}: camp general sockets/living Kx 0.6–0.8 (0.7 used), cos φ 0.9 unconfirmed`,
    'low',
    { handbook_category: 'indoor_lighting', motor: false },
  ),
  motor(
    'kitchen_equipment',
    'Canteen kitchen equipment',
    '食堂厨房设备',
    0.7,
    0.9,
    `${S_1_4_D}: camp/living Kx 0.6–0.8 (0.7 used), cos φ 0.9 — unconfirmed`,
    'unconfirmed',
    { handbook_category: 'indoor_lighting', motor: false },
  ),
  // — electric heating and resistive loads (run at full rating while on) —
  motor(
    'temporary_heater',
    'Temporary electric heater',
    '临时电加热器',
    1.0,
    1.0,
    `resistive heating at full rating: Kx 1, cos φ 1 as for "other" loads in ${S_1_4_A}`,
    'low',
    { motor: false },
  ),
  motor(
    'test_load_bank',
    'Resistive test load bank',
    '测试负载箱',
    1.0,
    1.0,
    'a load bank runs at its rating during a test: Kx 1, cos φ 1 (resistive) — engineering choice',
    'low',
    { motor: false },
  ),
  motor(
    'asphalt_plant_heater',
    'Asphalt plant electric heater',
    '沥青加热器',
    1.0,
    1.0,
    `resistive heating at full rating: Kx 1, cos φ 1 (${S_1_4_A} "other")`,
    'low',
    { motor: false },
  ),
  motor(
    'steam_curing_boiler_electric',
    'Electric steam-curing boiler',
    '电蒸汽养护锅炉',
    1.0,
    1.0,
    `resistive heating at full rating: Kx 1, cos φ 1 (${S_1_4_A} "other")`,
    'low',
    { motor: false },
  ),
];

/** The equipment catalogue shipped with the engine. Results name `version`. */
export const EQUIPMENT_CATALOGUE: EquipmentCatalogue = {
  version: 'tpp-equipment-2026.11',
  title: 'Construction equipment demand coefficients (JGJ 46 demand-coefficient method)',
  source: 'DOMAIN.md §1.1 and Tables 1.4-A…D; see each type',
  types: TYPES,
};

/**
 * Looks a type up by id (own entries only, so ids such as "constructor" never match).
 * @param catalogue the catalogue in use
 * @param id equipment type id
 */
export function findEquipmentType(catalogue: EquipmentCatalogue, id: string): EquipmentType | undefined {
  return catalogue.types.find((t) => t.id === id);
}

/**
 * A group of fewer than this many units of a kind takes Kx = 1: DOMAIN.md Table 1.4-C (04DX101-1) "< 3 units
 * Kx 1" — with one or two units nothing averages out, each may run at its rating (DOMAIN.md "Product
 * decisions": single group / few units).
 */
export const FEW_UNITS_MIN_FOR_KX = 3;

export const FEW_UNITS_SOURCE =
  'DOMAIN.md Table 1.4-C (04DX101-1): fewer than 3 units of a kind → Kx = 1 (DOMAIN.md "Product decisions": single group / few units)';

/**
 * Kx of a type for a group holding `units` units of it: 1 below {@link FEW_UNITS_MIN_FOR_KX} units (Table
 * 1.4-C), else the count band when the type has bands (Table 1.4-C), else the type's single default.
 * @param type catalogue entry
 * @param units number of units of the type in the group
 */
export function catalogueDemandFactor(type: EquipmentType, units: number): number {
  if (units < FEW_UNITS_MIN_FOR_KX) return 1;
  const bands = type.demand_factor_bands;
  if (!bands) return type.demand_factor;
  for (const b of bands) if (b.max_units === null || units <= b.max_units) return b.demand_factor;
  return type.demand_factor;
}
