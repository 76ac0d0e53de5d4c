import { describe, expect, it } from 'vitest';
import { recommendTransformer } from '../../../src/domain/load/index.js';
import { demand, domainErrorOf, expectPrinted } from './helpers.js';

describe('groups and totals (DOMAIN.md §1.2–1.3)', () => {
  it('when 20 water pumps of 4 kW form one group, then Pjs = 0.75·80, Qjs = Pjs·0.75 and Ijs = Sjs/(√3·380 V)', () => {
    const r = demand({ items: [{ type: 'water_pump', quantity: 20, rated_power_kw: 4 }] });
    const g = r.groups[0]!;
    // hand-computed: ΣPe 80; Kx 0.75 (Table 1.4-D) → 60 kW; cos φ 0.8 → tan φ 0.75 → 45 kvar; S = 75 kVA;
    // I = 75 000 / (1.732051 × 380) = 113.95 A
    expect(g.pe_kw).toBe(80);
    expect(g.active_power_kw).toBeCloseTo(60, 10);
    expect(g.reactive_power_kvar).toBeCloseTo(45, 10);
    expect(g.apparent_power_kva).toBeCloseTo(75, 10);
    expect(g.current_a).toBeCloseTo(113.95, 2);
    // totals: one group, so K∑ is not applied (DOMAIN.md §1.3 and "Product decisions": K∑ combines two or
    // more groups) — 60 kW, 45 kvar, 75 kVA. (Until issue #16 the rule set's 0.8 was applied here: 60 kVA.)
    expect(r.totals.simultaneity_factor).toBe(1);
    expect(r.totals.simultaneity_factor_source).toBe('rule_set');
    expect(r.totals.active_power_kw).toBeCloseTo(60, 10);
    expect(r.totals.reactive_power_kvar).toBeCloseTo(45, 10);
    expect(r.totals.apparent_power_kva).toBeCloseTo(75, 10);
  });

  it('when a published calculation book is entered with its own coefficients, then its totals are reproduced', () => {
    // https://m.bdocx.com/doc/23655532.html (DOMAIN.md Table 1.4-A): per-group Kx and tan φ as printed (the
    // mortar-mixer tan φ 0.62 is the book's, inconsistent with cos φ 0.68, so tan φ is given explicitly);
    // lamps taken at their rated power and as balanced over the phases, as the book does; K∑ 0.8.
    const r = demand({
      simultaneity_factor: 0.8,
      groups: [
        { name: 'winch', demand_factor: 0.3, tan_phi: 1.02 },
        { name: 'mortar', demand_factor: 0.7, tan_phi: 0.62 },
        { name: 'booster pump', demand_factor: 0.5, tan_phi: 0.75 },
        { name: 'woodworking', demand_factor: 0.7, tan_phi: 0.88 },
        { name: 'vibrator', demand_factor: 0.65, tan_phi: 1.17 },
        { name: 'welder', demand_factor: 0.45, tan_phi: 0.57 },
        { name: 'dysprosium lamps', demand_factor: 1, tan_phi: 1.52 },
        { name: 'iodine-tungsten lamps', demand_factor: 1, tan_phi: 0 },
        { name: 'other', demand_factor: 1, tan_phi: 0 },
        { name: 'living', demand_factor: 1, tan_phi: 0 },
      ],
      items: [
        { type: 'winch', quantity: 3, rated_power_kw: 7.5, duty_cycle: 0.25, group: 'winch' },
        { type: 'mortar_mixer', quantity: 3, rated_power_kw: 3, group: 'mortar' },
        { type: 'water_pump', quantity: 1, rated_power_kw: 5.5, group: 'booster pump' },
        { type: 'woodworking_saw', quantity: 4, rated_power_kw: 3, group: 'woodworking' },
        { type: 'vibrator', quantity: 3, rated_power_kw: 1.1, group: 'vibrator' },
        { type: 'welder_dc', quantity: 1, rated_power_kw: 25.5, duty_cycle: 1, group: 'welder' },
        {
          type: 'lighting_indoor',
          quantity: 4,
          rated_power_kw: 3.5,
          group: 'dysprosium lamps',
          phase_connection: 'three_phase',
        },
        {
          type: 'floodlight_iodine_tungsten',
          quantity: 10,
          rated_power_kw: 1,
          group: 'iodine-tungsten lamps',
          phase_connection: 'three_phase',
        },
        { type: 'camp_living', quantity: 1, rated_power_kw: 10, group: 'other' },
        { type: 'camp_living', quantity: 1, rated_power_kw: 10, group: 'living' },
      ],
    });
    // printed: winch Pj 6.75 kW / Qj 6.89 kvar; welder Pj 11.48 kW; P总 65.46 kW; Q总 40.46; Sj 76.95 kVA
    expectPrinted(r.groups.find((g) => g.name === 'winch')!.active_power_kw, 6.75, 2);
    expectPrinted(r.groups.find((g) => g.name === 'winch')!.reactive_power_kvar, 6.89, 2);
    expectPrinted(r.groups.find((g) => g.name === 'welder')!.active_power_kw, 11.48, 2);
    expectPrinted(r.totals.active_power_kw, 65.46, 2);
    expectPrinted(r.totals.reactive_power_kvar, 40.46, 2);
    expectPrinted(r.totals.apparent_power_kva, 76.95, 2);
  });

  it('when an item gives Kx and the group gives another, then the item value wins and is marked item_override', () => {
    const r = demand({
      groups: [{ name: 'pumps', demand_factor: 0.5 }],
      items: [
        { type: 'water_pump', quantity: 1, rated_power_kw: 10, group: 'pumps', demand_factor: 0.9 },
        { type: 'water_pump', quantity: 1, rated_power_kw: 10, group: 'pumps' },
      ],
    });
    // hand-computed: 0.9·10 + 0.5·10 = 14 kW; effective group Kx 14/20 = 0.7
    expect(r.items[0]!.demand_factor_source).toBe('item_override');
    expect(r.items[1]!.demand_factor_source).toBe('group_override');
    expect(r.groups[0]!.active_power_kw).toBeCloseTo(14, 12);
    expect(r.groups[0]!.kx).toBeCloseTo(0.7, 12);
    expect(r.groups[0]!.coefficient_sources.demand_factor).toEqual(['group_override', 'item_override']);
  });

  it('when tan φ and cos φ are both given, then tan φ wins; an item cos φ beats the group values', () => {
    const r = demand({
      groups: [{ name: 'g', power_factor: 0.6, tan_phi: 0.5 }],
      items: [
        { type: 'air_compressor', quantity: 1, rated_power_kw: 10, group: 'g' },
        { type: 'air_compressor', quantity: 1, rated_power_kw: 10, group: 'g', power_factor: 1 },
      ],
    });
    // hand-computed: 2 units of the kind in the group → Kx 1 (Table 1.4-C, < 3 units) → 10 kW each;
    // Q = 10·0.5 + 10·0 = 5 kvar
    expect(r.items[0]!.tan_phi).toBe(0.5);
    expect(r.items[1]!.tan_phi).toBe(0);
    expect(r.groups[0]!.reactive_power_kvar).toBeCloseTo(5, 12);
  });

  it("when an AC welder gives its nameplate cos φ, then it is used in the conversion but the group's cos φ sets Q", () => {
    const r = demand({
      items: [
        { type: 'welder_ac', quantity: 1, rated_apparent_power_kva: 40, duty_cycle: 0.25, power_factor: 0.5 },
      ],
    });
    // hand-computed: Pe = √0.25·40·0.5 = 10 kW; unbalance √3 (single line-to-line device) → 17.3205 kW;
    // one unit → Kx 1 (Table 1.4-C, < 3 units) → 17.3205 kW; catalogue group cos φ 0.4 → tan φ 2.2913 →
    // Q 39.686 kvar
    const item = r.items[0]!;
    expect(item.pe_kw).toBeCloseTo(10, 12);
    expect(item.power_factor).toBe(0.4);
    expect(item.active_power_kw).toBeCloseTo(17.3205, 4);
    expect(item.reactive_power_kvar).toBeCloseTo(39.686, 3);
  });

  it('when split air conditioners are counted, then Kx follows the count band (Table 1.4-C)', () => {
    const kx = (n: number) =>
      demand({
        items: [
          {
            type: 'split_air_conditioner',
            quantity: n,
            rated_power_kw: 1.5,
            phase_connection: 'three_phase',
          },
        ],
      }).items[0]!.demand_factor;
    // DOMAIN.md Table 1.4-C: < 3 units → 1; 4–10 → 0.6–0.4; 10–50 → 0.4–0.3; > 50 unconfirmed (0.3)
    expect(kx(2)).toBe(1);
    expect(kx(8)).toBe(0.6);
    expect(kx(40)).toBe(0.4);
    expect(kx(160)).toBe(0.3);
  });

  it('when the caller gives K∑ 0.9, then totals use it and say so', () => {
    const r = demand({
      simultaneity_factor: 0.9,
      items: [
        { type: 'water_pump', quantity: 20, rated_power_kw: 4 },
        { type: 'air_compressor', quantity: 4, rated_power_kw: 10 },
      ],
    });
    // hand-computed: pumps 0.75 × 80 = 60 kW, compressors 0.75 × 40 = 30 kW (two groups); 0.9 × 90 = 81 kW
    expect(r.totals.active_power_kw).toBeCloseTo(81, 10);
    expect(r.totals.simultaneity_factor_source).toBe('caller');
    expect(r.trace.find((t) => t.step === 'totals.simultaneity_factor')).toMatchObject({
      value: 0.9,
      source: 'caller',
    });
  });

  it.each([0.4, 1.1, Number.NaN])(
    'when K∑ is %s (outside 0.5–1.0), then a DomainError names the field',
    (ks) => {
      const e = domainErrorOf(() =>
        demand({ simultaneity_factor: ks, items: [{ type: 'water_pump', quantity: 1, rated_power_kw: 4 }] }),
      );
      expect(e.code).toBe('validation_failed');
      expect(e.issues.map((i) => i.path)).toEqual([['simultaneity_factor']]);
    },
  );
});

