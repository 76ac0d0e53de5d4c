import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ggOperatingCurrentA } from '../../../src/domain/catalog/fuse-curves.js';
import {
  transformerImpedanceData,
  transformerImpedanceFor,
} from '../../../src/domain/catalog/transformer-impedance.js';
import { DomainError } from '../../../src/domain/errors.js';
import { checkBreakingCapacity, checkDisconnection } from '../../../src/domain/network/disconnection.js';
import type { FaultPathInput } from '../../../src/domain/network/fault-current.js';
import { faultCurrents, peakFactor } from '../../../src/domain/network/fault-current.js';
import {
  sectionImpedance,
  sourceImpedance,
  transformerImpedance,
} from '../../../src/domain/network/impedance.js';

// The reference supply: 250 MVA at 10 kV, a 500 kVA oil-immersed 10/0.4 kV transformer (GB/T 6451: uk 4 %,
// P_k 5410 W), U_n 380 V. Worked by hand below (IEC 60909-0:2016).
const SUPPLY = { source_short_circuit_mva: 250, transformer_rating_kva: 500 };
// R-029's declared feeder: Cu XLPE 5-core 25 mm², 380 m.
const R029: FaultPathInput = {
  voltage_v: 380,
  supply: SUPPLY,
  sections: [{ conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 25, length_m: 380 }],
};

describe('impedances along the supply path (IEC 60909-0 §6)', () => {
  it("when S''kQ is 250 MVA, then Z_Q = c·U_rTLV²/S''kQ referred to 400 V, X_Q = 0.995·Z_Q, R_Q = 0.1·X_Q", () => {
    // Z_Q = 1.1·400²/250e6 = 7.04e-4 Ω; X_Q = 0.995·7.04e-4 = 7.0048e-4; R_Q = 7.0048e-5 (eq. 6, §6.2)
    const z = sourceImpedance(250, 1.1);
    expect(z.x_ohm).toBeCloseTo(7.0048e-4, 9);
    expect(z.r_ohm).toBeCloseTo(7.0048e-5, 10);
  });

  it('when the transformer is 500 kVA oil-immersed, then uk 4 % and P_k 5410 W give Z_T, R_T, X_T', () => {
    // GB/T 6451: uk 4 %, P_k 5410 W. Z_T = 0.04·400²/500e3 = 0.0128 Ω; R_T = 5410·400²/500e3² = 0.0034624 Ω;
    // X_T = √(0.0128² − 0.0034624²) = 0.0123228 Ω (eqs. 7–9)
    expect(transformerImpedanceData(500, 'oil')).toEqual({
      rating_kva: 500,
      impedance_percent: 4,
      load_losses_w: 5410,
    });
    const zt = transformerImpedance({ transformer_rating_kva: 500 });
    expect(zt?.r_ohm).toBeCloseTo(0.0034624, 7);
    expect(zt?.x_ohm).toBeCloseTo(0.0123228, 6);
    expect(transformerImpedanceData(1000, 'oil')?.impedance_percent).toBe(4.5);
    expect(transformerImpedanceData(1000, 'dry')?.impedance_percent).toBe(6);
  });

  it('when the point declares uk, then the override replaces the catalogue value', () => {
    // uk 6 %: Z_T = 0.06·400²/500e3 = 0.0192 Ω
    const zt = transformerImpedance({ transformer_rating_kva: 500, transformer_impedance_percent: 6 });
    expect(Math.hypot(zt?.r_ohm ?? 0, zt?.x_ohm ?? 0)).toBeCloseTo(0.0192, 7);
    expect(zt?.source).toBe('uk declared for the point');
  });

  it('when the rating is not standard, then the next rating’s uk is used and losses are scaled', () => {
    const d = transformerImpedanceFor(450, 'oil');
    expect(d?.impedance_percent).toBe(4);
    expect(d?.interpolated).toBe(true);
    // 5410·(450/500)^0.75 = 5410·0.92402 = 4998.9 W
    expect(d?.load_losses_w).toBeCloseTo(4998.9, 0);
  });

  it('when n cables run in parallel, then R and X are divided by n; minimum currents use R(θe) = [1 + 0.004(θe − 20)]·R20', () => {
    // Cu 25 mm² R20 0.727 Ω/km, 380 m, 2 in parallel: R = 0.727·0.38/2 = 0.13813 Ω; X = 0.08·0.38/2 = 0.0152 Ω
    const z = sectionImpedance(
      { conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 25, length_m: 380, parallel_count: 2 },
      1,
    );
    expect(z?.phase.r_ohm).toBeCloseTo(0.13813, 5);
    expect(z?.phase.x_ohm).toBeCloseTo(0.0152, 6);
    // θe 250 °C (XLPE): factor 1 + 0.004·230 = 1.92 → R = 0.13813·1.92 = 0.26521 Ω
    const hot = sectionImpedance(
      { conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 25, length_m: 380, parallel_count: 2 },
      1.92,
    );
    expect(hot?.pe.r_ohm).toBeCloseTo(0.26521, 5);
  });
});

