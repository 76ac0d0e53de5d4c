import { describe, expect, it } from 'vitest';
import {
  ambientTemperatureFactor,
  baseAmpacityA,
  groupingFactor,
  MECHANICAL_MINIMUM_MM2,
  resistanceOhmPerKm,
  tabulatedCrossSections,
} from '../../../src/domain/catalog/cables.js';
import { DomainError } from '../../../src/domain/errors.js';
import {
  designCurrentA,
  estimateFeeder,
  evaluateCable,
  loadFromCurrent,
  sizeCable,
} from '../../../src/domain/network/cable-sizing.js';

describe('cable catalogue (DOMAIN.md §4.3, Schneider EIG Fig. G21a/G22 via python-electric)', () => {
  it('when looked up, then the 16–240 mm² rows match DOMAIN.md §4.3', () => {
    // DOMAIN.md §4.3 table: Cu XLPE C / E / buried, Cu PVC C / E / buried, Al XLPE E / buried
    expect(baseAmpacityA('Cu', 'XLPE', 'clipped', 95)).toBe(278);
    expect(baseAmpacityA('Cu', 'XLPE', 'air', 240)).toBe(538);
    expect(baseAmpacityA('Cu', 'XLPE', 'buried', 95)).toBe(211);
    expect(baseAmpacityA('Cu', 'XLPE', 'buried', 25)).toBe(101);
    expect(baseAmpacityA('Cu', 'PVC', 'clipped', 16)).toBe(73);
    expect(baseAmpacityA('Cu', 'PVC', 'air', 150)).toBe(318);
    expect(baseAmpacityA('Cu', 'PVC', 'buried', 240)).toBe(297);
    expect(baseAmpacityA('Al', 'XLPE', 'air', 16)).toBe(77);
    expect(baseAmpacityA('Al', 'XLPE', 'buried', 185)).toBe(236);
  });

  it('when a size or combination is not tabulated, then the ampacity is null', () => {
    expect(baseAmpacityA('Cu', 'XLPE', 'buried', 90)).toBeNull();
    expect(baseAmpacityA('Al', 'XLPE', 'buried', 1.5)).toBeNull();
    expect(tabulatedCrossSections('Al', 'PVC', 'air')[0]).toBe(2.5);
  });

  it('when corrected to 90 °C, then R = R20·(1 + 0.00393·70) for Cu and ·(1 + 0.00403·70) for Al', () => {
    // IEC 60228: Cu 25 mm² 0.727 Ω/km → 0.727·1.2751 = 0.92700; Al 95 mm² 0.320 → 0.320·1.2821 = 0.41027
    expect(resistanceOhmPerKm('Cu', 25, 90)).toBeCloseTo(0.927, 4);
    expect(resistanceOhmPerKm('Al', 95, 90)).toBeCloseTo(0.41027, 4);
    expect(resistanceOhmPerKm('Cu', 25, 20)).toBe(0.727);
  });

  it('when the ambient lies between table rows, then the next hotter row is used', () => {
    // XLPE in air: 35 °C 0.96, 40 °C 0.91 (DOMAIN.md §4.3) → 37 °C uses 0.91
    expect(ambientTemperatureFactor('XLPE', 'air', 37).factor).toBe(0.91);
    expect(ambientTemperatureFactor('XLPE', 'air', 30).factor).toBe(1);
    expect(ambientTemperatureFactor('PVC', 'buried', 20).factor).toBe(1);
    expect(() => ambientTemperatureFactor('PVC', 'air', 65)).toThrow(DomainError);
    expect(groupingFactor('air', 3).factor).toBe(0.82);
    expect(groupingFactor('buried', 2).factor).toBe(0.75);
  });
});

