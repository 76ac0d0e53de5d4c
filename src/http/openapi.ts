/**
 * How the route schemas become openapi.yaml. fastify-type-provider-zod renders every request schema in zod's
 * input mode (a field with a default is optional) and every response schema in output mode (the same field is
 * always present); this module adds what the route table does not carry by itself and keeps the document
 * acceptable to real tools (Spectral with the OWASP ruleset, openapi-typescript, validating proxies):
 *
 * - the response headers a route declares (`respond(…, { headers })`), plus the ones every response carries:
 *   X-Request-Id, the rate-limit headers, Retry-After on 429 and 503;
 * - the top-level tag list with descriptions;
 * - integer formats (int32 when the bounds fit, else int64);
 * - one component per schema where the input and output renderings are identical (`XInput` and `X` merged),
 *   no unused components, and an input-only component named without the `Input` suffix;
 * - request-side components carry their defaults in the description instead of `default`: openapi-typescript
 *   makes a property with a `default` required unless run with a non-default flag, which would force clients to
 *   send what the server already fills in. Query and path parameters keep `default` (generators ignore it there).
 */
import type { SwaggerTransform, SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Json = Record<string, unknown>;

export const TAGS = [
  {
    name: 'sites',
    description: 'Construction sites: horizon, capacity cap, rule set, profiles, document policy',
  },
  {
    name: 'supply points',
    description: 'Transformers / supply points of a site: position, rating, energisation',
  },
  {
    name: 'calculations',
    description: 'Stateless engineering calculations (demand, feeder) and the equipment catalogue',
  },
  {
    name: 'utilisation',
    description: 'Capacity utilisation, supply-point timelines and the would-it-fit check (reserves nothing)',
  },
  {
    name: 'applications',
    description: 'Connection applications: submit, validate, workflow, approval with atomic reservation',
  },
  { name: 'plans', description: 'Planning runs: size the supply points and allocate every stored request' },
  { name: 'operations', description: 'Health, metrics and the dashboard page' },
];

const COMMON_HEADERS: Record<string, Json> = {
  'X-Request-Id': {
    description: 'the request id (echoed from a well-formed X-Request-Id request header, else generated)',
    schema: { type: 'string', maxLength: 64 },
  },
  'X-RateLimit-Limit': {
    description: 'requests allowed per key (or client address) per minute',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
  },
  'X-RateLimit-Remaining': {
    description: 'requests left in the current window',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
  },
  'X-RateLimit-Reset': {
    description: 'seconds until the window resets',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
  },
  ETag: {
    description: 'strong entity tag of this answer (a hash of its bytes); send it back as If-None-Match',
    schema: { type: 'string', maxLength: 100 },
  },
  'Retry-After': {
    description: 'seconds to wait before retrying',
    schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 },
  },
};

const ref = (name: string) => ({ $ref: `#/components/headers/${name}` });

/** Per route: the zod transform, then the headers a `respond(…)` response declares. */
export const transform: SwaggerTransform = (options) => {
  const result = jsonSchemaTransform(options);
  const declared = (options.schema as { response?: unknown } | undefined)?.response as
    Record<string, { headers?: Record<string, { description: string; schema: Json }> }> | undefined;
  const out = (result.schema as { response?: unknown } | undefined)?.response as
    Record<string, Json> | undefined;
  if (declared && out) {
    for (const [status, r] of Object.entries(declared)) {
      const target = out[status];
      // @fastify/swagger reads a header as a schema with a description: flatten `{ description, schema }`.
      if (r && typeof r === 'object' && 'headers' in r && r.headers && target)
        target.headers = Object.fromEntries(
          Object.entries(r.headers).map(([name, h]) => [name, { description: h.description, ...h.schema }]),
        );
    }
  }
  return result;
};

function walk(node: unknown, visit: (schema: Json) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
  } else if (node && typeof node === 'object') {
    visit(node as Json);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

function refsIn(node: unknown): Set<string> {
  const found = new Set<string>();
  walk(node, (s) => {
    if (typeof s.$ref === 'string' && s.$ref.startsWith('#/components/schemas/'))
      found.add(s.$ref.slice('#/components/schemas/'.length));
  });
  return found;
}

function rewriteRefs(node: unknown, from: string, to: string): void {
  walk(node, (s) => {
    if (s.$ref === `#/components/schemas/${from}`) s.$ref = `#/components/schemas/${to}`;
  });
}

/** Names reachable from `roots` through schema references. */
function closure(roots: Iterable<string>, schemas: Record<string, unknown>): Set<string> {
  const seen = new Set<string>();
  const queue = [...roots];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    if (seen.has(name) || !(name in schemas)) continue;
    seen.add(name);
    queue.push(...refsIn(schemas[name]));
  }
  return seen;
}

