import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SCENARIO, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as {
  requests: { id: string; equipment: Record<string, unknown>[]; distribution?: Record<string, unknown> }[];
};
const request = (id: string) => scenario.requests.find((r) => r.id === id)!;

/** A scenario equipment list rewritten the way a person types it: quantities as strings with units. */
function withUnits(equipment: Record<string, unknown>[]) {
  return equipment.map((e) => {
    const { rated_power_kw, rated_apparent_power_kva, note: _note, ...rest } = e;
    return {
      ...rest,
      ...(rated_power_kw !== undefined ? { rated_power_kw: `${rated_power_kw as number} kW` } : {}),
      ...(rated_apparent_power_kva !== undefined
        ? { rated_apparent_power_kva: `${rated_apparent_power_kva as number}kVA` }
        : {}),
    };
  });
}

describe('POST /v1/calculations/demand', () => {
  it('lets a contractor post a scenario equipment list with units as strings and read a plain answer', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('contractor'),
      payload: { items: withUnits(request('R-011').equipment) },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.summary).toMatch(
      /14 devices with 334 kW installed are expected to draw at most [\d.]+ kVA together/,
    );
    expect(body.summary).toMatch(/organisation design is required/);
    expect(body.groups.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['tower_crane', 'welder_dc', 'air_compressor']),
    );
    // Tower crane 45 kW at JC 40 %: Pe = 2·√0.4·45 = 56.92 kW per unit (DOMAIN.md §1.1), two units.
    const crane = body.items.find((i: { type: string }) => i.type === 'tower_crane');
    // The wire rounds kW to 0.1 (docs/nomenclature.md); the domain tests check full precision.
    expect(crane.pe_kw).toBeCloseTo(2 * 2 * Math.sqrt(0.4) * 45, 1);
    expect(body.totals.apparent_power_kva).toBeGreaterThan(body.totals.active_power_kw);
    expect(body.transformer.rating_kva).toBeGreaterThan(0);
    expect(body.provenance).toMatchObject({
      rule_set: 'JGJ46-2005',
      edition: 'JGJ 46-2005',
      catalogue_version: expect.any(String),
    });
    expect(body.provenance.input_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(body.trace.length).toBeGreaterThan(0);
  });

  it('gives the same hash and body for the same input, whether quantities are numbers or strings', async () => {
    const a = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('viewer'),
      payload: { items: request('R-036').equipment.map(({ note: _n, ...e }) => e) },
    });
    const b = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('viewer'),
      payload: { items: withUnits(request('R-036').equipment) },
    });
    expect(a.statusCode).toBe(200);
    expect(a.body).toBe(b.body);
  });

  it('reproduces a calculation book when given its coefficients (DOMAIN.md §1.6 C: crane group Kx 0.3, tan φ 1.33 → 9.66 kW, 12.84 kvar before K∑)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('engineer'),
      payload: {
        simultaneity_factor: 1,
        groups: [{ name: 'crane+winches', demand_factor: 0.3, tan_phi: 1.33 }],
        items: [
          {
            type: 'tower_crane',
            quantity: 1,
            rated_power_kw: 22.2,
            duty_cycle: 0.15,
            group: 'crane+winches',
          },
          { type: 'winch', quantity: 2, rated_power_kw: 7.5, duty_cycle: 0.25, group: 'crane+winches' },
        ],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const g = r.json().groups[0];
    // 9.66 kW and 12.84 kvar in the book; the wire gives 0.1 kW / kvar (docs/nomenclature.md).
    expect(g.active_power_kw).toBe(9.7);
    expect(Math.abs(g.reactive_power_kvar - 12.84)).toBeLessThanOrEqual(0.05 + 0.011);
  });

  it('rejects a value of the wrong kind with the field and the expected quantity', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('contractor'),
      payload: {
        items: [
          { type: 'water_pump', quantity: 2, rated_power_kw: '38.6 kVA' },
          { type: 'winch', rated_power_kw: '30 m' },
        ],
      },
    });
    expect(r.statusCode).toBe(400);
    const errors = r.json().errors as { path: string; message: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: '/items/0/rated_power_kw',
          message: expect.stringMatching(/apparent power.*expected an active power \(kW\)/),
        }),
        expect.objectContaining({
          path: '/items/1/rated_power_kw',
          message: expect.stringMatching(/length.*expected an active power/),
        }),
      ]),
    );
  });

  it('rejects unknown types and out-of-range values listing every field', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('contractor'),
      payload: {
        simultaneity_factor: 0.2,
        items: [
          { type: 'flux_capacitor', rated_power_kw: 1 },
          { type: 'welder_ac', rated_power_kw: 5 },
        ],
      },
    });
    expect(r.statusCode).toBe(400);
    const paths = (r.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['/items/0/type', '/simultaneity_factor']));
  });
});

