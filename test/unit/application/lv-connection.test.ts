/**
 * Issue #16 wrong results 6 and 7: the 160 kW LV connection limit decides the utility path of a request for a
 * direct public-LV connection, on installed capacity ("≤ 160 kW" is LV); requests served from the site's own
 * 10/0.4 kV points are not subject to it (DOMAIN.md "Product decisions", §5.2). One rule everywhere.
 */
import { describe, expect, it } from 'vitest';
import { ruleSet } from '../../../src/domain/catalog/rule-sets.js';
import { calculateDemand } from '../../../src/domain/load/index.js';
import { lvConnectionThreshold } from '../../../src/domain/site.js';

describe('LV connection limit', () => {
  it('when a 180 kW heater bank (R-042) is served from a site point, then the limit does not apply', () => {
    const r = lvConnectionThreshold(160, 180, 'site_point');
    expect(r).toMatchObject({ applies: false, exceeded: false, path: null });
  });

  it('when 180 kW installed asks for a direct public-LV connection, then it exceeds 160 kW: 10 kV path', () => {
    expect(lvConnectionThreshold(160, 180, 'public_lv')).toMatchObject({
      applies: true,
      exceeded: true,
      basis: 'installed',
      path: '10kv',
    });
  });

  it('when exactly 160 kW asks for public LV, then it is LV ("及以下": 160 itself is LV)', () => {
    expect(lvConnectionThreshold(160, 160, 'public_lv')).toMatchObject({ exceeded: false, path: 'lv' });
  });

  it('when the stateless demand sees 207 kW installed (R-006), then it warns with the same rule and says it concerns public LV only', () => {
    // 185 kW batching plant + 22 kW compressor = 207 kW installed (the largest unit, 185 kW, is not the basis)
    const d = calculateDemand(
      {
        items: [
          { type: 'concrete_batching_plant', quantity: 1, rated_power_kw: 185 },
          { type: 'air_compressor', quantity: 1, rated_power_kw: 22 },
        ],
      },
      { ruleSet: ruleSet('JGJ46-2005') },
    );
    const w = d.warnings.find((x) => x.code === 'above_low_voltage_threshold');
    expect(w?.message).toContain('direct public-LV connection');
    expect(lvConnectionThreshold(160, d.installed_power_kw, 'public_lv').exceeded).toBe(true);
    // 150 kW of several units: no warning
    const small = calculateDemand(
      { items: [{ type: 'water_pump', quantity: 10, rated_power_kw: 16 }] },
      { ruleSet: ruleSet('JGJ46-2005') },
    );
    expect(small.warnings.map((x) => x.code)).not.toContain('above_low_voltage_threshold');
  });
});
