/**
 * HTTP fuzz suite: a seeded, bounded fuzzer over every operation of the committed openapi.yaml (parsed here,
 * so a new operation is fuzzed without touching this file), through app.inject on the reference site with a
 * key of each role (and none). Bodies start from the route table's valid samples (or from the operation's JSON
 * schema) and get one mutation each: wrong types, missing and extra fields, huge and non-finite numbers, bad
 * unit strings, unicode, deep nesting, oversize bodies, prototype-pollution keys, wrong media types; path
 * parameters get bad ids; queries get junk.
 *
 * Asserts: no 5xx; every 4xx is problem+json with a `code` (and `status`, `type`, `title`); a schema
 * validation error lists JSON pointers, and for a single-field mutation of a valid sample one of them is on the
 * mutated field's path; the server answers /health/live between batches; Object.prototype stays clean.
 *
 * TPP_FUZZ_RUNS (default 5000) and TPP_FUZZ_SEED (default 20261204) change the run; a failure prints the seed.
 */
import fs from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, ORG_A, SCENARIO, SITE, type TestApp } from '../support/app.js';
import { ROUTES } from '../http/route-table.js';

const RUNS = Number(process.env.TPP_FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.TPP_FUZZ_SEED ?? 20261204);
const BATCH = 250;
const BODY_LIMIT = 64 * 1024;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  [k: string]: unknown;
}
interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema: Schema; required: boolean }[];
  body?: Schema;
}

const spec = parse(fs.readFileSync('openapi.yaml', 'utf8')) as {
  paths: Record<string, Record<string, Schema>>;
  components: { schemas: Record<string, Schema> };
};

function deref(s: Schema): Schema {
  let out = s;
  for (let i = 0; i < 10 && typeof out.$ref === 'string'; i++)
    out = spec.components.schemas[out.$ref.replace('#/components/schemas/', '')] ?? {};
  return out;
}

const operations: Operation[] = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
    .map(([m, op]) => {
      const params = ((op.parameters as Schema[] | undefined) ?? []).map((p) => ({
        name: String(p.name),
        in: String(p.in),
        schema: deref((p.schema as Schema | undefined) ?? {}),
        required: p.required === true,
      }));
      const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
        ?.content;
      const body = content?.['application/json']?.schema;
      return { method: m.toUpperCase(), path, params, ...(body ? { body: deref(body) } : {}) };
    }),
);

// ---- values ----------------------------------------------------------------------------------------------

const BAD_UNITS = [
  '250 kVA',
  'abc kW',
  '1e999 kW',
  '-5 kW',
  'kW',
  '',
  '250 kw',
  'NaN kW',
  'Infinity kVA',
  '250 kW kW',
  '０.５ kW',
  '5 m',
  '5 mm^2 kW',
  '250 kvar',
  '0.4 kV',
  '2e308 kVA',
  '1/0 kW',
];
const BAD_NUMBERS: Json[] = [
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER * 4,
  5e-324,
  -0,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  1.5,
  -1,
  0,
];
const NASTY_STRINGS = [
  '\u0000',
  '\uD800',
  '👷‍♀️🏗️⚡',
  '‮evil',
  'ｆｕｌｌｗｉｄｔｈ',
  '𝟘𝟙𝟚',
  'x'.repeat(5000),
  '../../etc/passwd',
  "'; DROP TABLE sites; --",
  '${jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '2026-01-01T00:00:00Z',
  'Asia/Nowhere',
  ' ',
  'true',
  'null',
];
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'hasOwnProperty',
  'toString',
];
const BAD_IDS = [
  '..',
  '%2e%2e',
  'x'.repeat(65),
  'y'.repeat(101),
  '%00',
  '%E0%A4%A',
  '%F0%9F%92%A9',
  '%20',
  'a%2Fb',
  '__proto__',
  'constructor',
  '-1',
  '1e999',
  'SP-99',
  'NOPE',
  '%C3%BC',
  '%27%20OR%201%3D1',
];

const weird: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(...BAD_NUMBERS, ...BAD_UNITS, ...NASTY_STRINGS, null, true, false, [], {}),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.double(),
  fc.integer(),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

