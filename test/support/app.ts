/**
 * Test harness: a real app on an in-memory SQLite store (or a given store), the reference site imported,
 * and one API key per role.
 */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/http/build-app.js';
import { createKey } from '../../src/app/keys.js';
import { openDeps, importScenarioFile, systemClock, uuidIds } from '../../src/compose.js';
import type { Clock, Deps, Store } from '../../src/app/ports.js';
import type { MipSolver } from '../../src/domain/plan/index.js';

export const SCENARIO = 'examples/jinshan-ev-plant.json';
export const SITE = 'jinshan-ev-plant';
export const ORG_A = 'China Construction Eighth Bureau (Jinshan)';
export const ORG_B = 'Huadong Foundation Engineering';

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  config: Readonly<Config>;
  keys: { engineer: string; contractor: string; otherContractor: string; viewer: string };
  auth: (role: keyof TestApp['keys']) => { authorization: string };
  close: () => Promise<void>;
}

/** A clock the test moves by hand. */
export function fixedClock(iso: string): Clock & { set: (iso: string) => void } {
  let now = iso;
  return { now: () => now, set: (v: string) => (now = v) };
}

export async function makeTestApp(
  options: {
    store?: Store;
    env?: Record<string, string>;
    seed?: boolean;
    clock?: Clock;
    solver?: MipSolver;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({ TPP_DB_PATH: ':memory:', LOG_LEVEL: 'silent', ...options.env });
  const base: Deps = options.store
    ? { store: options.store, clock: systemClock, ids: uuidIds }
    : await openDeps(config);
  const deps: Deps = options.clock ? { ...base, clock: options.clock } : base;
  if (options.seed ?? true) await importScenarioFile(deps, SCENARIO);
  const keys = {
    engineer: (await createKey(deps, { role: 'engineer', label: 'test' })).key,
    contractor: (await createKey(deps, { role: 'contractor', organisation: ORG_A })).key,
    otherContractor: (await createKey(deps, { role: 'contractor', organisation: ORG_B })).key,
    viewer: (await createKey(deps, { role: 'viewer' })).key,
  };
  const app = await buildApp({
    config,
    deps,
    logger: process.env.TEST_LOG ? { level: 'error' } : false,
    ...(options.solver ? { solver: options.solver } : {}),
  });
  await app.ready();
  return {
    app,
    deps,
    config,
    keys,
    auth: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    close: async () => {
      await app.close();
      await deps.store.close();
    },
  };
}
