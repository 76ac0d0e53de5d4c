import { describe, expect, it } from 'vitest';
import { handbookK1A, handbookK1B, handbookK2A } from '../../../src/domain/load/index.js';
import { demand, expectPrinted } from './helpers.js';

describe('handbook estimate variant B (建筑施工计算手册, DOMAIN.md §1.5)', () => {
  it('when one 80 kW tower crane is estimated with the short form, then P = 74.40 kW and P0 = 104.16 kVA (example A)', () => {
    // DOMAIN.md §1.6 example A (https://www.renrendoc.com/p-76840368.html): K1 = 0.75 (≤ 10 units);
    // P = 1.24 × 0.75 × 80.00 = 74.40 kW; P0 = 1.4 × P = 104.16 kVA
    const r = demand({
      method: 'handbook_b',
      handbook: { short_form: true },
      items: [{ type: 'tower_crane', quantity: 1, rated_power_kw: 80 }],
    });
    expectPrinted(r.totals.active_power_kw, 74.4, 2);
    expectPrinted(r.totals.apparent_power_kva, 104.16, 2);
    expect(r.handbook).toMatchObject({ variant: 'B', short_form: true });
    expect(r.handbook!.terms[0]!.coefficient).toBe(0.75);
    expect(r.handbook!.transformer_capacity_kva).toBeCloseTo(104.16, 10);
    // the handbook uses nameplate ratings: no duty conversion, no default-JC warning
    expect(r.warnings.map((w) => w.code)).not.toContain('default_duty_cycle');
  });

  it('when the full form is used, then P = 1.1·(K1·ΣPc + 0.8·ΣPa + 1.0·ΣPb)', () => {
    const r = demand({
      method: 'handbook_b',
      items: [
        { type: 'water_pump', quantity: 12, rated_power_kw: 5 },
        { type: 'lighting_indoor', quantity: 1, rated_power_kw: 10 },
        { type: 'floodlight_iodine_tungsten', quantity: 5, rated_power_kw: 1 },
      ],
    });
    // hand-computed: 12 units → K1 0.7 (10–30); P = 1.1 × (0.7·60 + 0.8·10 + 1.0·5) = 1.1 × 55 = 60.5 kW;
    // P0 = 1.05 × 60.5 / 0.75 = 84.7 kVA; I = 60.5 / 0.75 / (√3·0.38) = 122.56 A (≈ 2·P)
    expect(r.totals.active_power_kw).toBeCloseTo(60.5, 10);
    expect(r.totals.apparent_power_kva).toBeCloseTo(84.7, 10);
    expect(r.totals.current_a).toBeCloseTo(122.56, 2);
  });

  it('K1 bands: ≤ 10 → 0.75, 10–30 → 0.7, > 30 → 0.6', () => {
    expect([1, 10, 11, 30, 31].map(handbookK1B)).toEqual([0.75, 0.75, 0.7, 0.7, 0.6]);
  });
});

describe('handbook estimate variant A (建筑施工手册, DOMAIN.md §1.5)', () => {
  it('when motors, welders and lighting are listed, then P = K·(K1·ΣP1/cos φ + K2·ΣP2 + K3·ΣP3 + K4·ΣP4) in kVA', () => {
    const r = demand({
      method: 'handbook_a',
      items: [
        { type: 'water_pump', quantity: 12, rated_power_kw: 5 },
        { type: 'welder_ac', quantity: 4, rated_apparent_power_kva: 20, power_factor: 0.5 },
        { type: 'lighting_indoor', quantity: 1, rated_power_kw: 10 },
        { type: 'floodlight_iodine_tungsten', quantity: 5, rated_power_kw: 1 },
      ],
    });
    // hand-computed with the defaults K 1.10, K1 0.6 (11–30 motors), cos φ 0.75, K2 0.6 (3–10 welders), K3 0.8,
    // K4 1.0: S = 1.1 × (0.6·60/0.75 + 0.6·80 + 0.8·10 + 1.0·5) = 1.1 × (48 + 48 + 8 + 5) = 119.9 kVA;
    // active share 1.1 × (0.6·60 + 0.6·40 + 8 + 5) = 1.1 × 73 = 80.3 kW
    expect(r.totals.apparent_power_kva).toBeCloseTo(119.9, 10);
    expect(r.totals.active_power_kw).toBeCloseTo(80.3, 10);
    expect(r.totals.apparent_power_kva).toBeGreaterThanOrEqual(r.totals.active_power_kw);
  });

  it('when the caller gives K and K1, then they are used and traced as caller values', () => {
    const r = demand({
      method: 'handbook_a',
      handbook: { k: 1.05, k1: 0.7, power_factor: 0.7 },
      items: [{ type: 'water_pump', quantity: 2, rated_power_kw: 10 }],
    });
    // hand-computed: 1.05 × 0.7 × 20 / 0.7 = 21 kVA
    expect(r.totals.apparent_power_kva).toBeCloseTo(21, 10);
    expect(r.trace.find((t) => t.step === 'handbook.k1')).toMatchObject({ value: 0.7, source: 'caller' });
  });

  it('K1 and K2 bands: motors 3–10 → 0.7, 11–30 → 0.6, > 30 → 0.5; welders 3–10 → 0.6, > 10 → 0.5', () => {
    expect([3, 10, 11, 30, 31].map(handbookK1A)).toEqual([0.7, 0.7, 0.6, 0.6, 0.5]);
    expect([3, 10, 11].map(handbookK2A)).toEqual([0.6, 0.6, 0.5]);
  });
});

describe('handbook variant B transformer: no β_max on top of P0 (issue #16, DOMAIN.md §1.5)', () => {
  it('when P0 = 195.3 kVA, then the 200 kVA rating is recommended (not 250 kVA from P0/0.85)', () => {
    const r = demand({
      method: 'handbook_b',
      handbook: { short_form: true },
      items: [{ type: 'water_pump', quantity: 10, rated_power_kw: 15 }],
    });
    // hand-computed, DOMAIN.md §1.5 variant B: 10 units → K1 0.75; P = 1.24 × 0.75 × 150 = 139.5 kW;
    // P0 = 1.05 × 139.5 / 0.75 = 195.3 kVA; S_N = min{R10 ≥ 195.3} = 200 kVA. (Before: 195.3/0.85 = 229.8 → 250.)
    expect(r.totals.apparent_power_kva).toBeCloseTo(195.3, 9);
    expect(r.transformer.loading_cap).toBe(1);
    expect(r.transformer.rating_kva).toBe(200);
  });
});