describe('POST /v1/calculations/feeder', () => {
  it('finds that R-029’s declared 25 mm² × 380 m feeder fails voltage drop, from its equipment list', async () => {
    const req = request('R-029');
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('contractor'),
      payload: {
        load: { equipment: req.equipment.map(({ note: _n, ...e }) => e) },
        distribution: req.distribution,
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.compliant).toBe(false);
    expect(body.findings.map((f: { code: string }) => f.code)).toContain('FEEDER_VOLTAGE_DROP');
    expect(body.voltage_drop.impedance_percent).toBeGreaterThan(5);
    expect(body.cable_origin).toBe('declared');
    expect(body.demand.totals.active_power_kw).toBeGreaterThan(0);
  });

  it('sizes a feeder when no cross-section is given, and says which breaker condition binds', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('viewer'),
      payload: {
        load: { active_power_kw: '60 kW', reactive_power_kvar: '45 kvar' },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: '0.1 km' },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.cable_origin).toBe('sized');
    // 75 kVA at 380 V → Ib = 75000/(√3·380) = 113.95 A (hand-computed).
    expect(body.design_current_a).toBeCloseTo(113.95, 1);
    expect(body.cable.voltage_drop_percent).toBeLessThanOrEqual(5);
    expect(body.breaker.rated_current_a).toBeGreaterThanOrEqual(113.95);
    expect(body.breaker.binding).toEqual(expect.any(String));
  });
});

describe('POST /v1/calculations/feeder: voltage, fuses and the largest motor (issue #16)', () => {
  it('accepts voltage_v and checks a gG fuse instead of a breaker', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('viewer'),
      payload: {
        load: { active_power_kw: 60, reactive_power_kvar: 45 },
        voltage_v: '400 V',
        feeder: {
          conductor: 'Cu',
          insulation: 'XLPE',
          installation: 'buried',
          cross_section_mm2: 35,
          length_m: 50,
        },
        fuse: { rated_current_a: 100 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    // 75 kVA at 400 V: Ib = 75 000/(√3·400) = 108.25 A > In 100 A → FUSE_BELOW_DESIGN_CURRENT
    expect(body.voltage_v).toBe(400);
    expect(body.design_current_a).toBeCloseTo(108.25, 1);
    expect(body.fuse.conventional_fusing_current_a).toBeCloseTo(160, 9);
    expect(body.findings.map((f: { code: string }) => f.code)).toContain('FUSE_BELOW_DESIGN_CURRENT');
  });

  it('sizes the cable of a single 90 kW concrete pump for its full-load current, not 0.7 × 0.8 of it', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('viewer'),
      payload: {
        load: { equipment: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 90 }] },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 50 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    // I_FLC = 90 000/(√3·380·0.8) = 170.93 A → smallest breaker In ≥ Ib: 200 A; the cable must carry In:
    // 70 mm² buried Iz 178 A < 200 A, 95 mm² 211 A ≥ 200 A → 95 mm². Before issue #16 Ib was 96 A (0.7 × 0.8 × 90 kW).
    expect(body.design_current_a).toBeCloseTo(170.93, 1);
    expect(body.breaker.rated_current_a).toBe(200);
    expect(body.cable.cross_section_mm2).toBe(95);
    expect(body.demand.design_current.largest_motor.full_load_current_a).toBeCloseTo(170.93, 1);
  });
});

describe('GET /v1/catalog/equipment', () => {
  it('lists at least 35 types with a version, each with Kx, cos φ, source and confidence', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/catalog/equipment', headers: t.auth('viewer') });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.version).toMatch(/^tpp-equipment-/);
    expect(body.types.length).toBeGreaterThanOrEqual(35);
    const used = new Set(scenario.requests.flatMap((q) => q.equipment.map((e) => e.type as string)));
    const ids = new Set(body.types.map((x: { id: string }) => x.id));
    for (const u of used) expect(ids.has(u), u).toBe(true);
  });
});
