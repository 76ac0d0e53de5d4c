/**
 * Small things a newcomer needs: CORS for configured origins only, the list of a site's plans, the CLI's
 * --version, key list header and plan --json.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
  });

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('CORS', () => {
  const TOOL = 'https://tools.example.com';

  it('is off by default: no CORS headers, and a preflight finds no route', async () => {
    t = await makeTestApp();
    const get = await t.app.inject({
      url: `/v1/sites/${SITE}`,
      headers: { ...t.auth('viewer'), origin: TOOL },
    });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/sites/${SITE}`,
      headers: { origin: TOOL, 'access-control-request-method': 'GET' },
    });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers the listed origins only, preflight included (no key needed for a preflight)', async () => {
    t = await makeTestApp({ env: { TPP_CORS_ORIGINS: `${TOOL}, http://localhost:5173` } });
    const pre = await t.app.inject({
      method: 'OPTIONS',
      url: `/v1/sites/${SITE}/applications`,
      headers: {
        origin: TOOL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(TOOL);
    expect(String(pre.headers['access-control-allow-headers'])).toContain('idempotency-key');
    expect(String(pre.headers['access-control-allow-methods'])).toContain('POST');

    const get = await t.app.inject({
      url: `/v1/sites/${SITE}`,
      headers: { ...t.auth('viewer'), origin: TOOL },
    });
    expect(get.headers['access-control-allow-origin']).toBe(TOOL);
    expect(String(get.headers['access-control-expose-headers'])).toContain('location');

    const other = await t.app.inject({
      url: `/v1/sites/${SITE}`,
      headers: { ...t.auth('viewer'), origin: 'https://evil.example.net' },
    });
    expect(other.statusCode).toBe(200); // CORS is the browser's check; the server just does not allow it
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a wildcard or an origin with a path at start-up, naming the key', () => {
    for (const bad of ['*', 'https://tools.example.com/app', 'tools.example.com']) {
      let err: unknown;
      try {
        loadConfig({ TPP_CORS_ORIGINS: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).message).toContain('TPP_CORS_ORIGINS');
    }
    expect(loadConfig({ TPP_CORS_ORIGINS: 'https://a.example, http://127.0.0.1:8080' }).cors.origins).toEqual(
      ['https://a.example', 'http://127.0.0.1:8080'],
    );
  });
});

describe('GET /v1/sites/{siteId}/plans', () => {
  it("lists a site's plans newest first, a finished one with its headline figures", async () => {
    t = await makeTestApp();
    const empty = await t.app.inject({ url: `/v1/sites/${SITE}/plans`, headers: t.auth('engineer') });
    expect(empty.json()).toEqual({ items: [] });
    const ids: string[] = [];
    for (const keep of [true, false]) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${SITE}/plans`,
        headers: t.auth('engineer'),
        payload: { method: 'heuristic', keep_ratings: keep },
      });
      expect(r.statusCode).toBe(202);
      ids.push(r.json<{ id: string }>().id);
      // created_at has millisecond resolution: keep the two runs apart
      await new Promise((res) => setTimeout(res, 5));
    }
    let items: { id: string; status: string; summary: { sum_kva: number; assigned: number } | null }[] = [];
    for (let i = 0; i < 600; i++) {
      items = (await t.app.inject({ url: `/v1/sites/${SITE}/plans`, headers: t.auth('engineer') })).json<{
        items: typeof items;
      }>().items;
      if (items.every((p) => p.status === 'done' || p.status === 'failed')) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(items.map((p) => p.id)).toEqual([ids[1], ids[0]]);
    for (const p of items) {
      expect(p.status).toBe('done');
      const full = (
        await t.app.inject({ url: `/v1/sites/${SITE}/plans/${p.id}`, headers: t.auth('engineer') })
      ).json<{ result: { sum_kva: number; assignments: unknown[] } }>();
      // The summary repeats the full result's figures.
      expect(p.summary?.sum_kva).toBe(full.result.sum_kva);
      expect(p.summary?.assigned).toBe(full.result.assignments.length);
      expect(p).not.toHaveProperty('result');
    }
    // keep_ratings: the reference 10 × 500 kVA
    expect(items[1]?.summary?.sum_kva).toBe(5000);
    const missing = await t.app.inject({ url: '/v1/sites/no-such-site/plans', headers: t.auth('engineer') });
    expect(missing.statusCode).toBe(404);
  }, 120_000);
});

describe('command line', () => {
  it('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const { stdout } = await cli(['--version']);
    expect(stdout.trim()).toBe(pkg.version);
  }, 120_000);

  it('keys list starts with a header row naming its columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-cli-'));
    try {
      const env = { TPP_DB_PATH: path.join(dir, 'tpp.db') };
      await cli(['keys', 'create', '--role', 'viewer', '--label', 'wall screen'], env);
      const { stdout } = await cli(['keys', 'list'], env);
      const [header, row] = stdout.trimEnd().split('\n');
      expect(header?.split('\t')).toEqual(['id', 'role', 'organisation', 'label', 'created_at', 'status']);
      expect(row?.split('\t')).toHaveLength(6);
      expect(row).toContain('wall screen');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('plan --json prints the plan result as JSON', async () => {
    const { stdout } = await cli([
      'plan',
      'examples/jinshan-ev-plant.json',
      '--method',
      'heuristic',
      '--keep-ratings',
      '--json',
    ]);
    const plan = JSON.parse(stdout) as { sum_kva: number; ratings: unknown[]; assignments: unknown[] };
    expect(plan.sum_kva).toBe(5000);
    expect(plan.ratings).toHaveLength(10);
    expect(plan.assignments.length).toBeGreaterThan(30);
  }, 120_000);
});
