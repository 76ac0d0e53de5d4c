/**
 * The one table of canonical units. Every quantity inside tpp is a plain number in the unit listed here;
 * field names carry the unit as a suffix (`power_kw`, `length_m`). Human quantities ("250 kW") are parsed
 * at the HTTP edge, never inside the domain.
 */
export const CANONICAL_UNITS = {
  active_power: { unit: 'kW', suffix: '_kw' },
  reactive_power: { unit: 'kvar', suffix: '_kvar' },
  apparent_power: { unit: 'kVA', suffix: '_kva' },
  current: { unit: 'A', suffix: '_a' },
  voltage: { unit: 'V', suffix: '_v' },
  length: { unit: 'm', suffix: '_m' },
  cross_section: { unit: 'mm^2', suffix: '_mm2' },
  resistance_per_length: { unit: 'ohm/km', suffix: '_ohm_per_km' },
  resistance: { unit: 'ohm', suffix: '_ohm' },
  residual_current: { unit: 'mA', suffix: '_ma' },
  time: { unit: 's', suffix: '_s' },
  temperature: { unit: 'degC', suffix: '_c' },
  fraction: { unit: '1', suffix: '' },
} as const;

export type Dimension = keyof typeof CANONICAL_UNITS;

/** √3, used in every three-phase power/current conversion. */
export const SQRT3 = Math.sqrt(3);

/** Three-phase line current (A) of an apparent power (kVA) at a line-to-line voltage (V): I = S/(√3·U). */
export function threePhaseCurrentA(apparentPowerKva: number, voltageV: number): number {
  return (apparentPowerKva * 1000) / (SQRT3 * voltageV);
}

/** Apparent power (kVA) from active (kW) and reactive (kvar) power: S = √(P² + Q²). */
export function apparentPowerKva(activePowerKw: number, reactivePowerKvar: number): number {
  return Math.hypot(activePowerKw, reactivePowerKvar);
}

/** tan φ from cos φ (power factor); cos φ must be in (0, 1]. */
export function tanPhiFromPowerFactor(powerFactor: number): number {
  return Math.sqrt(1 - powerFactor * powerFactor) / powerFactor;
}

/** Round to `digits` decimals for presentation (never used inside calculations). */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
