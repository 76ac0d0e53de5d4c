/**
 * The reduced hour set: the only grid hours at which a supply point's load can reach its maximum, for ANY
 * assignment of loads to points.
 *
 * A load l contributes a_l(h) = demand_l × factor_l(class(h)) at hour h inside its window, 0 outside; a
 * point's load is Σ_{l at p} a_l(h). If for hours h, h' every load has a_l(h) ≤ a_l(h'), then h never
 * carries a higher point load than h', whatever the assignment (all a_l ≥ 0), so h can be dropped as long
 * as h' (or something dominating it) is kept.
 *
 * 1. Cut the horizon at every window boundary and energisation date: inside a segment the active load set
 *    S is constant and an hour's contributions depend only on its hour class (72 classes).
 * 2. A candidate (segment s, class c) is dominated by (s', c') when S_s ⊆ S_s' and f_l(c) ≤ f_l(c') for
 *    every l ∈ S_s. With s' = s this is "drop classes dominated for every active load"; with s' ≠ s it drops
 *    segments whose load set is contained in a neighbour's (windows are intervals, so S_s ⊆ S_s' exactly
 *    when s' lies inside every window of S_s).
 * 3. Ties (equal contribution vectors) are broken by (segment, class) order, which makes "dominated by" a
 *    strict partial order: every dropped candidate lies below a kept maximal one, so the maximum over the
 *    kept hours equals the maximum over the full hourly series (property-tested).
 */
import type { HourGrid } from '../profile/calendar.js';
import { HOUR_CLASSES, hourIndexOfDate } from '../profile/calendar.js';
import type { DateWindow } from '../profile/profile.js';
import { windowHours } from '../profile/profile.js';

export interface HourLoad {
  demand_kva: number;
  factors: Float64Array;
  window: DateWindow;
}

export interface ReducedHours {
  /** Kept grid hours, ascending. */
  hours: Int32Array;
  /** Number of horizon segments (constant active load set) before reduction. */
  segment_count: number;
  /** Number of (segment, class) candidates present before domination was applied. */
  candidate_count: number;
}

/**
 * Reduces the hourly capacity constraints to the hours that can bind (see the module comment).
 * @param grid the site hour grid
 * @param loads demand (kVA), 72 hour-class factors and window of each load
 * @param extraDates further cut dates, e.g. the points' energisation dates (local `YYYY-MM-DD`)
 */
