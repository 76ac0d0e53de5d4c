/**
 * Ports: what the use cases need from the outside world. Storage adapters (SQLite, PostgreSQL) implement
 * `Store`; the clock and id generator are injected so use cases are testable and deterministic.
 */
import type { Site, SupplyPoint, Position } from '../domain/site.js';

export type Role = 'engineer' | 'contractor' | 'viewer';

export interface Principal {
  key_id: string;
  role: Role;
  organisation: string | null;
}

export interface ApiKeyRecord {
  id: string;
  key_hash: string;
  key_prefix: string;
  role: Role;
  organisation: string | null;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
}

/** A contractor's load request as imported from a scenario file (input to demand, planning, applications). */
export interface LoadRequestRecord {
  site_id: string;
  id: string;
  organisation: string;
  zone: string;
  position_m: Position;
  window: { start: string; end: string };
  profile: string;
  equipment: Record<string, unknown>[];
  documents: Record<string, string> | null;
  distribution: Record<string, unknown> | null;
  note: string | null;
  created_at: string;
}

export interface SiteRepo {
  insert(site: Site): Promise<void>;
  update(site: Site): Promise<void>;
  get(id: string): Promise<Site | undefined>;
  list(): Promise<Site[]>;
  delete(id: string): Promise<void>;
}

export interface PointRepo {
  insert(point: SupplyPoint): Promise<void>;
  update(point: SupplyPoint): Promise<void>;
  get(siteId: string, id: string): Promise<SupplyPoint | undefined>;
  list(siteId: string): Promise<SupplyPoint[]>;
  delete(siteId: string, id: string): Promise<void>;
  /**
   * Locks the point for the rest of the transaction (PostgreSQL `SELECT … FOR UPDATE`; SQLite has one
   * writer) and returns its capacity version.
   */
  lockForUpdate(siteId: string, id: string): Promise<number | undefined>;
  /** Bumps the point's capacity version (timelines cached elsewhere are then stale). */
  bumpVersion(siteId: string, id: string): Promise<number>;
  versions(siteId: string): Promise<Map<string, number>>;
}

export interface LoadRequestRepo {
  insert(request: LoadRequestRecord): Promise<void>;
  list(siteId: string): Promise<LoadRequestRecord[]>;
  get(siteId: string, id: string): Promise<LoadRequestRecord | undefined>;
  countForSite(siteId: string): Promise<number>;
}

export interface ApiKeyRepo {
  insert(key: ApiKeyRecord): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  revoke(id: string, at: string): Promise<boolean>;
  count(): Promise<number>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly sites: SiteRepo;
  readonly points: PointRepo;
  readonly loadRequests: LoadRequestRepo;
  readonly apiKeys: ApiKeyRepo;
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface Clock {
  /** Current instant as an ISO-8601 UTC string. */
  now(): string;
}

export interface IdGenerator {
  /** A new unique id (UUID v4 or similar). */
  next(): string;
}

export interface Deps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
}
