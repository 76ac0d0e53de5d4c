/**
 * Equipment capacity conversion (设备容量换算), DOMAIN.md §1.1: nameplate rating → setting capacity Pe.
 */
import type { EquipmentType } from '../catalog/equipment.js';
import type { DemandWarning, EquipmentItemInput, ValueSource } from './types.js';
import { fixed, given } from './format.js';

/**
 * Intermittent (repeated short-time) duty converted to JC = 25 %: Pe = 2·√JC·Pn.
 * Source: DOMAIN.md §1.1 (https://www.360docs.net/doc/eb7440297.html, 起重设备容量换算到JC=25%).
 * @param ratedPowerKw nameplate Pn, kW
 * @param dutyCycle nameplate JC, fraction in (0, 1]
 * @returns Pe, kW
 */
export function intermittentPeKw(ratedPowerKw: number, dutyCycle: number): number {
  return 2 * Math.sqrt(dutyCycle) * ratedPowerKw;
}

/**
 * AC (transformer), butt and spot welders converted to JC = 100 %: Pe = √JC·Sn·cos φ.
 * Source: DOMAIN.md §1.1 (https://www.xiaomilidoc.com/p-14101954.html).
 * @param ratedApparentPowerKva nameplate Sn, kVA
 * @param dutyCycle nameplate JC, fraction in (0, 1]
 * @param powerFactor nameplate cos φ, fraction in (0, 1]
 * @returns Pe, kW
 */
export function acWelderPeKw(ratedApparentPowerKva: number, dutyCycle: number, powerFactor: number): number {
  return Math.sqrt(dutyCycle) * ratedApparentPowerKva * powerFactor;
}

/**
 * DC (rectifier / generator) welders converted to JC = 100 %: Pe = √JC·Pn.
 * Source: DOMAIN.md §1.1 (https://www.xiaomilidoc.com/p-14101954.html).
 * @param ratedPowerKw nameplate Pn, kW
 * @param dutyCycle nameplate JC, fraction in (0, 1]
 * @returns Pe, kW
 */
export function dcWelderPeKw(ratedPowerKw: number, dutyCycle: number): number {
  return Math.sqrt(dutyCycle) * ratedPowerKw;
}

/**
 * Lighting: Pe = ballast factor × lamp power (1.0 incandescent / iodine-tungsten, 1.2 fluorescent, 1.1 HID).
 * Source: DOMAIN.md §1.1 (partially confirmed).
 * @param lampPowerKw lamp rated power, kW
 * @param ballastFactor multiplier for the control gear, ≥ 1
 * @returns Pe, kW
 */
export function lightingPeKw(lampPowerKw: number, ballastFactor: number): number {
  return ballastFactor * lampPowerKw;
}

export interface ItemConversion {
  unit_pe_kw: number;
  pe_kw: number;
  formula: string;
  duty_cycle?: number;
  duty_cycle_source?: ValueSource;
  conversion_power_factor?: number;
  ballast_factor?: number;
  /** One unit's nameplate active power, kW (kVA-rated welders: Sn × nameplate cos φ). */
  unit_installed_kw: number;
  trace_reference: string;
  warnings: DemandWarning[];
}

/**
 * Converts one validated item (quantity × unit) to its setting capacity Pe.
 * @param item validated item (rated quantity present as its type requires)
 * @param type catalogue entry of the item's type
 * @param index position of the item in the input, for warning paths
 */
