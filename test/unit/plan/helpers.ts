/**
 * Test helpers for the planner: small random instances on short grids, an independent full-grid evaluator
 * and an exhaustive search used as the optimum reference.
 */
import fc from 'fast-check';
import { buildHourGrid, addDays, type HourGrid } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, addLoad, classFactors, windowHours } from '../../../src/domain/profile/profile.js';
import type { FeederCheck, PlanLoad, PlanPoint, PlanProblem } from '../../../src/domain/plan/types.js';
import { mulberry32 } from '../../../src/domain/plan/synthetic.js';

export const SHAPES = Object.values(PRESET_SHAPES).map(classFactors);

/** Feeder stand-in: ΔU% = k·P·L, ok when ≤ budget (k chosen so that 100 kW reaches 5 % at 500 m). */
export function linearFeeder(budgetPercent = 5): FeederCheck {
  return (d, p) => {
    const du = (p * d) / 10_000;
    return { ok: du <= budgetPercent, cross_section_mm2: 240, voltage_drop_percent: du };
  };
}

export function smallGrid(
  days: number,
  start = '2026-03-02',
  timezone = 'Asia/Shanghai',
  holidays: string[] = [],
): HourGrid {
  return buildHourGrid({ timezone, start_date: start, end_date: addDays(start, days - 1), holidays });
}

export interface InstanceSpec {
  days: number;
  points: { x: number; y: number; energised_day: number; min: number; max: number }[];
  loads: { x: number; y: number; demand: number; shape: number; start: number; len: number; lv: boolean }[];
  cap: number;
  max_points: number;
}

const RATINGS = [30, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500];

/** Random small instances: 1–3 points with two admissible ratings each, 1–5 loads, a 7–20 day grid. */
export function instanceArb(maxLoads = 5, maxPoints = 3): fc.Arbitrary<InstanceSpec> {
  return fc.integer({ min: 7, max: 20 }).chain((days) =>
    fc.record({
      days: fc.constant(days),
      points: fc.array(
        fc.record({
          x: fc.integer({ min: 0, max: 600 }),
          y: fc.integer({ min: 0, max: 400 }),
          energised_day: fc.integer({ min: 0, max: 4 }),
          min: fc.integer({ min: 3, max: RATINGS.length - 3 }),
          max: fc.constant(0),
        }),
        { minLength: 1, maxLength: maxPoints },
      ),
      loads: fc.array(
        fc.record({
          x: fc.integer({ min: 0, max: 600 }),
          y: fc.integer({ min: 0, max: 400 }),
          demand: fc.integer({ min: 5, max: 150 }),
          shape: fc.integer({ min: 0, max: SHAPES.length - 1 }),
          start: fc.integer({ min: 0, max: days - 1 }),
          len: fc.integer({ min: 1, max: days }),
          lv: fc.integer({ min: 0, max: 7 }).map((v) => v === 0),
        }),
        { minLength: 1, maxLength: maxLoads },
      ),
      cap: fc.integer({ min: 150, max: 1200 }),
      max_points: fc.integer({ min: 1, max: 3 }),
    }),
  );
}

/** Builds a problem from a spec: each point's admissible ratings are two consecutive R10 values (or 0). */
export function buildInstance(
  spec: InstanceSpec,
  start = '2026-03-02',
): { problem: PlanProblem; grid: HourGrid } {
  const grid = smallGrid(spec.days, start);
  const points: PlanPoint[] = spec.points.map((p, i) => ({
    id: `P${i}`,
    position_m: { x: p.x, y: p.y },
    energised_from: addDays(start, p.energised_day),
    min_rating_kva: RATINGS[p.min] ?? 30,
    max_rating_kva: RATINGS[p.min + 1] ?? 50,
  }));
  const loads: PlanLoad[] = spec.loads.map((l, i) => {
    const s = addDays(start, l.start);
    const endDay = Math.min(spec.days, l.start + l.len);
    return {
      id: `L${i}`,
      demand_kva: l.demand,
      active_power_kw: l.demand * 0.85,
      reactive_power_kvar: l.demand * Math.sqrt(1 - 0.85 ** 2),
      lv_threshold_exceeded: l.lv,
      factors: SHAPES[l.shape] ?? new Float64Array(72).fill(1),
      window: { start: s, end: addDays(start, endDay) },
      position_m: { x: l.x, y: l.y },
    };
  });
  return {
    grid,
    problem: {
      site: {
        total_capacity_cap_kva: spec.cap,
        max_supply_points: spec.max_points,
        loading_cap: 0.85,
        voltage_drop_budget_percent: 5,
        low_voltage_threshold_kw: 160,
      },
      points,
      loads,
      weights: { feeder_cost_per_kva_m: 1, balance: 1000, unserved_penalty: 1e7 },
    },
  };
}

