import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/domain/errors.js';
import {
  loadMomentConstant,
  loadMomentVoltageDropPercent,
  sectionsFromTaps,
  voltageDropPercent,
} from '../../../src/domain/network/voltage-drop.js';
import { evaluateCable } from '../../../src/domain/network/cable-sizing.js';
import { SQRT3 } from '../../../src/domain/units.js';

describe('impedance-form voltage drop ΔU% = Σ(P·R0 + Q·X0)·L/(10·U²) (DOMAIN.md §4.1 form 1)', () => {
  it('when 50 kW + 37.5 kvar run 100 m on R0 0.5 / X0 0.08 Ω/km at 380 V, then ΔU = 1.939 %', () => {
    // hand-computed: (50·0.5 + 37.5·0.08)·0.1 / (10·0.38²) = (25 + 3)·0.1 / 1.444 = 2.8 / 1.444 = 1.9391 %
    const r = voltageDropPercent(
      [
        {
          length_m: 100,
          r0_ohm_per_km: 0.5,
          x0_ohm_per_km: 0.08,
          active_power_kw: 50,
          reactive_power_kvar: 37.5,
        },
      ],
      380,
    );
    expect(r.voltage_drop_percent).toBeCloseTo(1.9391, 4);
    // resistive part 25·0.1/1.444 = 1.7313 %, reactive part 3·0.1/1.444 = 0.2078 %
    expect(r.resistive_percent).toBeCloseTo(1.7313, 4);
    expect(r.reactive_percent).toBeCloseTo(0.2078, 4);
  });

  it('when two loads are tapped at 100 m and 250 m, then each section carries the loads beyond it', () => {
    // 20 kW/15 kvar at 100 m, 30 kW/10 kvar at 250 m, R0 0.5, X0 0.08, 380 V.
    // section 0–100 m carries 50 kW/25 kvar: (50·0.5 + 25·0.08)·0.1 = 2.7
    // section 100–250 m carries 30 kW/10 kvar: (30·0.5 + 10·0.08)·0.15 = 2.37
    // ΔU = (2.7 + 2.37)/1.444 = 3.5111 %; at the first tap 2.7/1.444 = 1.8698 %
    // cross-check by load moments: (20·0.5+15·0.08)·0.1 + (30·0.5+10·0.08)·0.25 = 1.12 + 3.95 = 5.07 ✓
    const sections = sectionsFromTaps(
      [
        { distance_m: 250, active_power_kw: 30, reactive_power_kvar: 10 },
        { distance_m: 100, active_power_kw: 20, reactive_power_kvar: 15 },
      ],
      0.5,
      0.08,
    );
    expect(sections.map((s) => [s.length_m, s.active_power_kw, s.reactive_power_kvar])).toEqual([
      [100, 50, 25],
      [150, 30, 10],
    ]);
    const r = voltageDropPercent(sections, 380);
    expect(r.voltage_drop_percent).toBeCloseTo(3.5111, 4);
    expect(r.cumulative_percent[0]).toBeCloseTo(1.8698, 4);
  });

  it('when a length is negative or the voltage is zero, then it is invalid input', () => {
    expect(() =>
      voltageDropPercent(
        [
          {
            length_m: -1,
            r0_ohm_per_km: 0.5,
            x0_ohm_per_km: 0.08,
            active_power_kw: 1,
            reactive_power_kvar: 0,
          },
        ],
        380,
      ),
    ).toThrow(DomainError);
    expect(() => voltageDropPercent([], 0)).toThrow(DomainError);
  });
});

