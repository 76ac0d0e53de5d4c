/**
 * The committed openapi.yaml is a valid OpenAPI 3 document (checked with @readme/openapi-parser, which also
 * catches path parameters missing from a route's parameters) and equals what the running app serves.
 */
import fs from 'node:fs';
import YAML from 'yaml';
import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ seed: false });
});
afterAll(async () => t.close());

describe('openapi.yaml', () => {
  it('is a valid OpenAPI document', async () => {
    const doc = YAML.parse(fs.readFileSync('openapi.yaml', 'utf8'));
    const result = await validate(doc);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  });

  it('is what the app serves at /openapi.json (no drift)', async () => {
    const committed = YAML.parse(fs.readFileSync('openapi.yaml', 'utf8'));
    const served = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(served).toEqual(committed);
  });

  it('documents every path parameter of every route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    }>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared.sort(), `${method.toUpperCase()} ${path}`).toEqual(names.sort());
      }
    }
  });
});