describe('fault currents (IEC 60909-0)', () => {
  it("when the bus of a 500 kVA point faults, then I''k3 max, κ and i_p follow eqs. 12a, 29 and 55", () => {
    // c_max 1.05 (+6 %). x_T = X_T·S_rT/U_rT² = 0.0123228·500e3/400² = 0.038509;
    // K_T = 0.95·1.05/(1 + 0.6·0.038509) = 0.974973
    // R = R_Q + K_T·R_T = 7.0048e-5 + 0.974973·0.0034624 = 0.0034458 Ω
    // X = X_Q + K_T·X_T = 7.0048e-4 + 0.974973·0.0123228 = 0.0127149 Ω;  |Z| = 0.0131735 Ω
    // I''k3 = 1.05·380/(√3·0.0131735) = 17.487 kA; R/X = 0.27100; κ = 1.02 + 0.98·e^(−0.81301) = 1.45465
    // i_p = 1.45465·√2·17.487 = 35.974 kA
    const f = faultCurrents({ ...R029, voltage_tolerance_percent: 6 });
    const bus = f.levels[0];
    expect(bus?.location).toBe('LV bus');
    expect(bus?.impedance_ohm).toBeCloseTo(0.0131735, 6);
    expect(bus?.initial_current_ka).toBeCloseTo(17.487, 2);
    expect(bus?.kappa).toBeCloseTo(1.45465, 4);
    expect(bus?.peak_current_ka).toBeCloseTo(35.974, 1);
    expect(f.trace.some((t) => t.source.includes('eq. 55'))).toBe(true);
  });

  it("when the distribution level is at the end of the feeder, then its I''k3 adds the cable at 20 °C", () => {
    // c_max 1.10: K_T = 0.95·1.10/1.023105 = 1.021400; R = 7.0048e-5 + 1.021400·0.0034624 + 0.727·0.38
    // = 0.0036066 + 0.27626 = 0.2798666 Ω; X = 7.0048e-4 + 1.021400·0.0123228 + 0.08·0.38 = 0.0436870 Ω
    // |Z| = 0.2832558 Ω; I''k3 = 1.10·380/(√3·0.2832558) = 0.85199 kA
    const f = faultCurrents(R029);
    expect(f.c_max).toBe(1.1);
    expect(f.levels[1]?.location).toBe('end of section 1');
    expect(f.levels[1]?.initial_current_ka).toBeCloseTo(0.85199, 4);
  });

  it("when R-029's 25 mm² × 380 m feeder earth-faults at its end, then I''k1 min ≈ 195 A", () => {
    // loop = ⅔·Z_Q(c_Q 1.0) + Z_T + (Z_L + Z_PE)(250 °C):
    // Z_Q(1.0) = 6.4e-4 Ω → ⅔·(6.368e-5 + j6.368e-4) = 4.245e-5 + j4.245e-4
    // R = 4.245e-5 + 0.0034624 + 2·0.727·0.38·1.92 = 1.0643433 Ω; X = 4.245e-4 + 0.0123228 + 2·0.08·0.38 = 0.0735473 Ω
    // |loop| = 1.0668813 Ω;  I''k1 = 0.95·380/√3/1.0668813 = 208.4/1.06688 = 195.36 A
    const f = faultCurrents(R029);
    expect(f.earth_fault_min.loop_impedance_ohm).toBeCloseTo(1.0668813, 6);
    expect(f.earth_fault_min.current_a).toBeCloseTo(195.36, 1);
  });

  it('when no supply is declared, then only the cable counts and the trace says so', () => {
    const f = faultCurrents({ ...R029, supply: null });
    expect(f.source_included).toBe(false);
    expect(f.earth_fault_min.current_a).toBeGreaterThan(195.36);
    expect(f.trace.some((t) => t.name === 'supply')).toBe(true);
  });

  it('when X = 0, then κ is 1.02', () => {
    expect(peakFactor(1, 0)).toBe(1.02);
    // R/X = 0.1: κ = 1.02 + 0.98·e^(−0.3) = 1.74600
    expect(peakFactor(0.1, 1)).toBeCloseTo(1.746, 3);
  });

  it('when an input is invalid, then every bad field is listed', () => {
    expect(() =>
      faultCurrents({
        voltage_v: -1,
        supply: { transformer_rating_kva: 0 },
        sections: [
          { conductor: 'Cu', insulation: 'PVC', cross_section_mm2: 25, length_m: 10, parallel_count: 0 },
        ],
      }),
    ).toThrowError(DomainError);
  });

  it('property: the minimum earth-fault current falls as the cable grows longer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4, 10, 25, 50, 95, 240),
        fc.double({ min: 1, max: 800, noNaN: true }),
        fc.double({ min: 1, max: 400, noNaN: true }),
        fc.constantFrom(100, 500, 1600),
        (s, l, extra, kva) => {
          const path = (len: number): FaultPathInput => ({
            voltage_v: 380,
            supply: { transformer_rating_kva: kva },
            sections: [{ conductor: 'Cu', insulation: 'PVC', cross_section_mm2: s, length_m: len }],
          });
          expect(faultCurrents(path(l + extra)).earth_fault_min.current_a).toBeLessThan(
            faultCurrents(path(l)).earth_fault_min.current_a,
          );
        },
      ),
    );
  });
});

