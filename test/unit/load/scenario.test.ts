import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { EquipmentItemInput } from '../../../src/domain/load/index.js';
import { demand } from './helpers.js';

const scenario = JSON.parse(
  readFileSync(new URL('../../../examples/jinshan-ev-plant.json', import.meta.url), 'utf8'),
) as {
  requests: { id: string; equipment: EquipmentItemInput[] }[];
};

describe('reference scenario examples/jinshan-ev-plant.json', () => {
  it('computes all 43 requests without error or output, every total positive and finite', () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    expect(scenario.requests).toHaveLength(43);
    for (const r of scenario.requests) {
      const res = demand({ items: r.equipment });
      for (const [k, v] of Object.entries(res.totals))
        if (typeof v === 'number') {
          expect(Number.isFinite(v), `${r.id} ${k}`).toBe(true);
          // a purely resistive request (R-042 heaters, cos φ 1) has Q = 0; every other total is > 0
          if (k === 'reactive_power_kvar') expect(v, `${r.id} ${k}`).toBeGreaterThanOrEqual(0);
          else expect(v, `${r.id} ${k}`).toBeGreaterThan(0);
        }
      expect(res.installed_power_kw).toBeGreaterThan(0);
      expect(res.totals.apparent_power_kva).toBeGreaterThanOrEqual(res.totals.active_power_kw);
      expect(res.transformer.rating_kva).not.toBeNull();
      for (const method of ['handbook_a', 'handbook_b'] as const) {
        const h = demand({ method, items: r.equipment });
        expect(Number.isFinite(h.totals.apparent_power_kva) && h.totals.apparent_power_kva > 0, r.id).toBe(
          true,
        );
      }
    }
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    log.mockRestore();
    warn.mockRestore();
  });

  it('R-011: two 45 kW tower cranes (JC 40 %), ten 20 kW DC welders (JC 60 %), two 22 kW compressors', () => {
    const r = demand({ items: scenario.requests.find((x) => x.id === 'R-011')!.equipment });
    // hand-computed: cranes 2·(2·√0.4·45) = 113.842 kW, 2 units → Kx 1 (Table 1.4-C, < 3 units), tan φ(0.6)
    // 1.3333 → 151.789 kvar; welders 10·√0.6·20 = 154.919 × Kx 0.5 = 77.460 kW, tan φ(0.87) 0.56672 →
    // 43.898 kvar; compressors 2 units → Kx 1: 44 kW, tan φ(0.8) 0.75 → 33 kvar.
    // Three groups, K∑ 0.8: P = 0.8 × 235.302 = 188.24 kW, Q = 0.8 × 228.688 = 182.95 kvar, S = 262.50 kVA
    // (before issue #16 the cranes and compressors took their multi-unit Kx: 115.69 kW / 147.41 kVA)
    expect(r.totals.active_power_kw).toBeCloseTo(188.24, 1);
    expect(r.totals.reactive_power_kvar).toBeCloseTo(182.95, 1);
    expect(r.totals.apparent_power_kva).toBeCloseTo(262.5, 1);
    // installed: 90 + 200 + 44 = 334 kW; largest unit 45 kW; 14 devices
    expect(r.installed_power_kw).toBe(334);
    expect(r.largest_unit_kw).toBe(45);
    expect(r.device_count).toBe(14);
  });
});
