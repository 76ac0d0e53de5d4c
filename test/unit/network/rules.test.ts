import { describe, expect, it } from 'vitest';
import { RULE_SET_IDS, ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { DistributionDesign, RuleInput } from '../../../src/domain/network/rules.js';
import { checkRules, NETWORK_RULE_SUPPLEMENTS } from '../../../src/domain/network/rules.js';

const jgj = ruleSet('JGJ46-2005');

// A design that meets every rule of DOMAIN.md §2 this engine checks.
const compliant: DistributionDesign = {
  earthing_system: 'TN-S',
  wet_location: false,
  switch_box_rcd: { rated_residual_current_ma: 30, operating_time_s: 0.1 },
  main_box_rcd: { rated_residual_current_ma: 100, operating_time_s: 0.2 },
  distribution_to_switch_box_m: 30,
  switch_box_to_equipment_m: 3,
  repeated_earth_resistance_ohm: 10,
  lighting: { voltage_v: 36, location: 'tunnel' },
};
const compliantInput: RuleInput = {
  distribution: compliant,
  organisation: { device_count: 4, installed_power_kw: 49 },
  feeder: {
    conductor: 'Cu',
    insulation: 'XLPE',
    installation: 'buried',
    length_m: 50,
    cores: 5,
    burial_depth_m: 0.7,
  },
};

function codes(input: RuleInput, rs = jgj): string[] {
  return checkRules(input, rs).findings.map((f) => f.code);
}

function withDistribution(patch: Partial<DistributionDesign>): RuleInput {
  return { ...compliantInput, distribution: { ...compliant, ...patch } };
}

describe('JGJ 46 rule checks (DOMAIN.md §2), each both ways', () => {
  it('when every declared value is at its limit, then there is no finding and every rule was checked', () => {
    const r = checkRules(compliantInput, jgj);
    expect(r.findings).toEqual([]);
    expect(r.not_checked).toEqual([]);
  });

  it('R1: when 5 devices are declared, then an organisation design is required (info; error if declared missing)', () => {
    expect(codes({ organisation: { device_count: 5, installed_power_kw: 10 } })).toEqual([
      'R1_ORGANISATION_DESIGN_REQUIRED',
    ]);
    expect(codes({ organisation: { device_count: 2, installed_power_kw: 50 } })).toEqual([
      'R1_ORGANISATION_DESIGN_REQUIRED',
    ]);
    const missing = checkRules(
      { organisation: { device_count: 5, installed_power_kw: 10, design_provided: false } },
      jgj,
    ).findings;
    expect(missing.map((f) => [f.code, f.severity, f.clause])).toEqual([
      ['R1_ORGANISATION_DESIGN_MISSING', 'error', 'JGJ 46-2005 3.1.1'],
    ]);
    expect(
      codes({ organisation: { device_count: 5, installed_power_kw: 10, design_provided: true } }),
    ).toEqual([]);
  });

  it('R2: when the earthing system is TN-C, then R2_EARTHING_SYSTEM', () => {
    const f = checkRules(withDistribution({ earthing_system: 'TN-C' }), jgj).findings;
    expect(f).toEqual([
      {
        code: 'R2_EARTHING_SYSTEM',
        rule: 'R2',
        severity: 'error',
        message: expect.stringContaining('TN-C'),
        path: ['distribution', 'earthing_system'],
        clause: 'JGJ 46-2005 1.0.3',
        edition: 'JGJ 46-2005',
        values: { actual: 'TN-C', limit: ['TN-S'], unit: null },
      },
    ]);
  });

  it('R3: when the switch-box RCD is 50 mA or 0.2 s, then one R3 finding each', () => {
    expect(
      codes(withDistribution({ switch_box_rcd: { rated_residual_current_ma: 50, operating_time_s: 0.1 } })),
    ).toEqual(['R3_SWITCH_BOX_RCD_CURRENT']);
    expect(
      codes(withDistribution({ switch_box_rcd: { rated_residual_current_ma: 30, operating_time_s: 0.2 } })),
    ).toEqual(['R3_SWITCH_BOX_RCD_TIME']);
  });

  it('R3a: when a wet location has a 30 mA switch-box RCD, then R3A (≤ 15 mA); 15 mA passes', () => {
    const f = checkRules(withDistribution({ wet_location: true }), jgj).findings;
    expect(f.map((x) => [x.code, x.rule, x.path.join('.'), x.values.actual, x.values.limit])).toEqual([
      ['R3A_SWITCH_BOX_RCD_WET', 'R3a', 'distribution.switch_box_rcd.rated_residual_current_ma', 30, 15],
    ]);
    expect(
      codes(
        withDistribution({
          wet_location: true,
          switch_box_rcd: { rated_residual_current_ma: 15, operating_time_s: 0.1 },
        }),
      ),
    ).toEqual([]);
  });

  it('R4: when the main-box RCD is 100 mA × 0.5 s = 50 mA·s, then R4 product; 100 mA × 0.3 s = 30 passes', () => {
    const f = checkRules(
      withDistribution({ main_box_rcd: { rated_residual_current_ma: 100, operating_time_s: 0.5 } }),
      jgj,
    ).findings;
    expect(f.map((x) => x.code)).toEqual(['R4_MAIN_BOX_RCD_PRODUCT']);
    expect(f[0]?.values.actual).toBeCloseTo(50, 9);
    expect(f[0]?.values.limit).toBe(30);
    expect(
      codes(withDistribution({ main_box_rcd: { rated_residual_current_ma: 100, operating_time_s: 0.3 } })),
    ).toEqual([]);
  });

  it('R4: when 300 mA needs ≤ 0.1 s, then the time must still exceed 0.1 s → R4 time only (DOMAIN.md §2)', () => {
    // 300 × 0.1 = 30 mA·s (product ok, within float tolerance) but t > 0.1 s fails
    expect(
      codes(withDistribution({ main_box_rcd: { rated_residual_current_ma: 300, operating_time_s: 0.1 } })),
    ).toEqual(['R4_MAIN_BOX_RCD_TIME']);
    // 30 mA is not > 30 mA
    expect(
      codes(withDistribution({ main_box_rcd: { rated_residual_current_ma: 30, operating_time_s: 0.5 } })),
    ).toEqual(['R4_MAIN_BOX_RCD_CURRENT']);
  });

  it('R5: when the switch box is 31 m from the distribution box, then R5 (error)', () => {
    const f = checkRules(withDistribution({ distribution_to_switch_box_m: 31 }), jgj).findings;
    expect(f.map((x) => [x.code, x.severity, x.clause])).toEqual([
      ['R5_SWITCH_BOX_DISTANCE', 'error', 'JGJ 46-2005 8.1.2'],
    ]);
  });

  it('R5a: when equipment is 4 m from its switch box, then a warning only ("should")', () => {
    const f = checkRules(withDistribution({ switch_box_to_equipment_m: 4 }), jgj).findings;
    expect(f.map((x) => [x.code, x.severity])).toEqual([['R5A_EQUIPMENT_DISTANCE', 'warning']]);
  });

  it('R9: when a four-core cable feeds a three-phase four-wire system, then R9', () => {
    const input: RuleInput = { ...compliantInput, feeder: { ...compliantInput.feeder!, cores: 4 } };
    const f = checkRules(input, jgj).findings;
    expect(f.map((x) => [x.code, x.path.join('.')])).toEqual([['R9_FIVE_CORE_CABLE', 'feeder.cores']]);
  });

  it('R10: when a cable is buried 0.6 m deep, then R10; a cable in air is not judged on depth', () => {
    const input: RuleInput = {
      ...compliantInput,
      feeder: { ...compliantInput.feeder!, burial_depth_m: 0.6 },
    };
    expect(codes(input)).toEqual(['R10_BURIAL_DEPTH']);
    const inAir: RuleInput = {
      ...compliantInput,
      feeder: { ...compliantInput.feeder!, installation: 'air', burial_depth_m: 0.2 },
    };
    expect(codes(inAir)).toEqual([]);
  });

  it('R11: when a repeated earth measures 12 Ω, then R11', () => {
    expect(codes(withDistribution({ repeated_earth_resistance_ohm: 12 }))).toEqual([
      'R11_REPEATED_EARTH_RESISTANCE',
    ]);
  });

  it('R13: when lighting is 36 V in a damp place or 24 V in a very damp one, then R13; 220 V in general places passes', () => {
    expect(codes(withDistribution({ lighting: { voltage_v: 36, location: 'damp' } }))).toEqual([
      'R13_LIGHTING_VOLTAGE',
    ]);
    expect(codes(withDistribution({ lighting: { voltage_v: 24, location: 'very_damp' } }))).toEqual([
      'R13_LIGHTING_VOLTAGE',
    ]);
    expect(codes(withDistribution({ lighting: { voltage_v: 12, location: 'very_damp' } }))).toEqual([]);
    expect(codes(withDistribution({ lighting: { voltage_v: 220, location: 'general' } }))).toEqual([]);
  });

  it('when nothing is declared, then no finding and every rule is listed as not checked', () => {
    const r = checkRules({}, jgj);
    expect(r.findings).toEqual([]);
    expect(new Set(r.not_checked.map((n) => n.rule))).toEqual(
      new Set(['R1', 'R2', 'R3', 'R4', 'R5', 'R5a', 'R9', 'R10', 'R11', 'R13']),
    );
  });

  it('when a declared value is negative, then it is invalid input with its path', () => {
    try {
      checkRules(withDistribution({ repeated_earth_resistance_ohm: -1 }), jgj);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).issues[0]?.path).toEqual(['distribution', 'repeated_earth_resistance_ohm']);
    }
  });

  it('when another rule set is used, then findings carry its edition and IEC skips JGJ-only rules', () => {
    const r = checkRules(withDistribution({ earthing_system: 'TN-C' }), ruleSet('JGJ/T46-2024'));
    expect(r.findings.map((f) => f.edition)).toEqual(['JGJ/T 46-2024']);
    const iec = checkRules(
      withDistribution({ earthing_system: 'TT', distribution_to_switch_box_m: 80 }),
      ruleSet('IEC60364-7-704'),
    );
    expect(iec.findings).toEqual([]);
    expect(iec.not_checked.map((n) => n.rule)).toContain('R5');
    for (const id of RULE_SET_IDS) expect(NETWORK_RULE_SUPPLEMENTS[id]).toBeDefined();
  });
});