describe('cable sizing: smallest size meeting ampacity, voltage drop and mechanical minimum', () => {
  // 60 kW, 45 kvar (cos φ 0.8): S = 75 kVA, Ib = 75000/(√3·380) = 113.95 A; smallest standard In ≥ Ib = 125 A
  const load = { active_power_kw: 60, reactive_power_kvar: 45 };
  const cuBuried = { conductor: 'Cu', insulation: 'XLPE', installation: 'buried' } as const;

  it('when 100 m of Cu XLPE buried must carry In = 125 A, then 50 mm² is chosen (35 mm² carries only 122 A)', () => {
    // Iz: 35 mm² 122 A < 125 A; 50 mm² 144 A ≥ 125 A (Fig. G22). ΔU at 50 mm²: R0 = 0.387·1.2751 = 0.49346;
    // (60·0.49346 + 45·0.08)·0.1/1.444 = 3.32077/1.444 = 2.2997 % ≤ 5 %
    expect(designCurrentA(load, 380)).toBeCloseTo(113.95, 2);
    const r = sizeCable(
      load,
      { ...cuBuried, length_m: 100 },
      { voltage_v: 380, voltage_drop_budget_percent: 5, required_current_a: 125 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.cable.cross_section_mm2).toBe(50);
    expect(r.cable.ampacity_a).toBe(144);
    expect(r.cable.voltage_drop_percent).toBeCloseTo(2.2997, 3);
  });

  it('when only Ib = 113.95 A must be carried, then 35 mm² (122 A) suffices at 100 m', () => {
    // ΔU at 35 mm²: R0 = 0.524·1.2751 = 0.66815; (60·0.66815 + 3.6)·0.1/1.444 = 3.0256 %
    const r = sizeCable(
      load,
      { ...cuBuried, length_m: 100 },
      { voltage_v: 380, voltage_drop_budget_percent: 5 },
    );
    expect(r.ok && r.cable.cross_section_mm2).toBe(35);
    expect(r.ok && r.cable.voltage_drop_percent).toBeCloseTo(3.0256, 3);
  });

  it('when the route is 300 m, then voltage drop binds: 70 mm² gives 5.008 % and 95 mm² is chosen', () => {
    // 70 mm²: R0 = 0.268·1.2751 = 0.341727; (60·0.341727 + 3.6)·0.3/1.444 = 24.1036·0.3/1.444 = 5.0077 % > 5 %
    // 95 mm²: R0 = 0.193·1.2751 = 0.246094; (14.7657 + 3.6)·0.3/1.444 = 3.8156 %
    const c70 = evaluateCable(load, { ...cuBuried, length_m: 300 }, 70, {
      voltage_v: 380,
      voltage_drop_budget_percent: 5,
    });
    expect(c70?.voltage_drop_percent).toBeCloseTo(5.0077, 3);
    expect(c70?.checks).toEqual({ ampacity: true, voltage_drop: false, mechanical_minimum: true });
    const r = sizeCable(
      load,
      { ...cuBuried, length_m: 300 },
      { voltage_v: 380, voltage_drop_budget_percent: 5, required_current_a: 125 },
    );
    expect(r.ok && r.cable.cross_section_mm2).toBe(95);
    expect(r.ok && r.cable.voltage_drop_percent).toBeCloseTo(3.8156, 3);
    // with the 7 % handbook budget 50 mm² is enough: (60·0.49346 + 3.6)·0.3/1.444 = 33.2077·0.3/1.444 = 6.899 % ≤ 7 %
    const r7 = sizeCable(
      load,
      { ...cuBuried, length_m: 300 },
      { voltage_v: 380, voltage_drop_budget_percent: 7, required_current_a: 125 },
    );
    expect(r7.ok && r7.cable.cross_section_mm2).toBe(50);
    expect(r7.ok && r7.cable.voltage_drop_percent).toBeCloseTo(6.899, 3);
  });

  it('when PVC cables in air at 40 °C are grouped three together, then Iz = I0·0.87·0.82 and 35 mm² is needed', () => {
    // 40 kW + 30 kvar: Ib = 50000/(√3·380) = 75.97 A → In 80 A. k = 0.87 (PVC 40 °C) · 0.82 (3 on perforated tray) = 0.7134
    // 25 mm²: 101·0.7134 = 72.05 A < 80; 35 mm²: 126·0.7134 = 89.89 A ≥ 80
    const r = sizeCable(
      { active_power_kw: 40, reactive_power_kvar: 30 },
      {
        conductor: 'Cu',
        insulation: 'PVC',
        installation: 'air',
        length_m: 10,
        ambient_temperature_c: 40,
        grouped_circuits: 3,
      },
      { voltage_v: 380, voltage_drop_budget_percent: 5, required_current_a: 80 },
    );
    expect(r.ok && r.cable.cross_section_mm2).toBe(35);
    expect(r.ok && r.cable.derating_factor).toBeCloseTo(0.7134, 4);
    expect(r.ok && r.cable.ampacity_a).toBeCloseTo(89.888, 2);
  });

  it('when a small load is fed overhead in aluminium, then the mechanical minimum (Al ≥ 16 mm², R8) binds', () => {
    // 5 kW: Ib = 7.6 A; Al XLPE air 2.5 mm² already carries 24 A, but JGJ 46 7.1.3 needs Al ≥ 16 mm² overhead
    const r = sizeCable(
      { active_power_kw: 5, reactive_power_kvar: 0 },
      { conductor: 'Al', insulation: 'XLPE', installation: 'air', length_m: 10 },
      { voltage_v: 380, voltage_drop_budget_percent: 5 },
    );
    expect(MECHANICAL_MINIMUM_MM2.overhead.Al).toBe(16);
    expect(r.ok && r.cable.cross_section_mm2).toBe(16);
  });

  it('when even a single 300 mm² cable fails, then the result says which conditions fail at the largest size', () => {
    // 200 kW + 150 kvar: Ib = 250000/(√3·380) = 379.8 A → In 400 A > 396 A (300 mm² buried, Fig. G22);
    // ΔU over 1000 m at 300 mm²: R0 = 0.0601·(1 + 0.00393·70) = 0.076634; (200·0.076634 + 150·0.08)·1/1.444
    // = 18.92 %
    const r = sizeCable(
      { active_power_kw: 200, reactive_power_kvar: 150 },
      { ...cuBuried, length_m: 1000 },
      { voltage_v: 380, voltage_drop_budget_percent: 5, required_current_a: 400, max_parallel_count: 1 },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.failing).toEqual(['ampacity', 'voltage_drop']);
    expect(r.largest?.cross_section_mm2).toBe(300);
    expect(r.largest?.voltage_drop_percent).toBeCloseTo(18.92, 2);
    expect(r.message).toContain('300 mm²');
  });

  it('when a 1000 kVA point’s LV main needs 1443 A, then parallel cables are sized and derated as a group', () => {
    // 1000 kVA at cos φ 0.8 (800 kW, 600 kvar) at 400 V: Ib = 1 000 000/(√3·400) = 1443.4 A → In 1600 A
    // (IEC 60947-2 ACB). Cu XLPE on a perforated tray (method E), 30 °C, 20 m:
    //   one cable: 300 mm² Iz 607 A < 1600 A;  n cables of S are grouped as n circuits (B.52.17 row 4):
    //   n = 2: k 0.88 → 2·607·0.88 = 1068 A; n = 3: k 0.82 → 3·607·0.82 = 1493 A; n = 4: k 0.77 →
    //   4·538·0.77 = 1657 A (240 mm²) ≥ 1600 A while 4·450·0.77 = 1386 A (185 mm²) is not → 4 × 240 mm².
    const r = sizeCable(
      { active_power_kw: 800, reactive_power_kvar: 600 },
      { conductor: 'Cu', insulation: 'XLPE', installation: 'air', length_m: 20 },
      { voltage_v: 400, voltage_drop_budget_percent: 5, required_current_a: 1600 },
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.cable.parallel_count).toBe(4);
    expect(r.cable.cross_section_mm2).toBe(240);
    expect(r.cable.grouping_factor).toBe(0.77);
    expect(r.cable.ampacity_a).toBeCloseTo(4 * 538 * 0.77, 9);
    expect(r.cable.ampacity_per_cable_a).toBeCloseTo(538 * 0.77, 9);
    // ΔU with R0/4, X0/4: R0 = 0.0754·1.2751 = 0.096143; (800·0.096143/4 + 600·0.08/4)·0.02/(10·0.16)
    // = (19.229 + 12)·0.02/1.6 = 0.3904 %
    expect(r.cable.voltage_drop_percent).toBeCloseTo(0.3904, 4);
  });

  it('when a load is given by its current, then P = √3·U·I·cos φ', () => {
    // 100 A, cos φ 0.8, 380 V: S = √3·380·100 = 65.818 kVA; P = 52.654 kW; Q = 39.491 kvar
    const l = loadFromCurrent(100, 0.8, 380);
    expect(l.active_power_kw).toBeCloseTo(52.654, 3);
    expect(l.reactive_power_kvar).toBeCloseTo(39.491, 3);
    expect(designCurrentA(l, 380)).toBeCloseTo(100, 9);
  });
});

describe('estimateFeeder (default Cu XLPE buried, 380 V, 5 %)', () => {
  it('when 60 kW + 45 kvar are 300 m away, then 95 mm² with ΔU 3.82 %', () => {
    // same arithmetic as the 300 m sizing case above
    const e = estimateFeeder(300, 60, 45);
    expect(e?.cross_section_mm2).toBe(95);
    expect(e?.voltage_drop_percent).toBeCloseTo(3.8156, 3);
    expect(e?.ampacity_a).toBe(211);
  });

  it('when the distance is far beyond any cable, then null', () => {
    // 100 kW at 5 km: even 240 mm² gives (100·0.096143 + 50·0.08)·5/1.444 = 47.1 %
    expect(estimateFeeder(5000, 100, 50)).toBeNull();
  });

  it('when the 7 % handbook budget is selected, then a smaller cable may do', () => {
    // 50 mm² at 300 m: 6.899 % ≤ 7 % (arithmetic in the sizing case above)
    expect(estimateFeeder(300, 60, 45, { voltage_drop_budget_percent: 7 })?.cross_section_mm2).toBe(50);
  });
});
