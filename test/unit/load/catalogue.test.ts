import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EQUIPMENT_CATALOGUE, findEquipmentType } from '../../../src/domain/catalog/equipment.js';

const scenario = JSON.parse(
  readFileSync(new URL('../../../examples/jinshan-ev-plant.json', import.meta.url), 'utf8'),
) as {
  requests: { equipment: { type: string }[] }[];
};

describe('equipment catalogue', () => {
  it('has a version and at least 35 types with unique ids', () => {
    expect(EQUIPMENT_CATALOGUE.version).toMatch(/^tpp-equipment-\d{4}\.\d+$/);
    const ids = EQUIPMENT_CATALOGUE.types.map((t) => t.id);
    expect(ids.length).toBeGreaterThanOrEqual(35);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('covers every equipment type used by the reference scenario', () => {
    const used = new Set(scenario.requests.flatMap((r) => r.equipment.map((e) => e.type)));
    for (const t of used) expect(findEquipmentType(EQUIPMENT_CATALOGUE, t), t).toBeDefined();
  });

  it('holds coefficients in range, a source for each type and the fields its duty class needs', () => {
    for (const t of EQUIPMENT_CATALOGUE.types) {
      expect(t.demand_factor, t.id).toBeGreaterThan(0);
      expect(t.demand_factor, t.id).toBeLessThanOrEqual(1);
      expect(t.power_factor, t.id).toBeGreaterThan(0);
      expect(t.power_factor, t.id).toBeLessThanOrEqual(1);
      expect(t.source.length, t.id).toBeGreaterThan(10);
      if (t.duty_class === 'welder_ac') {
        expect(t.rated_quantity, t.id).toBe('apparent_power_kva');
        expect(t.nameplate_power_factor, t.id).toBeDefined();
      } else expect(t.rated_quantity, t.id).toBe('active_power_kw');
      if (t.duty_class === 'intermittent' || t.duty_class.startsWith('welder'))
        expect(t.default_duty_cycle, t.id).toBeDefined();
      if (t.duty_class === 'lighting') expect(t.ballast_factor, t.id).toBeGreaterThanOrEqual(1);
    }
  });

  it('uses the DOMAIN.md §1.1 ballast factors: 1.0 incandescent, 1.2 fluorescent, 1.1 metal-halide', () => {
    expect(findEquipmentType(EQUIPMENT_CATALOGUE, 'floodlight_iodine_tungsten')!.ballast_factor).toBe(1);
    expect(findEquipmentType(EQUIPMENT_CATALOGUE, 'lighting_fluorescent')!.ballast_factor).toBe(1.2);
    expect(findEquipmentType(EQUIPMENT_CATALOGUE, 'floodlight_metal_halide')!.ballast_factor).toBe(1.1);
  });

  it('does not resolve inherited object keys as types', () => {
    expect(findEquipmentType(EQUIPMENT_CATALOGUE, 'constructor')).toBeUndefined();
    expect(findEquipmentType(EQUIPMENT_CATALOGUE, '__proto__')).toBeUndefined();
  });
});