/** A value that may satisfy the schema (bounded depth and size); invalid corners are the mutations' job. */
function arbOf(schema: Schema, depth = 0): fc.Arbitrary<Json> {
  const s = deref(schema);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const as Json);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as Json[]));
  const alts = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alts?.length) return fc.oneof(...alts.map((a) => arbOf(a, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) return arbOf(s.allOf[0] as Schema, depth + 1);
  const declared: unknown = Array.isArray(s.type) ? s.type[0] : s.type;
  const type = typeof declared === 'string' ? declared : '';
  switch (type) {
    case 'string': {
      const examples = [s.example, s.default].filter((v): v is string => typeof v === 'string');
      const pattern = typeof s.pattern === 'string' ? s.pattern : '';
      if (pattern.includes('\\d{4}-\\d{2}-\\d{2}') || s.format === 'date')
        return fc.constantFrom('2026-01-15', '2026-03-01', '2026-06-30', '2025-07-01', '2027-01-01');
      if (s.format === 'date-time')
        return fc.constantFrom('2026-03-01T08:00:00Z', '2026-03-01T08:00:00+08:00');
      return fc.oneof(
        ...(examples.length ? [fc.constantFrom(...examples)] : []),
        fc.constantFrom('SP-01', 'R-001', 'a', '250 kW', '38.6 kVA', 'tower_crane', ORG_A),
        fc.string({ minLength: 1, maxLength: Math.min(Number(s.maxLength ?? 20), 20) }),
      );
    }
    case 'number':
    case 'integer': {
      const min = typeof s.minimum === 'number' ? Math.max(s.minimum, -1e6) : -1000;
      const max = typeof s.maximum === 'number' ? Math.min(s.maximum, 1e6) : 1000;
      return type === 'integer'
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.max(min, max)) })
        : fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (Array.isArray(s.prefixItems))
        return fc.tuple(...(s.prefixItems as Schema[]).map((p) => arbOf(p, depth + 1)));
      const minLength = Math.min(Number(s.minItems ?? 0), 3);
      return fc.array(arbOf((s.items as Schema | undefined) ?? {}, depth + 1), {
        minLength,
        maxLength: Math.max(minLength, Math.min(Number(s.maxItems ?? 3), 3)),
      });
    }
    case 'object': {
      const props = (s.properties as Record<string, Schema> | undefined) ?? {};
      const required = (s.required as string[] | undefined) ?? [];
      const model: Record<string, fc.Arbitrary<Json>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = arbOf(v, depth + 1);
      return fc.record(model, { requiredKeys: required.filter((k) => k in props) });
    }
    default:
      return fc.oneof(fc.constant({}), fc.integer(), fc.string({ maxLength: 5 }));
  }
}

// ---- mutations ---------------------------------------------------------------------------------------------

type Path = (string | number)[];

/** Every path of a JSON value (containers and leaves), the root included. */
function pathsOf(v: Json, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const copy = structuredClone(root);
  let cur = copy as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) {
    cur = cur[p] as Record<string | number, Json>;
    // A sample body may hold null where the path expected a container: nothing to mutate there.
    if (cur === null || typeof cur !== 'object') return copy;
  }
  if (cur === null || typeof cur !== 'object') return copy;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else cur[last] = value;
  return copy;
}

const pointerOf = (path: Path) =>
  path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** One mutation of a body: the JSON text to send and, for a single-field change, the pointer it touched. */
interface Mutated {
  kind: string;
  text: string | undefined;
  pointer?: string;
}

