/**
 * Capacity timelines kept in memory per site and never served stale: every read compares the points'
 * capacity versions (bumped in the same transaction as any reservation change or point update) and the
 * site's `updated_at` with the cached build, and rebuilds on any difference. Several API instances on one
 * PostgreSQL therefore stay correct: each sees the others' changes through the versions.
 *
 * This process's own commits are replayed into the cache (`attach`): a committed transaction reports the
 * reservations it inserted and released and the versions its bumps produced, and when the cached version of a
 * point is the one the transaction started from, its changes are applied in place and the point moves to the
 * new version — no re-read. Anything else (another process's commit, a rating or site change, a version gap)
 * is left to the version check, which re-reads.
 */
import { buildHourGrid, type HourGrid } from '../domain/profile/calendar.js';
import { classFactors } from '../domain/profile/profile.js';
import type { Site, SupplyPoint } from '../domain/site.js';
import { buildSiteTimelines, type SiteTimelines, type TimelineLoad } from '../domain/utilisation/timeline.js';
import type { CapacityChange, ReservationRecord, Store } from './ports.js';
import { requireSite } from './sites.js';

export interface SiteCapacity {
  /** Changes whenever anything the timelines depend on changes (site, points, reservations). */
  version_key: string;
  site: Site;
  grid: HourGrid;
  points: SupplyPoint[];
  timelines: SiteTimelines;
  /** Active reservations by id. */
  reservations: ReadonlyMap<string, ReservationRecord>;
}

interface Entry extends SiteCapacity {
  /** `version_key` parsed: site version and capacity version per point. */
  parsed: ParsedKey;
  reservations: Map<string, ReservationRecord>;
  /** Ids of the active reservations per source id, built on first use and kept with `reservations`. */
  bySource?: Map<string, Set<string>>;
  /** Derived read models of this version (e.g. serialised utilisation responses), dropped with the version. */
  derived: Map<string, unknown>;
}

interface ParsedKey {
  site: string;
  versions: Map<string, string>;
}

/** `capacityKey` is `siteVersion|P1:v1,P2:v2,…` (points in id order). */
function parseKey(k: string): ParsedKey {
  const bar = k.indexOf('|');
  const versions = new Map<string, string>();
  for (const x of k.slice(bar + 1).split(',')) {
    if (!x) continue;
    const colon = x.lastIndexOf(':');
    versions.set(x.slice(0, colon), x.slice(colon + 1));
  }
  return { site: k.slice(0, bar), versions };
}

function formatKey(p: ParsedKey): string {
  return `${p.site}|${[...p.versions].map(([id, v]) => `${id}:${v}`).join(',')}`;
}

const grids = new Map<string, HourGrid>();

/** Bytes of serialised derived values (utilisation bodies) kept per site version: bounds the cache's memory. */
export const DERIVED_BYTES_PER_SITE = 32 * 1024 * 1024;

