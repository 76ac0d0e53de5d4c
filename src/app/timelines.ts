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

export function gridOf(site: Site): HourGrid {
  return buildHourGrid({
    timezone: site.timezone,
    start_date: site.horizon.start,
    end_date: site.horizon.end,
    holidays: site.holidays,
  });
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

export class TimelineService {
  private readonly cache = new Map<string, Entry>();
  private readonly grids = new Map<string, HourGrid>();
  /** Rebuilds performed (for tests and metrics). */
  rebuilds = 0;

  private grid(site: Site): HourGrid {
    const key = `${site.timezone}|${site.horizon.start}|${site.horizon.end}|${site.holidays.join(',')}`;
    let g = this.grids.get(key);
    if (!g) {
      g = gridOf(site);
      this.grids.set(key, g);
    }
    return g;
  }

  /** Current timelines of a site; `store` may be a transaction (then the read is consistent with it). */
  async get(store: Store, siteId: string): Promise<SiteCapacity> {
    const key = await store.points.capacityKey(siteId);
    if (key === undefined) await requireSite(store, siteId); // throws not_found
    const hit = this.cache.get(siteId);
    if (hit && hit.key === key) return hit;
    const site = await requireSite(store, siteId);
    const entry = await this.build(store, site, key ?? '');
    // Only cache builds made outside a transaction: a transaction may still roll back.
    if (!store.inTransaction) this.cache.set(siteId, entry);
    return entry;
  }

  private async build(store: Store, site: Site, key: string): Promise<Entry> {
    const grid = this.grid(site);
    const points = await store.points.list(site.id);
    const reservations = await store.reservations.listActive(site.id);
    const timelines = buildSiteTimelines(
      grid,
      points.map((p) => ({
        id: p.id,
        rating_kva: p.rating_kva,
        loading_cap: site.loading_cap,
        energised_from: p.energised_from,
      })),
      reservations.filter((r) => points.some((p) => p.id === r.point_id)).map(timelineLoad),
    );
    this.rebuilds++;
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
