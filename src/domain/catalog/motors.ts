/**
 * Motor-starting data: starter types and their effect on the starting current, NEMA code letters, and motor
 * defaults per equipment type (every value overridable by the caller).
 */
import type { DataSource } from './cables.js';

export type StarterType = 'direct_on_line' | 'star_delta' | 'soft_starter' | 'vfd';
export const STARTER_TYPES: readonly StarterType[] = ['direct_on_line', 'star_delta', 'soft_starter', 'vfd'];

export interface StarterData {
  /**
   * How the starting current is found: `lrc_factor` = the starter's multiplier on the locked-rotor current
   * (DOL 1, star–delta 1/3); `current_limit` = a fixed multiple of the full-load current (soft-starter current
   * limit, VFD), independent of the motor's locked-rotor current.
   */
  basis: 'lrc_factor' | 'current_limit';
  value: number;
  /** Power factor of the supply current while starting. */
  power_factor_start: number;
  label: string;
}

/**
 * DOL: locked-rotor current, pf 0.3 (typical locked-rotor pf of LV cage motors 0.2–0.4). Star–delta: 1/3 of
 * the DOL current (voltage per winding /√3, delta→star current /√3 again). Soft starter: current limit
 * 3.5 × FLC (DOMAIN.md 2.5–4 ×; the middle of the usual setting). VFD: 1.5 × FLC (DOMAIN.md 1–1.5 ×, upper
 * value), drawn at the drive's input displacement factor ≈ 0.95.
 */
export const STARTERS: Record<StarterType, StarterData> = {
  direct_on_line: { basis: 'lrc_factor', value: 1, power_factor_start: 0.3, label: 'direct on line' },
  star_delta: { basis: 'lrc_factor', value: 1 / 3, power_factor_start: 0.3, label: 'star–delta' },
  soft_starter: { basis: 'current_limit', value: 3.5, power_factor_start: 0.3, label: 'soft starter' },
  vfd: { basis: 'current_limit', value: 1.5, power_factor_start: 0.95, label: 'variable-frequency drive' },
};

export const STARTER_SOURCE: DataSource = {
  source:
    'DOMAIN.md "Product decisions" motor starting (GB 50055-2011 §2.2.2; DOL 6–7 × FLC, star–delta ≈ 1/3, soft starter 2.5–4 ×, VFD 1–1.5 ×); DOMAIN.md §6.4 (star–delta SkVA factor 0.33)',
  confidence: 'medium',
};

/** NEMA MG 1 code letters: locked-rotor kVA per hp (DOMAIN.md §6.4, Industrial generator sets manual p. 23). */
export const NEMA_CODE_KVA_PER_HP = {
  A: 2.0,
  B: 3.3,
  C: 3.8,
  D: 4.2,
  E: 4.7,
  F: 5.3,
  G: 5.9,
  H: 6.7,
  J: 7.5,
  K: 8.5,
  L: 9.5,
  M: 10.6,
  N: 11.8,
  P: 13.2,
  R: 15.0,
  S: 16.0,
  T: 19.0,
  U: 21.2,
  V: 23.0,
} as const;
export type NemaCodeLetter = keyof typeof NEMA_CODE_KVA_PER_HP;
export const NEMA_CODE_LETTERS = Object.keys(NEMA_CODE_KVA_PER_HP) as NemaCodeLetter[];
export const NEMA_SOURCE: DataSource = {
  source:
    'DOMAIN.md §6.4: NEMA code-letter multipliers (Industrial generator sets application manual rev. 4 p. 23; Cummins T-030)',
  confidence: 'medium',
};

/** kW per mechanical horsepower. */
export const KW_PER_HP = 0.7457;

export interface MotorDefaults {
  starter: StarterType;
  /** Locked-rotor current, × FLC (DOL). */
  locked_rotor_multiple: number;
  efficiency: number;
  /** Running power factor at rated load. */
  power_factor: number;
  /** The largest single motor as a fraction of the item's rated power (a plant is several motors). */
  largest_motor_fraction: number;
  /** Whether the motor starts often (hoists, cranes, pumps on level control): 90 % bus limit. */
  frequent_starts: boolean;
}

/** Generic LV cage motor: DOL, 6.5 × FLC (DOMAIN.md 6–7 ×), η 0.9, cos φ 0.85, one motor, infrequent. */
export const GENERIC_MOTOR: MotorDefaults = {
  starter: 'direct_on_line',
  locked_rotor_multiple: 6.5,
  efficiency: 0.9,
  power_factor: 0.85,
  largest_motor_fraction: 1,
  frequent_starts: false,
};

/**
 * Defaults per equipment type (an assumption of this service from common site practice, low confidence):
 * which starter such equipment usually has and how its rated power splits into motors.
 */
export const MOTOR_DEFAULTS_BY_TYPE: Readonly<Record<string, Partial<MotorDefaults>>> = {
  // HZS-type batching plant: twin-shaft mixer 2 × 37 kW of ~185 kW total; star–delta on the mixer.
  concrete_batching_plant: { starter: 'star_delta', largest_motor_fraction: 0.2 },
  concrete_pump: { starter: 'star_delta' },
  concrete_mixer: { starter: 'direct_on_line' },
  mortar_mixer: { starter: 'direct_on_line' },
  air_compressor: { starter: 'star_delta' },
  // Tower cranes: the hoist motor is about half the rating; modern units on VFD, frequent starts.
  tower_crane: { starter: 'vfd', largest_motor_fraction: 0.5, frequent_starts: true },
  gantry_crane: { starter: 'direct_on_line', largest_motor_fraction: 0.5, frequent_starts: true },
  construction_hoist: { starter: 'vfd', frequent_starts: true },
  winch: { starter: 'direct_on_line', frequent_starts: true },
  water_pump: { starter: 'direct_on_line' },
  dewatering_pump: { starter: 'direct_on_line', frequent_starts: true },
  mud_pump: { starter: 'star_delta' },
  pile_driver_electric: { starter: 'star_delta' },
  fan_ventilator: { starter: 'direct_on_line' },
};

export const MOTOR_DEFAULTS_SOURCE: DataSource = {
  source:
    'tpp assumption from common site practice (HZS120 plant: JS2000 mixer 2 × 37 kW; star–delta ≥ 15 kW usual in GB practice)',
  confidence: 'low',
  note: 'declare the actual starter and motor data',
};

/** Motor data for an equipment type: the generic motor overlaid with the type's defaults. */
export function motorDefaults(equipmentType: string | undefined): MotorDefaults {
  const t = equipmentType === undefined ? undefined : MOTOR_DEFAULTS_BY_TYPE[equipmentType];
  return { ...GENERIC_MOTOR, ...(t ?? {}) };
}

/** Whether an equipment type has motor-starting defaults (i.e. is a motor load for the dip check). */
export function isMotorType(equipmentType: string): boolean {
  return MOTOR_DEFAULTS_BY_TYPE[equipmentType] !== undefined;
}

/** Smallest motor checked for starting dip, kW (DOMAIN.md "Product decisions": ≥ 5.5 kW, configurable). */
export const MOTOR_START_CHECK_MIN_KW = 5.5;
