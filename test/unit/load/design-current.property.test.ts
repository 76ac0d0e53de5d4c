/**
 * Issue #16 invariants (DOMAIN.md "Product decisions": single group / few units): for random equipment lists,
 * the design current used for cable and breaker sizing is never below the full-load current of the largest
 * motor nor below the list's demand current, the feeder engine sizes for it, and a kind with fewer than
 * 3 units in its group never gets Kx < 1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EQUIPMENT_CATALOGUE } from '../../../src/domain/catalog/equipment.js';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import type { EquipmentItemInput } from '../../../src/domain/load/index.js';
import { checkFeeder } from '../../../src/domain/network/check-feeder.js';
import { demand } from './helpers.js';

const TYPES = EQUIPMENT_CATALOGUE.types;
const SQRT3 = Math.sqrt(3);

const itemArb: fc.Arbitrary<EquipmentItemInput> = fc
  .record({
    t: fc.integer({ min: 0, max: TYPES.length - 1 }),
    quantity: fc.integer({ min: 1, max: 8 }),
    rating: fc.double({ min: 0.5, max: 200, noNaN: true }),
    pf: fc.option(fc.double({ min: 0.5, max: 1, noNaN: true }), { nil: undefined }),
  })
  .map(({ t, quantity, rating, pf }) => {
    const type = TYPES[t]!;
    const item: EquipmentItemInput = { type: type.id, quantity };
    if (type.rated_quantity === 'apparent_power_kva') item.rated_apparent_power_kva = rating;
    else item.rated_power_kw = rating;
    if (pf !== undefined) item.power_factor = pf;
    return item;
  });

/** FLC of one unit computed independently: Pn/(k·U·cos φ), k = √3 three-phase, 1 line-to-line, 1/√3 line-to-neutral. */
function independentFlc(item: EquipmentItemInput): number {
  const type = TYPES.find((x) => x.id === item.type)!;
  if (!type.motor) return 0;
  const cos = item.power_factor ?? type.power_factor;
  const conn = item.phase_connection ?? type.phase_connection;
  const u = conn === 'three_phase' ? SQRT3 * 380 : conn === 'line_to_line' ? 380 : 380 / SQRT3;
  return ((item.rated_power_kw ?? 0) * 1000) / (u * cos);
}

describe('design current invariants (issue #16)', () => {
  it('Ib ≥ the largest motor’s full-load current and ≥ the demand current; the feeder is sized for Ib', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 8 }), (items) => {
        const r = demand({ items });
        const largestFlc = Math.max(0, ...items.map(independentFlc));
        const ib = r.design_current.current_a;
        expect(ib).toBeGreaterThanOrEqual(largestFlc * (1 - 1e-12));
        expect(ib).toBeGreaterThanOrEqual(r.totals.current_a * (1 - 1e-12));
        const f = checkFeeder(
          {
            load: {
              active_power_kw: r.totals.active_power_kw,
              reactive_power_kvar: r.totals.reactive_power_kvar,
              design_current_a: ib,
            },
          },
          ruleSet('JGJ46-2005'),
        );
        expect(f.design_current_a).toBeCloseTo(ib, 9);
        if (f.breaker.rated_current_a !== null) expect(f.breaker.rated_current_a).toBeGreaterThanOrEqual(ib);
      }),
      { numRuns: 150 },
    );
  });

  it('a kind with fewer than 3 units in its group never gets a catalogue Kx < 1', () => {
    fc.assert(
      fc.property(fc.array(itemArb, { minLength: 1, maxLength: 8 }), (items) => {
        const r = demand({ items });
        const units = new Map<string, number>();
        for (const it of r.items)
          units.set(`${it.group}|${it.type}`, (units.get(`${it.group}|${it.type}`) ?? 0) + it.quantity);
        for (const it of r.items)
          if ((units.get(`${it.group}|${it.type}`) ?? 0) < 3) expect(it.demand_factor, it.type).toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
