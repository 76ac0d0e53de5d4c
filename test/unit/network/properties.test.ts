import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Conductor, Installation, Insulation } from '../../../src/domain/catalog/cables.js';
import {
  ambientTemperatureFactor,
  baseAmpacityA,
  groupingFactor,
  MECHANICAL_MINIMUM_MM2,
  defaultMechanicalContext,
  MAX_CONDUCTOR_TEMPERATURE_C,
  REACTANCE_OHM_PER_KM,
  resistanceOhmPerKm,
  tabulatedCrossSections,
} from '../../../src/domain/catalog/cables.js';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { evaluateCable, sizeCable } from '../../../src/domain/network/cable-sizing.js';
import { checkFeeder } from '../../../src/domain/network/check-feeder.js';
import { voltageDropPercent } from '../../../src/domain/network/voltage-drop.js';

const conductor = fc.constantFrom<Conductor>('Cu', 'Al');
const insulation = fc.constantFrom<Insulation>('XLPE', 'PVC');
const installation = fc.constantFrom<Installation>('clipped', 'air', 'buried');
const power = fc.double({ min: 0, max: 400, noNaN: true });
const length = fc.double({ min: 0, max: 2000, noNaN: true });

describe('voltage-drop and sizing invariants (fast-check)', () => {
  it('a longer feeder never has a smaller ΔU', () => {
    fc.assert(
      fc.property(
        conductor,
        insulation,
        installation,
        power,
        power,
        length,
        length,
        (c, i, m, p, q, l1, l2) => {
          const sizes = tabulatedCrossSections(c, i, m);
          const s = sizes[Math.floor(sizes.length / 2)] as number;
          const crit = { voltage_v: 380, voltage_drop_budget_percent: 5 };
          const load = { active_power_kw: p, reactive_power_kvar: q };
          const a = evaluateCable(
            load,
            { conductor: c, insulation: i, installation: m, length_m: Math.min(l1, l2) },
            s,
            crit,
          );
          const b = evaluateCable(
            load,
            { conductor: c, insulation: i, installation: m, length_m: Math.max(l1, l2) },
            s,
            crit,
          );
          expect(a!.voltage_drop_percent).toBeLessThanOrEqual(b!.voltage_drop_percent + 1e-12);
        },
      ),
    );
  });

  it('a larger cross-section never has a larger ΔU', () => {
    fc.assert(
      fc.property(
        conductor,
        insulation,
        installation,
        power,
        power,
        length,
        fc.nat(),
        fc.nat(),
        (c, i, m, p, q, l, k1, k2) => {
          const sizes = tabulatedCrossSections(c, i, m);
          const s1 = sizes[k1 % sizes.length] as number;
          const s2 = sizes[k2 % sizes.length] as number;
          const crit = { voltage_v: 380, voltage_drop_budget_percent: 5 };
          const cond = { conductor: c, insulation: i, installation: m, length_m: l };
          const load = { active_power_kw: p, reactive_power_kvar: q };
          const small = evaluateCable(load, cond, Math.min(s1, s2), crit)!;
          const large = evaluateCable(load, cond, Math.max(s1, s2), crit)!;
          expect(large.voltage_drop_percent).toBeLessThanOrEqual(small.voltage_drop_percent + 1e-12);
        },
      ),
    );
  });

  it('ΔU of a multi-section feeder grows along the feeder when power flows outwards', () => {
    const section = fc.record({
      length_m: length,
      r0_ohm_per_km: fc.double({ min: 0, max: 15, noNaN: true }),
      x0_ohm_per_km: fc.double({ min: 0, max: 0.2, noNaN: true }),
      active_power_kw: power,
      reactive_power_kvar: power,
    });
    fc.assert(
      fc.property(fc.array(section, { minLength: 1, maxLength: 8 }), (sections) => {
        const r = voltageDropPercent(sections, 380);
        for (let k = 1; k < r.cumulative_percent.length; k += 1) {
          expect(r.cumulative_percent[k]!).toBeGreaterThanOrEqual(r.cumulative_percent[k - 1]! - 1e-12);
        }
        expect(r.voltage_drop_percent).toBeCloseTo(r.resistive_percent + r.reactive_percent, 9);
      }),
    );
  });

  it('the sized cable satisfies every check it reports as satisfied, recomputed from the catalogue, and is the smallest', () => {
    fc.assert(
      fc.property(
        conductor,
        insulation,
        installation,
        power,
        power,
        length,
        fc.integer({ min: 10, max: 45 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom(5, 7),
        (c, i, m, p, q, l, ambient, grouped, budget) => {
          const cond = {
            conductor: c,
            insulation: i,
            installation: m,
            length_m: l,
            ambient_temperature_c: ambient,
            grouped_circuits: grouped,
          };
          // single cables only: parallel sizing has its own test (cable-sizing.test.ts)
          const crit = { voltage_v: 380, voltage_drop_budget_percent: budget, max_parallel_count: 1 };
          const load = { active_power_kw: p, reactive_power_kvar: q };
          const r = sizeCable(load, cond, crit);
          const independentlyOk = (s: number) => {
            const iz =
              baseAmpacityA(c, i, m, s)! *
              ambientTemperatureFactor(i, m, ambient).factor *
              groupingFactor(m, grouped).factor;
            const ib = Math.hypot(p, q) / (Math.sqrt(3) * 0.38);
            const r0 = resistanceOhmPerKm(c, s, MAX_CONDUCTOR_TEMPERATURE_C[i])!;
            const vd = ((p * r0 + q * REACTANCE_OHM_PER_KM) * (l / 1000)) / (10 * 0.38 * 0.38);
            const min = MECHANICAL_MINIMUM_MM2[defaultMechanicalContext(m)][c];
            return {
              ampacity: iz >= ib - 1e-9,
              voltage_drop: vd <= budget + 1e-9,
              mechanical_minimum: s >= min,
            };
          };
          if (r.ok) {
            const chk = independentlyOk(r.cable.cross_section_mm2);
            for (const [name, passed] of Object.entries(r.cable.checks)) {
              if (passed) expect(chk[name as keyof typeof chk]).toBe(true);
            }
            expect(r.cable.ok).toBe(true);
            for (const s of tabulatedCrossSections(c, i, m).filter((x) => x < r.cable.cross_section_mm2)) {
              const smaller = independentlyOk(s);
              expect(smaller.ampacity && smaller.voltage_drop && smaller.mechanical_minimum).toBe(false);
            }
          } else {
            const chk = independentlyOk(r.largest!.cross_section_mm2);
            for (const f of r.failing) expect(chk[f]).toBe(false);
            expect(r.failing.length).toBeGreaterThan(0);
          }
        },
      ),
    );
  });

  it('checkFeeder is compliant exactly when it reports no error finding, and a sized feeder raises no feeder finding', () => {
    const jgj = ruleSet('JGJ46-2005');
    fc.assert(
      fc.property(power, power, length, insulation, (p, q, l, i) => {
        const r = checkFeeder(
          {
            load: { active_power_kw: p, reactive_power_kvar: q },
            feeder: { conductor: 'Cu', insulation: i, installation: 'buried', length_m: l },
          },
          jgj,
        );
        expect(r.compliant).toBe(!r.findings.some((f) => f.severity === 'error'));
        if (r.cable !== null) {
          expect(
            r.findings.filter((f) => f.code.startsWith('FEEDER_') || f.code.startsWith('BREAKER_')),
          ).toEqual([]);
          expect(r.breaker.ok).toBe(true);
          expect(r.breaker.rated_current_a!).toBeLessThanOrEqual(r.cable.ampacity_a);
          expect(r.breaker.rated_current_a!).toBeGreaterThanOrEqual(r.design_current_a);
        }
      }),
    );
  });
});