describe('DOMAIN.md §4.1 cautionary example: 30 kW, cos φ 0.8, 800 m of 70 mm² Cu', () => {
  // Source's numbers: I = 56.98 A, R = 0.018×800/70 = 0.206 Ω, "ΔU = I·R = 11.72 V < 19 V OK" (one conductor only).
  const r0Source = (0.018 * 1000) / 70; // 0.257143 Ω/km from the source's ρ = 0.018 Ω·mm²/m

  it('when computed line-to-line with the source’s R, then the resistive part alone is ≈ 4.3 %, not 3.1 %', () => {
    // hand-computed: 30·0.257143·0.8/1.444 = 6.17143/1.444 = 4.2738 %
    // same as √3·I·R·cos φ / U: I = 30000/(√3·380·0.8) = 56.98 A; √3·56.98·0.20571·0.8 = 16.24 V = 4.274 % of 380 V
    const r = voltageDropPercent(
      [
        {
          length_m: 800,
          r0_ohm_per_km: r0Source,
          x0_ohm_per_km: 0,
          active_power_kw: 30,
          reactive_power_kvar: 0,
        },
      ],
      380,
    );
    expect(r.voltage_drop_percent).toBeCloseTo(4.2738, 3);
    const i = 30000 / (SQRT3 * 380 * 0.8);
    expect(i).toBeCloseTo(56.98, 2);
    const lineToLineV = SQRT3 * i * (r0Source * 0.8) * 0.8;
    expect((lineToLineV / 380) * 100).toBeCloseTo(r.voltage_drop_percent, 6);
    // The source's single-conductor figure 11.72 V is only 3.08 % — the copied error DOMAIN.md warns about.
    expect((11.72 / 380) * 100).toBeLessThan(r.voltage_drop_percent - 1);
  });

  it('when the reactive part (Q = 22.5 kvar, X0 0.08 Ω/km) is added, then ΔU exceeds 5 %', () => {
    // Q = 30·tan(acos 0.8) = 22.5 kvar; reactive part 22.5·0.08·0.8/1.444 = 0.9972 %; total 4.2738 + 0.9972 = 5.2710 %
    const r = voltageDropPercent(
      [
        {
          length_m: 800,
          r0_ohm_per_km: r0Source,
          x0_ohm_per_km: 0.08,
          active_power_kw: 30,
          reactive_power_kvar: 22.5,
        },
      ],
      380,
    );
    expect(r.voltage_drop_percent).toBeCloseTo(5.271, 3);
  });

  it('when judged with the catalogue R0 at 90 °C (XLPE), then ΔU = 6.68 % and the cable fails the 5 % budget', () => {
    // R0 = 0.268·(1 + 0.00393·70) = 0.268·1.2751 = 0.341727 Ω/km (IEC 60228 R20, corrected to 90 °C)
    // ΔU = (30·0.341727 + 22.5·0.08)·0.8/1.444 = (10.2518 + 1.8)·0.8/1.444 = 6.6769 %
    const e = evaluateCable(
      { active_power_kw: 30, reactive_power_kvar: 22.5 },
      { conductor: 'Cu', insulation: 'XLPE', installation: 'clipped', length_m: 800 },
      70,
      { voltage_v: 380, voltage_drop_budget_percent: 5 },
    );
    expect(e?.r0_ohm_per_km).toBeCloseTo(0.341727, 5);
    expect(e?.voltage_drop_percent).toBeCloseTo(6.6769, 3);
    expect(e?.checks.voltage_drop).toBe(false);
    // load-moment form beside it: 30·800/(77·70) = 24000/5390 = 4.4527 % — optimistic, as DOMAIN.md §4.1 says
    expect(e?.load_moment_voltage_drop_percent).toBeCloseTo(4.4527, 3);
  });
});

describe('load-moment form ε = ΣP·L/(C·S) (DOMAIN.md §4.1 form 2)', () => {
  it('when two loads hang on 35 mm² Cu at 380 V, then ε = (20·100 + 30·250)/(77·35) = 3.525 %', () => {
    // hand-computed: 9500/2695 = 3.5250 %
    const r = loadMomentVoltageDropPercent(
      [
        { distance_m: 100, active_power_kw: 20, reactive_power_kvar: 15 },
        { distance_m: 250, active_power_kw: 30, reactive_power_kvar: 10 },
      ],
      'Cu',
      35,
      380,
    );
    expect(r.voltage_drop_percent).toBeCloseTo(3.525, 3);
    expect(r.c).toBe(77);
    expect(r.c_derived).toBe(false);
  });

  it('when the conductor is aluminium, then C = 46.3; at 400 V C scales by (400/380)²', () => {
    expect(loadMomentConstant('Al', 380)).toEqual({ c: 46.3, derived: false });
    // 77·(400/380)² = 77·1.108033 = 85.3186
    expect(loadMomentConstant('Cu', 400).c).toBeCloseTo(85.3186, 3);
    expect(loadMomentConstant('Cu', 400).derived).toBe(true);
  });

  it('when R0 = 1000/(γ·S) and Q = 0, then form 1 equals form 2 with C = 10·U²·γ (DOMAIN.md §4.1 item 3)', () => {
    // γ = 77/(10·0.38²) = 53.32 m/(Ω·mm²) makes the two forms identical
    const gamma = 77 / (10 * 0.38 * 0.38);
    const s = 50;
    const r1 = voltageDropPercent(
      [
        {
          length_m: 420,
          r0_ohm_per_km: 1000 / (gamma * s),
          x0_ohm_per_km: 0.08,
          active_power_kw: 40,
          reactive_power_kvar: 0,
        },
      ],
      380,
    );
    const r2 = loadMomentVoltageDropPercent(
      [{ distance_m: 420, active_power_kw: 40, reactive_power_kvar: 0 }],
      'Cu',
      s,
      380,
    );
    expect(r1.voltage_drop_percent).toBeCloseTo(r2.voltage_drop_percent, 9);
  });
});