function mutation(base: Json): fc.Arbitrary<Mutated> {
  const paths = pathsOf(base);
  const inner = paths.filter((p) => p.length > 0);
  const objects = paths.filter((p) => {
    let v: Json = base;
    for (const k of p) v = (v as Record<string | number, Json>)[k]!;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  });
  const leaf = inner.length ? fc.constantFrom(...inner) : fc.constant<Path>([]);
  const obj = objects.length ? fc.constantFrom(...objects) : fc.constant<Path>([]);
  const json = (v: Json): string => JSON.stringify(v);
  const list: fc.Arbitrary<Mutated>[] = [
    fc.constant({ kind: 'none', text: json(base) }),
    fc
      .tuple(leaf, weird)
      .map(([p, v]) => ({ kind: 'wrong_value', text: json(setAt(base, p, v)), pointer: pointerOf(p) })),
    leaf.map((p) => ({
      kind: 'missing_field',
      text: json(setAt(base, p, undefined)),
      pointer: pointerOf(p),
    })),
    fc
      .tuple(leaf, fc.constantFrom<Json>(...BAD_UNITS))
      .map(([p, v]) => ({ kind: 'bad_unit', text: json(setAt(base, p, v)), pointer: pointerOf(p) })),
    fc
      .tuple(leaf, fc.constantFrom<Json>(...BAD_NUMBERS))
      .map(([p, v]) => ({ kind: 'bad_number', text: json(setAt(base, p, v)), pointer: pointerOf(p) })),
    fc
      .tuple(
        leaf,
        fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string({ unit: 'grapheme', maxLength: 30 })),
      )
      .map(([p, v]) => ({ kind: 'unicode', text: json(setAt(base, p, v)), pointer: pointerOf(p) })),
    fc
      .tuple(
        obj,
        fc.oneof(fc.constantFrom(...PROTO_KEYS, 'extra_field'), fc.string({ maxLength: 10 })),
        weird,
      )
      .map(([p, k, v]) => ({
        kind: 'extra_field',
        text: json(setAt(base, [...p, k], v)),
        pointer: pointerOf(p),
      })),
    // Prototype pollution in the raw text (JSON.stringify would drop an own `__proto__`).
    fc.constantFrom(...PROTO_KEYS.slice(0, 3)).map((k) => ({
      kind: 'proto_pollution',
      text: json(base).replace(/^\{/, `{"${k}":{"polluted":true,"prototype":{"polluted":true}},`),
    })),
    fc
      .tuple(
        leaf,
        fc.integer({ min: 50, max: 20_000 }),
        fc.constantFrom<'array' | 'object'>('array', 'object'),
      )
      .map(([p, d, k]) => ({
        kind: 'deep_nesting',
        text: json(setAt(base, p, '__NEST__')).replace('"__NEST__"', nested(d, k)),
      })),
    // A number JSON.parse turns into Infinity.
    leaf.map((p) => ({
      kind: 'overflow_literal',
      text: json(setAt(base, p, '__BIG__')).replace('"__BIG__"', '1e999'),
    })),
    fc.constantFrom(BODY_LIMIT + 1, BODY_LIMIT * 3).map((n) => ({
      kind: 'oversize',
      text: json({
        ...(typeof base === 'object' && base && !Array.isArray(base) ? base : {}),
        pad: 'x'.repeat(n),
      }),
    })),
    fc
      .constantFrom('[]', '"text"', '42', 'null', '{', '{"a":}', '', 'true', '\u0000', '{"a":1}{"b":2}')
      .map((text) => ({ kind: 'bad_top_level', text })),
    fc.constant({ kind: 'no_body', text: undefined }),
  ];
  return fc.oneof(...list);
}

/** Percent-encodes; a lone surrogate (which encodeURIComponent refuses) is sent as its raw UTF-8 bytes. */
function enc(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return '%ED%A0%80';
  }
}

const asText = (v: Json): string => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));

// ---- requests ----------------------------------------------------------------------------------------------

type Role = 'engineer' | 'contractor' | 'otherContractor' | 'viewer' | 'none';

interface FuzzCase {
  op: Operation;
  role: Role;
  url: string;
  contentType: string | undefined;
  body: Mutated | undefined;
}

const seedBodies = new Map<string, (n: number) => unknown>(
  ROUTES.filter((r) => r.body).map((r) => [`${r.method} ${r.path}`, r.body!]),
);

