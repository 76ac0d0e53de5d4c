/**
 * The Store implementation shared by SQLite and PostgreSQL. Dialect differences are confined to the
 * `lockForUpdate` query and the connection set-up in `sqlite/` and `postgres/`.
 */
import type { ControlledTransaction, Kysely, Selectable, Transaction } from 'kysely';
import type {
  ApiKeyRecord,
  ApplicationEventRecord,
  CapacityChange,
  ApplicationFilter,
  ApplicationRecord,
  IdempotencyRecord,
  LoadRequestRecord,
  Overcommitment,
  PlanRecord,
  PlanStatus,
  RateLimitCounter,
  ReservationRecord,
  ReservationSource,
  ReservationState,
  Role,
  Store,
} from '../app/ports.js';
import type { ApplicationState } from '../domain/application/model.js';
import type { ChangeCounter } from './sqlite/open.js';
import type { DailyShape } from '../domain/profile/profile.js';
import type { Site, SupplyPoint, SupplyPointStatus } from '../domain/site.js';
import type { RuleSetId } from '../domain/catalog/rule-sets.js';
import type {
  ApplicationEventsTable,
  ApplicationsTable,
  Database,
  LoadRequestsTable,
  PlansTable,
  ReservationsTable,
  SitesTable,
  SupplyPointsTable,
} from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const siteToRow = (s: Site): Omit<SitesTable, 'version'> => ({
  id: s.id,
  name: s.name,
  timezone: s.timezone,
  horizon_start: s.horizon.start,
  horizon_end: s.horizon.end,
  rule_set: s.rule_set,
  edition: s.edition,
  total_capacity_cap_kva: s.total_capacity_cap_kva,
  max_supply_points: s.max_supply_points,
  loading_cap: s.loading_cap,
  voltage_drop_budget_percent: s.voltage_drop_budget_percent,
  low_voltage_threshold_kw: s.low_voltage_threshold_kw,
  temporary_supply_term_months: s.temporary_supply_term_months,
  nominal_lv_voltage_v: s.nominal_lv_voltage_v,
  extent_x_m: s.extent_m.x,
  extent_y_m: s.extent_m.y,
  area_ha: s.area_ha,
  holidays_json: JSON.stringify(s.holidays),
  profiles_json: JSON.stringify(s.profiles),
  phases_json: JSON.stringify(s.phases),
  document_policy_json: JSON.stringify(s.document_policy),
  created_at: s.created_at,
  updated_at: s.updated_at,
});

