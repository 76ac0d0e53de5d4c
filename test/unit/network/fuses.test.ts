/**
 * gG fuses as the protective device (issue #16): I2 = 1.6·In (IEC 60269-1 Table 2) against 1.45·Iz, and
 * JGJ 46's In ≤ 2.5·Iz for short-circuit fuses (JGJ 46-2005 7.3.5, DOMAIN.md §2 R14 / §4.4).
 */
import { describe, expect, it } from 'vitest';
import { FUSE_RATINGS_A, fuseConventionalFusingCurrentA } from '../../../src/domain/catalog/fuses.js';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { checkFeeder } from '../../../src/domain/network/check-feeder.js';
import { checkFuse } from '../../../src/domain/network/protection.js';

describe('gG fuse catalogue (IEC 60269-1)', () => {
  it('when In ≥ 16 A, then I2 = 1.6·In; 4–16 A 1.9·In; below 4 A 2.1·In (Table 2)', () => {
    expect(fuseConventionalFusingCurrentA(100)).toBeCloseTo(160, 9);
    expect(fuseConventionalFusingCurrentA(16)).toBeCloseTo(25.6, 9);
    expect(fuseConventionalFusingCurrentA(10)).toBeCloseTo(19, 9);
    expect(fuseConventionalFusingCurrentA(2)).toBeCloseTo(4.2, 9);
    expect(FUSE_RATINGS_A).toContain(1250);
  });
});

describe('a declared gG fuse against the cable it protects', () => {
  it('when a 100 A fuse protects Iz 122 A, then Ib ≤ In ≤ Iz and 160 A ≤ 1.45·122 = 176.9 A hold', () => {
    const f = checkFuse({ design_current_a: 90, ampacity_a: 122, rated_current_a: 100 });
    expect(f.ok).toBe(true);
    expect(f.conventional_fusing_current_a).toBeCloseTo(160, 9);
  });

  it('when a 125 A fuse protects Iz 122 A, then In ≤ Iz fails first and I2 200 A > 176.9 A also fails', () => {
    // 1.6 × 125 = 200 A > 1.45 × 122 = 176.9 A
    const f = checkFuse({ design_current_a: 90, ampacity_a: 122, rated_current_a: 125 });
    expect(f.violated).toBe('in_le_iz');
    expect(f.conditions.i2_le_1_45_iz).toBe(false);
    expect(f.conditions.jgj_in_le_2_5_iz).toBe(true);
  });

  it('when a short-circuit-only fuse is 315 A on Iz 122 A, then JGJ 46 In ≤ 2.5·Iz = 305 A fails; 250 A passes', () => {
    const bad = checkFuse({
      design_current_a: 90,
      ampacity_a: 122,
      rated_current_a: 315,
      overload_protection: false,
    });
    expect(bad.violated).toBe('jgj_in_le_2_5_iz');
    expect(bad.conditions.in_le_iz).toBeNull();
    const good = checkFuse({
      design_current_a: 90,
      ampacity_a: 122,
      rated_current_a: 250,
      overload_protection: false,
    });
    expect(good.ok).toBe(true);
  });

  it('when a feeder declares a fuse that breaks I2 ≤ 1.45·Iz, then FUSE_CONVENTIONAL_FUSING names the clause', () => {
    // 35 mm² Cu XLPE buried: Iz 122 A (Fig. G22). Load 60 kW + 45 kvar: Ib = 75 000/(√3·380) = 113.95 A.
    // In 120? not a rating: take 125 A → In ≤ Iz fails (125 > 122) and I2 = 200 > 176.9 A.
    const r = checkFeeder(
      {
        load: { active_power_kw: 60, reactive_power_kvar: 45 },
        feeder: {
          conductor: 'Cu',
          insulation: 'XLPE',
          installation: 'buried',
          cross_section_mm2: 35,
          length_m: 50,
        },
        fuse: { rated_current_a: 125 },
      },
      ruleSet('JGJ46-2005'),
    );
    const codes = r.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    expect(codes).toEqual(['FUSE_ABOVE_AMPACITY', 'FUSE_CONVENTIONAL_FUSING']);
    expect(r.findings.find((f) => f.code === 'FUSE_CONVENTIONAL_FUSING')!.clause).toContain('IEC 60269-1');
    expect(r.fuse!.ok).toBe(false);
  });

  it('when a feeder with a 100 A fuse is sized, then the cable carries I2/1.45 = 110.3 A', () => {
    // required = max(Ib 75.97 A, In 100, 160/1.45 = 110.34 A) → 35 mm² buried (Iz 122 A ≥ 110.34; 25 mm² 101 A is not)
    const r = checkFeeder(
      {
        load: { active_power_kw: 40, reactive_power_kvar: 30 },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 50 },
        fuse: { rated_current_a: 100 },
      },
      ruleSet('JGJ46-2005'),
    );
    expect(r.cable?.cross_section_mm2).toBe(35);
    expect(r.cable?.required_current_a).toBeCloseTo(160 / 1.45, 9);
    expect(r.compliant).toBe(true);
  });
});