function caseOf(op: Operation, known: Record<string, string[]>): fc.Arbitrary<FuzzCase> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  const idArb = (name: string) =>
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...(known[name] ?? ['x'])) },
      { weight: 2, arbitrary: fc.constantFrom(...BAD_IDS) },
      {
        weight: 1,
        arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).map(enc),
      },
    );
  const pathArb = fc
    .tuple(...pathParams.map((p) => idArb(p.name)))
    .map((values) => pathParams.reduce((path, p, i) => path.replace(`{${p.name}}`, values[i]!), op.path));
  const queryArb = fc
    .tuple(
      ...queryParams.map((p) => fc.option(fc.oneof(arbOf(p.schema), weird), { nil: undefined, freq: 2 })),
      fc.option(fc.constantFrom('unknown=1', 'api_key=tpp_x', 'from=a&from=b', 'resolution=', '%E0%A4%A=1'), {
        nil: undefined,
        freq: 4,
      }),
    )
    .map((values) => {
      const parts = queryParams.flatMap((p, i) =>
        values[i] === undefined ? [] : [`${p.name}=${enc(asText(values[i]))}`],
      );
      const extra = values[queryParams.length] as string | undefined;
      if (extra) parts.push(extra);
      return parts.length ? `?${parts.join('&')}` : '';
    });
  const seed = seedBodies.get(`${op.method} ${op.path}`);
  const baseArb: fc.Arbitrary<{ base: Json; valid: boolean }> | undefined = op.body
    ? fc.oneof(
        ...(seed
          ? [{ weight: 3, arbitrary: fc.nat(1_000_000).map((n) => ({ base: seed(n) as Json, valid: true })) }]
          : []),
        { weight: 1, arbitrary: arbOf(op.body).map((base) => ({ base, valid: false })) },
      )
    : undefined;
  const bodyArb: fc.Arbitrary<(Mutated & { valid: boolean }) | undefined> = baseArb
    ? baseArb.chain(({ base, valid }) => mutation(base).map((m) => ({ ...m, valid })))
    : fc.constant(undefined);
  return fc.record({
    op: fc.constant(op),
    role: fc.constantFrom<Role>('engineer', 'engineer', 'contractor', 'otherContractor', 'viewer', 'none'),
    url: fc.tuple(pathArb, queryArb).map(([p, q]) => p + q),
    contentType: fc.oneof(
      { weight: 12, arbitrary: fc.constant('application/json') },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'APPLICATION/JSON',
        ),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    body: bodyArb,
  });
}

// ---- the run -----------------------------------------------------------------------------------------------

let t: TestApp;
const known: Record<string, string[]> = {};

