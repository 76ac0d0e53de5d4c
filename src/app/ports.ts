/**
 * Ports: what the use cases need from the outside world. Storage adapters (SQLite, PostgreSQL) implement
 * `Store`; the clock and id generator are injected so use cases are testable and deterministic.
 */
import type { Site, SupplyPoint, Position } from '../domain/site.js';
import type { DailyShape } from '../domain/profile/profile.js';
import type { ApplicationState } from '../domain/application/model.js';

export type Role = 'engineer' | 'contractor' | 'viewer';

export interface Principal {
  key_id: string;
  role: Role;
  organisation: string | null;
}

export interface ApiKeyRecord {
  id: string;
  key_hash: string;
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
  /**
   * The request's load as given (schemas/load.ts): an equipment list (an array, the older shape) or a `Load`
   * object (an equipment list or a lumped load). Stored as JSON in `equipment_json`.
   */
  equipment: Record<string, unknown>[] | Record<string, unknown>;
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
  /**
   * One cheap read that changes whenever the site or any of its points' capacity changes:
   * the site's `updated_at` and every point's capacity version; undefined when the site does not exist.
   */
  capacityKey(siteId: string): Promise<string | undefined>;
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

export type ReservationState = 'reserved' | 'pending';
export type ReservationSource = 'application' | 'plan' | 'manual';

/** Capacity held on a supply point over a window: approved/energised (`reserved`) or awaiting approval (`pending`). */
export interface ReservationRecord {
  id: string;
  site_id: string;
  point_id: string;
  source: ReservationSource;
  source_id: string;
  state: ReservationState;
  demand_kva: number;
  window: { start: string; end: string };
  shape: DailyShape;
  created_at: string;
  released_at: string | null;
  /**
   * Set when an engineer kept this reservation although its point's limit no longer covers it (an edit sent
   * with `force: true`); null (or absent) otherwise.
   */
  overcommitted?: Overcommitment | null;
}

/** Who recorded a reservation as overcommitted, when and why. */
export interface Overcommitment {
  at: string;
  /** API key id of the engineer (null for the system). */
  by: string | null;
  reason: string;
}

export interface ReservationRepo {
  insert(r: ReservationRecord): Promise<void>;
  listActive(siteId: string, pointId?: string): Promise<ReservationRecord[]>;
  /** Active reserved (not pending) rows of a point whose window overlaps [start, end). */
  listReservedOverlapping(
    siteId: string,
    pointId: string,
    window: { start: string; end: string },
  ): Promise<ReservationRecord[]>;
  listBySource(source: ReservationSource, sourceId: string): Promise<ReservationRecord[]>;
  /** Releases every active reservation of a source; returns the point ids touched. */
  releaseBySource(source: ReservationSource, sourceId: string, at: string): Promise<string[]>;
  /** Releases every active reservation of a site made by a source kind (e.g. all plan placements). */
  releaseAllOfKind(siteId: string, source: ReservationSource, at: string): Promise<string[]>;
  countActiveForPoint(siteId: string, pointId: string): Promise<number>;
  /** Records (or, with null, clears) the overcommitted mark of active reservations; the caller bumps the points. */
  setOvercommitted(siteId: string, ids: readonly string[], mark: Overcommitment | null): Promise<void>;
  /** Moves active reservations to another point of the same site; the caller checks and bumps both points. */
  movePoint(siteId: string, ids: readonly string[], pointId: string): Promise<void>;
}

export interface DeferredDocument {
  type: string;
  due_date: string;
  gates?: string;
  supplied_on?: string;
}

export interface ApplicationRecord {
  id: string;
  site_id: string;
  organisation: string;
  reference: string | null;
  state: ApplicationState;
  return_stack: ApplicationState[];
  payload: Record<string, unknown>;
  demand: Record<string, unknown>;
  demand_kva: number;
  window: { start: string; end: string };
  point_id: string | null;
  deferred: DeferredDocument[];
  findings: Record<string, unknown>[];
  notice: Record<string, unknown> | null;
  energised_on: string | null;
  term_extended_until: string | null;
  lv_override: boolean;
  submitted_by: string;
  created_at: string;
  updated_at: string;
}

export interface ApplicationFilter {
  state?: ApplicationState;
  organisation?: string;
  point_id?: string;
  /** Only applications that can have overdue items: state `overdue`, or any deferred document. */
  may_be_overdue?: boolean;
}

export interface ApplicationRepo {
  insert(a: ApplicationRecord): Promise<void>;
  update(a: ApplicationRecord): Promise<void>;
  get(siteId: string, id: string): Promise<ApplicationRecord | undefined>;
  /** Reads and locks the application for the rest of the transaction (FOR UPDATE on PostgreSQL). */
  getForUpdate(siteId: string, id: string): Promise<ApplicationRecord | undefined>;
  list(siteId: string, filter?: ApplicationFilter): Promise<ApplicationRecord[]>;
  countForSite(siteId: string): Promise<number>;
}

export interface ApplicationEventRecord {
  id: string;
  application_id: string;
  seq: number;
  at: string;
  actor_key_id: string | null;
  actor_role: string;
  event: string;
  from_state: string | null;
  to_state: string;
  reason: string | null;
  data: Record<string, unknown> | null;
}

export interface EventRepo {
  /** Appends with the next sequence number of the application. */
  append(e: Omit<ApplicationEventRecord, 'seq'>): Promise<ApplicationEventRecord>;
  list(applicationId: string): Promise<ApplicationEventRecord[]>;
  listForSite(siteId: string): Promise<ApplicationEventRecord[]>;
}

export interface IdempotencyRecord {
  principal_key_id: string;
  idempotency_key: string;
  request_sha256: string;
  status_code: number;
  response: unknown;
  created_at: string;
}

export interface IdempotencyRepo {
  get(principalKeyId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Inserts; returns false when the key already exists (another request claimed it). */
  insert(r: IdempotencyRecord): Promise<boolean>;
  /** Stores the final response of a claimed key. */
  complete(principalKeyId: string, key: string, statusCode: number, response: unknown): Promise<void>;
}

export type PlanStatus = 'queued' | 'running' | 'done' | 'failed';

export interface PlanRecord {
  id: string;
  site_id: string;
  status: PlanStatus;
  request: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: string | null;
  applied_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PlanRepo {
  insert(p: PlanRecord): Promise<void>;
  update(p: PlanRecord): Promise<void>;
  get(siteId: string, id: string): Promise<PlanRecord | undefined>;
  list(siteId: string): Promise<PlanRecord[]>;
}

/**
 * One change a committed transaction (or an auto-committed write) of this process made to the capacity held
 * on supply points, reported in order by `Store.onCommitted`. `bumped` carries the capacity version a bump
 * produced; `point_changed` / `site_changed` are changes a cache cannot replay (rating, point set, site row).
 */
export type CapacityChange =
  | { kind: 'inserted'; reservation: ReservationRecord }
  | { kind: 'released'; site_id: string; point_id: string; id: string }
  | { kind: 'bumped'; site_id: string; point_id: string; version: number }
  | { kind: 'point_changed'; site_id: string; point_id: string }
  | { kind: 'site_changed'; site_id: string };

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** True for the store handed to a `transaction` callback. */
  readonly inTransaction: boolean;
  readonly sites: SiteRepo;
  readonly points: PointRepo;
  readonly loadRequests: LoadRequestRepo;
  readonly apiKeys: ApiKeyRepo;
  readonly reservations: ReservationRepo;
  readonly applications: ApplicationRepo;
  readonly events: EventRepo;
  readonly idempotency: IdempotencyRepo;
  readonly plans: PlanRepo;
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Calls `listener` after every commit of this process with the capacity changes it made, in order —
   * never for a rolled-back transaction or group member. Other processes' changes are not reported: caches
   * must still check the capacity versions. Returns the unsubscribe function.
   */
  onCommitted(listener: (changes: readonly CapacityChange[]) => void): () => void;
  ping(): Promise<void>;
  /**
   * The database's own consistency check (SQLite `PRAGMA quick_check`): the problems it reports, [] when
   * sound. Costs a read of the whole file: callers cache it (see StorageHealth). Absent = nothing to check.
   */
  integrityCheck?(): Promise<string[]>;
  /** Present when several processes share this database (PostgreSQL): rate limits count here. */
  readonly rateLimitCounter?: RateLimitCounter;
  close(): Promise<void>;
}

/** Request counts per client key and fixed window, shared by every instance that uses the same database. */
export interface RateLimitCounter {
  /** Counts one request of `key` in the current window of `windowMs`; its count so far and ms to the reset. */
  hit(key: string, windowMs: number): Promise<{ hits: number; reset_ms: number }>;
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
  /** Limits from the config (`TPP_MAX_HORIZON_YEARS`); absent → the domain defaults. */
  limits?: { maxHorizonYears: number };
}
