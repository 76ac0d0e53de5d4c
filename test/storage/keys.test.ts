/**
 * API keys keep no part of their secret (issue 14, item 8): a random public id and the SHA-256 hash only;
 * migration 005 drops the stored prefix of existing keys, which keep working; the bootstrap key must be at
 * least 32 characters. On SQLite and PostgreSQL.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createKey, hashKey, KeyAuthenticator, listKeys, revokeKey } from '../../src/app/keys.js';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { openStore } from '../../src/storage/index.js';
import { systemClock, uuidIds } from '../../src/compose.js';
import { createPgDatabase, DATABASES } from '../support/databases.js';

/** Every text value stored in the api_keys table, row by row. */
async function storedTexts(db: Kysely<unknown>): Promise<string[]> {
  const rows = await sql<Record<string, unknown>>`SELECT * FROM api_keys`.execute(db);
  return rows.rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string'));
}

describe.each(DATABASES)('API keys on $name', (database) => {
  it('are stored as a random public id and a hash: no 6-character piece of the key is in any column', async () => {
    const { store, drop } = await database.open();
    try {
      const deps = { store, clock: systemClock, ids: uuidIds };
      const created = await createKey(deps, { role: 'viewer', label: 'dashboard' });
      expect(created.record.id).toMatch(/^key_[A-Za-z0-9_-]{16}$/);
      expect(created.record).not.toHaveProperty('key_prefix');
      const texts = await storedTexts(store.kysely as unknown as Kysely<unknown>);
      const secret = created.key.slice(4); // after the public "tpp_" marker
      for (let i = 0; i + 6 <= secret.length; i++)
        for (const t of texts) expect(t.includes(secret.slice(i, i + 6)), t).toBe(false);
      expect(texts).toContain(hashKey(created.key));
      const listed = await listKeys(deps);
      expect(listed.map((k) => k.id)).toEqual([created.record.id]);
      expect(JSON.stringify(listed)).not.toContain(secret.slice(0, 6));
      // The public id revokes the key.
      const auth = new KeyAuthenticator(deps, 0);
      expect(await auth.authenticateHash(hashKey(created.key))).toMatchObject({ role: 'viewer' });
      await revokeKey(deps, created.record.id);
      expect(await auth.authenticateHash(hashKey(created.key))).toBeUndefined();
    } finally {
      await store.close();
      await drop();
    }
  });
});

describe.each(DATABASES)('migration 005 on $name', (database) => {
  it('drops the stored key prefix of existing keys, which still authenticate', async () => {
    let url: string | undefined;
    let drop = (): Promise<void> => Promise.resolve();
    if (database.name === 'postgres') ({ url, drop } = await createPgDatabase());
    const config = url ? { kind: 'postgres' as const, url } : { kind: 'sqlite' as const, path: ':memory:' };
    const store = await openStore(config, { migrate: false });
    try {
      const db = store.kysely as unknown as Kysely<unknown>;
      const migrator = new Migrator({ db, provider: migrationProvider });
      const before = await migrator.migrateTo('003-lv-threshold-basis');
      expect(before.error).toBeUndefined();
      const key = `tpp_${crypto.randomBytes(24).toString('base64url')}`;
      await sql`INSERT INTO api_keys (id, key_hash, key_prefix, role, organisation, label, created_at, revoked_at)
        VALUES ('0b7a3c1e-legacy', ${hashKey(key)}, ${key.slice(0, 8)}, 'engineer', NULL, 'old', '2026-01-01T00:00:00Z', NULL)`.execute(
        db,
      );
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      const texts = await storedTexts(db);
      expect(texts.some((t) => t.includes(key.slice(4, 8)))).toBe(false);
      const deps = { store, clock: systemClock, ids: uuidIds };
      expect(await new KeyAuthenticator(deps).authenticateHash(hashKey(key))).toMatchObject({
        key_id: '0b7a3c1e-legacy',
        role: 'engineer',
      });
    } finally {
      await store.close();
      await drop();
    }
  });
});

describe('the bootstrap key', () => {
  it('must be at least 32 characters without spaces', () => {
    expect(() => loadConfig({ TPP_BOOTSTRAP_API_KEY: 'tpp_' + 'a'.repeat(27) })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ TPP_BOOTSTRAP_API_KEY: 'tpp_' + 'a'.repeat(14) + ' ' + 'b'.repeat(14) }),
    ).toThrow(/TPP_BOOTSTRAP_API_KEY/);
    expect(loadConfig({ TPP_BOOTSTRAP_API_KEY: 'tpp_' + 'a'.repeat(28) }).bootstrap.apiKey).toHaveLength(32);
  });
});
