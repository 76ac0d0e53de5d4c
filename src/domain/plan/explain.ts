/**
 * Explanations of unserved loads: the binding reason and the nearest alternative (another point, a later
 * start, a larger rating within the cap, or a dedicated supply), computed against the final plan on the full
 * hour grid.
 */
import { addDays, daysBetween } from '../profile/calendar.js';
import { addLoad, windowHours } from '../profile/profile.js';
import { distanceM, type PreparedPlan } from './prepare.js';
import { requiredRating, type PlanState } from './state.js';
import type { UnservedAlternative, UnservedLoad, UnservedReason } from './types.js';

/** Most candidate start dates tried per point when looking for a later start. */
const MAX_SHIFT_TRIES = 400;

/**
 * Explains every unserved load of a plan.
 * @returns one entry per unserved load, in load order
 */
export function explainUnserved(
  prep: PreparedPlan,
  state: PlanState,
  feederCheck: (d: number, p: number, q: number) => { ok: boolean; voltage_drop_percent?: number },
): UnservedLoad[] {
  const { problem, grid } = prep;
  const beta = prep.loadingCap;
  const cap = problem.site.total_capacity_cap_kva;
  const sumRatings = state.rating.reduce((a, b) => a + b, 0);
  const usedCount = state.rating.filter((r) => r > 0).length;
  const series = new Map<number, Float64Array>();
  const seriesOf = (p: number): Float64Array => {
    let s = series.get(p);
    if (!s) {
      s = new Float64Array(grid.hours);
      for (let l = 0; l < state.assign.length; l++) {
        if (state.assign[l] !== p) continue;
        const load = problem.loads[l];
        if (load) addLoad(s, grid, prep.loadFrom[l] ?? 0, prep.loadTo[l] ?? 0, load.demand_kva, load.factors);
      }
      series.set(p, s);
    }
    return s;
  };
  const peakWith = (l: number, p: number, from: number, to: number): number => {
    const s = seriesOf(p);
    const load = problem.loads[l];
    let peak = 0;
    for (const v of s) if (v > peak) peak = v;
    if (!load) return peak;
    for (let h = Math.max(0, from); h < Math.min(to, grid.hours); h++) {
      const v = (s[h] ?? 0) + load.demand_kva * (load.factors[grid.hour_class[h] ?? 0] ?? 0);
      if (v > peak) peak = v;
    }
    return peak;
  };
  /** Rating point p would need to take load l (null: none admissible), and whether the cap/count allow it. */
  const headroom = (l: number, p: number): { fits: boolean; rating: number | null; capAllows: boolean } => {
    const current = state.rating[p] ?? 0;
    const peak = peakWith(l, p, prep.loadFrom[l] ?? 0, prep.loadTo[l] ?? 0);
    const need = requiredRating(prep, p, peak);
    if (need === null) return { fits: false, rating: null, capAllows: false };
    const r = Math.max(need, current);
    const countOk = current > 0 || usedCount < problem.site.max_supply_points;
    const capAllows = sumRatings - current + r <= cap + 1e-9 && countOk;
    return { fits: current > 0 && peak <= beta * current * (1 + 1e-9), rating: r, capAllows };
  };

  const out: UnservedLoad[] = [];
  problem.loads.forEach((load, l) => {
    if ((state.assign[l] ?? -1) >= 0) return;
    const energised = problem.points
      .map((p, pi) => ({ p, pi }))
      .filter(
        ({ p, pi }) => load.window.start >= p.energised_from && (prep.ratingOptions[pi] ?? []).length > 0,
      );
    const vdOk = (pi: number): { ok: boolean; voltage_drop_percent?: number } => {
      const p = problem.points[pi];
      if (!p) return { ok: false };
      return feederCheck(
        distanceM(load.position_m, p.position_m),
        load.active_power_kw,
        load.reactive_power_kvar,
      );
    };
    const dist = (pi: number): number => {
      const p = problem.points[pi];
      return p ? distanceM(load.position_m, p.position_m) : Number.POSITIVE_INFINITY;
    };
    const laterStart = (): UnservedAlternative | null => {
      // Earliest start (same duration) at which some feeder-feasible point takes the load as rated now.
      const duration = daysBetween(load.window.start, load.window.end);
      let best: { date: string; pi: number } | null = null;
      problem.points.forEach((p, pi) => {
        if ((state.rating[pi] ?? 0) <= 0 || !vdOk(pi).ok) return;
        const dates = new Set<string>([p.energised_from]);
        state.assign.forEach((q, m) => {
          if (q === pi) {
            const e = problem.loads[m]?.window.end;
            if (e) dates.add(e);
          }
        });
        const sorted = [...dates]
          .filter((d) => d > load.window.start && d >= p.energised_from)
          .sort()
          .slice(0, MAX_SHIFT_TRIES);
        for (const d of sorted) {
          if (best && d >= best.date) break;
          const end = addDays(d, duration);
          if (end > addDays(grid.end_date, 1)) break;
          const w = windowHours(grid, { start: d, end });
          if (peakWith(l, pi, w.from, w.to) <= beta * (state.rating[pi] ?? 0) * (1 + 1e-9)) {
            best = { date: d, pi };
            break;
          }
        }
      });
      if (!best) return null;
      const b: { date: string; pi: number } = best;
      return {
        kind: 'later_start',
        start_date: b.date,
        point_id: problem.points[b.pi]?.id ?? '',
        note: `fits at ${problem.points[b.pi]?.id ?? ''} if it starts on ${b.date} with the same duration`,
      };
    };

    let reason: UnservedReason;
    let alternative: UnservedAlternative | null = null;
    const blocked = prep.blocked[l] ?? null;
    if (blocked === 'above_low_voltage_threshold') {
      reason = blocked;
      alternative = {
        kind: 'dedicated_supply',
        note: `a direct public-LV connection above the ${problem.site.low_voltage_threshold_kw} kW LV connection limit (installed capacity): a 10 kV connection with its own transformer, or an engineer's override to supply it from a site point`,
      };
    } else if (blocked === 'starting_dip_at_every_point') {
      reason = blocked;
      alternative = {
        kind: 'none',
        note: 'its largest motor dips the voltage below the limit at every point it could reach: use a reduced-voltage starter (star–delta, soft starter, VFD) or a larger transformer',
      };
    } else if (blocked === 'window_before_every_energisation') {
      reason = blocked;
      const candidates = problem.points
        .map((p, pi) => ({ p, pi, f: vdOk(pi) }))
        .filter(({ pi, f }) => f.ok && (prep.ratingOptions[pi] ?? []).length > 0)
        .sort((a, b) =>
          a.p.energised_from < b.p.energised_from
            ? -1
            : a.p.energised_from > b.p.energised_from
              ? 1
              : dist(a.pi) - dist(b.pi),
        );
      const first = candidates[0];
      alternative = first
        ? {
            kind: 'later_start',
            point_id: first.p.id,
            start_date: first.p.energised_from,
            note: `the first point that can feed it is energised on ${first.p.energised_from}`,
          }
        : {
            kind: 'none',
            note: 'no point is energised by the window start and none is within the voltage-drop budget',
          };
    } else {
      const withHeadroom = energised.filter(({ pi }) => {
        const h = headroom(l, pi);
        return h.fits || h.capAllows;
      });
      const headroomVdOk = withHeadroom.filter(({ pi }) => vdOk(pi).ok);
      if (
        blocked === 'voltage_drop_at_every_point_with_headroom' ||
        (withHeadroom.length > 0 && headroomVdOk.length === 0)
      ) {
        reason = 'voltage_drop_at_every_point_with_headroom';
        const near = (withHeadroom.length > 0 ? withHeadroom : energised).sort(
          (a, b) => dist(a.pi) - dist(b.pi),
        )[0];
        // A feeder-feasible point energised after the requested start: starting then is usually the fix.
        const soon = problem.points
          .map((p, pi) => ({ p, pi }))
          .filter(
            ({ p, pi }) =>
              p.energised_from > load.window.start &&
              (prep.ratingOptions[pi] ?? []).length > 0 &&
              vdOk(pi).ok,
          )
          .sort((a, b) =>
            a.p.energised_from < b.p.energised_from
              ? -1
              : a.p.energised_from > b.p.energised_from
                ? 1
                : dist(a.pi) - dist(b.pi),
          )[0];
        if (soon) {
          const late = daysBetween(load.window.start, soon.p.energised_from);
          alternative = {
            kind: 'later_start',
            point_id: soon.p.id,
            start_date: soon.p.energised_from,
            distance_m: dist(soon.pi),
            note: `${soon.p.id}, ${dist(soon.pi).toFixed(0)} m away, is energised on ${soon.p.energised_from}, ${late} day${late === 1 ? '' : 's'} after the requested start: start then, or bring its energisation forward`,
          };
        } else if (near) {
          const f = vdOk(near.pi);
          alternative = {
            kind: 'other_point',
            point_id: near.p.id,
            distance_m: dist(near.pi),
            ...(f.voltage_drop_percent !== undefined ? { voltage_drop_percent: f.voltage_drop_percent } : {}),
            note: `nearest point with headroom is ${near.p.id} at ${dist(near.pi).toFixed(0)} m; its feeder exceeds the ${problem.site.voltage_drop_budget_percent} % budget (closer distribution box or parallel cables)`,
          };
        }
      } else {
        reason = 'no_point_with_headroom';
        // A larger rating at the cheapest feeder-feasible point, if the cap allows it.
        for (const pair of prep.allowed[l] ?? []) {
          const h = headroom(l, pair.point);
          if (h.rating !== null && h.capAllows) {
            alternative = {
              kind: 'larger_rating',
              point_id: problem.points[pair.point]?.id ?? '',
              rating_kva: h.rating,
              note: `raise ${problem.points[pair.point]?.id ?? ''} to ${h.rating} kVA (within the ${cap} kVA cap)`,
            };
            break;
          }
        }
        alternative ??= laterStart();
        if (!alternative) {
          const first = (prep.allowed[l] ?? [])[0];
          const h = first ? headroom(l, first.point) : null;
          const pointId = first ? (problem.points[first.point]?.id ?? '') : '';
          alternative =
            first && h?.rating !== null && h?.rating !== undefined
              ? {
                  kind: 'larger_rating',
                  point_id: pointId,
                  rating_kva: h.rating,
                  note: `${pointId} would need ${h.rating} kVA, which the ${cap} kVA cap does not allow (${(sumRatings - (state.rating[first.point] ?? 0) + h.rating - cap).toFixed(0)} kVA over)`,
                }
              : { kind: 'none', note: 'no admissible rating of any feeder-feasible point can carry it' };
        }
      }
    }
    out.push({
      load_id: load.id,
      reason,
      alternative: alternative ?? { kind: 'none', note: 'no alternative found' },
    });
  });
  return out;
}
