import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { FeederCheckInput } from '../../../src/domain/network/check-feeder.js';
import { checkFeeder } from '../../../src/domain/network/check-feeder.js';
import type { DistributionDesign } from '../../../src/domain/network/rules.js';

const jgj = ruleSet('JGJ46-2005');

interface ScenarioRequest {
  id: string;
  distribution?: DistributionDesign;
}
const scenario = JSON.parse(
  readFileSync(new URL('../../../examples/jinshan-ev-plant.json', import.meta.url), 'utf8'),
) as {
  requests: ScenarioRequest[];
};
function distributionOf(id: string): DistributionDesign {
  const r = scenario.requests.find((x) => x.id === id);
  if (r?.distribution === undefined) throw new Error(`${id} has no distribution in the scenario`);
  return r.distribution;
}
function problems(result: ReturnType<typeof checkFeeder>): string[] {
  return result.findings.filter((f) => f.severity !== 'info').map((f) => f.code);
}

/*
 * Loads hand-computed from the scenario's equipment with DOMAIN.md §1 (Table 1.4-D defaults, K∑ = 0.8).
 * The protection findings of do not depend on the load (no feeder is declared);
 * their loads only complete the input.
 */
// 24 × 4 kW dewatering pumps, Kx 0.75, cos φ 0.8: P = 0.75·96 = 72, Q = 72·0.75 = 54; ×0.8 → 57.6 kW, 43.2 kvar
const LOAD_R003 = { active_power_kw: 57.6, reactive_power_kvar: 43.2 };
// woodworking 6×3 + 2×4 = 26 kW, Kx 0.7, cos φ 0.75 (tan 0.8819): P = 18.2, Q = 16.05; ×0.8 → 14.56 kW, 12.84 kvar
const LOAD_R018 = { active_power_kw: 14.56, reactive_power_kvar: 12.84 };
// 8 DC welders 15 kW at JC 0.6 → Pe = 8·15·√0.6 = 92.95 kW, Kx 0.5, cos φ 0.6 → 46.48 kW, 61.97 kvar;
// the threaders and chargers (28.8 kW) taken at Kx 0.7, cos φ 0.8 → 20.16 kW, 15.12 kvar; ×0.8 → 53.31 kW, 61.67 kvar
const LOAD_R021 = { active_power_kw: 53.31, reactive_power_kvar: 61.67 };
// pump 90 kW (Kx 0.7, cos 0.8 → 63, 47.25); vibrators 13.2 kW (0.65, 0.65 → 8.58, 10.03);
// AC welders 4·38.6 kVA·√0.6·0.4 = 47.84 kW (0.5, 0.4 → 23.92, 54.81); Σ 95.5 kW, 112.09 kvar; ×0.8 → 76.4, 89.67
const LOAD_R036 = { active_power_kw: 76.4, reactive_power_kvar: 89.67 };
/*
 * asphalt heater 45 kW (resistive: Kx 1, cos φ 1 → 45 kW, 0 kvar); 2 water pumps 7.5 kW (fewer than 3 units
 * → Kx 1, DOMAIN.md §1.4-C; cos φ 0.8 → 15 kW, 11.25 kvar); Σ 60 kW, 11.25 kvar; K∑ 0.8 → 48 kW, 9 kvar.
 */
const LOAD_R029 = { active_power_kw: 48, reactive_power_kvar: 9 };
/*
 * 2 tower cranes 45 kW JC 0.4 → Pe = 2·(2·√0.4·45) = 113.84 kW, Kx 0.3, cos 0.6 → 34.15 kW, 45.54 kvar;
 * 12 DC welders 20 kW JC 0.6 → Pe = 12·20·√0.6 = 185.90 kW, Kx 0.5, cos 0.6 (assumed; no DC-welder row) → 92.95, 123.94;
 * 2 compressors 22 kW, Kx 0.75, cos 0.8 → 33, 24.75. Σ 160.10 kW, 194.22 kvar; ×0.8 → 128.08 kW, 155.38 kvar;
 * S = 201.36 kVA; Ib = 201.36/(√3·0.38) = 305.9 A.
 */
const LOAD_R012 = { active_power_kw: 128.08, reactive_power_kvar: 155.38 };