describe('single-phase unbalance (DOMAIN.md §1.1)', () => {
  it('when single-phase capacity is below 15 % of the three-phase capacity, then the load is treated as balanced', () => {
    const r = demand({
      items: [
        { type: 'water_pump', quantity: 1, rated_power_kw: 100 },
        { type: 'lighting_indoor', quantity: 1, rated_power_kw: 14, phase: 'L1' },
      ],
    });
    // 14 / 100 = 14 % < 15 %
    expect(r.unbalance!.applied).toBe(false);
    expect(r.items[1]!.equivalent_pe_kw).toBe(14);
  });

  it('when line-to-neutral load reaches 15 %, then it counts 3 × the most loaded phase', () => {
    const r = demand({
      items: [
        { type: 'water_pump', quantity: 1, rated_power_kw: 100 },
        { type: 'lighting_indoor', quantity: 1, rated_power_kw: 10, phase: 'L1' },
        { type: 'lighting_indoor', quantity: 1, rated_power_kw: 5, phase: 'L2' },
        { type: 'floodlight_iodine_tungsten', quantity: 1, rated_power_kw: 5 },
      ],
    });
    // 20 / 100 = 20 % ≥ 15 %; the unassigned 5 kW lamp goes to the least-loaded phase L3 → L1 10, L2 5, L3 5;
    // equivalent = 3 × 10 = 30 kW, i.e. × 1.5 on every line-to-neutral item
    expect(r.unbalance!.applied).toBe(true);
    expect(r.unbalance!.phase_loads_kw).toEqual({ L1: 10, L2: 5, L3: 5 });
    expect(r.unbalance!.line_to_neutral_equivalent_kw).toBe(30);
    expect(r.items[1]!.equivalent_pe_kw).toBeCloseTo(15, 12);
  });

  it('when many identical single-phase units are unassigned, then they are spread evenly over the phases', () => {
    const r = demand({ items: [{ type: 'split_air_conditioner', quantity: 160, rated_power_kw: 1.5 }] });
    // hand-computed: 160 = 54 + 53 + 53 units → max phase 54 × 1.5 = 81 kW → equivalent 243 kW
    expect(r.unbalance!.line_to_neutral_equivalent_kw).toBeCloseTo(243, 10);
  });

  it('when three equal line-to-line welders are spread over the three line pairs, then the equivalent equals their sum', () => {
    const r = demand({
      items: [
        { type: 'welder_ac', quantity: 3, rated_apparent_power_kva: 20, duty_cycle: 1, power_factor: 0.5 },
      ],
    });
    // Pe 10 kW each on L1-L2, L2-L3, L3-L1: √3·10 + (3 − √3)·10 = 30 kW
    expect(r.unbalance!.line_to_line_equivalent_kw).toBeCloseTo(30, 10);
    expect(r.items[0]!.unbalance_multiplier).toBeCloseTo(1, 12);
  });
});