describe('breaking capacity (IEC 60364-4-43 §434.5.1)', () => {
  it('when an assumed 6 kA MCB sits on a 17.5 kA bus, then it fails and an MCCB frame is offered', () => {
    const bus = faultCurrents({ ...R029, voltage_tolerance_percent: 6 }).levels[0];
    if (bus === undefined) throw new Error('no bus level');
    const mcb = checkBreakingCapacity({ kind: 'mcb', rated_current_a: 80 }, bus);
    expect(mcb.ok).toBe(false);
    expect(mcb.breaking_capacity_ka).toBe(6);
    // the smallest MCCB frame ≥ 80 A with Icu ≥ 17.49 kA: 125 A frame, 25 kA
    expect(mcb.alternatives[0]).toMatchObject({ kind: 'higher_breaking_capacity', value: 25 });
    const mccb = checkBreakingCapacity({ kind: 'mccb', rated_current_a: 250 }, bus);
    expect(mccb.ok).toBe(true);
    expect(mccb.breaking_capacity_ka).toBe(36);
    const declared = checkBreakingCapacity(
      { kind: 'mcb', rated_current_a: 80, breaking_capacity_ka: 20 },
      bus,
    );
    expect(declared.ok).toBe(true);
    expect(declared.declared).toBe(true);
  });
});

