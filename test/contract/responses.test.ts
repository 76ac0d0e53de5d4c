/**
 * Contract test: every operation in openapi.yaml is called over HTTP on a listening server, and every answer is
 * checked against the document — its status must be declared for the operation, its media type declared for
 * that status, its body valid against that media type's schema (ajv, JSON Schema 2020-12, with formats), and
 * each declared header it carries valid against the header's schema. Success and the main error statuses are
 * covered; the test fails on any answer that does not match and on any operation left uncalled.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SCENARIO, SITE, type TestApp } from '../support/app.js';

// ajv-formats is CommonJS; its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Json = Record<string, unknown>;
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseDoc> };
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseDoc | { $ref: string }>;
}
interface ResponseDoc {
  description: string;
  headers?: Record<string, { schema?: Json; $ref?: string }>;
  content?: Record<string, { schema: Json }>;
}

const DOC_ID = 'https://tpp.example/openapi.yaml';
const doc = YAML.parse(fs.readFileSync('openapi.yaml', 'utf8')) as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: DOC_ID });

const pointer = (...parts: string[]) =>
  parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const validators = new Map<string, ValidateFunction>();
function validatorAt(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.compile({ $ref: `${DOC_ID}#${ref}` });
    validators.set(ref, v);
  }
  return v;
}

function resolve(r: ResponseDoc | { $ref: string }): { doc: ResponseDoc; at: string } | undefined {
  if ('$ref' in r) {
    const name = r.$ref.replace('#/components/responses/', '');
    const found = doc.components.responses[name];
    return found ? { doc: found, at: `/components/responses/${pointer(name)}` } : undefined;
  }
  return undefined;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: () => Json;
}

/** `${method} ${template}` → statuses answered and checked. */
const seen = new Map<string, Set<number>>();
const failures: string[] = [];

/** What is wrong with answer `a` to `method template` by the document (nothing: []). */
function problemsOf(method: string, template: string, a: Answer): string[] {
  const failures: string[] = [];
  const where = `${method.toUpperCase()} ${template} → ${a.status}`;
  const op = doc.paths[template]?.[method];
  if (!op) return [`${where}: no such operation in openapi.yaml`];
  const key = `${method} ${template}`;
  seen.set(key, (seen.get(key) ?? new Set()).add(a.status));
  const declared = op.responses[String(a.status)];
  if (!declared) return [`${where}: status not declared`];
  const resolved = resolve(declared) ?? {
    doc: declared as ResponseDoc,
    at: `/paths/${pointer(template)}/${method}/responses/${a.status}`,
  };
  const r = resolved.doc;
  const mediaType = (a.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
  if (!r.content) {
    if (a.text !== '') failures.push(`${where}: a body where none is declared`);
  } else if (!r.content[mediaType]) {
    failures.push(`${where}: media type "${mediaType}" not declared (${Object.keys(r.content).join(', ')})`);
  } else {
    const validate = validatorAt(`${resolved.at}/content/${pointer(mediaType)}/schema`);
    const body: unknown = mediaType.endsWith('json') ? JSON.parse(a.text) : a.text;
    if (!validate(body))
      failures.push(`${where}: body does not match: ${ajv.errorsText(validate.errors, { separator: '; ' })}`);
  }
  for (const [name, h] of Object.entries(r.headers ?? {})) {
    const value = a.headers.get(name);
    if (value === null) continue;
    const at = h.$ref ? h.$ref.slice(1) : `${resolved.at}/headers/${pointer(name)}`;
    const validate = validatorAt(`${at}/schema`);
    const ok = (v: unknown): boolean => validate(v);
    // A header is text on the wire; an integer header's schema speaks of the number it spells.
    if (!ok(value) && !(/^-?\d+$/.test(value) && ok(Number(value))))
      failures.push(`${where}: header ${name}: "${value}" ${ajv.errorsText(validate.errors)}`);
  }
  return failures;
}

function check(method: string, template: string, a: Answer): void {
  failures.push(...problemsOf(method, template, a));
}

let t: TestApp;
let base = '';

/** Calls `template` with `params` filled in, checks the answer against the document, and returns it. */
async function call(
  method: 'get' | 'post' | 'patch' | 'delete',
  template: string,
  options: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    raw?: { type: string; text: string };
    role?: keyof TestApp['keys'] | 'none';
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(options.params?.[name] ?? ''),
  );
  const query = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const headers: Record<string, string> = { ...options.headers };
  const role = options.role ?? 'engineer';
  if (role !== 'none') headers.authorization = `Bearer ${t.keys[role]}`;
  let body: string | undefined;
  if (options.raw) {
    headers['content-type'] = options.raw.type;
    body = options.raw.text;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(`${base}${path}${query}`, { method: method.toUpperCase(), headers, body });
  const text = await res.text();
  const answer: Answer = {
    status: res.status,
    headers: res.headers,
    text,
    json: () => JSON.parse(text) as Json,
  };
  check(method, template, answer);
  return answer;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  t = await makeTestApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
}, 60_000);
afterAll(async () => t.close());