describe('transformer recommendation (DOMAIN.md §3.3)', () => {
  it('when the demand is 100 kVA at β_max 0.85, then 125 kVA is chosen at 80 % and flagged above the 75 % band', () => {
    // 100/0.85 = 117.6 → 125 kVA; 100/125 = 0.8 > 0.75
    const t = recommendTransformer(100, 0.85, 0.75, 'rule_set');
    expect(t).toMatchObject({
      rating_kva: 125,
      next_rating_kva: 160,
      above_warning_band: true,
      exceeds_largest_rating: false,
    });
    expect(t.loading_fraction).toBeCloseTo(0.8, 12);
  });

  it('when the demand exceeds 2500 kVA × β_max, then there is no rating and a flag says so', () => {
    const t = recommendTransformer(2200, 0.85, 0.75, 'rule_set');
    expect(t).toMatchObject({
      rating_kva: null,
      loading_fraction: null,
      next_rating_kva: null,
      exceeds_largest_rating: true,
    });
  });

  it('when the caller gives a loading cap, then the recommendation uses it', () => {
    const r = demand({ loading_cap: 0.7, items: [{ type: 'water_pump', quantity: 20, rated_power_kw: 4 }] });
    // S = 75 kVA (hand-computed above, one group: no K∑); 75/0.7 = 107.1 → 125 kVA
    expect(r.transformer.rating_kva).toBe(125);
    expect(r.transformer.loading_cap_source).toBe('caller');
  });
});

