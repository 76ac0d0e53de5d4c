/**
 * One storage contract, run on every database in DATABASES (SQLite always, PostgreSQL in CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, PG_URL, REQUIRE_PG } from '../support/databases.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { importScenarioFile, systemClock, uuidIds } from '../../src/compose.js';
import { createKey, hashKey } from '../../src/app/keys.js';
import type { CapacityChange, Deps, ReservationRecord } from '../../src/app/ports.js';
import { PRESET_SHAPES } from '../../src/domain/profile/profile.js';
import { SCENARIO, SITE } from '../support/app.js';

it('runs the PostgreSQL suite whenever CI requires it', () => {
  if (REQUIRE_PG) expect(PG_URL, 'REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set').toBeTruthy();
  expect(DATABASES.map((d) => d.name)).toContain('sqlite');
});

describe.each(DATABASES)('storage contract on $name', (database) => {
  let store: KyselyStore;
  let drop: () => Promise<void>;
  let deps: Deps;
  beforeAll(async () => {
    const opened = await database.open();
    store = opened.store;
    drop = opened.drop;
    deps = { store, clock: systemClock, ids: uuidIds };
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('imports the reference site with its points and requests, and reads them back equal', async () => {
    const r = await importScenarioFile(deps, SCENARIO);
    expect(r).toMatchObject({ supply_points: 10, requests: 43 });
    const site = await store.sites.get(SITE);
    expect(site).toMatchObject({
      timezone: 'Asia/Shanghai',
      total_capacity_cap_kva: 5000,
      loading_cap: 0.85,
      horizon: { start: '2025-06-27', end: '2027-06-30' },
    });
    expect(Object.keys(site!.profiles)).toEqual(expect.arrayContaining(['day_shift', 'camp']));
    expect(site!.document_policy.applicant_identity?.core).toBe(true);
    const points = await store.points.list(SITE);
    expect(points.map((p) => p.id)).toEqual([
      'SP-01',
      'SP-02',
      'SP-03',
      'SP-04',
      'SP-05',
      'SP-06',
      'SP-07',
      'SP-08',
      'SP-09',
      'SP-10',
    ]);
    expect(points[0]).toMatchObject({
      position_m: { x: 200, y: 700 },
      rating_kva: 500,
      energised_from: '2025-07-10',
    });
    const reqs = await store.loadRequests.list(SITE);
    expect(reqs).toHaveLength(43);
    const r29 = await store.loadRequests.get(SITE, 'R-029');
    expect(r29?.documents).toEqual({ applicant_identity: 'missing' });
    expect(r29?.distribution).toMatchObject({ feeder: { cross_section_mm2: 25, length_m: 380 } });
  });

  it('rolls back everything written in a failed transaction', async () => {
    await expect(
      store.transaction(async (tx) => {
        const p = (await tx.points.get(SITE, 'SP-01'))!;
        await tx.points.update({ ...p, name: 'changed' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await store.points.get(SITE, 'SP-01'))?.name).toBe('Press shop north');
  });

  it('refuses a second import of the same site id, leaving the first intact', async () => {
    await expect(importScenarioFile(deps, SCENARIO)).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.loadRequests.countForSite(SITE)).toBe(43);
  });

  it('bumps a point’s capacity version and locks it inside a transaction', async () => {
    const before = (await store.points.versions(SITE)).get('SP-02')!;
    const v = await store.transaction(async (tx) => {
      const locked = await tx.points.lockForUpdate(SITE, 'SP-02');
      expect(locked).toBe(before);
      return tx.points.bumpVersion(SITE, 'SP-02');
    });
    expect(v).toBe(before + 1);
    expect(await store.points.lockForUpdate(SITE, 'nope')).toBeUndefined();
  });

  it('answers the capacity key of the committed state: after writes, commits and rollbacks', async () => {
    const k0 = await store.points.capacityKey(SITE);
    expect(await store.points.capacityKey(SITE)).toBe(k0); // repeated read (memoised on SQLite)
    await store.points.bumpVersion(SITE, 'SP-03');
    const k1 = await store.points.capacityKey(SITE);
    expect(k1).not.toBe(k0);
    // Inside a transaction the key shows the transaction's own writes; outside, only once committed.
    await expect(
      store.transaction(async (tx) => {
        await tx.points.bumpVersion(SITE, 'SP-03');
        expect(await tx.points.capacityKey(SITE)).not.toBe(k1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await store.points.capacityKey(SITE)).toBe(k1);
    await store.transaction(async (tx) => {
      await tx.points.bumpVersion(SITE, 'SP-03');
    });
    const k2 = await store.points.capacityKey(SITE);
    expect(k2).not.toBe(k1);
    const site = (await store.sites.get(SITE))!;
    await store.sites.update(site);
    expect(await store.points.capacityKey(SITE)).not.toBe(k2);
    expect(await store.points.capacityKey('no-such-site')).toBeUndefined();
  });

  it('reports committed capacity changes to listeners in order, and nothing of a rolled-back transaction', async () => {
    const seen: CapacityChange[][] = [];
    const off = store.onCommitted((c) => seen.push([...c]));
    const row = (id: string, point_id: string): ReservationRecord => ({
      id,
      site_id: SITE,
      point_id,
      source: 'manual',
      source_id: id,
      state: 'pending',
      demand_kva: 12.5,
      window: { start: '2026-01-05', end: '2026-01-12' },
      shape: PRESET_SHAPES.continuous!,
      created_at: '2026-01-01T00:00:00.000Z',
      released_at: null,
    });
    const v0 = (await store.points.versions(SITE)).get('SP-04')!;
    await store.transaction(async (tx) => {
      await tx.reservations.insert(row('feed-1', 'SP-04'));
      await tx.points.bumpVersion(SITE, 'SP-04');
    });
    expect(seen).toEqual([
      [
        { kind: 'inserted', reservation: row('feed-1', 'SP-04') },
        { kind: 'bumped', site_id: SITE, point_id: 'SP-04', version: v0 + 1 },
      ],
    ]);
    seen.length = 0;
    await expect(
      store.transaction(async (tx) => {
        await tx.reservations.releaseBySource('manual', 'feed-1', '2026-01-02T00:00:00.000Z');
        await tx.points.bumpVersion(SITE, 'SP-04');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(seen).toEqual([]);
    // Two transactions at once, one of them failing (on SQLite they share a group commit).
    const outcomes = await Promise.allSettled([
      store.transaction(async (tx) => {
        await tx.reservations.releaseBySource('manual', 'feed-1', '2026-01-02T00:00:00.000Z');
        await tx.points.bumpVersion(SITE, 'SP-04');
      }),
      store.transaction(async (tx) => {
        await tx.reservations.insert(row('feed-2', 'SP-05'));
        await tx.points.bumpVersion(SITE, 'SP-05');
        throw new Error('capacity exceeded');
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect(seen.flat()).toEqual([
      { kind: 'released', site_id: SITE, point_id: 'SP-04', id: 'feed-1' },
      { kind: 'bumped', site_id: SITE, point_id: 'SP-04', version: v0 + 2 },
    ]);
    seen.length = 0;
    // Auto-committed writes are reported at once; a point or site update is a change a cache cannot replay.
    const point = (await store.points.get(SITE, 'SP-06'))!;
    await store.points.update(point);
    await store.sites.update((await store.sites.get(SITE))!);
    expect(seen).toEqual([
      [{ kind: 'point_changed', site_id: SITE, point_id: 'SP-06' }],
      [{ kind: 'site_changed', site_id: SITE }],
    ]);
    off();
    await store.points.bumpVersion(SITE, 'SP-04');
    expect(seen).toHaveLength(2);
    // A listener that throws does not turn a commit into an error (nor leave its caller waiting).
    const offBad = store.onCommitted(() => {
      throw new Error('listener failed');
    });
    await expect(store.transaction(async (tx) => tx.points.bumpVersion(SITE, 'SP-04'))).resolves.toBe(v0 + 4);
    offBad();
  });

  it('stores API keys as hashes and revokes them once', async () => {
    const k = await createKey(deps, { role: 'viewer', label: 'dash' });
    const rec = await store.apiKeys.findByHash(hashKey(k.key));
    expect(rec).toMatchObject({ role: 'viewer', label: 'dash', revoked_at: null });
    expect(JSON.stringify(await store.apiKeys.list())).not.toContain(k.key);
    expect(await store.apiKeys.revoke(rec!.id, new Date().toISOString())).toBe(true);
    expect(await store.apiKeys.revoke(rec!.id, new Date().toISOString())).toBe(false);
  });

  it('answers ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