function integerFormats(doc: unknown): void {
  walk(doc, (s) => {
    const isInteger = s.type === 'integer' || (Array.isArray(s.type) && s.type.includes('integer'));
    if (!isInteger || s.format !== undefined) return;
    const fits32 =
      typeof s.minimum === 'number' &&
      typeof s.maximum === 'number' &&
      s.minimum >= -(2 ** 31) &&
      s.maximum <= 2 ** 31 - 1;
    s.format = fits32 ? 'int32' : 'int64';
  });
}

/** `default: v` → "Default: v." in the description (request-side components only; see the module comment). */
function defaultsToDescriptions(schema: unknown): void {
  walk(schema, (s) => {
    if (!('default' in s)) return;
    const note = `Default: ${JSON.stringify(s.default)}.`;
    s.description = typeof s.description === 'string' ? `${s.description}. ${note}` : note;
    delete s.default;
  });
}

type Operation = {
  requestBody?: unknown;
  parameters?: unknown;
  responses?: Record<string, Json & { headers?: Json }>;
};

export const transformObject: SwaggerTransformObject = (input) => {
  const doc = jsonSchemaTransformObject(input) as unknown as Json & {
    paths: Record<string, Record<string, Operation>>;
    components: Json & { schemas: Record<string, unknown>; headers?: Json };
  };
  const schemas = doc.components.schemas;
  const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));

  // Response headers every answer carries.
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      const headers: Json = { 'X-Request-Id': ref('X-Request-Id'), ...response.headers };
      if (/^[24]/.test(status)) {
        for (const h of ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'])
          headers[h] = ref(h);
      }
      if (status === '429' || status === '503') headers['Retry-After'] = ref('Retry-After');
      response.headers = headers;
    }
  }
  doc.components.headers = { ...doc.components.headers, ...COMMON_HEADERS };

  // Conditional reads (plugins/etag.ts): a GET's 200 carries an ETag; If-None-Match with it answers 304.
  for (const [path, methods] of Object.entries(doc.paths)) {
    const op = methods.get;
    if (!op?.responses?.['200'] || path === '/dashboard') continue;
    op.responses['200'].headers = { ...op.responses['200'].headers, ETag: ref('ETag') };
    op.parameters = [
      ...((op.parameters as unknown[] | undefined) ?? []),
      {
        in: 'header',
        name: 'If-None-Match',
        required: false,
        description: 'an ETag of an earlier answer: 304 with no body while the representation is unchanged',
        schema: { type: 'string', maxLength: 1000 },
      },
    ];
    op.responses['304'] = {
      description: 'Not modified: the If-None-Match tag still names the current representation',
      headers: { 'X-Request-Id': ref('X-Request-Id'), ETag: ref('ETag') },
    };
  }

  // One shared response object per error status (the same Problem body and headers everywhere).
  const shared: Record<string, Json> = {};
  for (const op of operations) {
    for (const [status, response] of Object.entries(op.responses ?? {})) {
      if (!/^[45]/.test(status)) continue;
      const name = `Problem${status}`;
      const existing = shared[name];
      if (existing === undefined) shared[name] = response;
      else if (JSON.stringify(existing) !== JSON.stringify(response)) continue; // route-specific: stays inline
      op.responses![status] = { $ref: `#/components/responses/${name}` };
    }
  }
  doc.components.responses = { ...(doc.components.responses as Json | undefined), ...shared };

  // Merge XInput into X where both render the same (refs to merged inputs are rewritten, so it iterates).
  for (let merged = true; merged;) {
    merged = false;
    for (const name of Object.keys(schemas)) {
      if (!name.endsWith('Input')) continue;
      const base = name.slice(0, -'Input'.length);
      if (!(base in schemas)) continue;
      if (JSON.stringify(schemas[name]) === JSON.stringify(schemas[base])) {
        rewriteRefs(doc, name, base);
        delete schemas[name];
        merged = true;
      }
    }
  }

  // Drop what no operation uses.
  const used = closure(refsIn([doc.paths, doc.components.responses]), schemas);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];

  // Request-side components: defaults into descriptions.
  const requestSide = closure(
    operations.flatMap((op) => [...refsIn(op.requestBody)]),
    schemas,
  );
  const responseSide = closure(
    [...operations.flatMap((op) => [...refsIn(op.responses)]), ...refsIn(doc.components.responses)],
    schemas,
  );
  for (const name of requestSide) {
    if (!responseSide.has(name)) defaultsToDescriptions(schemas[name]);
  }

  // An input-only component keeps its plain name.
  for (const name of Object.keys(schemas)) {
    const base = name.slice(0, -'Input'.length);
    if (name.endsWith('Input') && !(base in schemas)) {
      schemas[base] = schemas[name];
      delete schemas[name];
      rewriteRefs(doc, name, base);
    }
  }
  doc.components.schemas = Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));

  integerFormats(doc);
  doc.tags = TAGS;
  return doc;
};
