import { describe, expect, it } from 'vitest';
import {
  conventionalTrippingCurrentA,
  defaultBreakerStandard,
} from '../../../src/domain/catalog/breakers.js';
import { selectBreaker } from '../../../src/domain/network/protection.js';

describe('overload protection Ib ≤ In ≤ Iz and I2 ≤ 1.45·Iz (DOMAIN.md §4.4)', () => {
  it('when I2 is asked for, then 1.45·In for IEC 60898 MCBs (≤ 125 A) and 1.3·In for IEC 60947-2 MCCBs', () => {
    expect(defaultBreakerStandard(125)).toBe('IEC60898');
    expect(defaultBreakerStandard(160)).toBe('IEC60947-2');
    expect(conventionalTrippingCurrentA(100)).toBeCloseTo(145, 9);
    expect(conventionalTrippingCurrentA(200)).toBeCloseTo(260, 9);
    expect(conventionalTrippingCurrentA(100, 'IEC60947-2')).toBeCloseTo(130, 9);
  });

  it('when Ib = 113.95 A and Iz = 144 A, then In = 125 A and Ib ≤ In is the tightest condition', () => {
    // margins: (125−113.95)/125 = 8.8 %; (144−125)/144 = 13.2 %; I2 = 1.45·125 = 181.25 ≤ 1.45·144 = 208.8 (13.2 %)
    const b = selectBreaker({ design_current_a: 113.95, ampacity_a: 144 });
    expect(b.ok).toBe(true);
    expect(b.rated_current_a).toBe(125);
    expect(b.conventional_tripping_current_a).toBeCloseTo(181.25, 9);
    expect(b.binding).toBe('ib_le_in');
  });

  it('when Ib = 101 A but Iz = 103 A, then no standard rating fits and In ≤ Iz binds', () => {
    // smallest In ≥ 101 A is 125 A > 103 A
    const b = selectBreaker({ design_current_a: 101, ampacity_a: 103 });
    expect(b.ok).toBe(false);
    expect(b.rated_current_a).toBeNull();
    expect(b.binding).toBe('in_le_iz');
  });

  it('when a declared 160 A MCCB protects a 150 A cable, then In ≤ Iz fails while I2 = 208 A ≤ 217.5 A holds', () => {
    const b = selectBreaker({ design_current_a: 120, ampacity_a: 150, declared: { rated_current_a: 160 } });
    expect(b.ok).toBe(false);
    expect(b.conditions).toEqual({ ib_le_in: true, in_le_iz: false, i2_le_1_45_iz: true });
    expect(b.binding).toBe('in_le_iz');
  });

  it('when a declared breaker is below the design current, then Ib ≤ In fails', () => {
    const b = selectBreaker({ design_current_a: 90, ampacity_a: 150, declared: { rated_current_a: 80 } });
    expect(b.ok).toBe(false);
    expect(b.binding).toBe('ib_le_in');
  });

  it('when no cable is known, then only Ib ≤ In is checked', () => {
    const b = selectBreaker({ design_current_a: 40 });
    expect(b.ok).toBe(true);
    expect(b.rated_current_a).toBe(40);
    expect(b.conditions).toEqual({ ib_le_in: true, in_le_iz: null, i2_le_1_45_iz: null });
  });

  it('when Ib exceeds the largest 3200 A frame, then no rating exists', () => {
    const b = selectBreaker({ design_current_a: 3300 });
    expect(b.ok).toBe(false);
    expect(b.binding).toBe('ib_le_in');
  });
});

describe('large mains (IEC 60947-2 air circuit breakers above 800 A)', () => {
  it('when Ib is 1443 A (1000 kVA at 400 V), then the 1600 A rating is chosen with I2 = 1.3·In', () => {
    // Ib = 1 000 000/(√3·400) = 1443.4 A; ratings …800, 1000, 1250, 1600 → 1600 A; MCCB/ACB I2 = 1.3 × 1600 = 2080 A
    const b = selectBreaker({ design_current_a: 1443.4 });
    expect(b.ok).toBe(true);
    expect(b.rated_current_a).toBe(1600);
    expect(b.conventional_tripping_current_a).toBeCloseTo(2080, 9);
  });
});
