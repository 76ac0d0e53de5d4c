/**
 * API keys: `Authorization: Bearer <key>`. Keys are random, shown once, stored only as SHA-256 hashes with a
 * random public id and a role (engineer / contractor bound to one organisation / viewer); no part of the
 * secret is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../domain/errors.js';
import type { ApiKeyRecord, Deps, Principal, Role } from './ports.js';

export const ROLES: Role[] = ['engineer', 'contractor', 'viewer'];

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateKey(): string {
  return `tpp_${randomBytes(24).toString('base64url')}`;
}

/** The public id of a key: random, never derived from the secret (`key_` + 16 base64url characters). */
export function generateKeyId(): string {
  return `key_${randomBytes(12).toString('base64url')}`;
}

export interface CreatedKey {
  key: string;
  record: Omit<ApiKeyRecord, 'key_hash'>;
}

export async function createKey(
  deps: Deps,
  input: { role: Role; organisation?: string | null; label?: string | null; key?: string },
): Promise<CreatedKey> {
  if (input.role === 'contractor' && !input.organisation)
    throw new DomainError('validation_failed', 'A contractor key is bound to one organisation', {
      issues: [{ path: ['organisation'], message: 'required for the contractor role' }],
    });
  if (input.role !== 'contractor' && input.organisation)
    throw new DomainError('validation_failed', 'Only contractor keys are bound to an organisation', {
      issues: [{ path: ['organisation'], message: `must be empty for the ${input.role} role` }],
    });
  const key = input.key ?? generateKey();
  const record: ApiKeyRecord = {
    // A random public id, unrelated to the secret: shown in listings and used to revoke.
    id: generateKeyId(),
    key_hash: hashKey(key),
    role: input.role,
    organisation: input.organisation ?? null,
    label: input.label ?? null,
    created_at: deps.clock.now(),
    revoked_at: null,
  };
  await deps.store.apiKeys.insert(record);
  const { key_hash: _h, ...shown } = record;
  return { key, record: shown };
}

export async function listKeys(deps: Deps): Promise<Omit<ApiKeyRecord, 'key_hash'>[]> {
  return (await deps.store.apiKeys.list()).map(({ key_hash: _h, ...k }) => k);
}

export async function revokeKey(deps: Deps, id: string): Promise<void> {
  const ok = await deps.store.apiKeys.revoke(id, deps.clock.now());
  if (!ok) throw new DomainError('not_found', `No active API key ${id}`);
}

/**
 * Resolves a presented key to its principal, or undefined. A small cache keeps the hot path off the
 * database; revocations through this process clear it, others take effect within `ttlMs`.
 */
export class KeyAuthenticator {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();
  constructor(
    private readonly deps: Pick<Deps, 'store'>,
    private readonly ttlMs = 5_000,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** The principal of a presented key, given as its SHA-256 hex (`hashKey`; the HTTP layer hashes once). */
  async authenticateHash(hash: string): Promise<Principal | undefined> {
    const hit = this.cache.get(hash);
    const now = this.nowMs();
    if (hit && hit.until > now) return hit.principal;
    const rec = await this.deps.store.apiKeys.findByHash(hash);
    const principal =
      rec && !rec.revoked_at ? { key_id: rec.id, role: rec.role, organisation: rec.organisation } : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: now + this.ttlMs });
    return principal;
  }

  clear(): void {
    this.cache.clear();
  }
}

/**
 * On an empty key table, creates the first engineer key: the configured one, or a random one that the caller
 * prints once and writes to an owner-only file. Returns the key when one was created.
 */
export async function ensureBootstrapKey(
  deps: Deps,
  configured?: string,
): Promise<{ key: string; generated: boolean } | undefined> {
  if ((await deps.store.apiKeys.count()) > 0) {
    if (configured) {
      const existing = await deps.store.apiKeys.findByHash(hashKey(configured));
      if (!existing)
        await createKey(deps, {
          role: 'engineer',
          label: 'bootstrap (TPP_BOOTSTRAP_API_KEY)',
          key: configured,
        });
    }
    return undefined;
  }
  const created = await createKey(deps, { role: 'engineer', label: 'bootstrap', key: configured });
  return { key: created.key, generated: !configured };
}