function derivedBytes(entry: Entry): number {
  let n = 0;
  for (const v of entry.derived.values()) if (Buffer.isBuffer(v)) n += v.length;
  return n;
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const noPause = (): Promise<void> => Promise.resolve();

/**
 * The hour grid of a site's calendar (time zone, horizon, holidays), built once per calendar: building it
 * walks every day of the horizon through Intl (~50 ms for two years). Grids are immutable.
 */
export function gridOf(site: Site): HourGrid {
  const key = `${site.timezone}|${site.horizon.start}|${site.horizon.end}|${site.holidays.join(',')}`;
  let g = grids.get(key);
  if (!g) {
    g = buildHourGrid({
      timezone: site.timezone,
      start_date: site.horizon.start,
      end_date: site.horizon.end,
      holidays: site.holidays,
    });
    if (grids.size > 100) grids.clear();
    grids.set(key, g);
  }
  return g;
}

export function timelineLoad(r: ReservationRecord): TimelineLoad {
  return {
    id: r.id,
    point_id: r.point_id,
    state: r.state,
    demand_kva: r.demand_kva,
    window: r.window,
    factors: classFactors(r.shape),
  };
}

/**
 * Ids of the points whose capacity version differs between a previous build and the new key, or null when
 * anything else changed (the site row, or the set of points): then everything is rebuilt.
 */
function changedPoints(previous: Entry, site: Site, key: string): string[] | null {
  const a = previous.parsed;
  const b = parseKey(key);
  if (
    a.site !== b.site ||
    previous.site.updated_at !== site.updated_at ||
    a.versions.size !== b.versions.size
  )
    return null;
  const changed: string[] = [];
  for (const [id, v] of b.versions) {
    const before = a.versions.get(id);
    if (before === undefined) return null;
    if (before !== v) changed.push(id);
  }
  return changed;
}

/** Adds a reservation to the entry's by-source index, when it has been built. */
function indexSource(entry: Entry, r: ReservationRecord): void {
  if (!entry.bySource) return;
  const ids = entry.bySource.get(r.source_id);
  if (ids) ids.add(r.id);
  else entry.bySource.set(r.source_id, new Set([r.id]));
}

/** Removes a reservation from the entry's by-source index (a source with none left is dropped). */
function unindexSource(entry: Entry, r: ReservationRecord): void {
  const ids = entry.bySource?.get(r.source_id);
  if (!ids) return;
  ids.delete(r.id);
  if (ids.size === 0) entry.bySource?.delete(r.source_id);
}

export class TimelineService {
  private readonly cache = new Map<string, Entry>();
  /** Rebuilds performed (for tests and metrics). */
  rebuilds = 0;

  /** Current timelines of a site; `store` may be a transaction (then the read is consistent with it). */
  async get(store: Store, siteId: string): Promise<SiteCapacity> {
    const key = await store.points.capacityKey(siteId);
    if (key === undefined) await requireSite(store, siteId); // throws not_found
    const hit = this.cache.get(siteId);
    if (hit && hit.version_key === key) return hit;
    const site = await requireSite(store, siteId);
    // Outside a transaction, a cached site whose points only changed versions is patched in place; inside
    // one (which may still roll back) the site is built aside and not cached.
    if (hit && key !== undefined && !store.inTransaction) {
      const patched = await this.patch(store, site, key, hit);
      if (patched) return patched;
    }
    const entry = await this.build(store, site, key ?? '');
    if (!store.inTransaction) this.cache.set(siteId, entry);
    return entry;
  }

  /** Builds the timelines of a site from storage: every point and every active reservation. */
  private async build(store: Store, site: Site, key: string): Promise<Entry> {
    const grid = gridOf(site);
    const points = await store.points.list(site.id);
    const known = new Set(points.map((p) => p.id));
    const rows = (await store.reservations.listActive(site.id)).filter((r) => known.has(r.point_id));
    this.rebuilds++;
    const timelines = buildSiteTimelines(
      grid,
      points.map((p) => ({
        id: p.id,
        rating_kva: p.rating_kva,
        loading_cap: site.loading_cap,
        energised_from: p.energised_from,
      })),
      rows.map(timelineLoad),
    );
    return {
      version_key: key,
      parsed: parseKey(key),
      derived: new Map(),
      site,
      grid,
      points,
      timelines,
      reservations: new Map(rows.map((r) => [r.id, r])),
    };
  }

  /**
   * Brings a cached site up to `key` in place when only point capacity versions differ (same site version,
   * same point set): re-reads just those points' reservations and replaces them — no new arrays for the other
   * points. A point that a replayed commit moved while the rows were read is left for the next check (its
   * label then differs from the key); undefined when a full build is needed.
   */
  private async patch(store: Store, site: Site, key: string, hit: Entry): Promise<Entry | undefined> {
    const changed = changedPoints(hit, site, key);
    if (!changed) return undefined;
    const labels = changed.map((id) => hit.parsed.versions.get(id));
    const [points, rows] = await Promise.all([
      store.points.list(site.id),
      Promise.all(changed.map((id) => store.reservations.listActive(site.id, id))),
    ]);
    if (this.cache.get(site.id) !== hit) return undefined; // replaced meanwhile
    const target = parseKey(key);
    this.rebuilds++;
    const patchedPoints = new Map<string, SupplyPoint>();
    try {
      changed.forEach((id, i) => {
        if (hit.parsed.versions.get(id) !== labels[i]) return;
        const p = points.find((x) => x.id === id);
        if (!p) throw new Error(`point ${id} vanished`);
        hit.timelines.replacePoint(
          { id, rating_kva: p.rating_kva, loading_cap: site.loading_cap, energised_from: p.energised_from },
          rows[i]!.map(timelineLoad),
        );
        for (const [rid, r] of hit.reservations)
          if (r.point_id === id) {
            hit.reservations.delete(rid);
            unindexSource(hit, r);
          }
        for (const r of rows[i]!) {
          hit.reservations.set(r.id, r);
          indexSource(hit, r);
        }
        hit.parsed.versions.set(id, target.versions.get(id)!);
        patchedPoints.set(id, p);
      });
    } catch {
      this.cache.delete(site.id);
      return undefined;
    }
    hit.points = hit.points.map((p) => patchedPoints.get(p.id) ?? p);
    hit.version_key = formatKey(hit.parsed);
    hit.derived.clear();
    return hit;
  }

  /** Subscribes to the store's commits (see the module comment); returns the unsubscribe function. */
  attach(store: Store): () => void {
    return store.onCommitted((changes) => this.replay(changes));
  }

  /**
   * Applies one commit's capacity changes to the cached sites they touch. Per point the commit's bumps give
   * the version it started from (the first bump's result − 1: a bump locks the point until the commit, and
   * every reservation change bumps) and the one it ended at; the point's inserts and releases are replayed
   * only when the cache holds exactly the starting version. A point changed in any other way is left for the
   * version check; an inconsistency drops the site's cache.
   */
  replay(changes: readonly CapacityChange[]): void {
    type PointLog = { from?: number; to?: number; ops: CapacityChange[]; opaque: boolean };
    const sites = new Map<string, { dropped: boolean; points: Map<string, PointLog> }>();
    for (const c of changes) {
      const siteId = c.kind === 'inserted' ? c.reservation.site_id : c.site_id;
      let s = sites.get(siteId);
      if (!s) sites.set(siteId, (s = { dropped: false, points: new Map() }));
      if (c.kind === 'site_changed') {
        s.dropped = true;
        continue;
      }
      const pointId = c.kind === 'inserted' ? c.reservation.point_id : c.point_id;
      let p = s.points.get(pointId);
      if (!p) s.points.set(pointId, (p = { ops: [], opaque: false }));
      if (c.kind === 'point_changed') p.opaque = true;
      else if (c.kind === 'bumped') {
        p.from ??= c.version - 1;
        p.to = c.version;
      } else p.ops.push(c);
    }
    for (const [siteId, s] of sites) {
      const entry = this.cache.get(siteId);
      if (!entry) continue;
      let kept = false;
      try {
        kept = !s.dropped && this.replaySite(entry, s.points);
      } finally {
        if (!kept) this.cache.delete(siteId);
      }
    }
  }

  /** Replays the points' logs into a cached site; false when the cache can no longer be trusted. */
  private replaySite(
    entry: Entry,
    points: Map<string, { from?: number; to?: number; ops: CapacityChange[]; opaque: boolean }>,
  ): boolean {
    let changed = false;
    for (const [pointId, log] of points) {
      if (log.opaque) continue; // e.g. a new rating: the version check re-reads the point
      // Reservation changes without a bump would leave the version unchanged: never trust the cache then.
      if (log.from === undefined || log.to === undefined) {
        if (log.ops.length > 0) return false;
        continue;
      }
      if (entry.parsed.versions.get(pointId) !== String(log.from)) continue;
      try {
        for (const op of log.ops) {
          if (op.kind === 'inserted') {
            const r = op.reservation;
            entry.timelines.addLoad(timelineLoad(r));
            entry.reservations.set(r.id, r);
            indexSource(entry, r);
          } else if (op.kind === 'released') {
            const r = entry.reservations.get(op.id);
            if (!r) return false;
            entry.timelines.removeLoad(op.id);
            entry.reservations.delete(op.id);
            unindexSource(entry, r);
          }
        }
      } catch {
        return false;
      }
      entry.parsed.versions.set(pointId, String(log.to));
      changed = true;
    }
    if (changed) {
      entry.version_key = formatKey(entry.parsed);
      entry.derived.clear();
    }
    return true;
  }

  /**
   * The cached timelines of a site when they hold exactly the state of `pointId` described by `key` (a
   * `capacityKey` read inside a transaction, after locking the point): same site version and same capacity
   * version of that point. Other points may be at other versions; use only this point's series.
   */
  cachedPoint(siteId: string, key: string | undefined, pointId: string): SiteCapacity | undefined {
    const entry = this.cache.get(siteId);
    if (!entry || key === undefined) return undefined;
    const k = parseKey(key);
    const v = k.versions.get(pointId);
    return v !== undefined && k.site === entry.parsed.site && entry.parsed.versions.get(pointId) === v
      ? entry
      : undefined;
  }

  /** The active reservations of a source in a cached site (from `cachedPoint`), by an index kept with it. */
  reservationsOf(cap: SiteCapacity, sourceId: string): ReservationRecord[] {
    const entry = cap as Entry;
    if (!entry.bySource) {
      entry.bySource = new Map();
      for (const r of entry.reservations.values()) indexSource(entry, r);
    }
    return [...(entry.bySource.get(sourceId) ?? [])].map((id) => entry.reservations.get(id)!);
  }

  /**
   * A value derived from the current timelines of a site, computed once per version and query key. Derived
   * values are pure functions of the version, so they are never stale.
   */
  async derived<T>(store: Store, siteId: string, key: string, compute: (cap: SiteCapacity) => T): Promise<T> {
    const cap = (await this.get(store, siteId)) as Entry;
    if (cap.derived.has(key)) return cap.derived.get(key) as T;
    const value = compute(cap);
    if (cap.derived.size > 200 || derivedBytes(cap) > DERIVED_BYTES_PER_SITE) cap.derived.clear();
    cap.derived.set(key, value);
    return value;
  }

  /**
   * Like `derived`, for a computation that yields to the event loop between its parts (`pause`), so that a
   * large site never holds the loop for the whole computation. A commit replayed meanwhile mutates the cached
   * series in place, so a result is kept only when the version did not move while it was computed; otherwise
   * it is computed again, and the third attempt runs without pausing (one consistent snapshot by construction).
   * Derived values of one version are bounded in count and in bytes (`DERIVED_BYTES_PER_SITE` for Buffers).
   */
  async derivedAsync<T>(
    store: Store,
    siteId: string,
    key: string,
    compute: (cap: SiteCapacity, pause: () => Promise<void>) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const cap = (await this.get(store, siteId)) as Entry;
      if (cap.derived.has(key)) return cap.derived.get(key) as T;
      const version = cap.version_key;
      const value = await compute(cap, attempt < 2 ? yieldToLoop : noPause);
      if (cap.version_key !== version) continue;
      const bytes = Buffer.isBuffer(value) ? value.length : 0;
      if (bytes > DERIVED_BYTES_PER_SITE / 4) return value; // too large to keep: computed per request
      if (cap.derived.size > 200 || derivedBytes(cap) + bytes > DERIVED_BYTES_PER_SITE) cap.derived.clear();
      cap.derived.set(key, value);
      return value;
    }
  }

  invalidate(siteId?: string): void {
    if (siteId) this.cache.delete(siteId);
    else this.cache.clear();
  }
}