describe('disconnection check (IEC 60364-4-41 §411.3.2)', () => {
  it("when R-029's feeder is protected by an 80 A type C MCB, then 195 A < Ia 800 A fails with fixes listed", () => {
    const d = checkDisconnection(R029, { kind: 'mcb', rated_current_a: 80, curve: 'C' });
    expect(d.circuit).toBe('distribution');
    expect(d.required_time_s).toBe(5);
    expect(d.operating_current_a).toBe(800);
    expect(d.ok).toBe(false);
    // Longest run: |Z_u + L·z| = c_min·U0/Ia = 208.42/800 = 0.260529 Ω, with Z_u = 0.0035049 + j0.0127473 Ω and
    // z = 2·0.727e-3·1.92 + j2·0.08e-3 = 0.00279168 + j0.00016 Ω/m → quadratic a·L² + b·L + c = 0:
    // a = 7.8190e-6, b = 2·(0.0035049·0.00279168 + 0.0127473·0.00016) = 2.3648e-5, c = 1.6904e-4 − 0.067876 → L = 91.55 m
    const kinds = d.alternatives.map((a) => a.kind);
    expect(kinds).toEqual(['shorter_run', 'larger_cable', 'rcd']);
    expect(d.alternatives[0]?.value).toBe(91);
    // Larger cable at 380 m: 95 mm² gives 707.8 A (< 800), 120 mm² (R20 0.153): loop R = 0.0035049 + 2·0.153·0.38·1.92
    // = 0.2267 Ω, X = 0.0127473 + 0.0608 → |Z| = 0.23844 Ω → 874.3 A ≥ 800 A
    expect(d.alternatives[1]?.value).toBe(120);
    // Parallel cables (up to 3 more) are not offered: 4 × 25 mm² gives loop R = 0.0035049 + 1.06084/4 = 0.26871,
    // X = 0.0127473 + 0.0608/4 = 0.0279473 → |Z| 0.27016 Ω → 771.5 A < 800 A. Type B: Ia = 5·80 = 400 A > 195 A: not offered.
    // RCD: IΔn ≤ U0/Zs = 195 A → a 300 mA time-delayed device
    expect(d.alternatives[2]?.value).toBe(300);
  });

  it('when a gG fuse protects a final circuit ≤ 32 A, then 0.4 s applies and Ia comes from the IEC 60269-1 gates', () => {
    // 32 A: Imax(5 s) 150 A, Imax(0.1 s) 350 A; Ia(0.4 s) = 150·(350/150)^(ln 12.5/ln 50) = 150·2.3333^0.64566 = 259.22 A
    expect(ggOperatingCurrentA(32, 0.4)).toBeCloseTo(259.22, 1);
    expect(ggOperatingCurrentA(32, 5)).toBe(150);
    const path: FaultPathInput = {
      voltage_v: 380,
      supply: SUPPLY,
      sections: [{ conductor: 'Cu', insulation: 'PVC', cross_section_mm2: 6, length_m: 40 }],
    };
    // loop: R = 0.0035049 + 2·3.08·0.04·1.56 = 0.3878649 Ω (PVC θe 160 °C: 1 + 0.004·140 = 1.56),
    // X = 0.0127473 + 2·0.08·0.04 = 0.0191473 Ω → |Z| 0.3883372 Ω → I''k1 = 208.42/0.38834 = 536.7 A ≥ 259.2 A
    const d = checkDisconnection(path, { kind: 'fuse_gG', rated_current_a: 32 });
    expect(d.required_time_s).toBe(0.4);
    expect(d.earth_fault_current_a).toBeCloseTo(536.7, 0);
    expect(d.ok).toBe(true);
    expect(d.alternatives).toEqual([]);
  });

  it('when an MCCB fails at 10 × In, then a lower magnetic setting is offered when ≥ 5 × In reaches', () => {
    // 300 m of Cu XLPE 95 mm² with a 250 A MCCB: loop R = 0.0035049 + 2·0.193·0.3·1.92 = 0.2258409, X = 0.0127473 + 0.048
    // → |Z| 0.2338577 Ω → I''k1 = 891.2 A < 1.2·10·250 = 3000 A; 891.2/(1.2·250) = 2.97 → below 5 × In: no setting offered
    const path: FaultPathInput = {
      voltage_v: 380,
      supply: SUPPLY,
      sections: [{ conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 95, length_m: 300 }],
    };
    const d = checkDisconnection(path, { kind: 'mccb', rated_current_a: 250 });
    expect(d.earth_fault_current_a).toBeCloseTo(891.2, 0);
    expect(d.ok).toBe(false);
    expect(d.alternatives.some((a) => a.kind === 'lower_magnetic_setting')).toBe(false);
    // 100 m: R = 0.0035049 + 0.0741120 = 0.0776169, X = 0.0127473 + 0.016 → |Z| 0.0827657 → 2518.2 A < 3000 A;
    // 2518.2/300 = 8.39 → setting 8 × In (certain trip at 1.2·8·250 = 2400 A)
    const short = checkDisconnection(
      { ...path, sections: [{ ...path.sections[0]!, length_m: 100 }] },
      { kind: 'mccb', rated_current_a: 250 },
    );
    expect(short.earth_fault_current_a).toBeCloseTo(2518.2, 0);
    expect(short.alternatives.find((a) => a.kind === 'lower_magnetic_setting')?.value).toBe(8);
  });

  it('when the PE is reduced, then a larger PE is offered before a larger cable', () => {
    const path: FaultPathInput = {
      voltage_v: 380,
      supply: SUPPLY,
      sections: [
        { conductor: 'Cu', insulation: 'PVC', cross_section_mm2: 16, pe_cross_section_mm2: 4, length_m: 60 },
      ],
    };
    const d = checkDisconnection(path, { kind: 'mcb', rated_current_a: 40, curve: 'C' });
    // loop R = 0.0035049 + (1.15 + 4.61)·0.06·1.56 = 0.5426649 Ω → ~384 A < 400 A; with PE 6 mm²: (1.15 + 3.08)·0.0936 = 0.395928 → 524 A
    expect(d.ok).toBe(false);
    expect(d.alternatives.find((a) => a.kind === 'larger_pe')?.value).toBe(6);
  });
});