export function reduceHours(
  grid: HourGrid,
  loads: readonly HourLoad[],
  extraDates: readonly string[] = [],
): ReducedHours {
  const H = grid.hours;
  const from = new Int32Array(loads.length);
  const to = new Int32Array(loads.length);
  const cuts = new Set<number>([0, H]);
  loads.forEach((l, i) => {
    const w = windowHours(grid, l.window);
    from[i] = Math.max(0, Math.min(H, w.from));
    to[i] = Math.max(0, Math.min(H, w.to));
    cuts.add(from[i] ?? 0);
    cuts.add(to[i] ?? 0);
  });
  for (const d of extraDates) cuts.add(Math.max(0, Math.min(H, hourIndexOfDate(grid, d))));
  const bounds = [...cuts].sort((a, b) => a - b);
  const segCount = bounds.length - 1;

  // Factor vectors deduplicated by content: domination depends only on the set of distinct shapes active.
  const shapeIds = new Map<string, number>();
  const shapes: Float64Array[] = [];
  const shapeOf = new Int32Array(loads.length);
  loads.forEach((l, i) => {
    const key = Array.from(l.factors).join(',');
    let id = shapeIds.get(key);
    if (id === undefined) {
      id = shapes.length;
      shapeIds.set(key, id);
      shapes.push(l.factors);
    }
    shapeOf[i] = id;
  });

  // Loads sorted by start for a sweep that yields each segment's active set.
  const order = loads
    .map((_, i) => i)
    .filter((i) => (loads[i]?.demand_kva ?? 0) > 0 && (to[i] ?? 0) > (from[i] ?? 0));
  order.sort((a, b) => (from[a] ?? 0) - (from[b] ?? 0));

  interface Segment {
    start: number;
    end: number;
    active: number[];
    maxStart: number;
    minEnd: number;
    shapeKey: string;
    dom: Uint8Array;
    /** First hour of each class present in the segment, or −1. */
    classHour: Int32Array;
    kept: number[];
  }
  const domCache = new Map<string, Uint8Array>();
  const segments: Segment[] = [];
  let next = 0;
  let active: number[] = [];
  let candidates = 0;
  for (let s = 0; s < segCount; s++) {
    const start = bounds[s] ?? 0;
    const end = bounds[s + 1] ?? 0;
    active = active.filter((i) => (to[i] ?? 0) > start);
    while (next < order.length && (from[order[next] ?? 0] ?? 0) <= start) {
      const i = order[next] ?? 0;
      if ((to[i] ?? 0) > start) active.push(i);
      next++;
    }
    if (active.length === 0) continue;
    const classHour = new Int32Array(HOUR_CLASSES).fill(-1);
    let found = 0;
    for (let h = start; h < end && found < HOUR_CLASSES; h++) {
      const c = grid.hour_class[h] ?? 0;
      if (classHour[c] === -1) {
        classHour[c] = h;
        found++;
      }
    }
    let maxStart = 0;
    let minEnd = H;
    const shapeSet = new Set<number>();
    for (const i of active) {
      maxStart = Math.max(maxStart, from[i] ?? 0);
      minEnd = Math.min(minEnd, to[i] ?? H);
      shapeSet.add(shapeOf[i] ?? 0);
    }
    const shapeKey = [...shapeSet].sort((a, b) => a - b).join(',');
    let dom = domCache.get(shapeKey);
    if (!dom) {
      dom = classDomination([...shapeSet].map((id) => shapes[id] ?? new Float64Array(HOUR_CLASSES)));
      domCache.set(shapeKey, dom);
    }
    // Within-segment reduction: keep the classes not dominated by another class present.
    const present: number[] = [];
    for (let c = 0; c < HOUR_CLASSES; c++) if ((classHour[c] ?? -1) >= 0) present.push(c);
    candidates += present.length;
    const kept = present.filter(
      (c) =>
        !present.some(
          (c2) =>
            c2 !== c && dom[c * HOUR_CLASSES + c2] === 1 && (dom[c2 * HOUR_CLASSES + c] !== 1 || c2 < c),
        ),
    );
    segments.push({ start, end, active: [...active], maxStart, minEnd, shapeKey, dom, classHour, kept });
  }

  // Cross-segment reduction: (s, c) is dropped when a segment s' inside every window of S_s has a kept class
  // c' with f(c) ≤ f(c') for all shapes of S_s (ties: the earlier (segment, class) is kept).
  const starts = segments.map((g) => g.start);
  const kept: number[] = [];
  segments.forEach((seg, si) => {
    const lo = lowerBound(starts, seg.maxStart);
    const hi = lowerBound(starts, seg.minEnd); // segments [lo, hi) lie inside every window of S_s
    for (const c of seg.kept) {
      let dominated = false;
      for (let sj = lo; sj < hi && !dominated; sj++) {
        if (sj === si) continue;
        const other = segments[sj];
        if (!other || other.end > seg.minEnd) continue;
        const sameSet = other.active.length === seg.active.length;
        for (const c2 of other.kept) {
          if (seg.dom[c * HOUR_CLASSES + c2] !== 1) continue;
          const reverse = sameSet && seg.dom[c2 * HOUR_CLASSES + c] === 1;
          if (!reverse || sj < si || (sj === si && c2 < c)) {
            dominated = true;
            break;
          }
        }
      }
      if (!dominated) kept.push(seg.classHour[c] ?? 0);
    }
  });
  kept.sort((a, b) => a - b);
  return { hours: Int32Array.from(kept), segment_count: segCount, candidate_count: candidates };
}

/** dom[c·72 + c'] = 1 when every shape has factor(c) ≤ factor(c'). */
function classDomination(shapes: readonly Float64Array[]): Uint8Array {
  const dom = new Uint8Array(HOUR_CLASSES * HOUR_CLASSES);
  for (let c = 0; c < HOUR_CLASSES; c++)
    for (let c2 = 0; c2 < HOUR_CLASSES; c2++) {
      let ok = true;
      for (const f of shapes)
        if ((f[c] ?? 0) > (f[c2] ?? 0)) {
          ok = false;
          break;
        }
      dom[c * HOUR_CLASSES + c2] = ok ? 1 : 0;
    }
  return dom;
}

/** Index of the first element ≥ `value` in an ascending array (binary search). */
export function lowerBound(arr: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((arr[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
