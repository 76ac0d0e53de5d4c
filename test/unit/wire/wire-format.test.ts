/**
 * Numbers and times at the wire edge (src/app/wire-format.ts, docs/nomenclature.md "Numbers and times").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalsFor, forWire, localIso, roundTo } from '../../../src/app/wire-format.js';

describe('rounding by field name', () => {
  it('gives 0.1 to kW, kvar, kVA, A, V and m; 0.01 to percents; 0.001 to fractions; nothing to counts', () => {
    expect(decimalsFor('active_power_kw')).toBe(1);
    expect(decimalsFor('reactive_power_kvar')).toBe(1);
    expect(decimalsFor('headroom_kva')).toBe(1);
    expect(decimalsFor('design_current_a')).toBe(1);
    expect(decimalsFor('voltage_v')).toBe(1);
    expect(decimalsFor('distance_m')).toBe(1);
    expect(decimalsFor('utilisation_percent')).toBe(2);
    expect(decimalsFor('power_factor')).toBe(3);
    expect(decimalsFor('simultaneity_factor')).toBe(3);
    expect(decimalsFor('loading_fraction')).toBe(3);
    expect(decimalsFor('loading_cap')).toBe(3);
    expect(decimalsFor('device_count')).toBeNull();
    expect(decimalsFor('hours')).toBeNull();
  });

  it('rounds 384.52284594984474 kVA to 384.5 and 0.15 % to 0.15 (half away from zero, no -0)', () => {
    expect(roundTo(384.52284594984474, 1)).toBe(384.5);
    expect(roundTo(-0.04, 1)).toBe(0);
    expect(Object.is(roundTo(-0.04, 1), 0)).toBe(true);
    expect(roundTo(2.25, 1)).toBe(2.3);
    expect(roundTo(-2.25, 1)).toBe(-2.3);
  });

  it('is idempotent and never moves a value by more than half a step', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 3 }), (v, d) => {
        const r = roundTo(v, d);
        expect(roundTo(r, d)).toBe(r);
        expect(Math.abs(r - v)).toBeLessThanOrEqual(0.5 * 10 ** -d + 1e-9);
      }),
    );
  });

  it('rounds nested objects and arrays under a unit name, and leaves trace, provenance and request echoes alone', () => {
    const out = forWire({
      totals: { apparent_power_kva: 384.52284594984474, power_factor: 0.81234, device_count: 7 },
      reserved_kva: [1.26, 2.04],
      trace: [{ value: 1.23456, unit: 'kW', value_kw: 1.23456 }],
      provenance: { input_sha256: 'x' },
      request: { rated_power_kw: 7.55 },
    });
    expect(out.totals).toEqual({ apparent_power_kva: 384.5, power_factor: 0.812, device_count: 7 });
    expect(out.reserved_kva).toEqual([1.3, 2]);
    expect(out.trace[0]!.value_kw).toBe(1.23456);
    expect(out.request.rated_power_kw).toBe(7.55);
  });
});

describe('one name per concept', () => {
  it('calls the planner’s peak_hour_iso peak_at, its max_utilisation max_utilisation_fraction, and drops hour indices', () => {
    const out = forWire({
      points: [{ peak_hour_iso: '2026-12-04T06:00:00.000Z', peak_hour: 13351 }],
      objective: { max_utilisation: 0.8234567 },
      coincident_peak_hour: 12,
    }) as Record<string, unknown>;
    expect(out).toEqual({
      points: [{ peak_at: '2026-12-04T06:00:00.000Z' }],
      objective: { max_utilisation_fraction: 0.823 },
    });
  });
});

describe('instants in the site’s offset', () => {
  it('writes 06:00 UTC as 14:00+08:00 in Asia/Shanghai', () => {
    expect(localIso('2026-12-04T06:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-04T14:00+08:00');
    expect(localIso('2026-12-04T20:30:15Z', 'Asia/Shanghai')).toBe('2026-12-05T04:30:15+08:00');
  });

  it('follows daylight saving time: New York is −04:00 in July and −05:00 in December', () => {
    expect(localIso('2026-07-01T12:00:00Z', 'America/New_York')).toBe('2026-07-01T08:00-04:00');
    expect(localIso('2026-12-01T12:00:00Z', 'America/New_York')).toBe('2026-12-01T07:00-05:00');
    expect(localIso('2026-07-01T12:00:00Z', 'Asia/Kolkata')).toBe('2026-07-01T17:30+05:30');
  });

  it('names the same instant: parsing the local form gives the UTC instant back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'Australia/Adelaide', 'UTC'),
        (ms, tz) => {
          const utc = new Date(Math.floor(ms / 1000) * 1000).toISOString();
          expect(Date.parse(localIso(utc, tz))).toBe(Date.parse(utc));
        },
      ),
    );
  });

  it('localises instants but not record stamps, *_utc fields or local dates', () => {
    const out = forWire(
      {
        peak_at: '2026-12-04T06:00:00.000Z',
        start_at_utc: '2026-12-04T06:00:00.000Z',
        created_at: '2026-12-04T06:00:00.000Z',
        window: { start: '2026-12-04', end: '2026-12-05' },
      },
      { timeZone: 'Asia/Shanghai' },
    );
    expect(out).toEqual({
      peak_at: '2026-12-04T14:00+08:00',
      start_at_utc: '2026-12-04T06:00:00.000Z',
      created_at: '2026-12-04T06:00:00.000Z',
      window: { start: '2026-12-04', end: '2026-12-05' },
    });
  });
});
