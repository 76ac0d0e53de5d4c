import { describe, it, expect } from 'vitest';
import { verifyPlan } from '../../../src/domain/plan/verify.js';
import { addDays } from '../../../src/domain/profile/calendar.js';
import { PRESET_SHAPES, classFactors } from '../../../src/domain/profile/profile.js';
import type { PlanLoad, PlanProblem } from '../../../src/domain/plan/types.js';
import { linearFeeder, smallGrid } from './helpers.js';

const START = '2026-03-02';
const grid = smallGrid(14, START);
const continuous = classFactors(PRESET_SHAPES.continuous!);
const load = (id: string, over: Partial<PlanLoad> = {}): PlanLoad => ({
  id,
  demand_kva: 100,
  active_power_kw: 85,
  reactive_power_kvar: 52.7,
  lv_threshold_exceeded: false,
  factors: continuous,
  window: { start: addDays(START, 2), end: addDays(START, 9) },
  position_m: { x: 10, y: 0 },
  ...over,
});
const problem = (loads: PlanLoad[]): PlanProblem => ({
  site: {
    total_capacity_cap_kva: 500,
    max_supply_points: 1,
    loading_cap: 0.85,
    voltage_drop_budget_percent: 5,
    low_voltage_threshold_kw: 160,
  },
  points: [
    { id: 'A', position_m: { x: 0, y: 0 }, energised_from: START },
    { id: 'B', position_m: { x: 1000, y: 0 }, energised_from: addDays(START, 5), max_rating_kva: 200 },
  ],
  loads,
});
const kinds = (v: { kind: string }[]): string[] => v.map((x) => x.kind).sort();

describe('verifyPlan (full hourly re-check)', () => {
  it('a valid plan has no violation', () => {
    // 100 kVA continuous ≤ 0.85 × 125 = 106.25 kVA (hand-computed)
    expect(
      verifyPlan(
        problem([load('L')]),
        grid,
        { ratings: { A: 125, B: 0 }, assignment: { L: 'A' } },
        linearFeeder(),
      ),
    ).toEqual([]);
  });
  it('detects an hour above β × rating, with the hour', () => {
    // 100 kVA > 0.85 × 100 = 85 kVA
    const v = verifyPlan(
      problem([load('L')]),
      grid,
      { ratings: { A: 100, B: 0 }, assignment: { L: 'A' } },
      linearFeeder(),
    );
    expect(kinds(v)).toEqual(['capacity']);
    expect(v[0]).toMatchObject({ point_id: 'A', value: 100, limit: 85 });
    expect(v[0]?.hour_iso).toBeDefined();
  });
  it('detects energisation, voltage drop, LV threshold, unused point, cap, count and non-standard/out-of-range ratings', () => {
    const loads = [
      load('early', { position_m: { x: 10, y: 0 }, window: { start: START, end: addDays(START, 3) } }),
      load('big', { lv_threshold_exceeded: true }),
    ];
    // early at B: starts before B's energisation; 85 kW × 990 m / 10 000 = 8.4 % > 5 % voltage drop
    const v = verifyPlan(
      problem(loads),
      grid,
      { ratings: { A: 0, B: 450 }, assignment: { early: 'B', big: 'A' } },
      linearFeeder(),
    );
    expect(kinds(v)).toEqual(
      [
        'capacity',
        'energisation',
        'low_voltage_threshold',
        'rating',
        'rating',
        'unrated_point',
        'voltage_drop',
      ].sort(),
    );
    const w = verifyPlan(problem([]), grid, { ratings: { A: 400, B: 200 }, assignment: {} }, linearFeeder());
    // 400 + 200 = 600 > 500 cap; 2 points > 1 allowed
    expect(kinds(w)).toEqual(['point_count', 'total_capacity_cap']);
  });
});
