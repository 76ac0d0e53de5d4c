/**
 * The capacity invariant of a supply point (DOMAIN.md §0 step 5, §3.3): in every hour of the grid the
 * reserved load it carries stays within its allocation limit `rating_kva × loading_cap` (β_max, GB 51348-2019
 * §4.3.2). `findOverbooking` is the pure check every edit of a point, a site or a reservation runs before it
 * commits: given the point and the reserved loads on it, it returns the hours where the limit is exceeded,
 * the worst of them and the loads that contribute there — or null when the point is within its limit.
 */
import { hourToIso, type HourGrid } from '../profile/calendar.js';
import { windowHours } from '../profile/profile.js';
import {
  CAPACITY_EPSILON_KVA,
  buildSiteTimelines,
  type TimelineLoad,
  type TimelinePoint,
} from './timeline.js';

export interface OverbookedLoad {
  id: string;
  /** The load's demand at the worst hour, kVA. */
  at_worst_kva: number;
}

export interface Overbooking {
  point_id: string;
  /** `rating_kva × loading_cap`, kVA. */
  limit_kva: number;
  /** Number of grid hours where the reserved load exceeds the limit. */
  hours_over: number;
  first_hour: number;
  first_at: string;
  worst_hour: number;
  worst_at: string;
  /** Reserved load at the worst hour, kVA. */
  worst_reserved_kva: number;
  /** `worst_reserved_kva − limit_kva`, kVA (> 0). */
  over_kva: number;
  /**
   * Every load that carries demand (> 0 kVA) in at least one overbooked hour, in the order given, with its
   * demand at the worst hour: releasing or moving all of them clears every overbooked hour.
   */
  loads: OverbookedLoad[];
}

/**
 * Checks a point's reserved loads against its limit hour by hour.
 * @param grid the site's hour grid
 * @param point rating (kVA), loading cap (fraction), energisation date
 * @param loads the reserved loads on the point (demand kVA × hour-class factors over [start, end)); their
 *   `state` is ignored — every load given counts
 * @returns the overbooked hours, or null when reserved ≤ limit + 1e-9 kVA in every hour
 */
export function findOverbooking(
  grid: HourGrid,
  point: TimelinePoint,
  loads: readonly TimelineLoad[],
): Overbooking | null {
  const tl = buildSiteTimelines(
    grid,
    [point],
    loads.map((l) => ({ ...l, point_id: point.id, state: 'reserved' })),
  );
  const pt = tl.point(point.id);
  const limit = pt.limit_kva;
  const series = pt.reserved;
  let first = -1;
  let worst = -1;
  let count = 0;
  for (let h = 0; h < series.length; h++) {
    const v = series[h] as number;
    if (v > limit + CAPACITY_EPSILON_KVA) {
      count++;
      if (first < 0) first = h;
      if (worst < 0 || v > (series[worst] as number)) worst = h;
    }
  }
  if (first < 0) return null;
  const over = new Uint8Array(series.length);
  for (let h = first; h < series.length; h++)
    if ((series[h] as number) > limit + CAPACITY_EPSILON_KVA) over[h] = 1;
  const hc = grid.hour_class;
  const involved: OverbookedLoad[] = [];
  for (const l of loads) {
    const { from, to } = windowHours(grid, l.window);
    let hit = false;
    for (let h = Math.max(from, first); h < to && !hit; h++)
      if (over[h] === 1 && l.demand_kva * (l.factors[hc[h] as number] as number) > 0) hit = true;
    if (!hit) continue;
    const atWorst =
      worst >= from && worst < to ? l.demand_kva * (l.factors[hc[worst] as number] as number) : 0;
    involved.push({ id: l.id, at_worst_kva: atWorst });
  }
  const worstKva = series[worst] as number;
  return {
    point_id: point.id,
    limit_kva: limit,
    hours_over: count,
    first_hour: first,
    first_at: hourToIso(grid, first),
    worst_hour: worst,
    worst_at: hourToIso(grid, worst),
    worst_reserved_kva: worstKva,
    over_kva: worstKva - limit,
    loads: involved,
  };
}
