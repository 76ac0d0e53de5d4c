/**
 * Issue #16 wrong result 3: a single-phase (220/230 V) circuit's voltage drop counts the go and the return
 * conductor, ΔU = 2·I·L·(R cos φ + X sin φ), in % of the phase voltage U₀ (DOMAIN.md §4.1 and "Product
 * decisions": single-phase circuits).
 */
import { describe, expect, it } from 'vitest';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { checkFeeder } from '../../../src/domain/network/check-feeder.js';
import { loadMomentConstant, voltageDropPercent } from '../../../src/domain/network/voltage-drop.js';

describe('single-phase voltage drop', () => {
  it('when 4 kW at cos φ 1 runs 50 m on 4 mm² Cu at 220 V, then ΔU = 4.86 % (twice the three-phase form)', () => {
    // R0 at 90 °C = 4.61·(1 + 0.00393·70) = 5.87822 Ω/km (IEC 60228, IEC 60287-1-1 α).
    // I = 4000/220 = 18.182 A; ΔU = 2·18.182·0.05·5.87822 = 10.687 V = 4.858 % of 220 V.
    // Same in powers: 2·(4·5.87822 + 0)·0.05/(10·0.22²) = 4.858 %. (Before: 2.429 %, the return conductor missing.)
    const r = voltageDropPercent(
      [
        {
          length_m: 50,
          r0_ohm_per_km: 5.87822,
          x0_ohm_per_km: 0.08,
          active_power_kw: 4,
          reactive_power_kvar: 0,
        },
      ],
      220,
      'single_phase',
    );
    expect(r.voltage_drop_percent).toBeCloseTo(4.858, 3);
    const three = voltageDropPercent(
      [
        {
          length_m: 50,
          r0_ohm_per_km: 5.87822,
          x0_ohm_per_km: 0.08,
          active_power_kw: 4,
          reactive_power_kvar: 0,
        },
      ],
      220,
    );
    expect(r.voltage_drop_percent / three.voltage_drop_percent).toBeCloseTo(2, 12);
  });

  it('when the feeder check is asked for a single-phase circuit, then Ib = S/U₀ and ΔU counts both conductors', () => {
    const r = checkFeeder(
      {
        load: { active_power_kw: 4, reactive_power_kvar: 0 },
        circuit: 'single_phase',
        voltage_v: 220,
        feeder: {
          conductor: 'Cu',
          insulation: 'XLPE',
          installation: 'clipped',
          cross_section_mm2: 4,
          length_m: 50,
        },
      },
      ruleSet('JGJ46-2005'),
    );
    expect(r.design_current_a).toBeCloseTo(18.182, 3);
    expect(r.cable!.voltage_drop_percent).toBeCloseTo(4.858, 3);
    expect(r.voltage_v).toBe(220);
  });

  it('when no voltage is given for a single-phase circuit, then U₀ = 380/√3 = 219.4 V', () => {
    const r = checkFeeder(
      { load: { active_power_kw: 2.194, reactive_power_kvar: 0 }, circuit: 'single_phase' },
      ruleSet('JGJ46-2005'),
    );
    expect(r.voltage_v).toBeCloseTo(219.393, 3);
    expect(r.design_current_a).toBeCloseTo(10, 2);
  });

  it('when the load-moment constant is single-phase at 220 V, then C = 77·(220/380)²/2 = 12.9 for Cu', () => {
    expect(loadMomentConstant('Cu', 220, 'single_phase').c).toBeCloseTo(12.904, 3);
  });
});
