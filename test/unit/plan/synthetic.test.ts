import { describe, it, expect } from 'vitest';
import { syntheticSite, mulberry32, closedFormFeederCheck } from '../../../src/domain/plan/synthetic.js';

describe('synthetic sites', () => {
  it('are reproducible for a seed and differ between seeds', () => {
    const a = syntheticSite({ loads: 60, seed: 5 });
    const b = syntheticSite({ loads: 60, seed: 5 });
    const c = syntheticSite({ loads: 60, seed: 6 });
    expect(a.problem.loads.map((l) => [l.demand_kva, l.window.start])).toEqual(
      b.problem.loads.map((l) => [l.demand_kva, l.window.start]),
    );
    expect(a.problem.loads.map((l) => l.demand_kva)).not.toEqual(c.problem.loads.map((l) => l.demand_kva));
  });
  it('have 10 points, a 5000 kVA cap, demands in 20–200 kVA (the reference requests span 19–188 kVA) and windows inside the two-year horizon', () => {
    const { problem, grid } = syntheticSite({ loads: 500, seed: 9 });
    expect(problem.points).toHaveLength(10);
    expect(problem.site.total_capacity_cap_kva).toBe(5000);
    for (const l of problem.loads) {
      expect(l.demand_kva).toBeGreaterThanOrEqual(20);
      expect(l.demand_kva).toBeLessThanOrEqual(200);
      expect(l.window.start >= grid.start_date).toBe(true);
      expect(l.window.end <= '2027-07-01').toBe(true);
      expect(l.window.end > l.window.start).toBe(true);
      expect(l.factors).toHaveLength(72);
    }
  });
  it('mulberry32 gives floats in [0, 1)', () => {
    const r = mulberry32(123);
    for (let i = 0; i < 1000; i++) {
      const v = r();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });
  it('the closed-form feeder check follows ΔU% = (P·R0 + Q·X0)·L/(10·Un²)', () => {
    // hand-computed: R0 = 1000/(53·240) = 0.078616 Ω/km; 100 kW, 0 kvar, 500 m:
    // ΔU = 100·0.078616·0.5/(10·0.38²) = 3.931/1.444 = 2.7222 %
    const f = closedFormFeederCheck(5)(500, 100, 0);
    expect(f.voltage_drop_percent).toBeCloseTo(2.7222, 3);
    expect(f.ok).toBe(true);
  });
});