const rowToSite = (r: Selectable<SitesTable>): Site => ({
  id: r.id,
  name: r.name,
  timezone: r.timezone,
  horizon: { start: r.horizon_start, end: r.horizon_end },
  rule_set: r.rule_set as RuleSetId,
  edition: r.edition,
  total_capacity_cap_kva: Number(r.total_capacity_cap_kva),
  max_supply_points: Number(r.max_supply_points),
  loading_cap: Number(r.loading_cap),
  voltage_drop_budget_percent: Number(r.voltage_drop_budget_percent),
  low_voltage_threshold_kw: Number(r.low_voltage_threshold_kw),
  temporary_supply_term_months: Number(r.temporary_supply_term_months),
  nominal_lv_voltage_v: Number(r.nominal_lv_voltage_v),
  extent_m: { x: Number(r.extent_x_m), y: Number(r.extent_y_m) },
  area_ha: r.area_ha === null ? null : Number(r.area_ha),
  holidays: JSON.parse(r.holidays_json) as string[],
  profiles: JSON.parse(r.profiles_json) as Site['profiles'],
  phases: JSON.parse(r.phases_json) as Site['phases'],
  document_policy: JSON.parse(r.document_policy_json) as Site['document_policy'],
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const pointToRow = (p: SupplyPoint): Omit<SupplyPointsTable, 'capacity_version'> => ({
  site_id: p.site_id,
  id: p.id,
  name: p.name,
  x_m: p.position_m.x,
  y_m: p.position_m.y,
  rating_kva: p.rating_kva,
  voltage_primary_kv: p.voltage_primary_kv,
  voltage_secondary_v: p.voltage_secondary_v,
  energised_from: p.energised_from,
  status: p.status,
  created_at: p.created_at,
  updated_at: p.updated_at,
});

const rowToPoint = (r: Selectable<SupplyPointsTable>): SupplyPoint => ({
  site_id: r.site_id,
  id: r.id,
  name: r.name,
  position_m: { x: Number(r.x_m), y: Number(r.y_m) },
  rating_kva: Number(r.rating_kva),
  voltage_primary_kv: Number(r.voltage_primary_kv),
  voltage_secondary_v: Number(r.voltage_secondary_v),
  energised_from: r.energised_from,
  status: r.status as SupplyPointStatus,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const rowToRequest = (r: Selectable<LoadRequestsTable>): LoadRequestRecord => ({
  site_id: r.site_id,
  id: r.id,
  organisation: r.organisation,
  zone: r.zone,
  position_m: { x: Number(r.x_m), y: Number(r.y_m) },
  window: { start: r.window_start, end: r.window_end },
  profile: r.profile,
  equipment: JSON.parse(r.equipment_json) as Record<string, unknown>[],
  documents: r.documents_json === null ? null : (JSON.parse(r.documents_json) as Record<string, string>),
  distribution:
    r.distribution_json === null ? null : (JSON.parse(r.distribution_json) as Record<string, unknown>),
  note: r.note,
  created_at: r.created_at,
});

const rowToReservation = (r: Selectable<ReservationsTable>): ReservationRecord => ({
  id: r.id,
  site_id: r.site_id,
  point_id: r.point_id,
  source: r.source as ReservationSource,
  source_id: r.source_id,
  state: r.state as ReservationState,
  demand_kva: Number(r.demand_kva),
  window: { start: r.window_start, end: r.window_end },
  shape: JSON.parse(r.shape_json) as DailyShape,
  created_at: r.created_at,
  released_at: r.released_at,
  overcommitted:
    r.overcommitted_at === null || r.overcommitted_at === undefined
      ? null
      : { at: r.overcommitted_at, by: r.overcommitted_by, reason: r.overcommitted_reason ?? '' },
});

const applicationToRow = (a: ApplicationRecord): ApplicationsTable => ({
  id: a.id,
  site_id: a.site_id,
  organisation: a.organisation,
  reference: a.reference,
  state: a.state,
  return_stack_json: JSON.stringify(a.return_stack),
  payload_json: JSON.stringify(a.payload),
  demand_json: JSON.stringify(a.demand),
  demand_kva: a.demand_kva,
  window_start: a.window.start,
  window_end: a.window.end,
  point_id: a.point_id,
  deferred_json: JSON.stringify(a.deferred),
  findings_json: JSON.stringify(a.findings),
  notice_json: a.notice === null ? null : JSON.stringify(a.notice),
  energised_on: a.energised_on,
  term_extended_until: a.term_extended_until,
  lv_override: a.lv_override ? 1 : 0,
  submitted_by: a.submitted_by,
  created_at: a.created_at,
  updated_at: a.updated_at,
});

const rowToApplication = (r: Selectable<ApplicationsTable>): ApplicationRecord => ({
  id: r.id,
  site_id: r.site_id,
  organisation: r.organisation,
  reference: r.reference,
  state: r.state as ApplicationState,
  return_stack: JSON.parse(r.return_stack_json) as ApplicationState[],
  payload: JSON.parse(r.payload_json) as Record<string, unknown>,
  demand: JSON.parse(r.demand_json) as Record<string, unknown>,
  demand_kva: Number(r.demand_kva),
  window: { start: r.window_start, end: r.window_end },
  point_id: r.point_id,
  deferred: JSON.parse(r.deferred_json) as ApplicationRecord['deferred'],
  findings: JSON.parse(r.findings_json) as Record<string, unknown>[],
  notice: r.notice_json === null ? null : (JSON.parse(r.notice_json) as Record<string, unknown>),
  energised_on: r.energised_on,
  term_extended_until: r.term_extended_until,
  lv_override: Number(r.lv_override) === 1,
  submitted_by: r.submitted_by,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const rowToEvent = (r: Selectable<ApplicationEventsTable>): ApplicationEventRecord => ({
  id: r.id,
  application_id: r.application_id,
  seq: Number(r.seq),
  at: r.at,
  actor_key_id: r.actor_key_id,
  actor_role: r.actor_role,
  event: r.event,
  from_state: r.from_state,
  to_state: r.to_state,
  reason: r.reason,
  data: r.data_json === null ? null : (JSON.parse(r.data_json) as Record<string, unknown>),
});

const rowToPlan = (r: Selectable<PlansTable>): PlanRecord => ({
  id: r.id,
  site_id: r.site_id,
  status: r.status as PlanStatus,
  request: JSON.parse(r.request_json) as Record<string, unknown>,
  result: r.result_json === null ? null : (JSON.parse(r.result_json) as Record<string, unknown>),
  error: r.error,
  applied_at: r.applied_at,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const planToRow = (p: PlanRecord): PlansTable => ({
  id: p.id,
  site_id: p.site_id,
  status: p.status,
  request_json: JSON.stringify(p.request),
  result_json: p.result === null ? null : JSON.stringify(p.result),
  error: p.error,
  applied_at: p.applied_at,
  created_at: p.created_at,
  updated_at: p.updated_at,
});

/**
 * Group commit for a single-connection database (embedded SQLite): transactions that arrive while one is
 * running queue up and then run one after another inside ONE database transaction, each in its own savepoint,
 * and are committed together — one durable commit (fsync) for the whole group instead of one each.
 *
 * Each transaction sees exactly what it would see run alone after the ones before it (they are serialised on
 * the one connection either way). A transaction that throws is rolled back to its savepoint and its caller
 * gets the error; the others are unaffected. No caller hears of success before the group's COMMIT has
 * returned, so an acknowledged write is durable; if the COMMIT fails, every caller in the group gets that error.
 * A transaction arriving when none is running starts after the current event-loop turn's I/O callbacks (one
 * turn of latency, microseconds when idle), so that transactions of requests that arrived together group.
 */
export class GroupCommit {
  private queue: {
    fn: (tx: Store) => Promise<unknown>;
    resolve: (v: unknown) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private running = false;

  /**
   * @param storeOf a store over the group's savepoint, with the journal its capacity changes go to
   * @param publish called with the journal of the members that were kept, after the group's COMMIT
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly storeOf: (trx: Db, journal: CapacityChange[]) => Store,
    private readonly publish: (changes: CapacityChange[]) => void = () => undefined,
    private readonly maxGroup = 64,
  ) {}

  run<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        // Start after the I/O callbacks of this event-loop turn: requests that arrived together have queued
        // their transactions by then and form one group. (better-sqlite3 is synchronous, so a transaction
        // started at once would run to its COMMIT before the next request is even parsed.)
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.runGroup(this.queue.splice(0, this.maxGroup));
    } finally {
      this.running = false;
    }
  }

  private async runGroup(group: GroupCommit['queue']): Promise<void> {
    let trx: ControlledTransaction<Database>;
    try {
      trx = await this.db.startTransaction().execute();
    } catch (e) {
      for (const job of group) job.reject(e);
      return;
    }
    const done: { resolve: (v: unknown) => void; value: unknown }[] = [];
    const journal: CapacityChange[] = [];
    try {
      for (const job of group) {
        const sp = await trx.savepoint('tpp_group_member').execute();
        const member: CapacityChange[] = [];
        let value: unknown;
        try {
          value = await job.fn(this.storeOf(sp, member));
        } catch (e) {
          await sp.rollbackToSavepoint('tpp_group_member').execute();
          await sp.releaseSavepoint('tpp_group_member').execute();
          job.reject(e);
          continue;
        }
        await sp.releaseSavepoint('tpp_group_member').execute();
        journal.push(...member);
        done.push({ resolve: job.resolve, value });
      }
      await trx.commit().execute();
    } catch (e) {
      // A failed savepoint command or COMMIT: nothing of the group is durable.
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const job of group) job.reject(e);
      return;
    }
    this.publish(journal);
    for (const d of done) d.resolve(d.value);
  }
}

/** State shared by a store and the stores of its transactions. */
interface Shared {
  /** Capacity keys read outside transactions, stamped with the change generation they were read at. */
  keyMemo: Map<string, { generation: number; key: string | undefined }>;
  listeners: Set<(changes: readonly CapacityChange[]) => void>;
}

export class KyselyStore implements Store {
  private readonly shared: Shared;

  /**
   * @param changes given only when this process is the database's only writer (embedded SQLite): a counter
   *   that advances at every write and transaction end, which lets hot reads be memoised per generation
   */
  constructor(
    private readonly db: Db,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly onClose: () => Promise<void> = () => Promise.resolve(),
    private readonly changes?: ChangeCounter,
    options: { groupCommit?: boolean; shared?: Shared; journal?: CapacityChange[] } = {},
  ) {
    this.shared = options.shared ?? { keyMemo: new Map(), listeners: new Set() };
    this.journal = options.journal;
    if (options.groupCommit && !db.isTransaction)
      this.groupCommit = new GroupCommit(
        db,
        (trx, journal) => this.within(trx, journal),
        (changes) => this.publish(changes),
      );
  }

  /** Where this transaction's capacity changes go until its commit; none outside a transaction. */
  private readonly journal?: CapacityChange[];

  private readonly groupCommit?: GroupCommit;

  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  get kysely(): Db {
    return this.db;
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return fn(this);
    if (this.groupCommit) return this.groupCommit.run(fn);
    const journal: CapacityChange[] = [];
    const value = await this.db.transaction().execute((trx) => fn(this.within(trx, journal)));
    this.publish(journal);
    return value;
  }

  onCommitted(listener: (changes: readonly CapacityChange[]) => void): () => void {
    this.shared.listeners.add(listener);
    return () => void this.shared.listeners.delete(listener);
  }

  private publish(changes: readonly CapacityChange[]): void {
    if (changes.length === 0) return;
    for (const listener of this.shared.listeners)
      try {
        listener(changes);
      } catch {
        // The commit has happened: a listener's failure (a cache) must not turn it into an error for the caller.
      }
  }

  /** Records a capacity change: in the transaction's journal, or published at once for an auto-committed write. */
  private changed(change: CapacityChange): void {
    if (this.journal) this.journal.push(change);
    else this.publish([change]);
  }

  /** A store over a transaction of this one's database, sharing the change counter, memo and listeners. */
  private within(trx: Db, journal: CapacityChange[]): KyselyStore {
    return new KyselyStore(trx, this.dialect, undefined, this.changes, { shared: this.shared, journal });
  }

  /** Set by `openStore` for SQLite: runs `PRAGMA quick_check` on the connection (PostgreSQL: nothing to check). */
  integrityProbe: () => string[] = () => [];

  /** Set by `openStore` for PostgreSQL, whose instances share one rate limit. */
  rateLimitCounter?: RateLimitCounter;

  integrityCheck(): Promise<string[]> {
    return Promise.resolve(this.integrityProbe());
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('sites').select('id').limit(1).execute();
  }

  close(): Promise<void> {
    return this.onClose();
  }

  private async readCapacityKey(siteId: string): Promise<string | undefined> {
    const rows = await this.db
      .selectFrom('sites')
      .leftJoin('supply_points', 'supply_points.site_id', 'sites.id')
      .select([
        'sites.version as site_version',
        'supply_points.id as point_id',
        'supply_points.capacity_version as version',
      ])
      .where('sites.id', '=', siteId)
      .orderBy('supply_points.id')
      .execute();
    if (rows.length === 0) return undefined;
    return `${Number(rows[0]!.site_version)}|${rows.map((r) => (r.point_id === null ? '' : `${r.point_id}:${Number(r.version)}`)).join(',')}`;
  }

  readonly sites = {
    insert: async (site: Site): Promise<void> => {
      await this.db.insertInto('sites').values(siteToRow(site)).execute();
    },
    update: async (site: Site): Promise<void> => {
      const { id, ...rest } = siteToRow(site);
      await this.db
        .updateTable('sites')
        .set((eb) => ({ ...rest, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();
      this.changed({ kind: 'site_changed', site_id: id });
    },
    get: async (id: string): Promise<Site | undefined> => {
      const r = await this.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
      return r && rowToSite(r);
    },
    list: async (): Promise<Site[]> =>
      (await this.db.selectFrom('sites').selectAll().orderBy('id').execute()).map(rowToSite),
    delete: async (id: string): Promise<void> => {
      await this.db.deleteFrom('plans').where('site_id', '=', id).execute();
      await this.db.deleteFrom('reservations').where('site_id', '=', id).execute();
      await this.db.deleteFrom('load_requests').where('site_id', '=', id).execute();
      await this.db.deleteFrom('supply_points').where('site_id', '=', id).execute();
      await this.db.deleteFrom('sites').where('id', '=', id).execute();
      this.changed({ kind: 'site_changed', site_id: id });
    },
  };

  readonly points = {
    insert: async (p: SupplyPoint): Promise<void> => {
      await this.db
        .insertInto('supply_points')
        .values({ ...pointToRow(p), capacity_version: 0 })
        .execute();
      this.changed({ kind: 'point_changed', site_id: p.site_id, point_id: p.id });
    },
    update: async (p: SupplyPoint): Promise<void> => {
      const { site_id, id, ...rest } = pointToRow(p);
      await this.db
        .updateTable('supply_points')
        .set((eb) => ({ ...rest, capacity_version: eb('capacity_version', '+', 1) }))
        .where('site_id', '=', site_id)
        .where('id', '=', id)
        .execute();
      this.changed({ kind: 'point_changed', site_id, point_id: id });
    },
    get: async (siteId: string, id: string): Promise<SupplyPoint | undefined> => {
      const r = await this.db
        .selectFrom('supply_points')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && rowToPoint(r);
    },
    list: async (siteId: string): Promise<SupplyPoint[]> =>
      (
        await this.db
          .selectFrom('supply_points')
          .selectAll()
          .where('site_id', '=', siteId)
          .orderBy('id')
          .execute()
      ).map(rowToPoint),
    delete: async (siteId: string, id: string): Promise<void> => {
      await this.db.deleteFrom('supply_points').where('site_id', '=', siteId).where('id', '=', id).execute();
      this.changed({ kind: 'point_changed', site_id: siteId, point_id: id });
    },
    lockForUpdate: async (siteId: string, id: string): Promise<number | undefined> => {
      let q = this.db
        .selectFrom('supply_points')
        .select('capacity_version')
        .where('site_id', '=', siteId)
        .where('id', '=', id);
      // SQLite has a single writer (one connection, one process holding the lock file): no row lock needed.
      if (this.dialect === 'postgres') q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r === undefined ? undefined : Number(r.capacity_version);
    },
    bumpVersion: async (siteId: string, id: string): Promise<number> => {
      const r = await this.db
        .updateTable('supply_points')
        .set((eb) => ({ capacity_version: eb('capacity_version', '+', 1) }))
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .returning('capacity_version')
        .executeTakeFirst();
      if (r)
        this.changed({ kind: 'bumped', site_id: siteId, point_id: id, version: Number(r.capacity_version) });
      return Number(r?.capacity_version ?? 0);
    },
    capacityKey: async (siteId: string): Promise<string | undefined> => {
      // Single writer: a key read at the current generation is still current (reads in a transaction are
      // neither served from nor stored in the memo).
      const changes = this.db.isTransaction ? undefined : this.changes;
      const generation = changes?.generation;
      if (changes) {
        const hit = this.shared.keyMemo.get(siteId);
        if (hit && hit.generation === generation) return hit.key;
      }
      const key = await this.readCapacityKey(siteId);
      if (changes && changes.generation === generation) {
        if (this.shared.keyMemo.size > 1_000) this.shared.keyMemo.clear();
        this.shared.keyMemo.set(siteId, { generation: changes.generation, key });
      }
      return key;
    },
    versions: async (siteId: string): Promise<Map<string, number>> => {
      const rows = await this.db
        .selectFrom('supply_points')
        .select(['id', 'capacity_version'])
        .where('site_id', '=', siteId)
        .execute();
      return new Map(rows.map((r) => [r.id, Number(r.capacity_version)]));
    },
  };

  readonly loadRequests = {
    insert: async (r: LoadRequestRecord): Promise<void> => {
      await this.db
        .insertInto('load_requests')
        .values({
          site_id: r.site_id,
          id: r.id,
          organisation: r.organisation,
          zone: r.zone,
          x_m: r.position_m.x,
          y_m: r.position_m.y,
          window_start: r.window.start,
          window_end: r.window.end,
          profile: r.profile,
          equipment_json: JSON.stringify(r.equipment),
          documents_json: r.documents === null ? null : JSON.stringify(r.documents),
          distribution_json: r.distribution === null ? null : JSON.stringify(r.distribution),
          note: r.note,
          created_at: r.created_at,
        })
        .execute();
    },
    list: async (siteId: string): Promise<LoadRequestRecord[]> =>
      (
        await this.db
          .selectFrom('load_requests')
          .selectAll()
          .where('site_id', '=', siteId)
          .orderBy('id')
          .execute()
      ).map(rowToRequest),
    get: async (siteId: string, id: string): Promise<LoadRequestRecord | undefined> => {
      const r = await this.db
        .selectFrom('load_requests')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && rowToRequest(r);
    },
    countForSite: async (siteId: string): Promise<number> => {
      const r = await this.db
        .selectFrom('load_requests')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };

  readonly apiKeys = {
    insert: async (k: ApiKeyRecord): Promise<void> => {
      await this.db.insertInto('api_keys').values(k).execute();
    },
    findByHash: async (hash: string): Promise<ApiKeyRecord | undefined> => {
      const r = await this.db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', hash)
        .executeTakeFirst();
      return r && { ...r, role: r.role as Role };
    },
    list: async (): Promise<ApiKeyRecord[]> =>
      (await this.db.selectFrom('api_keys').selectAll().orderBy('created_at').execute()).map((r) => ({
        ...r,
        role: r.role as Role,
      })),
    revoke: async (id: string, at: string): Promise<boolean> => {
      const r = await this.db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    count: async (): Promise<number> => {
      const r = await this.db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };

  readonly reservations = {
    insert: async (r: ReservationRecord): Promise<void> => {
      await this.db
        .insertInto('reservations')
        .values({
          id: r.id,
          site_id: r.site_id,
          point_id: r.point_id,
          source: r.source,
          source_id: r.source_id,
          state: r.state,
          demand_kva: r.demand_kva,
          window_start: r.window.start,
          window_end: r.window.end,
          shape_json: JSON.stringify(r.shape),
          created_at: r.created_at,
          released_at: r.released_at,
          overcommitted_at: r.overcommitted?.at ?? null,
          overcommitted_by: r.overcommitted?.by ?? null,
          overcommitted_reason: r.overcommitted?.reason ?? null,
        })
        .execute();
      if (r.released_at === null) this.changed({ kind: 'inserted', reservation: r });
    },
    listActive: async (siteId: string, pointId?: string): Promise<ReservationRecord[]> => {
      let q = this.db
        .selectFrom('reservations')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('released_at', 'is', null);
      if (pointId !== undefined) q = q.where('point_id', '=', pointId);
      return (await q.orderBy('created_at').orderBy('id').execute()).map(rowToReservation);
    },
    listReservedOverlapping: async (
      siteId: string,
      pointId: string,
      window: { start: string; end: string },
    ): Promise<ReservationRecord[]> =>
      (
        await this.db
          .selectFrom('reservations')
          .selectAll()
          .where('site_id', '=', siteId)
          .where('point_id', '=', pointId)
          .where('released_at', 'is', null)
          .where('state', '=', 'reserved')
          .where('window_start', '<', window.end)
          .where('window_end', '>', window.start)
          .execute()
      ).map(rowToReservation),
    listBySource: async (source: ReservationSource, sourceId: string): Promise<ReservationRecord[]> =>
      (
        await this.db
          .selectFrom('reservations')
          .selectAll()
          .where('source', '=', source)
          .where('source_id', '=', sourceId)
          .where('released_at', 'is', null)
          .execute()
      ).map(rowToReservation),
    releaseBySource: async (source: ReservationSource, sourceId: string, at: string): Promise<string[]> => {
      const rows = await this.db
        .updateTable('reservations')
        .set({ released_at: at })
        .where('source', '=', source)
        .where('source_id', '=', sourceId)
        .where('released_at', 'is', null)
        .returning(['id', 'site_id', 'point_id'])
        .execute();
      for (const r of rows)
        this.changed({ kind: 'released', site_id: r.site_id, point_id: r.point_id, id: r.id });
      return [...new Set(rows.map((r) => r.point_id))];
    },
    releaseAllOfKind: async (siteId: string, source: ReservationSource, at: string): Promise<string[]> => {
      const rows = await this.db
        .updateTable('reservations')
        .set({ released_at: at })
        .where('site_id', '=', siteId)
        .where('source', '=', source)
        .where('released_at', 'is', null)
        .returning(['id', 'point_id'])
        .execute();
      for (const r of rows)
        this.changed({ kind: 'released', site_id: siteId, point_id: r.point_id, id: r.id });
      return [...new Set(rows.map((r) => r.point_id))];
    },
    countActiveForPoint: async (siteId: string, pointId: string): Promise<number> => {
      const r = await this.db
        .selectFrom('reservations')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('site_id', '=', siteId)
        .where('point_id', '=', pointId)
        .where('released_at', 'is', null)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
    setOvercommitted: async (
      siteId: string,
      ids: readonly string[],
      mark: Overcommitment | null,
    ): Promise<void> => {
      if (ids.length === 0) return;
      const rows = await this.db
        .updateTable('reservations')
        .set({
          overcommitted_at: mark?.at ?? null,
          overcommitted_by: mark?.by ?? null,
          overcommitted_reason: mark?.reason ?? null,
        })
        .where('site_id', '=', siteId)
        .where('id', 'in', [...ids])
        .where('released_at', 'is', null)
        .returning('point_id')
        .execute();
      // The cached copies of these rows are stale: their points are re-read (not replayed).
      for (const p of new Set(rows.map((r) => r.point_id)))
        this.changed({ kind: 'point_changed', site_id: siteId, point_id: p });
    },
    movePoint: async (siteId: string, ids: readonly string[], pointId: string): Promise<void> => {
      if (ids.length === 0) return;
      const rows = await this.db
        .updateTable('reservations')
        .set({ point_id: pointId })
        .where('site_id', '=', siteId)
        .where('id', 'in', [...ids])
        .where('released_at', 'is', null)
        .returning('id')
        .execute();
      // A move is not a replayable insert/release pair: both points' caches are re-read.
      if (rows.length > 0) this.changed({ kind: 'site_changed', site_id: siteId });
    },
  };

  readonly applications = {
    insert: async (a: ApplicationRecord): Promise<void> => {
      await this.db.insertInto('applications').values(applicationToRow(a)).execute();
    },
    update: async (a: ApplicationRecord): Promise<void> => {
      const { id, ...rest } = applicationToRow(a);
      await this.db.updateTable('applications').set(rest).where('id', '=', id).execute();
    },
    get: async (siteId: string, id: string): Promise<ApplicationRecord | undefined> => {
      const r = await this.db
        .selectFrom('applications')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && rowToApplication(r);
    },
    getForUpdate: async (siteId: string, id: string): Promise<ApplicationRecord | undefined> => {
      let q = this.db
        .selectFrom('applications')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('id', '=', id);
      if (this.dialect === 'postgres') q = q.forUpdate();
      const r = await q.executeTakeFirst();
      return r && rowToApplication(r);
    },
    list: async (siteId: string, filter: ApplicationFilter = {}): Promise<ApplicationRecord[]> => {
      let q = this.db.selectFrom('applications').selectAll().where('site_id', '=', siteId);
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.organisation) q = q.where('organisation', '=', filter.organisation);
      if (filter.point_id) q = q.where('point_id', '=', filter.point_id);
      if (filter.may_be_overdue)
        q = q.where((eb) => eb.or([eb('state', '=', 'overdue'), eb('deferred_json', '<>', '[]')]));
      return (await q.orderBy('created_at').orderBy('id').execute()).map(rowToApplication);
    },
    countForSite: async (siteId: string): Promise<number> => {
      const r = await this.db
        .selectFrom('applications')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('site_id', '=', siteId)
        .executeTakeFirst();
      return Number(r?.n ?? 0);
    },
  };

  readonly events = {
    append: async (e: Omit<ApplicationEventRecord, 'seq'>): Promise<ApplicationEventRecord> => {
      const last = await this.db
        .selectFrom('application_events')
        .select((eb) => eb.fn.max('seq').as('m'))
        .where('application_id', '=', e.application_id)
        .executeTakeFirst();
      const seq = Number(last?.m ?? 0) + 1;
      await this.db
        .insertInto('application_events')
        .values({
          id: e.id,
          application_id: e.application_id,
          seq,
          at: e.at,
          actor_key_id: e.actor_key_id,
          actor_role: e.actor_role,
          event: e.event,
          from_state: e.from_state,
          to_state: e.to_state,
          reason: e.reason,
          data_json: e.data === null ? null : JSON.stringify(e.data),
        })
        .execute();
      return { ...e, seq };
    },
    list: async (applicationId: string): Promise<ApplicationEventRecord[]> =>
      (
        await this.db
          .selectFrom('application_events')
          .selectAll()
          .where('application_id', '=', applicationId)
          .orderBy('seq')
          .execute()
      ).map(rowToEvent),
    listForSite: async (siteId: string): Promise<ApplicationEventRecord[]> =>
      (
        await this.db
          .selectFrom('application_events')
          .innerJoin('applications', 'applications.id', 'application_events.application_id')
          .selectAll('application_events')
          .where('applications.site_id', '=', siteId)
          .orderBy('application_events.application_id')
          .orderBy('application_events.seq')
          .execute()
      ).map(rowToEvent),
  };

  readonly idempotency = {
    get: async (principalKeyId: string, key: string): Promise<IdempotencyRecord | undefined> => {
      const r = await this.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('principal_key_id', '=', principalKeyId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      return (
        r && {
          principal_key_id: r.principal_key_id,
          idempotency_key: r.idempotency_key,
          request_sha256: r.request_sha256,
          status_code: Number(r.status_code),
          response: JSON.parse(r.response_json) as unknown,
          created_at: r.created_at,
        }
      );
    },
    insert: async (rec: IdempotencyRecord): Promise<boolean> => {
      const r = await this.db
        .insertInto('idempotency_keys')
        .values({
          principal_key_id: rec.principal_key_id,
          idempotency_key: rec.idempotency_key,
          request_sha256: rec.request_sha256,
          status_code: rec.status_code,
          response_json: JSON.stringify(rec.response),
          created_at: rec.created_at,
        })
        .onConflict((oc) => oc.columns(['principal_key_id', 'idempotency_key']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    complete: async (
      principalKeyId: string,
      key: string,
      statusCode: number,
      response: unknown,
    ): Promise<void> => {
      await this.db
        .updateTable('idempotency_keys')
        .set({ status_code: statusCode, response_json: JSON.stringify(response) })
        .where('principal_key_id', '=', principalKeyId)
        .where('idempotency_key', '=', key)
        .execute();
    },
  };

  readonly plans = {
    insert: async (p: PlanRecord): Promise<void> => {
      await this.db.insertInto('plans').values(planToRow(p)).execute();
    },
    update: async (p: PlanRecord): Promise<void> => {
      const { id, ...rest } = planToRow(p);
      await this.db.updateTable('plans').set(rest).where('id', '=', id).execute();
    },
    get: async (siteId: string, id: string): Promise<PlanRecord | undefined> => {
      const r = await this.db
        .selectFrom('plans')
        .selectAll()
        .where('site_id', '=', siteId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r && rowToPlan(r);
    },
    list: async (siteId: string): Promise<PlanRecord[]> =>
      (
        await this.db
          .selectFrom('plans')
          .selectAll()
          .where('site_id', '=', siteId)
          .orderBy('created_at')
          .execute()
      ).map(rowToPlan),
  };
}