describe('installed power and organisation design (R1, JGJ 46-2005 3.1.1)', () => {
  it('when 4 devices total 40 kW, then no organisation design is required', () => {
    const r = demand({ items: [{ type: 'water_pump', quantity: 4, rated_power_kw: 10 }] });
    expect(r.organisation_design_required).toBe(false);
    expect(r.organisation_design.triggered_by).toEqual([]);
  });

  it('when there are 5 devices, then the device-count condition triggers', () => {
    const r = demand({ items: [{ type: 'water_pump', quantity: 5, rated_power_kw: 1 }] });
    expect(r.organisation_design.triggered_by).toEqual(['device_count']);
  });

  it('when one device has 50 kW, then the installed-power condition triggers', () => {
    const r = demand({ items: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 50 }] });
    expect(r.organisation_design.triggered_by).toEqual(['installed_power']);
  });

  it('when welders are rated in kVA, then installed power counts kVA × nameplate cos φ', () => {
    const r = demand({
      items: [
        { type: 'butt_welder', quantity: 1, rated_apparent_power_kva: 100, duty_cycle: 0.2 },
        { type: 'tower_crane', quantity: 2, rated_power_kw: 45, duty_cycle: 0.4 },
      ],
    });
    // hand-computed: 100 kVA × 0.85 (catalogue nameplate cos φ) + 2 × 45 = 175 kW; largest unit: the welder, 85 kW
    expect(r.installed_power_kw).toBeCloseTo(175, 10);
    expect(r.largest_unit_kw).toBeCloseTo(85, 10);
    expect(r.device_count).toBe(3);
  });
});

describe('invalid input', () => {
  it('when several fields are wrong, then ONE DomainError lists every bad field with its path', () => {
    const e = domainErrorOf(() =>
      demand({
        items: [
          { type: 'not_a_machine', quantity: 1, rated_power_kw: 1 },
          { type: 'water_pump', quantity: 0, rated_power_kw: 4 },
          { type: 'water_pump', quantity: 1.5, rated_power_kw: 4 },
          { type: 'tower_crane', quantity: 1, rated_power_kw: 45, duty_cycle: 1.2 },
          { type: 'water_pump', quantity: 1, rated_power_kw: 4, power_factor: 0 },
          { type: 'water_pump', quantity: 1 },
          { type: 'water_pump', quantity: 1, rated_apparent_power_kva: 5 },
          { type: 'welder_ac', quantity: 1, rated_power_kw: 20 },
        ],
      }),
    );
    expect(e.code).toBe('validation_failed');
    const paths = e.issues.map((i) => JSON.stringify(i.path));
    expect(paths).toEqual(
      expect.arrayContaining([
        '["items",0,"type"]',
        '["items",1,"quantity"]',
        '["items",2,"quantity"]',
        '["items",3,"duty_cycle"]',
        '["items",4,"power_factor"]',
        '["items",5,"rated_power_kw"]',
        '["items",6,"rated_apparent_power_kva"]',
        '["items",6,"rated_power_kw"]',
        '["items",7,"rated_power_kw"]',
        '["items",7,"rated_apparent_power_kva"]',
      ]),
    );
    expect(e.issues.find((i) => i.path[1] === 0)!.code).toBe('unknown_equipment_type');
  });

  it('when the only problem is an unknown type, then the error code is unknown_equipment_type', () => {
    const e = domainErrorOf(() =>
      demand({ items: [{ type: 'flux_capacitor', quantity: 1, rated_power_kw: 1 }] }),
    );
    expect(e.code).toBe('unknown_equipment_type');
    expect(e.issues[0]!.path).toEqual(['items', 0, 'type']);
  });

  it('when an item names an undeclared group or a phase that does not fit its connection, then both are reported', () => {
    const e = domainErrorOf(() =>
      demand({
        items: [
          { type: 'water_pump', quantity: 1, rated_power_kw: 4, group: 'nope' },
          { type: 'water_pump', quantity: 1, rated_power_kw: 4, phase: 'L1' },
          { type: 'welder_ac', quantity: 1, rated_apparent_power_kva: 20, phase: 'L2' },
        ],
      }),
    );
    expect(e.issues.map((i) => i.path)).toEqual([
      ['items', 0, 'group'],
      ['items', 1, 'phase'],
      ['items', 2, 'phase'],
    ]);
  });

  it('when items are empty or missing, then the error points at items', () => {
    expect(domainErrorOf(() => demand({ items: [] })).issues[0]!.path).toEqual(['items']);
    expect(domainErrorOf(() => demand({} as never)).issues[0]!.path).toEqual(['items']);
  });
});
