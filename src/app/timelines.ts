/**
 * Capacity timelines kept in memory per site and never served stale: every read compares the points'
 * capacity versions (bumped in the same transaction as any reservation change or point update) and the
 * site's `updated_at` with the cached build, and rebuilds on any difference. Several API instances on one
 * PostgreSQL therefore stay correct: each sees the others' changes through the versions.
 */
import { buildHourGrid, type HourGrid } from '../domain/profile/calendar.js';
import { classFactors } from '../domain/profile/profile.js';
import type { Site, SupplyPoint } from '../domain/site.js';
import { buildSiteTimelines, type SiteTimelines, type TimelineLoad } from '../domain/utilisation/timeline.js';
import type { ReservationRecord, Store } from './ports.js';
import { requireSite } from './sites.js';

export interface SiteCapacity {
  /** Changes whenever anything the timelines depend on changes (site, points, reservations). */
  version_key: string;
  site: Site;
  grid: HourGrid;
  points: SupplyPoint[];
  timelines: SiteTimelines;
  reservations: ReservationRecord[];
}

interface Entry extends SiteCapacity {
  key: string;
  /** Derived read models of this version (e.g. serialised utilisation responses), dropped with the version. */
  derived: Map<string, unknown>;
}

const grids = new Map<string, HourGrid>();

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
  const parse = (k: string) => {
    const [updated, list = ''] = [k.slice(0, k.indexOf('|')), k.slice(k.indexOf('|') + 1)];
    return {
      updated,
      versions: new Map(
        list
          .split(',')
          .filter(Boolean)
          .map((x) => x.split(':') as [string, string]),
      ),
    };
  };
  const a = parse(previous.key);
  const b = parse(key);
  if (
    a.updated !== b.updated ||
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

export class TimelineService {
  private readonly cache = new Map<string, Entry>();
  /** Rebuilds performed (for tests and metrics). */
  rebuilds = 0;

  /** Current timelines of a site; `store` may be a transaction (then the read is consistent with it). */
  async get(store: Store, siteId: string): Promise<SiteCapacity> {
    const key = await store.points.capacityKey(siteId);
    if (key === undefined) await requireSite(store, siteId); // throws not_found
    const hit = this.cache.get(siteId);
    if (hit && hit.key === key) return hit;
    const site = await requireSite(store, siteId);
    const entry = await this.build(store, site, key ?? '', hit);
    // Only cache builds made outside a transaction: a transaction may still roll back.
    if (!store.inTransaction) this.cache.set(siteId, entry);
    return entry;
  }

  /**
   * Builds the timelines of a site. With a previous build of the same site version (site row and point set
   * unchanged), only the points whose capacity version changed are read again and re-summed; the others are
   * copied — a submission or approval touches one point, so this keeps reads fast on large sites.
   */
  private async build(store: Store, site: Site, key: string, previous?: Entry): Promise<Entry> {
    const grid = gridOf(site);
    const points = await store.points.list(site.id);
    const timelinePoints = points.map((p) => ({
      id: p.id,
      rating_kva: p.rating_kva,
      loading_cap: site.loading_cap,
      energised_from: p.energised_from,
    }));
    const changed = previous ? changedPoints(previous, site, key) : null;
    this.rebuilds++;
    if (previous && changed) {
      const reread = (
        await Promise.all(changed.map((id) => store.reservations.listActive(site.id, id)))
      ).flat();
      const timelines = buildSiteTimelines(grid, timelinePoints, reread.map(timelineLoad));
      for (const p of points) if (!changed.includes(p.id)) timelines.adoptPoint(previous.timelines, p.id);
      const reservations = [...previous.reservations.filter((r) => !changed.includes(r.point_id)), ...reread];
      return { key, version_key: key, derived: new Map(), site, grid, points, timelines, reservations };
    }
    const reservations = await store.reservations.listActive(site.id);
    const timelines = buildSiteTimelines(
      grid,
      timelinePoints,
      reservations.filter((r) => points.some((p) => p.id === r.point_id)).map(timelineLoad),
    );
    return { key, version_key: key, derived: new Map(), site, grid, points, timelines, reservations };
  }

  /**
   * A value derived from the current timelines of a site, computed once per version and query key. Derived
   * values are pure functions of the version, so they are never stale.
   */
  async derived<T>(store: Store, siteId: string, key: string, compute: (cap: SiteCapacity) => T): Promise<T> {
    const cap = (await this.get(store, siteId)) as Entry;
    if (cap.derived.has(key)) return cap.derived.get(key) as T;
    const value = compute(cap);
    if (cap.derived.size > 200) cap.derived.clear();
    cap.derived.set(key, value);
    return value;
  }

  invalidate(siteId?: string): void {
    if (siteId) this.cache.delete(siteId);
    else this.cache.clear();
  }
}