export function fullSeries(grid: HourGrid, load: PlanLoad): Float64Array {
  const s = new Float64Array(grid.hours);
  const w = windowHours(grid, load.window);
  addLoad(s, grid, w.from, w.to, load.demand_kva, load.factors);
  return s;
}

/**
 * Exhaustive optimum: every assignment (each load at an admissible point or unserved) × every rating
 * choice (0 or an admissible rating per point), checked hour by hour on the full grid.
 */
export function bruteForceOptimum(problem: PlanProblem, grid: HourGrid, feeder: FeederCheck): number {
  const { site, points, loads } = problem;
  const w = {
    f: problem.weights?.feeder_cost_per_kva_m ?? 1,
    b: problem.weights?.balance ?? 0,
    u: problem.weights?.unserved_penalty ?? 1e7,
  };
  const series = loads.map((l) => fullSeries(grid, l));
  const options = loads.map((l) => {
    const opts: { p: number; cost: number }[] = [{ p: -1, cost: w.u }];
    if (l.lv_threshold_exceeded && l.lv_override !== true) return opts;
    points.forEach((p, pi) => {
      if (l.window.start < p.energised_from) return;
      const d = Math.hypot(l.position_m.x - p.position_m.x, l.position_m.y - p.position_m.y);
      if (!feeder(d, l.active_power_kw, l.reactive_power_kvar).ok) return;
      opts.push({ p: pi, cost: w.f * l.demand_kva * d });
    });
    return opts;
  });
  const ratingChoices = points.map((p) => {
    const rs = [0];
    for (const r of [30, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630])
      if (r >= (p.min_rating_kva ?? 0) && r <= (p.max_rating_kva ?? Infinity)) rs.push(r);
    return rs;
  });
  let best = Infinity;
  const choice = new Array<number>(loads.length).fill(0);
  const recurse = (i: number, cost: number): void => {
    if (i === loads.length) {
      const peaks = points.map(() => 0);
      const used = points.map(() => false);
      points.forEach((_, pi) => {
        const s = new Float64Array(grid.hours);
        loads.forEach((_, l) => {
          if (options[l]![choice[l]!]!.p === pi) {
            used[pi] = true;
            const ls = series[l]!;
            for (let h = 0; h < s.length; h++) s[h]! += ls[h]!;
          }
        });
        peaks[pi] = Math.max(0, ...s);
      });
      const rate = (pi: number, acc: number[]): void => {
        if (pi === points.length) {
          const sum = acc.reduce((a, b) => a + b, 0);
          const count = acc.filter((r) => r > 0).length;
          if (sum > site.total_capacity_cap_kva || count > site.max_supply_points) return;
          let u = 0;
          for (let p = 0; p < points.length; p++) {
            const r = acc[p]!;
            if (used[p] && r === 0) return;
            if (r > 0) {
              if (peaks[p]! > site.loading_cap * r + 1e-9) return;
              u = Math.max(u, peaks[p]! / r);
            }
          }
          best = Math.min(best, cost + w.b * u);
          return;
        }
        for (const r of ratingChoices[pi]!) rate(pi + 1, [...acc, r]);
      };
      rate(0, []);
      return;
    }
    options[i]!.forEach((o, k) => {
      choice[i] = k;
      recurse(i + 1, cost + o.cost);
    });
  };
  recurse(0, 0);
  return best;
}

/** A typical (unbiased) tiny instance from a seed: 3 points × 5 loads, two admissible ratings per point. */
export function tinySpec(seed: number): InstanceSpec {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const days = int(7, 14);
  return {
    days,
    points: [0, 1, 2].map(() => ({
      x: int(0, 600),
      y: int(0, 400),
      energised_day: int(0, 3),
      min: int(4, 8),
      max: 0,
    })),
    loads: [0, 1, 2, 3, 4].map(() => ({
      x: int(0, 600),
      y: int(0, 400),
      demand: int(10, 150),
      shape: int(0, SHAPES.length - 1),
      start: int(0, days - 1),
      len: int(1, days),
      lv: rnd() < 0.1,
    })),
    cap: int(250, 700),
    max_points: int(2, 3),
  };
}
