/**
 * Rate limits (issue 14, item 4): requests without a valid key are counted per client address before
 * authentication rejects them, so rotating garbage keys from one address get 429; with PostgreSQL two
 * instances share one counter.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/build-app.js';
import { createKey } from '../../src/app/keys.js';
import { systemClock, uuidIds } from '../../src/compose.js';
import { openStore } from '../../src/storage/index.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { createPgDatabase, PG_URL, REQUIRE_PG } from '../support/databases.js';

const garbage = () => ({ authorization: `Bearer tpp_${crypto.randomBytes(24).toString('base64url')}` });

describe('requests without a valid key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ env: { TPP_RATE_LIMIT_PER_MINUTE: '40' }, seed: false });
  });
  afterAll(async () => t.close());

  it('are counted per address: rotating garbage keys get 401 up to the limit, then 429 problem+json', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await t.app.inject({ method: 'GET', url: '/v1/sites', headers: garbage() });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) {
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.json()).toMatchObject({ status: 429, code: 'rate_limited' });
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 40)).toEqual(Array(40).fill(401));
    expect(statuses.slice(40)).toEqual(Array(20).fill(429));
    // Requests without any key share the address's budget too.
    expect((await t.app.inject({ method: 'GET', url: '/v1/sites' })).statusCode).toBe(429);
    // A valid key has its own budget.
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/sites', headers: t.auth('viewer') })).statusCode,
    ).toBe(200);
  });
});

describe.skipIf(!PG_URL && !REQUIRE_PG)('two instances on one PostgreSQL', () => {
  const apps: FastifyInstance[] = [];
  const stores: KyselyStore[] = [];
  let drop: () => Promise<void> = () => Promise.resolve();
  let viewer = '';

  beforeAll(async () => {
    const db = await createPgDatabase();
    drop = db.drop;
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', TPP_RATE_LIMIT_PER_MINUTE: '30' });
    for (let i = 0; i < 2; i++) {
      const store = await openStore(config.database, { poolSize: 2 });
      stores.push(store);
      const deps = { store, clock: systemClock, ids: uuidIds };
      if (i === 0) viewer = (await createKey(deps, { role: 'viewer' })).key;
      apps.push(await buildApp({ config, deps, logger: false }));
    }
    await Promise.all(apps.map((a) => a.ready()));
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    for (const s of stores) await s.close();
    await drop();
  });

  /** Counters are per calendar minute: start where at least 10 s of the minute remain. */
  async function startOfUsableWindow(): Promise<void> {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 50));
  }

  it('share one limit: garbage keys alternating between the instances get 429 after 30 in total', async () => {
    await startOfUsableWindow();
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await apps[i % 2]!.inject({ method: 'GET', url: '/v1/sites', headers: garbage() });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(401));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
  });

  it('share one limit per valid key across the instances', async () => {
    await startOfUsableWindow();
    const auth = { authorization: `Bearer ${viewer}` };
    const statuses: number[] = [];
    for (let i = 0; i < 34; i++)
      statuses.push(
        (await apps[i % 2]!.inject({ method: 'GET', url: '/v1/sites', headers: auth })).statusCode,
      );
    const ok = statuses.filter((s) => s === 200).length;
    // 30 per minute in total (not 30 per instance); a minute boundary could only reset it, never add.
    expect(ok).toBeLessThanOrEqual(30);
    expect(statuses.slice(30)).toContain(429);
  });
});