describe('the scenario’s declared designs (examples/jinshan-ev-plant.json)', () => {
  it('R-003: when a wet location has a 30 mA switch-box RCD, then exactly R3a', () => {
    const r = checkFeeder({ load: LOAD_R003, distribution: distributionOf('R-003') }, jgj);
    expect(problems(r)).toEqual(['R3A_SWITCH_BOX_RCD_WET']);
    expect(r.compliant).toBe(false);
  });

  it('R-018: when the switch-box RCD is 50 mA, then exactly R3', () => {
    const r = checkFeeder({ load: LOAD_R018, distribution: distributionOf('R-018') }, jgj);
    expect(problems(r)).toEqual(['R3_SWITCH_BOX_RCD_CURRENT']);
  });

  it('R-021: when the main-box RCD is 100 mA × 0.5 s, then exactly R4 (50 > 30 mA·s)', () => {
    const r = checkFeeder({ load: LOAD_R021, distribution: distributionOf('R-021') }, jgj);
    expect(problems(r)).toEqual(['R4_MAIN_BOX_RCD_PRODUCT']);
  });

  it('R-036: when the earthing system is TN-C, then exactly R2', () => {
    const r = checkFeeder({ load: LOAD_R036, distribution: distributionOf('R-036') }, jgj);
    expect(problems(r)).toEqual(['R2_EARTHING_SYSTEM']);
  });

  it('R-029: when 48 kW + 9 kvar run 380 m on 25 mm² Cu buried, then exactly a voltage-drop finding of ≈ 11.9 %', () => {
    // R0 = 0.727·(1 + 0.00393·70) = 0.92700 Ω/km (90 °C); ΔU = (48·0.927 + 9·0.08)·0.38/1.444
    //    = (44.4959 + 0.72)·0.38/1.444 = 11.899 %  > 5 %
    // load-moment form: 48·380/(77·25) = 18240/1925 = 9.475 %
    // ampacity: Ib = √(48² + 9²)/(√3·0.38) = 48.836/0.65818 = 74.20 A ≤ Iz 101 A (25 mm² buried) → In 80 A fits
    const r = checkFeeder({ load: LOAD_R029, distribution: distributionOf('R-029') }, jgj);
    expect(problems(r)).toEqual(['FEEDER_VOLTAGE_DROP']);
    expect(r.voltage_drop?.impedance_percent).toBeCloseTo(11.899, 2);
    expect(r.voltage_drop?.load_moment_percent).toBeCloseTo(9.475, 2);
    expect(r.design_current_a).toBeCloseTo(74.2, 1);
    expect(r.breaker.rated_current_a).toBe(80);
    const f = r.findings[0];
    expect(f?.path).toEqual(['distribution', 'feeder', 'length_m']);
    expect(f?.clause).toBe('JGJ 46-2005 7.1.3');
    // with the brief's rounder 45 kW + 9 kvar: (45·0.927 + 0.72)·0.38/1.444 = 11.167 % — fails just the same
    const r45 = checkFeeder(
      { load: { active_power_kw: 45, reactive_power_kvar: 9 }, distribution: distributionOf('R-029') },
      jgj,
    );
    expect(problems(r45)).toEqual(['FEEDER_VOLTAGE_DROP']);
    expect(r45.voltage_drop?.impedance_percent).toBeCloseTo(11.167, 2);
  });

  it('R-012: when ≈ 306 A is declared on 95 mm² Cu buried (Iz 211 A), then an ampacity finding; ΔU 2.43 % is fine', () => {
    // Iz = 211 A (Fig. G22, 20 °C ground, 1 circuit) < Ib 305.9 A.
    // ΔU = (128.08·0.246094 + 155.38·0.08)·0.08/1.444 = (31.520 + 12.430)·0.08/1.444 = 2.435 %
    const r = checkFeeder({ load: LOAD_R012, distribution: distributionOf('R-012') }, jgj);
    expect(problems(r)).toEqual(['FEEDER_AMPACITY']);
    expect(r.design_current_a).toBeCloseTo(305.9, 1);
    expect(r.cable?.ampacity_a).toBe(211);
    expect(r.voltage_drop?.impedance_percent).toBeCloseTo(2.435, 2);
    expect(r.findings[0]?.values).toEqual({ actual: r.design_current_a, limit: 211, unit: 'A' });
  });
});

