/**
 * One load shape at every endpoint that takes a load (schemas/load.ts): an equipment list, active power with
 * cos φ, or apparent power with cos φ, quantities with units; one error vocabulary; the old shapes as
 * deprecated aliases. Lumped figures worked by hand: P = 80 kW at cos φ 0.8 → S = 80/0.8 = 100 kVA,
 * Q = √(100² − 80²) = 60 kvar, I = S/(√3·380 V) = 151.9 A (DOMAIN.md §1.2).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, ORG_A, SCENARIO, SITE, type TestApp } from '../support/app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ clock: fixedClock('2026-01-15T02:00:00Z') });
});
afterAll(async () => t.close());

const post = async (url: string, payload: unknown, role: 'engineer' | 'contractor' = 'contractor') =>
  t.app.inject({ method: 'POST', url, headers: t.auth(role), payload: payload as Json });

const pump = { type: 'water_pump', quantity: 2, rated_power_kw: '7.5 kW' };
const I_100_KVA = (100 * 1000) / (Math.sqrt(3) * 380);

const LOADS = {
  equipment: { equipment: [pump] },
  active_power: { active_power_kw: '80 kW', power_factor: 0.8 },
  apparent_power: { apparent_power_kva: '100 kVA', power_factor: 0.8 },
};

describe('POST /v1/calculations/demand', () => {
  it('takes a lumped load in kW with cos φ and maps it to P, Q, S, I directly', async () => {
    const r = await post('/v1/calculations/demand', { load: LOADS.active_power });
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json();
    expect(b.load_form).toBe('active_power');
    expect(b.totals.active_power_kw).toBeCloseTo(80, 1);
    expect(b.totals.reactive_power_kvar).toBeCloseTo(60, 1);
    expect(b.totals.apparent_power_kva).toBeCloseTo(100, 1);
    expect(b.totals.current_a).toBeCloseTo(I_100_KVA, 1);
    expect(b.items).toEqual([]);
    // 100 kVA at β_max 0.85 needs 125 kVA (the smallest R10 rating with 0.85·r ≥ 100).
    expect(b.transformer.rating_kva).toBe(125);
  });

  it('takes a lumped load in kVA with cos φ: P = S·cos φ', async () => {
    const r = await post('/v1/calculations/demand', {
      load: { apparent_power_kva: '100 kVA', power_factor: 0.9 },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().totals.active_power_kw).toBeCloseTo(90, 1);
    expect(r.json().totals.reactive_power_kvar).toBeCloseTo(Math.sqrt(100 ** 2 - 90 ** 2), 1);
  });

  it('computes an equipment list under `load` exactly as under the deprecated top-level `items`', async () => {
    // Two groups, so K∑ applies (it combines groups only, DOMAIN.md "Product decisions").
    const heater = { type: 'temporary_heater', quantity: 1, rated_power_kw: '20 kW' };
    const now = await post('/v1/calculations/demand', {
      load: { equipment: [pump, heater], simultaneity_factor: 0.9 },
    });
    const old = await post('/v1/calculations/demand', { items: [pump, heater], simultaneity_factor: 0.9 });
    expect(now.statusCode, now.body).toBe(200);
    expect(old.statusCode, old.body).toBe(200);
    expect(now.json().totals).toEqual(old.json().totals);
    expect(now.json().totals.simultaneity_factor).toBe(0.9);
  });

  it('points an unknown equipment type at its path: /load/equipment/0/type, or /items/0/type in the old shape', async () => {
    const bad = [{ type: 'flux_capacitor', rated_power_kw: 5 }];
    const now = await post('/v1/calculations/demand', { load: { equipment: bad } });
    expect(now.statusCode).toBe(400);
    expect(now.json().errors.map((e: Json) => e.path)).toContain('/load/equipment/0/type');
    const old = await post('/v1/calculations/demand', { items: bad });
    expect(old.json().errors.map((e: Json) => e.path)).toContain('/items/0/type');
  });

  it('refuses a load together with the deprecated items, and no load at all, naming the alternatives', async () => {
    const both = await post('/v1/calculations/demand', { load: LOADS.equipment, items: [pump] });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].path).toBe('/items');
    const none = await post('/v1/calculations/demand', { method: 'demand_coefficient' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0]).toMatchObject({
      path: '/load',
      message: expect.stringMatching(/apparent_power_kva/),
    });
  });

  it('refuses the handbook estimate of a lumped load at /method', async () => {
    const r = await post('/v1/calculations/demand', { load: LOADS.active_power, method: 'handbook_a' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('/method');
  });
});

describe('POST /v1/calculations/feeder', () => {
  const feeder = { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 120 };

  it.each(Object.entries(LOADS))('takes the %s form', async (_form, load) => {
    const r = await post('/v1/calculations/feeder', { load, feeder });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().load.apparent_power_kva).toBeGreaterThan(0);
  });

  it('gives the same answer for P with cos φ as for the deprecated P/Q form (60 kW at 0.8 ⇔ 60 kW + 45 kvar)', async () => {
    const now = await post('/v1/calculations/feeder', {
      load: { active_power_kw: '60 kW', power_factor: 0.8 },
      feeder,
    });
    const old = await post('/v1/calculations/feeder', {
      load: { active_power_kw: 60, reactive_power_kvar: '45 kvar' },
      feeder,
    });
    expect(now.statusCode, now.body).toBe(200);
    expect(old.statusCode, old.body).toBe(200);
    for (const k of ['active_power_kw', 'reactive_power_kvar', 'apparent_power_kva'])
      expect(now.json().load[k]).toBeCloseTo(old.json().load[k], 6);
    expect(now.json().design_current_a).toBeCloseTo(old.json().design_current_a, 6);
    expect(now.json().load.apparent_power_kva).toBeCloseTo(75, 1);
  });

  it('refuses power_factor together with the deprecated reactive_power_kvar', async () => {
    const r = await post('/v1/calculations/feeder', {
      load: { active_power_kw: 60, reactive_power_kvar: 45, power_factor: 0.8 },
      feeder,
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('/load/reactive_power_kvar');
  });

  it('carries finding paths as JSON pointers', async () => {
    const r = await post('/v1/calculations/feeder', {
      load: LOADS.active_power,
      feeder: { ...feeder, cross_section_mm2: 4, length_m: 400 },
    });
    expect(r.statusCode, r.body).toBe(200);
    const findings = r.json().findings as Json[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.path).toMatch(/^(\/[^/]+)*$/);
    expect(findings.map((f) => f.path)).toContain('/feeder/cross_section_mm2');
  });
});

describe('POST /v1/sites/{siteId}/capacity-check', () => {
  const url = `/v1/sites/${SITE}/capacity-check`;
  const rest = {
    profile: 'day_shift',
    window: { start: '2026-03-01', end: '2026-06-01' },
    position_m: { x: 600, y: 400 },
  };

  it('takes "80 kW" alone, assuming cos φ 0.8 and saying so', async () => {
    const r = await post(url, { ...rest, load: { active_power_kw: '80 kW' } });
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json().demand;
    expect(d.apparent_power_kva).toBeCloseTo(100, 1);
    expect(d.power_factor).toBeCloseTo(0.8, 3);
    expect(d.warnings).toEqual([
      expect.objectContaining({ code: 'power_factor_assumed', path: '/load/power_factor' }),
    ]);
  });

  it.each(Object.entries(LOADS))('takes the %s form', async (_form, load) => {
    const r = await post(url, { ...rest, load });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().points.length).toBeGreaterThan(0);
  });

  it('answers a load of no known form with one error at /load listing the alternatives', async () => {
    const r = await post(url, { ...rest, load: { power_kw: 80 } });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const errors = r.json().errors as Json[];
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('/load');
    for (const key of ['equipment', 'active_power_kw', 'apparent_power_kva', 'power_factor'])
      expect(errors[0].message).toContain(key);
  });

  it('points an unknown equipment type at /load/equipment/0/type, and a wrong unit at its field', async () => {
    const r = await post(url, {
      ...rest,
      load: { equipment: [{ type: 'flux_capacitor', rated_power_kw: 5 }] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: Json) => e.path)).toEqual(['/load/equipment/0/type']);
    const unit = await post(url, { ...rest, load: { active_power_kw: '80 kVA' } });
    expect(unit.statusCode).toBe(400);
    expect(unit.json().errors).toEqual([
      expect.objectContaining({ path: '/load/active_power_kw', message: expect.stringMatching(/kW/) }),
    ]);
    const extra = await post(url, { ...rest, load: { equipment: [{ ...pump, colour: 'red' }] } });
    expect(extra.json().errors.map((e: Json) => e.path)).toEqual(['/load/equipment/0']);
  });
});

describe('applications: submit and validate', () => {
  const app = (load: Record<string, unknown>) => ({
    organisation: ORG_A,
    zone: 'Assembly hall',
    position_m: { x: 600, y: 400 },
    window: { start: '2026-03-01', end: '2026-06-01' },
    profile: 'day_shift',
    ...load,
  });
  const validate = `/v1/sites/${SITE}/applications/validate`;

  it.each(Object.entries(LOADS))('validates the %s form', async (_form, load) => {
    const r = await post(validate, app({ load }));
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().demand.apparent_power_kva).toBeGreaterThan(0);
  });

  it('submits a lumped load and the deprecated top-level equipment list', async () => {
    const lumped = await post(`/v1/sites/${SITE}/applications`, app({ load: LOADS.apparent_power }));
    expect(lumped.statusCode, lumped.body).toBe(201);
    expect(lumped.json().application.demand_kva).toBeCloseTo(100, 1);
    const old = await post(`/v1/sites/${SITE}/applications`, app({ equipment: [pump] }));
    expect(old.statusCode, old.body).toBe(201);
  });

  it('points findings with JSON pointers: a 200 kW lumped load asked as a direct public-LV connection is above the LV limit', async () => {
    // The 160 kW limit applies only to a direct public-LV connection (#16), and names the `connection` field.
    const r = await post(
      validate,
      app({ load: { active_power_kw: '200 kW', power_factor: 0.85 }, connection: 'public_lv' }),
    );
    expect(r.statusCode, r.body).toBe(200);
    const lv = (r.json().findings as Json[]).find((f) => f.code === 'LV_THRESHOLD_EXCEEDED');
    expect(lv.path).toBe('/connection');
    for (const f of r.json().findings as Json[]) expect(typeof f.path).toBe('string');
  });

  it('points an unknown equipment type at /load/equipment/0/type, or /equipment/0/type in the old shape', async () => {
    const bad = [{ type: 'flux_capacitor', rated_power_kw: 5 }];
    const now = await post(validate, app({ load: { equipment: bad } }));
    expect(now.statusCode).toBe(400);
    expect(now.json().errors.map((e: Json) => e.path)).toEqual(['/load/equipment/0/type']);
    const old = await post(validate, app({ equipment: bad }));
    expect(old.json().errors.map((e: Json) => e.path)).toEqual(['/equipment/0/type']);
  });

  it('refuses an application with no load, naming the alternatives at /load', async () => {
    const r = await post(validate, app({}));
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0]).toMatchObject({
      path: '/load',
      message: expect.stringMatching(/active_power_kw/),
    });
  });
});

describe('scenario import and plans', () => {
  const scenario = () =>
    JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as {
      site: { id: string };
      requests: Record<string, unknown>[];
    };

  it('imports requests in the load shape (a lumped load among them) and plans them', async () => {
    const file = scenario();
    file.site.id = 'lumped-site';
    const { equipment: _e, ...first } = file.requests[0]!;
    file.requests[0] = { ...first, load: { active_power_kw: '80 kW', power_factor: 0.9 } };
    const { equipment, ...second } = file.requests[1]!;
    file.requests[1] = { ...second, load: { equipment } };
    const r = await post('/v1/sites/import', file, 'engineer');
    expect(r.statusCode, r.body).toBe(201);
    const start = await post('/v1/sites/lumped-site/plans', { method: 'heuristic' }, 'engineer');
    expect(start.statusCode, start.body).toBe(202);
    let plan: Json;
    for (let i = 0; i < 300; i++) {
      plan = (
        await t.app.inject({
          method: 'GET',
          url: start.headers.location as string,
          headers: t.auth('engineer'),
        })
      ).json();
      if (plan.status === 'done' || plan.status === 'failed') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(plan.status, plan.error).toBe('done');
    const placed = [...plan.result.assignments, ...plan.result.unserved].map((a: Json) => a.load_id);
    expect(placed).toContain(file.requests[0].id);
  });

  it('points an unknown equipment type in a scenario request at its field in the file', async () => {
    const file = scenario();
    file.site.id = 'bad-types';
    const { equipment: _e, ...first } = file.requests[0]!;
    file.requests[0] = { ...first, load: { equipment: [{ type: 'flux_capacitor', rated_power_kw: 5 }] } };
    file.requests[2] = { ...file.requests[2]!, equipment: [{ type: 'warp_core', rated_power_kw: 5 }] };
    const r = await post('/v1/sites/import', file, 'engineer');
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: Json) => e.path)).toEqual([
      '/requests/0/load/equipment/0/type',
      '/requests/2/equipment/0/type',
    ]);
  });
});

describe('the spec', () => {
  it('declares one Load schema with three alternatives and marks the old shapes deprecated', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const s = doc.components.schemas;
    expect(s.Load.anyOf.map((x: Json) => x.$ref)).toEqual([
      '#/components/schemas/EquipmentLoad',
      '#/components/schemas/ActivePowerLoad',
      '#/components/schemas/ApparentPowerLoad',
    ]);
    expect(s.DemandRequest.properties.load.$ref).toBe('#/components/schemas/Load');
    expect(s.DemandRequest.properties.items.deprecated).toBe(true);
    expect(s.ApplicationRequest.properties.equipment.deprecated).toBe(true);
    expect(s.ActivePowerLoad.properties.reactive_power_kvar.deprecated).toBe(true);
    expect(s.FeederRequest.properties.load.$ref).toBe('#/components/schemas/Load');
    expect(s.CapacityCheckRequest.properties.load.$ref).toBe('#/components/schemas/Load');
  });
});
