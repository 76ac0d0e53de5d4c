/**
 * Issue #16 wrong results 1 and 2: K∑ only combines two or more groups; a kind with fewer than 3 units takes
 * Kx = 1 (DOMAIN.md Table 1.4-C); the design current is never below the largest motor's full-load current
 * plus the others' demand (DOMAIN.md "Product decisions": single group / few units).
 */
import { describe, expect, it } from 'vitest';
import { demand } from './helpers.js';

const SQRT3 = Math.sqrt(3);

describe('K∑ applies only when a total combines two or more groups (DOMAIN.md §1.3)', () => {
  it('when a single 180 kW heater is the whole list, then the demand is 180 kW / 273 A (no K∑ on one group)', () => {
    const r = demand({ items: [{ type: 'temporary_heater', quantity: 1, rated_power_kw: 180 }] });
    // hand-computed: Pe = Pn = 180 kW; one unit → Kx 1 (Table 1.4-C; the catalogue's resistive Kx is 1 too);
    // cos φ 1; one group → K∑ = 1: P = 180 kW, S = 180 kVA, I = 180 000/(√3·380) = 273.48 A.
    // (Before issue #16: 0.8 × 180 = 144 kW / 218.8 A — a feeder and breaker 20 % too small.)
    expect(r.totals.simultaneity_factor).toBe(1);
    expect(r.totals.active_power_kw).toBeCloseTo(180, 10);
    expect(r.totals.apparent_power_kva).toBeCloseTo(180, 10);
    expect(r.totals.current_a).toBeCloseTo(273.48, 2);
    expect(r.design_current.current_a).toBeCloseTo(273.48, 2);
  });

  it('when a 30 kW resistive load bank is the whole list, then it demands 30 kVA', () => {
    const r = demand({ items: [{ type: 'test_load_bank', quantity: 1, rated_power_kw: 30 }] });
    // hand-computed: Kx 1, cos φ 1, K∑ 1 → S = 30 kVA (before: 24 kVA)
    expect(r.totals.apparent_power_kva).toBeCloseTo(30, 10);
  });

  it('when the caller gives K∑ for a single group, then it is not applied and a warning says why', () => {
    const r = demand({
      simultaneity_factor: 0.7,
      items: [{ type: 'temporary_heater', quantity: 1, rated_power_kw: 100 }],
    });
    expect(r.totals.active_power_kw).toBeCloseTo(100, 10);
    expect(r.warnings.map((w) => w.code)).toContain('simultaneity_factor_ignored');
  });

  it('when two groups are combined, then K∑ 0.8 applies as before', () => {
    const r = demand({
      items: [
        { type: 'temporary_heater', quantity: 1, rated_power_kw: 100 },
        { type: 'test_load_bank', quantity: 1, rated_power_kw: 50 },
      ],
    });
    // hand-computed: two groups, 100 + 50 kW at Kx 1, cos φ 1 → 0.8 × 150 = 120 kW
    expect(r.totals.simultaneity_factor).toBe(0.8);
    expect(r.totals.active_power_kw).toBeCloseTo(120, 10);
  });
});

describe('fewer than 3 units of a kind take Kx = 1 (DOMAIN.md Table 1.4-C)', () => {
  it('when a single 90 kW concrete pump is the whole list, then P = 90 kW and Ib = I_FLC ≈ 171 A', () => {
    const r = demand({ items: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 90 }] });
    // hand-computed: one unit → Kx 1 (Table 1.4-C "< 3 units Kx 1"), not the catalogue's 0.7; one group → no
    // K∑: P = 90 kW, cos φ 0.8 → S = 112.5 kVA, I = 112 500/(√3·380) = 170.93 A. The motor's full-load current
    // I_FLC = 90 000/(√3·380·0.8) = 170.93 A is the same number.
    // (Before issue #16: 0.7 × 0.8 × 90 = 50.4 kW → 96 A, a cable and breaker for 56 % of the motor.)
    expect(r.items[0]!.demand_factor).toBe(1);
    expect(r.totals.active_power_kw).toBeCloseTo(90, 10);
    expect(r.totals.current_a).toBeCloseTo(170.93, 2);
    expect(r.design_current.largest_motor!.full_load_current_a).toBeCloseTo(170.93, 2);
    expect(r.design_current.current_a).toBeCloseTo(170.93, 2);
  });

  it('when a kind has 2 units, then Kx = 1; with 3 units the catalogue Kx 0.75 applies', () => {
    const kx = (n: number) =>
      demand({ items: [{ type: 'water_pump', quantity: n, rated_power_kw: 4 }] }).items[0]!.demand_factor;
    expect(kx(1)).toBe(1);
    expect(kx(2)).toBe(1);
    expect(kx(3)).toBe(0.75);
  });
});

describe('the design current is never below the largest motor plus the others (DOMAIN.md "Product decisions")', () => {
  it('when a 90 kW pump shares the list with 12 vibrators, then Ib = I_FLC(pump) + Ijs(vibrators) > Ijs', () => {
    const r = demand({
      items: [
        { type: 'concrete_pump', quantity: 1, rated_power_kw: 90 },
        { type: 'vibrator', quantity: 12, rated_power_kw: 1.1 },
      ],
    });
    // hand-computed, DOMAIN.md §1.2–1.3:
    //   pump group: Kx 1 → 90 kW, tan φ(0.8) 0.75 → 67.5 kvar;
    //   vibrators: ΣPe 13.2 kW × Kx 0.65 = 8.58 kW, tan φ(0.65) 1.16913 → 10.031 kvar;
    //   two groups, K∑ 0.8: P 78.864 kW, Q 62.025 kvar, S 100.333 kVA → Ijs = 100 333/(√3·380) = 152.44 A.
    // floor: I_FLC = 90 000/(√3·380·0.8) = 170.93 A; the others alone (one group, no K∑): 8.58/0.65 =
    //   13.2 kVA → 20.06 A; Ib = 170.93 + 20.06 = 190.98 A.
    expect(r.totals.current_a).toBeCloseTo(152.44, 2);
    expect(r.design_current.others_current_a).toBeCloseTo(20.06, 2);
    expect(r.design_current.current_a).toBeCloseTo(190.98, 2);
    expect(r.design_current.basis).toBe('largest_motor');
    expect(r.design_current.largest_motor).toMatchObject({ index: 0, type: 'concrete_pump' });
  });

  it('when the list has no motor, then the design current is the demand current', () => {
    const r = demand({ items: [{ type: 'temporary_heater', quantity: 4, rated_power_kw: 10 }] });
    expect(r.design_current.largest_motor).toBeNull();
    expect(r.design_current.current_a).toBe(r.totals.current_a);
  });

  it('when a single-phase motor is the largest, then its FLC is Pn/((U/√3)·cos φ)', () => {
    const r = demand({
      items: [{ type: 'split_air_conditioner', quantity: 1, rated_power_kw: 2.2, power_factor: 0.8 }],
    });
    // hand-computed: 2200/(219.39·0.8) = 12.535 A on its phase conductor
    expect(r.design_current.largest_motor!.full_load_current_a).toBeCloseTo(2200 / ((380 / SQRT3) * 0.8), 9);
    expect(r.design_current.largest_motor!.full_load_current_a).toBeCloseTo(12.535, 3);
  });
});
