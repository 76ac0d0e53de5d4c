/**
 * Bad input never yields a 5xx: every write route gets malformed JSON, wrong types, wrong units, a huge body
 * and unknown fields, and answers a 4xx problem naming the fields — and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { ROUTES, unique } from './route-table.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ env: { TPP_BODY_LIMIT_BYTES: '200000' } });
});
afterAll(async () => t.close());

const writes = ROUTES.filter((r) => r.writes);

function expectProblem(
  r: { statusCode: number; headers: Record<string, unknown>; json: () => unknown },
  status: number,
) {
  expect(r.statusCode).toBe(status);
  expect(String(r.headers['content-type'])).toContain('application/problem+json');
  const body = r.json() as Record<string, unknown>;
  for (const k of ['type', 'title', 'status', 'code', 'detail']) expect(body).toHaveProperty(k);
  return body as { errors?: { path: string; message: string }[]; code: string };
}

/** Replaces every number/string leaf with a value of the wrong type; returns the mutated body and the paths. */
function wrongTypes(body: unknown, path = ''): { body: unknown; paths: string[] } {
  if (Array.isArray(body)) {
    const parts = body.map((v, i) => wrongTypes(v, `${path}/${i}`));
    return { body: parts.map((p) => p.body), paths: parts.flatMap((p) => p.paths) };
  }
  if (body && typeof body === 'object') {
    const out: Record<string, unknown> = {};
    const paths: string[] = [];
    for (const [k, v] of Object.entries(body)) {
      const p = wrongTypes(v, `${path}/${k}`);
      out[k] = p.body;
      paths.push(...p.paths);
    }
    return { body: out, paths };
  }
  if (typeof body === 'number') return { body: { not: 'a number' }, paths: [path] };
  if (typeof body === 'string') return { body: [42], paths: [path] };
  if (typeof body === 'boolean') return { body: 'yes', paths: [path] };
  return { body, paths: [] };
}

describe.each(writes)('$method $path', (rc) => {
  const send = async (payload: string | object, headers: Record<string, string> = {}) => {
    const n = unique();
    const url = await rc.url(t, n);
    return t.app.inject({
      method: rc.method,
      url,
      headers: { ...t.auth('engineer'), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  };

  it('answers malformed JSON with 400 malformed_json', async () => {
    expect(expectProblem(await send('{"name": '), 400).code).toBe('malformed_json');
  });

  it('answers a non-object JSON body with 400', async () => {
    expectProblem(await send('[1,2,3]'), 400);
    expectProblem(await send('"text"'), 400);
  });

  it('answers wrong types with 400 listing the path of every bad field', async () => {
    const { body, paths } = wrongTypes(rc.body!(unique()));
    const problem = expectProblem(await send(body as object), 400);
    const reported = problem.errors!.map((e) => e.path);
    for (const p of paths)
      expect(
        reported.some((r) => p === r || p.startsWith(`${r}/`)),
        `${p} in ${reported.join(', ')}`,
      ).toBe(true);
  });

  it('answers unknown fields with 400 naming them', async () => {
    const body = { ...(rc.body!(unique()) as object), surprise_field: 1 };
    const problem = expectProblem(await send(body), 400);
    expect(JSON.stringify(problem.errors)).toContain('surprise_field');
  });

  it('answers a huge body with 413', async () => {
    const body = { ...(rc.body!(unique()) as object), padding: 'x'.repeat(300_000) };
    expect(expectProblem(await send(body), 413).code).toBe('body_too_large');
  });

  it('answers a non-JSON content type with 415', async () => {
    expectProblem(await send('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415);
  });
});

describe('wrong units', () => {
  it('rejects a kW value in a kVA field and a length in a power field, naming each field and the expected quantity', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/sites',
      headers: t.auth('engineer'),
      payload: {
        id: `u${unique()}`,
        name: 'Units',
        timezone: 'Asia/Shanghai',
        horizon: { start: '2026-01-01', end: '2026-12-31' },
        total_capacity_cap_kva: '5000 kW',
        low_voltage_threshold_kw: '160 m',
        nominal_lv_voltage_v: 'lots',
        max_supply_points: 3,
        extent_m: { x: 10, y: 10 },
      },
    });
    const problem = expectProblem(r, 400);
    const byPath = Object.fromEntries(problem.errors!.map((e) => [e.path, e.message]));
    expect(byPath['/total_capacity_cap_kva']).toMatch(/expected an apparent power \(kVA\)/);
    expect(byPath['/low_voltage_threshold_kw']).toMatch(/length.*expected an active power \(kW\)/);
    expect(byPath['/nominal_lv_voltage_v']).toMatch(/not a quantity/);
  });

  it('a bad scenario import changes nothing', async () => {
    const before = (
      await t.app.inject({ method: 'GET', url: '/v1/sites', headers: t.auth('engineer') })
    ).json().items.length;
    const bad = ROUTES.find((r) => r.path === '/v1/sites/import')!.body!(unique()) as {
      supply_points: { reference_rating_kva: number }[];
    };
    bad.supply_points[0]!.reference_rating_kva = 450; // not a standard rating
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/sites/import',
      headers: t.auth('engineer'),
      payload: bad,
    });
    const problem = expectProblem(r, 400);
    expect(problem.errors!.map((e) => e.path)).toContain('/supply_points/0/reference_rating_kva');
    const after = (
      await t.app.inject({ method: 'GET', url: '/v1/sites', headers: t.auth('engineer') })
    ).json().items.length;
    expect(after).toBe(before);
  });
});
