import { describe, expect, it } from 'vitest';
import { estimateFeeder } from '../../../src/domain/network/cable-sizing.js';
import { motorStartDip } from '../../../src/domain/network/motor-starting.js';
import { explainUnserved } from '../../../src/domain/plan/explain.js';
import { preparePlan } from '../../../src/domain/plan/prepare.js';
import { heuristicPlan } from '../../../src/domain/plan/heuristic.js';
import { syntheticSite } from '../../../src/domain/plan/synthetic.js';
import type { FeederCheck, StartingDipCheck } from '../../../src/domain/plan/types.js';

/** A small synthetic site, its windows clipped to the horizon's last day (the generator can end one day past it). */
function site() {
  const { problem, grid } = syntheticSite({ loads: 12, seed: 3, load_level: 0.3 });
  const loads = problem.loads.map((l) =>
    l.window.end > '2027-06-30' ? { ...l, window: { ...l.window, end: '2027-06-30' } } : l,
  );
  return { problem: { ...problem, loads }, grid };
}

const realFeeder: FeederCheck = (d, p, q) => {
  const e = estimateFeeder(d, p, q, { voltage_v: 380, voltage_drop_budget_percent: 5 });
  return e ? { ok: true, cross_section_mm2: e.cross_section_mm2 } : { ok: false };
};

/** The network module's dip check (GB 50055 limits) at the rating and over the feeder the planner chose. */
const dipCheck: StartingDipCheck = (load, _id, rating, distance, cs) =>
  load.largest_motor === undefined ||
  motorStartDip({
    motor: load.largest_motor,
    voltage_v: 380,
    supply: { transformer_rating_kva: rating },
    feeder:
      cs === undefined
        ? []
        : [{ conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: cs, length_m: distance }],
  }).ok;

describe('planner: starting dip as a (load, point) feasibility', () => {
  it('when a 160 kW DOL motor would start on 100 kVA points, then no pair is allowed and the reason says so', () => {
    const { problem, grid } = site();
    const points = problem.points.map((p) => ({
      ...p,
      rating_kva: 100,
      min_rating_kva: undefined,
      max_rating_kva: undefined,
    }));
    const loads = problem.loads.map((l, i) =>
      i === 0 ? { ...l, largest_motor: { rated_power_kw: 160, starter: 'direct_on_line' as const } } : l,
    );
    const p = { ...problem, points, loads };
    const without = preparePlan(p, grid, realFeeder);
    expect(without.allowed[0]?.length ?? 0).toBeGreaterThan(0);
    const prep = preparePlan(p, grid, realFeeder, dipCheck);
    expect(prep.allowed[0]).toEqual([]);
    expect(prep.blocked[0]).toBe('starting_dip_at_every_point');
    const unserved = explainUnserved(prep, heuristicPlan(prep), realFeeder).find(
      (u) => u.load_id === loads[0]?.id,
    );
    expect(unserved?.reason).toBe('starting_dip_at_every_point');
    expect(unserved?.alternative.note).toMatch(/reduced-voltage starter/);
  });

  it('when the motor is a 7.5 kW star–delta one, then the allowed pairs are those without the check', () => {
    const { problem, grid } = site();
    const loads = problem.loads.map((l) => ({
      ...l,
      largest_motor: { rated_power_kw: 7.5, starter: 'star_delta' as const },
    }));
    const p = { ...problem, loads };
    const a = preparePlan(p, grid, realFeeder).allowed.map((x) => x.map((y) => y.point));
    const b = preparePlan(p, grid, realFeeder, dipCheck).allowed.map((x) => x.map((y) => y.point));
    expect(b).toEqual(a);
  });
});