beforeAll(async () => {
  t = await makeTestApp({
    env: { TPP_BODY_LIMIT_BYTES: String(BODY_LIMIT), TPP_RATE_LIMIT_PER_MINUTE: '100000000' },
  });
  const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as {
    requests: { id: string; note?: string; equipment: Record<string, unknown>[]; [k: string]: unknown }[];
  };
  const applicationIds: string[] = [];
  for (const r of scenario.requests.slice(0, 6)) {
    const { id, note: _n, equipment, ...rest } = r;
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications`,
      headers: t.auth('engineer'),
      payload: { reference: id, ...rest, equipment: equipment.map(({ note: _x, ...e }) => e) },
    });
    if (res.statusCode === 201)
      applicationIds.push(res.json<{ application: { id: string } }>().application.id);
  }
  const plan = await t.app.inject({
    method: 'POST',
    url: `/v1/sites/${SITE}/plans`,
    headers: t.auth('engineer'),
    payload: { method: 'heuristic', keep_ratings: true },
  });
  // mathjs builds its unit tables on the first unit string (seconds on a busy machine): once, before timing.
  await t.app.inject({
    method: 'POST',
    url: '/v1/calculations/demand',
    headers: t.auth('engineer'),
    payload: { items: [{ type: 'tower_crane', rated_power_kw: '45 kW' }] },
  });
  known.siteId = [SITE, SITE, SITE, 'nope'];
  known.pointId = ['SP-01', 'SP-03', 'SP-05', 'SP-08'];
  known.applicationId = applicationIds.length ? applicationIds : ['none'];
  known.planId = plan.statusCode === 202 ? [plan.json<{ id: string }>().id] : ['none'];
});
afterAll(async () => t.close());

interface Failure {
  why: string;
  method: string;
  url: string;
  role: Role;
  kind?: string;
  body?: string;
  status: number;
  response: string;
}

describe('HTTP fuzzing over every operation of openapi.yaml', () => {
  it(`answers ${RUNS} fuzzed requests without a 5xx, every 4xx as problem+json, staying responsive`, async () => {
    expect(operations.length).toBeGreaterThanOrEqual(25);
    const all = fc.oneof(...operations.map((op) => caseOf(op, known)));
    const statuses = new Map<number, number>();
    const kinds = new Map<string, number>();
    const failures: Failure[] = [];
    const timeByOp = new Map<string, number>();
    const started = Date.now();
    let sent = 0;
    let slowestHealthMs = 0;
    for (let batch = 0; sent < RUNS; batch++) {
      const cases = fc.sample(all, { seed: SEED + batch, numRuns: Math.min(BATCH, RUNS - sent) });
      for (const c of cases) {
        const headers: Record<string, string> = c.role === 'none' ? {} : t.auth(c.role);
        const text = c.body?.text;
        if (text !== undefined && c.contentType) headers['content-type'] = c.contentType;
        const t0 = performance.now();
        const r = await t.app.inject({
          method: c.op.method as 'GET',
          url: c.url,
          headers,
          ...(text !== undefined && c.op.method !== 'GET' ? { payload: text } : {}),
        });
        sent++;
        const opKey = `${c.op.method} ${c.op.path} ${r.statusCode}`;
        if (process.env.TPP_FUZZ_PROFILE && performance.now() - t0 > 150)
          console.log(
            `SLOW ${Math.round(performance.now() - t0)} ms ${opKey} ${c.body?.kind ?? ''} ${(text ?? '').slice(0, 3000)}`,
          );
        timeByOp.set(opKey, (timeByOp.get(opKey) ?? 0) + performance.now() - t0);
        statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
        if (c.body) kinds.set(c.body.kind, (kinds.get(c.body.kind) ?? 0) + 1);
        const fail = (why: string) =>
          failures.push({
            why,
            method: c.op.method,
            url: c.url.slice(0, 300),
            role: c.role,
            kind: c.body?.kind,
            body: text?.slice(0, 300),
            status: r.statusCode,
            response: r.body.slice(0, 500),
          });
        if (r.statusCode >= 500) {
          fail('5xx');
          continue;
        }
        if (r.statusCode < 400) continue;
        if (!String(r.headers['content-type']).includes('application/problem+json')) {
          fail('4xx without application/problem+json');
          continue;
        }
        let p: {
          status?: number;
          code?: unknown;
          type?: unknown;
          title?: unknown;
          detail?: unknown;
          errors?: { path: unknown; in?: unknown }[];
        };
        try {
          p = r.json();
        } catch {
          fail('problem body is not JSON');
          continue;
        }
        if (
          typeof p.code !== 'string' ||
          !p.code ||
          p.status !== r.statusCode ||
          typeof p.type !== 'string' ||
          typeof p.title !== 'string'
        )
          fail('problem without code/status/type/title');
        if (p.code === 'validation_failed') {
          const errors = p.errors ?? [];
          if (
            errors.length === 0 ||
            errors.some((e) => typeof e.path !== 'string' || (e.path !== '' && !e.path.startsWith('/')))
          )
            fail('validation problem without JSON pointers');
          // A single-field mutation of a valid sample, refused by the schema: the pointer names that field.
          const m = c.body;
          if (
            m?.pointer !== undefined &&
            (m as { valid?: boolean }).valid &&
            typeof p.detail === 'string' &&
            p.detail.startsWith('The request body has') &&
            !errors.some(
              (e) =>
                e.in === 'body' &&
                typeof e.path === 'string' &&
                (m.pointer === e.path ||
                  m.pointer!.startsWith(`${e.path}/`) ||
                  e.path.startsWith(`${m.pointer}/`) ||
                  e.path === ''),
            )
          )
            fail(`validation problem does not point at the mutated field ${m.pointer}`);
        }
      }
      // Responsive between batches.
      const h0 = Date.now();
      const health = await t.app.inject({ method: 'GET', url: '/health/live' });
      slowestHealthMs = Math.max(slowestHealthMs, Date.now() - h0);
      expect(health.statusCode).toBe(200);
    }
    const elapsed = (Date.now() - started) / 1000;
    const byStatus = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}: ${n}`);
    console.log(
      `fuzz: ${sent} requests over ${operations.length} operations in ${elapsed.toFixed(1)} s (seed ${SEED}); statuses ${byStatus.join(', ')}; ` +
        `mutations ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; slowest health ${slowestHealthMs} ms`,
    );
    if (process.env.TPP_FUZZ_PROFILE)
      console.log(
        [...timeByOp]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 12)
          .map(([k, ms]) => `${k}: ${Math.round(ms)} ms`)
          .join('\n'),
      );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(failures.slice(0, 10), `${failures.length} failures (seed ${SEED})`).toEqual([]);
    expect(sent).toBe(RUNS);
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
  }, 300_000);
});