describe('checkFeeder', () => {
  const good: FeederCheckInput = {
    load: { active_power_kw: 60, reactive_power_kvar: 45 },
    feeder: {
      conductor: 'Cu',
      insulation: 'XLPE',
      installation: 'buried',
      length_m: 100,
      cores: 5,
      burial_depth_m: 0.8,
    },
    distribution: {
      earthing_system: 'TN-S',
      switch_box_rcd: { rated_residual_current_ma: 30, operating_time_s: 0.1 },
      main_box_rcd: { rated_residual_current_ma: 100, operating_time_s: 0.2 },
    },
  };

  it('when no cross-section is declared, then the cable is sized for In (50 mm², 125 A breaker) and the design complies', () => {
    // Ib 113.95 A → In 125 A → Iz ≥ 125 A → 50 mm² (144 A); ΔU 2.30 % (arithmetic in cable-sizing.test.ts)
    const r = checkFeeder(good, jgj);
    expect(r.cable_origin).toBe('sized');
    expect(r.cable?.cross_section_mm2).toBe(50);
    expect(r.breaker.rated_current_a).toBe(125);
    expect(r.breaker.ok).toBe(true);
    expect(r.findings).toEqual([]);
    expect(r.compliant).toBe(true);
    expect(r.rule_set).toEqual({ id: 'JGJ46-2005', edition: 'JGJ 46-2005' });
    // the trace names every table value used
    const names = r.trace.map((t) => t.name).join(' | ');
    expect(names).toContain('base ampacity I0');
    expect(names).toContain('R20');
    expect(names).toContain('X0');
    expect(names).toContain('I2/In');
    expect(r.trace.every((t) => t.source.length > 0)).toBe(true);
  });

  it('when no cable fits the distance, then FEEDER_NO_SIZE says why', () => {
    // one cable declared (parallel_count 1): no size up to 300 mm² keeps ΔU within 5 % over 3000 m
    const r = checkFeeder({ ...good, feeder: { ...good.feeder!, length_m: 3000, parallel_count: 1 } }, jgj);
    expect(problems(r)).toEqual(['FEEDER_NO_SIZE']);
    expect(r.sizing_failure?.failing).toEqual(['voltage_drop']);
    expect(r.cable).toBeNull();
  });

  it('when a declared breaker exceeds the cable ampacity, then BREAKER_ABOVE_AMPACITY', () => {
    // 35 mm² buried: Iz 122 A; a declared 160 A breaker violates In ≤ Iz
    const r = checkFeeder(
      { ...good, feeder: { ...good.feeder!, cross_section_mm2: 35 }, breaker: { rated_current_a: 160 } },
      jgj,
    );
    expect(problems(r)).toEqual(['BREAKER_ABOVE_AMPACITY']);
    expect(r.breaker.binding).toBe('in_le_iz');
  });

  it('when the declared cable carries Ib but no standard breaker fits between Ib and Iz, then BREAKER_NO_STANDARD_RATING', () => {
    // Ib 113.95 A ≤ Iz 122 A (35 mm²) but the next standard In is 125 A > 122 A
    const r = checkFeeder({ ...good, feeder: { ...good.feeder!, cross_section_mm2: 35 } }, jgj);
    expect(problems(r)).toEqual(['BREAKER_NO_STANDARD_RATING']);
  });

  it('when the 7 % handbook budget is chosen, then a 5 %-failing feeder passes', () => {
    // 50 mm² over 300 m: 6.899 % (cable-sizing.test.ts)
    const input: FeederCheckInput = {
      ...good,
      feeder: { ...good.feeder!, cross_section_mm2: 50, length_m: 300 },
    };
    expect(problems(checkFeeder(input, jgj))).toEqual(['FEEDER_VOLTAGE_DROP']);
    const r7 = checkFeeder({ ...input, voltage_drop_budget_percent: jgj.voltage_drop_handbook_percent }, jgj);
    expect(problems(r7)).toEqual([]);
    expect(r7.voltage_drop?.budget_percent).toBe(7);
  });

  it('when a declared size is below the overhead mechanical minimum, then FEEDER_MECHANICAL_MINIMUM (R8)', () => {
    const r = checkFeeder(
      {
        load: { active_power_kw: 3, reactive_power_kvar: 0 },
        feeder: {
          conductor: 'Cu',
          insulation: 'XLPE',
          installation: 'air',
          cross_section_mm2: 6,
          length_m: 20,
        },
      },
      jgj,
    );
    expect(r.findings.map((f) => [f.code, f.rule, f.values.limit])).toEqual([
      ['FEEDER_MECHANICAL_MINIMUM', 'R8', 10],
    ]);
  });

  it('when a declared size is not in the catalogue, then a warning and the cable is not judged', () => {
    const r = checkFeeder({ ...good, feeder: { ...good.feeder!, cross_section_mm2: 400 } }, jgj);
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([['FEEDER_NOT_IN_CATALOGUE', 'warning']]);
    expect(r.compliant).toBe(true);
  });

  it('when the load is negative, then it is invalid input', () => {
    expect(() => checkFeeder({ load: { active_power_kw: -1, reactive_power_kvar: 0 } }, jgj)).toThrow(
      DomainError,
    );
  });
});
