import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

const newSite = {
  id: 'demo',
  name: 'Demo site',
  timezone: 'Asia/Shanghai',
  horizon: { start: '2026-01-01', end: '2026-12-31' },
  total_capacity_cap_kva: '1 MVA',
  max_supply_points: 2,
  extent_m: { x: 500, y: 300 },
};

describe('sites and supply points', () => {
  it('serves the reference site with ten points whose ratings sum to at most 5000 kVA', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/supply-points`,
      headers: t.auth('viewer'),
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.items).toHaveLength(10);
    expect(body.sum_of_ratings_kva).toBeLessThanOrEqual(5000);
    expect(body.items[0].limit_kva).toBeCloseTo(body.items[0].rating_kva * 0.85);
    const site = (
      await t.app.inject({ method: 'GET', url: `/v1/sites/${SITE}`, headers: t.auth('viewer') })
    ).json();
    expect(site).toMatchObject({
      timezone: 'Asia/Shanghai',
      total_capacity_cap_kva: 5000,
      max_supply_points: 10,
      loading_cap: 0.85,
      rule_set: 'JGJ46-2005',
      edition: 'JGJ 46-2005',
    });
  });

  it('creates a site with a capacity given with a unit ("1 MVA" → 1000 kVA), then points within its rules', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/sites',
      headers: t.auth('engineer'),
      payload: newSite,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().total_capacity_cap_kva).toBe(1000);
    const p = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/demo/supply-points',
      headers: t.auth('engineer'),
      payload: {
        id: 'P1',
        name: 'North',
        position_m: { x: 100, y: 100 },
        rating_kva: '630 kVA',
        energised_from: '2026-02-01',
      },
    });
    expect(p.statusCode).toBe(201);
    expect(p.json()).toMatchObject({ rating_kva: 630, limit_kva: 535.5 });
  });

  it.each([
    [
      'a rating outside the standard series',
      { id: 'P2', rating_kva: 450 },
      '/rating_kva',
      'rating_not_standard',
    ],
    ['a total above the cap', { id: 'P2', rating_kva: 400 }, '/rating_kva', 'capacity_cap_exceeded'],
    [
      'a position outside the site',
      { id: 'P2', rating_kva: 250, position_m: { x: 900, y: 10 } },
      '/position_m',
      'position_outside_site',
    ],
    [
      'a date outside the horizon',
      { id: 'P2', rating_kva: 250, energised_from: '2027-05-01' },
      '/energised_from',
      'date_outside_horizon',
    ],
  ])('rejects %s with a problem naming the field', async (_name, patch, path, code) => {
    const payload = {
      name: 'x',
      position_m: { x: 10, y: 10 },
      energised_from: '2026-03-01',
      ...patch,
    };
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/demo/supply-points',
      headers: t.auth('engineer'),
      payload,
    });
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path, code })]));
  });

  it('rejects a duplicate code and more points than allowed', async () => {
    const base = { name: 'x', position_m: { x: 10, y: 10 }, energised_from: '2026-03-01', rating_kva: 100 };
    const dup = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/demo/supply-points',
      headers: t.auth('engineer'),
      payload: { ...base, id: 'P1' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toMatchObject({ path: '/id', code: 'duplicate_code' });
    const second = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/demo/supply-points',
      headers: t.auth('engineer'),
      payload: { ...base, id: 'P2' },
    });
    expect(second.statusCode).toBe(201);
    const third = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/demo/supply-points',
      headers: t.auth('engineer'),
      payload: { ...base, id: 'P3', rating_kva: 30 },
    });
    expect(third.statusCode).toBe(400);
    expect(third.json().errors.map((e: { code: string }) => e.code)).toContain('too_many_points');
  });

  it('updates a point, and refuses an update that would exceed the cap', async () => {
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/v1/sites/demo/supply-points/P2',
      headers: t.auth('engineer'),
      payload: { rating_kva: 315 },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/v1/sites/demo/supply-points/P2',
      headers: t.auth('engineer'),
      payload: { rating_kva: 500 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('validation_failed');
  });

  it('deletes a point and a site with nothing depending on them; refuses the reference site (it has requests)', async () => {
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: '/v1/sites/demo/supply-points/P2',
          headers: t.auth('engineer'),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/sites/demo/supply-points/P2',
          headers: t.auth('engineer'),
        })
      ).statusCode,
    ).toBe(404);
    const ref = await t.app.inject({
      method: 'DELETE',
      url: `/v1/sites/${SITE}`,
      headers: t.auth('engineer'),
    });
    expect(ref.statusCode).toBe(409);
    expect(ref.json().code).toBe('dependency_exists');
  });

  it('answers unknown routes and unknown sites with problems', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'route_not_found', status: 404 });
    const s = await t.app.inject({ method: 'GET', url: '/v1/sites/nope', headers: t.auth('viewer') });
    expect(s.statusCode).toBe(404);
    expect(s.json().code).toBe('not_found');
  });

  it('serves health, the OpenAPI document and Swagger UI', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({
      status: 'ready',
      database: 'sqlite',
    });
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect((await t.app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });
});
