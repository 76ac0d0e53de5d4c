import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EQUIPMENT_CATALOGUE } from '../../../src/domain/catalog/equipment.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { DemandInput, EquipmentItemInput } from '../../../src/domain/load/index.js';
import { demand, relClose } from './helpers.js';

const TYPES = EQUIPMENT_CATALOGUE.types;

const itemArb: fc.Arbitrary<EquipmentItemInput> = fc
  .record({
    t: fc.integer({ min: 0, max: TYPES.length - 1 }),
    quantity: fc.integer({ min: 1, max: 60 }),
    rating: fc.double({ min: 0.1, max: 400, noNaN: true }),
    duty: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
    pf: fc.option(fc.double({ min: 0.3, max: 1, noNaN: true }), { nil: undefined }),
    connection: fc.option(fc.constantFrom('three_phase', 'line_to_line', 'line_to_neutral' as const), {
      nil: undefined,
    }),
  })
  .map(({ t, quantity, rating, duty, pf, connection }) => {
    const type = TYPES[t]!;
    const item: EquipmentItemInput = { type: type.id, quantity };
    if (type.rated_quantity === 'apparent_power_kva') item.rated_apparent_power_kva = rating;
    else item.rated_power_kw = rating;
    if (duty !== undefined) item.duty_cycle = duty;
    if (pf !== undefined) item.power_factor = pf;
    if (connection !== undefined) item.phase_connection = connection;
    return item;
  });

const inputArb: fc.Arbitrary<DemandInput> = fc.record({
  items: fc.array(itemArb, { minLength: 1, maxLength: 12 }),
});

function scaled(input: DemandInput, k: number): DemandInput {
  return {
    ...input,
    items: input.items.map((i) => {
      const s = { ...i };
      if (s.rated_power_kw !== undefined) s.rated_power_kw *= k;
      if (s.rated_apparent_power_kva !== undefined) s.rated_apparent_power_kva *= k;
      return s;
    }),
  };
}

