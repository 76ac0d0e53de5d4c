/**
 * Every route × {no key, engineer, contractor, viewer, contractor of another organisation, revoked key}.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';
import { PUBLIC_PATHS, ROUTES, unique, type RouteCase } from './route-table.js';
import { createKey, revokeKey } from '../../src/app/keys.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

async function call(rc: RouteCase, headers: Record<string, string>) {
  const n = unique();
  const url = await rc.url(t, n);
  return t.app.inject({
    method: rc.method,
    url,
    headers,
    ...(rc.body ? { payload: rc.body(n) as object } : {}),
  });
}

describe('route table', () => {
  it('covers every route in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const tested = [...ROUTES.map((r) => `${r.method} ${r.path}`), ...PUBLIC_PATHS.map((p) => `GET ${p}`)];
    expect(documented.filter((d) => !tested.includes(d))).toEqual([]);
  });

  it('documents security and error responses on every protected route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const rc of ROUTES) {
      const op = doc.paths[rc.path][rc.method.toLowerCase()];
      expect(op.security, `${rc.method} ${rc.path}`).toEqual([{ bearerAuth: [] }]);
      for (const s of ['400', '401', '403', '404'])
        expect(op.responses[s], `${rc.method} ${rc.path} ${s}`).toBeDefined();
    }
  });
});

describe.each(ROUTES)('$method $path', (rc) => {
  it('answers 401 without a key, with a problem body', async () => {
    const r = await call(rc, {});
    expect(r.statusCode).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status: 401, code: 'unauthorised' });
  });

  it('answers 401 for an unknown key', async () => {
    expect((await call(rc, { authorization: 'Bearer tpp_not-a-real-key-000000000000' })).statusCode).toBe(
      401,
    );
  });

  it.each(['engineer', 'contractor', 'viewer'] as const)(
    'as %s: allowed roles succeed, others get 403',
    async (role) => {
      const r = await call(rc, t.auth(role));
      const special = rc.expect?.[role];
      if (special !== undefined) expect(r.statusCode, r.body).toBe(special);
      else if (rc.roles.includes(role)) expect(r.statusCode, r.body).toBe(rc.ok);
      else {
        expect(r.statusCode, r.body).toBe(403);
        expect(r.json().code).toBe('forbidden');
      }
    },
  );

  it('as a contractor of another organisation: site data as any contractor, other organisations’ objects 404', async () => {
    const r = await call(rc, t.auth('otherContractor'));
    expect(r.statusCode, r.body).toBe(
      rc.expect?.otherContractor ?? (rc.roles.includes('contractor') ? rc.ok : 403),
    );
  });
});

describe('revoked keys', () => {
  it('are refused by a fresh authenticator (elsewhere within the 5 s key cache window)', async () => {
    const k = await createKey(t.deps, { role: 'viewer' });
    const h = { authorization: `Bearer ${k.key}` };
    expect((await t.app.inject({ method: 'GET', url: '/v1/sites', headers: h })).statusCode).toBe(200);
    await revokeKey(t.deps, k.record.id);
    // A new authenticator cache window: revocations elsewhere take effect within its TTL (5 s).
    const fresh = await makeTestApp({ store: t.deps.store, seed: false });
    expect((await fresh.app.inject({ method: 'GET', url: '/v1/sites', headers: h })).statusCode).toBe(401);
    await fresh.app.close();
  });
});
