import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { helmetHeaders } from '../../src/http/plugins/security-headers.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t.close());

describe('response headers on every kind of response', () => {
  const cases = [
    { name: 'a JSON read', url: `/v1/sites/${SITE}/supply-points`, auth: true, status: 200 },
    { name: 'a 401', url: `/v1/sites/${SITE}/supply-points`, auth: false, status: 401 },
    { name: 'an unknown route', url: '/v1/nowhere', auth: true, status: 404 },
    { name: 'the dashboard page', url: '/dashboard', auth: false, status: 200 },
  ];
  for (const c of cases)
    it(`${c.name} carries helmet's security headers and the request id`, async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: c.url,
        headers: { ...(c.auth ? t.auth('viewer') : {}), 'x-request-id': 'req-123' },
      });
      expect(r.statusCode).toBe(c.status);
      expect(r.headers['x-request-id']).toBe('req-123');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(r.headers['content-security-policy']).toContain("default-src 'self'");
      expect(r.headers['x-powered-by']).toBeUndefined();
    });

  it('generates a request id when none (or a malformed one) is sent', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id!' },
    });
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("records exactly the headers helmet's middleware sets", () => {
    const h = helmetHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
    expect(h['content-security-policy']).toContain("default-src 'none'");
    expect(h['cross-origin-opener-policy']).toBe('same-origin');
    expect(helmetHeaders({ frameguard: false })['x-frame-options']).toBeUndefined();
  });
});