describe('every operation answers as openapi.yaml says', () => {
  it('operations, health and pages', async () => {
    expect((await call('get', '/health/live', { role: 'none' })).status).toBe(200);
    expect((await call('get', '/health/ready', { role: 'none' })).status).toBe(200);
    expect((await call('get', '/dashboard', { role: 'none' })).status).toBe(200);
    expect((await call('get', '/metrics', { role: 'viewer' })).status).toBe(200);
    expect((await call('get', '/metrics', { role: 'none' })).status).toBe(401);
  });

  it('sites and supply points, with their error answers', async () => {
    expect((await call('get', '/v1/sites')).status).toBe(200);
    expect((await call('get', '/v1/sites', { role: 'none' })).status).toBe(401);
    const site = (await call('get', '/v1/sites/{siteId}', { params: { siteId: SITE } })).json();
    expect(site.id).toBe(SITE);
    expect((await call('get', '/v1/sites/{siteId}', { params: { siteId: 'no-such-site' } })).status).toBe(
      404,
    );

    const id = 'contract-site';
    const created = await call('post', '/v1/sites', {
      body: {
        id,
        name: 'Contract test site',
        timezone: 'Asia/Shanghai',
        horizon: { start: today, end: addDays(today, 365) },
        total_capacity_cap_kva: '2 MVA',
        max_supply_points: 4,
        extent_m: { x: 400, y: 300 },
      },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/sites/${id}`);
    expect((await call('post', '/v1/sites', { role: 'viewer', body: {} })).status).toBe(403);
    expect((await call('post', '/v1/sites', { body: { id } })).status).toBe(400);
    expect(
      (await call('post', '/v1/sites', { raw: { type: 'application/json', text: '{"id":' } })).status,
    ).toBe(400);
    expect(
      (await call('post', '/v1/sites', { raw: { type: 'application/xml', text: '<site/>' } })).status,
    ).toBe(415);
    expect((await call('post', '/v1/sites', { raw: { type: 'text/plain', text: 'site' } })).status).toBe(415);
    expect(
      (
        await call('patch', '/v1/sites/{siteId}', { params: { siteId: id }, body: { name: 'Renamed' } })
      ).json().name,
    ).toBe('Renamed');

    const points = '/v1/sites/{siteId}/supply-points';
    const point = '/v1/sites/{siteId}/supply-points/{pointId}';
    expect((await call('get', points, { params: { siteId: SITE } })).status).toBe(200);
    const made = await call('post', points, {
      params: { siteId: id },
      body: {
        id: 'T1',
        name: 'Transformer 1',
        position_m: { x: 10, y: 20 },
        rating_kva: 500,
        energised_from: today,
      },
    });
    expect(made.status).toBe(201);
    expect(made.headers.get('location')).toBe(`/v1/sites/${id}/supply-points/T1`);
    expect((await call('get', point, { params: { siteId: id, pointId: 'T1' } })).status).toBe(200);
    expect(
      (await call('patch', point, { params: { siteId: id, pointId: 'T1' }, body: { rating_kva: 630 } }))
        .status,
    ).toBe(200);
    expect((await call('delete', point, { params: { siteId: id, pointId: 'T1' } })).status).toBe(204);
    expect((await call('delete', '/v1/sites/{siteId}', { params: { siteId: id } })).status).toBe(204);

    const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as { site: Json };
    const imported = await call('post', '/v1/sites/import', {
      body: { ...scenario, site: { ...scenario.site, id: 'contract-import' } },
    });
    expect(imported.status).toBe(201);
    expect(imported.headers.get('location')).toBe('/v1/sites/contract-import');
    expect(
      (await call('post', '/v1/sites/import', { body: { ...scenario, site: { id: 'x' } } })).status,
    ).toBe(400);
  });

  it('calculations', async () => {
    expect((await call('get', '/v1/catalog/equipment', { role: 'viewer' })).status).toBe(200);
    const demand = await call('post', '/v1/calculations/demand', {
      body: { items: [{ type: 'tower_crane', quantity: 2, rated_power_kw: 45, duty_cycle: 0.4 }] },
    });
    expect(demand.status).toBe(200);
    expect(
      (await call('post', '/v1/calculations/demand', { body: { items: [{ type: 'no_such_type' }] } })).status,
    ).toBe(400);
    const feeder = await call('post', '/v1/calculations/feeder', {
      body: {
        load: { active_power_kw: '60 kW', reactive_power_kvar: '45 kvar' },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: '0.1 km' },
      },
    });
    expect(feeder.status).toBe(200);
    expect((await call('post', '/v1/calculations/motor-starting', { body: {} })).status).toBe(400);
    const starting = await call('post', '/v1/calculations/motor-starting', {
      body: {
        motor: { rated_power_kw: 37, efficiency: 0.9, power_factor: 0.85, starter: 'direct_on_line' },
        supply: { transformer_rating_kva: 500, source_short_circuit_mva: 250 },
      },
    });
    expect(starting.status, starting.text).toBe(200);
    const demandBody = { load: { equipment: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 30 }] } };
    const book = await call('post', '/v1/calculations/demand/book', {
      body: demandBody,
      query: { lang: 'en' },
    });
    expect(book.status).toBe(200);
    expect(
      (
        await call('post', '/v1/calculations/feeder/book', {
          body: {
            load: { active_power_kw: '60 kW', power_factor: 0.8 },
            feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 100 },
          },
        })
      ).status,
    ).toBe(200);
    const verified = await call('post', '/v1/calculation-books/verify', { body: book.json() });
    expect(verified.status).toBe(200);
    expect((verified.json() as { status: string }).status).toBe('match');
    expect((await call('get', '/v1/sites/{siteId}/book', { params: { siteId: SITE } })).status).toBe(200);
    expect(
      (await call('get', '/v1/sites/{siteId}/book', { params: { siteId: SITE }, role: 'viewer' })).status,
    ).toBe(403);
  });

  it('utilisation, timelines, capacity check, applications and plans', async () => {
    const siteId = SITE;
    const site = (await call('get', '/v1/sites/{siteId}', { params: { siteId } })).json() as {
      horizon: { start: string; end: string };
      extent_m: { x: number; y: number };
    };
    const start = [addDays(today, 14), site.horizon.start].sort()[1]!;
    const end = [addDays(start, 60), site.horizon.end].sort()[0]!;
    const position_m = { x: site.extent_m.x / 2, y: site.extent_m.y / 2 };

    const u = await call('get', '/v1/sites/{siteId}/utilisation', {
      params: { siteId },
      query: { resolution: 'week' },
      role: 'viewer',
    });
    expect(u.status).toBe(200);
    const pointId = (u.json().points as { point_id: string }[])[0]!.point_id;
    expect(
      (
        await call('get', '/v1/sites/{siteId}/utilisation', {
          params: { siteId },
          query: { resolution: 'minute' },
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('get', '/v1/sites/{siteId}/supply-points/{pointId}/timeline', {
          params: { siteId, pointId },
          query: { from: start, to: addDays(start, 7) },
        })
      ).status,
    ).toBe(200);

    const load = { equipment: [{ type: 'air_compressor', rated_power_kw: 22 }] };
    const fit = await call('post', '/v1/sites/{siteId}/capacity-check', {
      params: { siteId },
      body: { load, profile: 'day_shift', window: { start, end }, position_m },
    });
    expect(fit.status).toBe(200);
    expect(
      (
        await call('post', '/v1/sites/{siteId}/capacity-check', {
          params: { siteId },
          role: 'viewer',
          body: {},
        })
      ).status,
    ).toBe(403);

    const application = {
      reference: 'CONTRACT-1',
      organisation: 'Contract Test Ltd',
      zone: 'Compound',
      position_m,
      window: { start, end },
      profile: 'day_shift',
      equipment: load.equipment,
    };
    const apps = '/v1/sites/{siteId}/applications';
    const one = '/v1/sites/{siteId}/applications/{applicationId}';
    expect((await call('post', `${apps}/validate`, { params: { siteId }, body: application })).status).toBe(
      200,
    );
    const headers = { 'idempotency-key': 'contract-test-key-1' };
    const first = await call('post', apps, { params: { siteId }, body: application, headers });
    expect(first.status).toBe(201);
    const applicationId = (first.json().application as { id: string }).id;
    expect(first.headers.get('location')).toBe(`/v1/sites/${siteId}/applications/${applicationId}`);
    const again = await call('post', apps, { params: { siteId }, body: application, headers });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(
      (await call('post', apps, { params: { siteId }, body: { ...application, zone: 'Elsewhere' }, headers }))
        .status,
    ).toBe(422);

    expect((await call('get', apps, { params: { siteId }, query: { state: 'accepted' } })).status).toBe(200);
    expect((await call('get', `${apps}/stats`, { params: { siteId }, role: 'viewer' })).status).toBe(200);
    expect((await call('get', one, { params: { siteId, applicationId } })).status).toBe(200);
    expect((await call('get', one, { params: { siteId, applicationId: 'nope' } })).status).toBe(404);
    expect((await call('get', `${one}/events`, { params: { siteId, applicationId } })).status).toBe(200);
    expect(
      (
        await call('post', `${one}/transitions`, {
          params: { siteId, applicationId },
          body: { event: 'energise' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('post', `${one}/documents`, {
          params: { siteId, applicationId },
          body: { documents: { organisation_design: { file_name: 'design.pdf', sha256: 'a'.repeat(64) } } },
        })
      ).status,
    ).toBe(200);
    const approved = await call('post', `${one}/approve`, { params: { siteId, applicationId }, body: {} });
    expect(approved.status, approved.text).toBe(200);
    // Moved to another point and back, each under the same capacity check as the approval (force if needed).
    const from = (approved.json() as { point_id: string }).point_id;
    const target = from === 'SP-05' ? 'SP-07' : 'SP-05';
    for (const point_id of [target, from]) {
      const moved = await call('post', `${one}/move`, {
        params: { siteId, applicationId },
        body: { point_id, force: true, reason: 'contract test' },
      });
      expect(moved.status, moved.text).toBe(200);
    }
    expect(
      (
        await call('post', `${one}/transitions`, {
          params: { siteId, applicationId },
          body: { event: 'suspend' },
        })
      ).status,
    ).toBe(200);

    const created = await call('post', '/v1/sites/{siteId}/plans', {
      params: { siteId },
      body: { method: 'heuristic' },
    });
    expect(created.status).toBe(202);
    const planId = (created.json() as { id: string }).id;
    expect(created.headers.get('location')).toBe(`/v1/sites/${siteId}/plans/${planId}`);
    let status = 'queued';
    for (let i = 0; (status === 'queued' || status === 'running') && i < 600; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call('get', '/v1/sites/{siteId}/plans/{planId}', { params: { siteId, planId } })).json()
        .status as string;
    }
    expect(status).toBe('done');
    expect(
      (await call('post', '/v1/sites/{siteId}/plans/{planId}/apply', { params: { siteId, planId } })).status,
    ).toBe(200);
    expect(
      (await call('get', '/v1/sites/{siteId}/plans/{planId}', { params: { siteId, planId: 'nope' } })).status,
    ).toBe(404);
    expect((await call('get', '/v1/sites/{siteId}/plans', { params: { siteId } })).status).toBe(200);
    expect(
      (
        await call('post', '/v1/sites/{siteId}/applications/{applicationId}/move', {
          params: { siteId, applicationId: 'nope' },
          body: { point_id: 'SP-01' },
        })
      ).status,
    ).toBe(404);
  }, 120_000);

  it('reads carry an ETag and answer If-None-Match with 304 and no body until the resource changes', async () => {
    const params = { siteId: SITE };
    // A fixed "now": by default the answer reports the server clock, so its tag changes with time.
    const query = { resolution: 'week', at: `${today}T00:00:00Z` };
    const first = await call('get', '/v1/sites/{siteId}/utilisation', {
      params,
      query,
    });
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"[\w-]{27}"$/);
    const again = await call('get', '/v1/sites/{siteId}/utilisation', {
      params,
      query,
      headers: { 'if-none-match': `W/"other", ${tag}` },
    });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(tag);
    const site = await call('get', '/v1/sites/{siteId}', { params });
    const siteTag = site.headers.get('etag')!;
    expect(
      (await call('get', '/v1/sites/{siteId}', { params, headers: { 'if-none-match': siteTag } })).status,
    ).toBe(304);
    await call('patch', '/v1/sites/{siteId}', { params, body: { name: 'Renamed for the ETag test' } });
    const changed = await call('get', '/v1/sites/{siteId}', {
      params,
      headers: { 'if-none-match': siteTag },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(siteTag);
  });

  it('rate limiting answers 429 with Retry-After, as declared', async () => {
    const limited = await makeTestApp({ seed: false, env: { TPP_RATE_LIMIT_PER_MINUTE: '1' } });
    try {
      const url = await limited.app.listen({ host: '127.0.0.1', port: 0 });
      const get = async () => {
        const res = await fetch(`${url}/health/live`);
        const text = await res.text();
        return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Json };
      };
      expect((await get()).status).toBe(200);
      const refused = await get();
      check('get', '/health/live', refused);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('the checker itself refuses a wrong body, status, media type or header', () => {
    const answer = (
      status: number,
      type: string,
      text: string,
      extra: Record<string, string> = {},
    ): Answer => ({
      status,
      headers: new Headers({ 'content-type': type, ...extra }),
      text,
      json: () => JSON.parse(text) as Json,
    });
    const path = '/v1/sites/{siteId}';
    expect(problemsOf('get', path, answer(200, 'application/json', '{"id":5}'))[0]).toMatch(
      /body does not match/,
    );
    expect(problemsOf('get', path, answer(418, 'application/json', '{}'))[0]).toMatch(/status not declared/);
    expect(problemsOf('get', path, answer(404, 'application/json', '{}'))[0]).toMatch(/media type/);
    const problem = JSON.stringify({
      type: 'x',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
      detail: 'd',
    });
    expect(problemsOf('get', path, answer(404, 'application/problem+json', problem))).toEqual([]);
    expect(
      problemsOf(
        'get',
        path,
        answer(404, 'application/problem+json', problem, { 'x-ratelimit-limit': 'many' }),
      )[0],
    ).toMatch(/header X-RateLimit-Limit/);
  });

  it('no answer broke the contract, and every operation was called', () => {
    expect(failures).toEqual([]);
    const uncalled = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ![...(seen.get(`${m} ${path}`) ?? [])].some((s) => s < 300))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(uncalled).toEqual([]);
  });
});