describe('demand properties', () => {
  it('when every rated quantity is scaled by k, then P, Q and S scale by k', () => {
    fc.assert(
      fc.property(inputArb, fc.double({ min: 0.01, max: 1000, noNaN: true }), (input, k) => {
        const a = demand(input).totals;
        const b = demand(scaled(input, k)).totals;
        expect(relClose(b.active_power_kw, k * a.active_power_kw, 1e-8)).toBe(true);
        expect(relClose(b.reactive_power_kvar, k * a.reactive_power_kvar, 1e-8)).toBe(true);
        expect(relClose(b.apparent_power_kva, k * a.apparent_power_kva, 1e-8)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('Sjs ≥ Pjs for every group and for the totals, in every method', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.constantFrom('demand_coefficient', 'handbook_a', 'handbook_b' as const),
        (input, method) => {
          const r = demand({ ...input, method });
          expect(r.totals.apparent_power_kva).toBeGreaterThanOrEqual(r.totals.active_power_kw * (1 - 1e-12));
          for (const g of r.groups)
            expect(g.apparent_power_kva).toBeGreaterThanOrEqual(g.active_power_kw * (1 - 1e-12));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when the items are reordered, then the totals do not change', () => {
    fc.assert(
      fc.property(
        inputArb.chain((input) =>
          fc.tuple(fc.constant(input), fc.shuffledSubarray(input.items, { minLength: input.items.length })),
        ),
        ([input, shuffled]) => {
          const a = demand(input);
          const b = demand({ ...input, items: shuffled });
          expect(relClose(a.totals.active_power_kw, b.totals.active_power_kw)).toBe(true);
          expect(relClose(a.totals.reactive_power_kvar, b.totals.reactive_power_kvar)).toBe(true);
          expect(relClose(a.totals.apparent_power_kva, b.totals.apparent_power_kva)).toBe(true);
          expect(relClose(a.installed_power_kw, b.installed_power_kw)).toBe(true);
          expect(a.transformer.rating_kva).toBe(b.transformer.rating_kva);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when K∑ grows, then P, Q and S do not decrease', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        (input, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const a = demand({ ...input, simultaneity_factor: lo }).totals;
          const b = demand({ ...input, simultaneity_factor: hi }).totals;
          expect(b.active_power_kw).toBeGreaterThanOrEqual(a.active_power_kw);
          expect(b.reactive_power_kvar).toBeGreaterThanOrEqual(a.reactive_power_kvar);
          expect(b.apparent_power_kva).toBeGreaterThanOrEqual(a.apparent_power_kva);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("when one item's Kx grows, then P, Q and S do not decrease", () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.nat(),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (input, pick, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const at = pick % input.items.length;
          const withKx = (kx: number): DemandInput => ({
            ...input,
            items: input.items.map((i, n) => (n === at ? { ...i, demand_factor: kx } : i)),
          });
          const a = demand(withKx(lo)).totals;
          const b = demand(withKx(hi)).totals;
          const slack = 1 + 1e-12;
          expect(b.active_power_kw * slack).toBeGreaterThanOrEqual(a.active_power_kw);
          expect(b.reactive_power_kvar * slack).toBeGreaterThanOrEqual(a.reactive_power_kvar);
          expect(b.apparent_power_kva * slack).toBeGreaterThanOrEqual(a.apparent_power_kva);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when a group Kx grows, then P does not decrease', () => {
    fc.assert(
      fc.property(
        inputArb,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (input, x, y) => {
          const [lo, hi] = x <= y ? [x, y] : [y, x];
          const grouped = (kx: number): DemandInput => ({
            groups: [{ name: 'all', demand_factor: kx }],
            items: input.items.map((i) => ({ ...i, group: 'all' })),
          });
          expect(demand(grouped(hi)).totals.active_power_kw * (1 + 1e-12)).toBeGreaterThanOrEqual(
            demand(grouped(lo)).totals.active_power_kw,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

function onlyDomainErrors(input: unknown): void {
  try {
    demand(input as DemandInput);
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect(typeof (e as DomainError).code).toBe('string');
    expect((e as DomainError).issues.length).toBeGreaterThan(0);
  }
}

describe('robustness', () => {
  it('when the input is arbitrary, then it either succeeds or throws a DomainError with a code', () => {
    fc.assert(fc.property(fc.anything(), onlyDomainErrors), { numRuns: 500 });
  });

  it('when items hold nonsense field values, then the result is a DomainError or a finite calculation', () => {
    const value = fc.oneof(
      fc.anything(),
      fc.double(),
      fc.integer({ min: -5, max: 2_000_000 }),
      fc.constantFrom(
        'tower_crane',
        'welder_ac',
        'L1',
        'L1-L2',
        'line_to_line',
        'constructor',
        '__proto__',
        'g',
      ),
    );
    const itemLike = fc.dictionary(
      fc.constantFrom(
        'type',
        'quantity',
        'rated_power_kw',
        'rated_apparent_power_kva',
        'duty_cycle',
        'power_factor',
        'demand_factor',
        'tan_phi',
        'group',
        'phase',
        'phase_connection',
        'label',
      ),
      value,
    );
    const inputLike = fc.record(
      {
        items: fc.oneof(
          fc.array(fc.oneof(itemLike, itemArb as fc.Arbitrary<unknown>), { maxLength: 6 }),
          value,
        ),
        groups: fc.oneof(
          fc.array(fc.record({ name: value, demand_factor: value, tan_phi: value }), { maxLength: 2 }),
          value,
        ),
        simultaneity_factor: value,
        method: fc.oneof(fc.constantFrom('demand_coefficient', 'handbook_a', 'handbook_b'), value),
        loading_cap: value,
        handbook: fc.oneof(fc.record({ k: value, k1: value, short_form: value }), value),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(inputLike, (input) => {
        try {
          const r = demand(input as DemandInput);
          expect(Number.isFinite(r.totals.apparent_power_kva)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(DomainError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