export function convertItem(item: EquipmentItemInput, type: EquipmentType, index: number): ItemConversion {
  const q = item.quantity;
  const warnings: DemandWarning[] = [];
  const path = ['items', index, 'duty_cycle'];
  const duty = (): { jc: number; source: ValueSource; note: string } => {
    if (item.duty_cycle !== undefined) return { jc: item.duty_cycle, source: 'caller', note: '' };
    const jc = type.default_duty_cycle ?? 1;
    warnings.push({
      code: 'default_duty_cycle',
      message: `duty_cycle not given for ${type.id}: catalogue default JC = ${fixed(jc)} used`,
      path,
    });
    return { jc, source: 'catalogue', note: ` (JC = ${fixed(jc)} catalogue default)` };
  };
  const times = (unit: number): string => (q === 1 ? '' : `; × ${q} = ${fixed(unit * q)} kW`);

  switch (type.duty_class) {
    case 'continuous': {
      const pn = item.rated_power_kw ?? 0;
      if (item.duty_cycle !== undefined)
        warnings.push({
          code: 'duty_cycle_ignored',
          message: `${type.id} is continuous duty: duty_cycle is not used (Pe = Pn)`,
          path,
        });
      return {
        unit_pe_kw: pn,
        pe_kw: q * pn,
        formula: `Pe = Pn = ${given(pn)} kW${times(pn)}`,
        unit_installed_kw: pn,
        trace_reference: 'DOMAIN.md §1.1 continuous duty Pe = Pn',
        warnings,
      };
    }
    case 'intermittent': {
      const pn = item.rated_power_kw ?? 0;
      const d = duty();
      const pe = intermittentPeKw(pn, d.jc);
      return {
        unit_pe_kw: pe,
        pe_kw: q * pe,
        formula: `Pe = 2·√JC·Pn = 2·√${fixed(d.jc)}·${given(pn)} = ${fixed(pe)} kW${times(pe)}${d.note}`,
        duty_cycle: d.jc,
        duty_cycle_source: d.source,
        unit_installed_kw: pn,
        trace_reference: 'DOMAIN.md §1.1 intermittent duty converted to JC = 25 %: Pe = 2·√JC·Pn',
        warnings,
      };
    }
    case 'welder_ac': {
      const sn = item.rated_apparent_power_kva ?? 0;
      const d = duty();
      const pf = item.power_factor ?? type.nameplate_power_factor ?? type.power_factor;
      const pfNote =
        item.power_factor === undefined ? ` (nameplate cos φ ${fixed(pf)} catalogue default)` : '';
      const pe = acWelderPeKw(sn, d.jc, pf);
      return {
        unit_pe_kw: pe,
        pe_kw: q * pe,
        formula: `Pe = √JC·Sn·cos φ = √${fixed(d.jc)}·${given(sn)}·${fixed(pf)} = ${fixed(pe)} kW${times(pe)}${d.note}${pfNote}`,
        duty_cycle: d.jc,
        duty_cycle_source: d.source,
        conversion_power_factor: pf,
        unit_installed_kw: sn * pf,
        trace_reference: 'DOMAIN.md §1.1 AC welder converted to JC = 100 %: Pe = √JC·Sn·cos φ',
        warnings,
      };
    }
    case 'welder_dc': {
      const pn = item.rated_power_kw ?? 0;
      const d = duty();
      const pe = dcWelderPeKw(pn, d.jc);
      return {
        unit_pe_kw: pe,
        pe_kw: q * pe,
        formula: `Pe = √JC·Pn = √${fixed(d.jc)}·${given(pn)} = ${fixed(pe)} kW${times(pe)}${d.note}`,
        duty_cycle: d.jc,
        duty_cycle_source: d.source,
        unit_installed_kw: pn,
        trace_reference: 'DOMAIN.md §1.1 DC welder converted to JC = 100 %: Pe = √JC·Pn',
        warnings,
      };
    }
    case 'lighting': {
      const lamp = item.rated_power_kw ?? 0;
      const b = type.ballast_factor ?? 1;
      const pe = lightingPeKw(lamp, b);
      if (item.duty_cycle !== undefined)
        warnings.push({
          code: 'duty_cycle_ignored',
          message: `${type.id} is lighting: duty_cycle is not used`,
          path,
        });
      return {
        unit_pe_kw: pe,
        pe_kw: q * pe,
        formula: `Pe = ballast·P_lamp = ${given(b)}·${given(lamp)} = ${fixed(pe)} kW${times(pe)}`,
        ballast_factor: b,
        unit_installed_kw: lamp,
        trace_reference: 'DOMAIN.md §1.1 lighting Pe = ballast factor × lamp power (partially confirmed)',
        warnings,
      };
    }
  }
}
