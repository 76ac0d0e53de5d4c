/**
 * Query strings are redacted in logs: a key sent as `?api_key=` (refused) never lands in the log, nor any other
 * query value; the path and the parameter names stay.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { buildApp, loggerOptions, redactUrl } from '../../src/http/build-app.js';
import { openDeps, importScenarioFile } from '../../src/compose.js';
import { createKey } from '../../src/app/keys.js';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../src/app/ports.js';
import { SCENARIO, SITE } from '../support/app.js';

const lines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

let app: FastifyInstance;
let deps: Deps;
let viewer: string;
beforeAll(async () => {
  const config = loadConfig({ TPP_DB_PATH: ':memory:', LOG_LEVEL: 'info' });
  deps = await openDeps(config);
  await importScenarioFile(deps, SCENARIO);
  viewer = (await createKey(deps, { role: 'viewer' })).key;
  const logger = loggerOptions('info');
  app = await buildApp({ config, deps, logger: { ...(logger as object), stream: sink } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await deps.store.close();
});

describe('request logs', () => {
  it('never contain a key sent in the query string, nor any query value', async () => {
    const secret = 'tpp_querysecret_0123456789abcdef0123456789';
    const refused = await app.inject({ method: 'GET', url: `/v1/sites?api_key=${secret}` });
    expect(refused.statusCode).toBe(401);
    const unknown = await app.inject({ method: 'GET', url: `/v1/nowhere?token=${secret}&x` });
    expect(unknown.statusCode).toBe(404);
    const served = await app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/utilisation?resolution=week&at=2026-01-01T00:00:00Z&key=${secret}`,
      headers: { authorization: `Bearer ${viewer}` },
    });
    expect(served.statusCode).toBe(400);

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(log).not.toContain(secret);
    expect(log).not.toContain(viewer);
    expect(log).not.toContain('2026-01-01T00:00:00Z');
    const urls = lines
      .map((l) => JSON.parse(l) as { req?: { url: string } })
      .flatMap((l) => (l.req ? [l.req.url] : []));
    expect(urls).toEqual([
      '/v1/sites?api_key=[redacted]',
      '/v1/nowhere?token=[redacted]&x=[redacted]',
      `/v1/sites/${SITE}/utilisation?resolution=[redacted]&at=[redacted]&key=[redacted]`,
    ]);
  });

  it('keep a path without a query as it is', () => {
    expect(redactUrl('/v1/sites/a/supply-points')).toBe('/v1/sites/a/supply-points');
    expect(redactUrl('/v1/sites?')).toBe('/v1/sites?');
  });
});
