/**
 * Storage health (issue 14, item 3): a database file with 32 KB overwritten in the middle starts, fails
 * readiness with SQLite's own message, refuses writes with 503 and answers reads with 503 problem+json —
 * never a bare 500. On PostgreSQL, a store whose connections are gone answers 503 problem+json with the
 * request id.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/build-app.js';
import { createKey } from '../../src/app/keys.js';
import { importScenarioFile, openDeps, systemClock, uuidIds } from '../../src/compose.js';
import { openStore } from '../../src/storage/index.js';
import { StorageHealth, storageFailureOf } from '../../src/app/storage-health.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { SCENARIO, SITE } from '../support/app.js';
import { createPgDatabase, PG_URL, REQUIRE_PG } from '../support/databases.js';

interface Problem {
  status: number;
  code: string;
  detail: string;
  request_id?: string;
  problems?: string[];
}

describe('a SQLite file with 32 KB overwritten in the middle', () => {
  let dir = '';
  let app: FastifyInstance;
  let store: KyselyStore;
  let engineer = '';
  let health: StorageHealth;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-corrupt-'));
    const config = loadConfig({ TPP_DB_PATH: path.join(dir, 'tpp.db'), LOG_LEVEL: 'silent' });
    const deps = await openDeps(config);
    await importScenarioFile(deps, SCENARIO);
    engineer = (await createKey(deps, { role: 'engineer', label: 'test' })).key;
    await deps.store.close();
    const file = path.join(dir, 'tpp.db');
    const size = fs.statSync(file).size;
    expect(size).toBeGreaterThan(96 * 1024); // enough pages that the middle 32 KB is data, not the header
    const junk = Buffer.alloc(32 * 1024);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) & 0xff;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, junk, 0, junk.length, Math.floor(size / 2) - junk.length / 2);
    fs.closeSync(fd);

    // Start as the server does: open (no migration on a damaged file), check integrity, build the app.
    store = await openStore(config.database);
    health = new StorageHealth(store);
    await health.check(true);
    app = await buildApp({
      config,
      deps: { store, clock: systemClock, ids: uuidIds },
      logger: false,
      health,
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is found by the start-up integrity check', () => {
    const r = health.report();
    expect(r.ok).toBe(false);
    expect(r.problems.join(' ')).toMatch(/malformed|corrupt|btree|page|Tree/i);
  });

  it('fails readiness with a clear message', async () => {
    const r = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(r.statusCode).toBe(503);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    const body = r.json<Problem>();
    expect(body.code).toBe('storage_corrupt');
    expect(body.detail).toMatch(/integrity check/);
    expect(body.problems?.length).toBeGreaterThan(0);
  });

  it('refuses writes with 503 problem+json', async () => {
    const auth = { authorization: `Bearer ${engineer}` };
    const writes = [
      { method: 'POST' as const, url: '/v1/sites', payload: { id: 'x' } },
      { method: 'PATCH' as const, url: `/v1/sites/${SITE}`, payload: { name: 'renamed' } },
      { method: 'DELETE' as const, url: `/v1/sites/${SITE}/supply-points/SP-01` },
    ];
    for (const w of writes) {
      const r = await app.inject({ ...w, headers: auth });
      expect(r.statusCode, `${w.method} ${w.url}`).toBe(503);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.json<Problem>()).toMatchObject({
        code: 'storage_corrupt',
        request_id: r.headers['x-request-id'],
      });
    }
  });

  it('answers reads with 200 or 503 problem+json, never 500', async () => {
    const auth = { authorization: `Bearer ${engineer}` };
    const statuses: number[] = [];
    for (const url of [
      '/v1/sites',
      `/v1/sites/${SITE}`,
      `/v1/sites/${SITE}/supply-points`,
      `/v1/sites/${SITE}/utilisation`,
      `/v1/sites/${SITE}/applications`,
      `/v1/sites/${SITE}/applications/stats`,
      '/metrics',
    ]) {
      const r = await app.inject({ method: 'GET', url, headers: auth });
      statuses.push(r.statusCode);
      expect([200, 503], `${url}: ${r.body.slice(0, 200)}`).toContain(r.statusCode);
      if (r.statusCode === 503) {
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.json<Problem>().request_id).toBe(r.headers['x-request-id']);
      }
    }
    // The damage lies under the reference site's rows: at least one of these reads meets it.
    expect(statuses).toContain(503);
  });
});

describe('storage failures are classified by their shape', () => {
  it('maps driver errors to corrupt / unavailable / contention, and leaves the application’s own alone', () => {
    const err = (props: Record<string, unknown>) => Object.assign(new Error('x'), props);
    expect(storageFailureOf(err({ code: 'SQLITE_CORRUPT' }))).toBe('corrupt');
    expect(storageFailureOf(err({ code: 'SQLITE_NOTADB' }))).toBe('corrupt');
    expect(storageFailureOf(err({ code: 'SQLITE_BUSY' }))).toBe('contention');
    expect(storageFailureOf(err({ code: 'SQLITE_IOERR_SHORT_READ' }))).toBe('unavailable');
    expect(storageFailureOf(err({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeUndefined();
    expect(storageFailureOf(err({ code: 'ECONNREFUSED' }))).toBe('unavailable');
    expect(storageFailureOf(err({ code: '57P01', severity: 'FATAL' }))).toBe('unavailable');
    expect(storageFailureOf(err({ code: '40001', severity: 'ERROR' }))).toBe('contention');
    expect(storageFailureOf(err({ code: '23505', severity: 'ERROR' }))).toBeUndefined();
    expect(storageFailureOf(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(storageFailureOf(new Error('Site x does not exist'))).toBeUndefined();
  });
});

describe.skipIf(!PG_URL && !REQUIRE_PG)('PostgreSQL whose connections are gone', () => {
  let app: FastifyInstance;
  let store: KyselyStore;
  let drop: () => Promise<void> = () => Promise.resolve();
  let engineer = '';
  let dbName = '';

  beforeAll(async () => {
    const db = await createPgDatabase();
    drop = db.drop;
    dbName = new URL(db.url).pathname.slice(1);
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    store = await openStore(config.database, { poolSize: 2 });
    const deps = { store, clock: systemClock, ids: uuidIds };
    await importScenarioFile(deps, SCENARIO);
    engineer = (await createKey(deps, { role: 'engineer', label: 'test' })).key;
    app = await buildApp({ config, deps, logger: false });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await store.close().catch(() => undefined);
    await drop();
  });

  it('answers 503 problem+json with the request id when its backends are terminated, and recovers', async () => {
    const auth = { authorization: `Bearer ${engineer}` };
    const before = await app.inject({ method: 'GET', url: `/v1/sites/${SITE}/supply-points`, headers: auth });
    expect(before.statusCode).toBe(200);
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [dbName]);
    await admin.end();
    // The pool's idle connections are dead now: the next queries meet the termination.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/supply-points`,
        headers: { ...auth, 'x-request-id': `pg-gone-${i}` },
      });
      statuses.push(r.statusCode);
      expect([200, 503]).toContain(r.statusCode);
      if (r.statusCode === 503) {
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(r.json<Problem>()).toMatchObject({ code: 'storage_unavailable', request_id: `pg-gone-${i}` });
      }
    }
    expect(statuses).not.toContain(500);
    // The pool replaces the dead connections: the service recovers without a restart.
    const after = await app.inject({ method: 'GET', url: `/v1/sites/${SITE}/supply-points`, headers: auth });
    expect(after.statusCode).toBe(200);
  });

  it('answers 503 problem+json when the database server refuses connections (closed port)', async () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', LOG_LEVEL: 'silent' });
    const { KyselyStore } = await import('../../src/storage/kysely-store.js');
    const { openPostgres } = await import('../../src/storage/postgres/open.js');
    const opened = openPostgres('postgres://postgres@127.0.0.1:1/none', 1);
    const closed = new KyselyStore(opened.db, 'postgres', opened.close);
    const a = await buildApp({
      config,
      deps: { store: closed, clock: systemClock, ids: uuidIds },
      logger: false,
    });
    try {
      const r = await a.inject({
        method: 'GET',
        url: '/v1/sites',
        headers: { authorization: 'Bearer tpp_nonexistent_key_000000000000000000' },
      });
      expect(r.statusCode).toBe(503);
      expect(r.json<Problem>()).toMatchObject({
        code: 'storage_unavailable',
        request_id: r.headers['x-request-id'],
      });
      const ready = await a.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
    } finally {
      await a.close();
      await closed.close();
    }
  });
});
