import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { motorDefaults } from '../../../src/domain/catalog/motors.js';
import { DomainError } from '../../../src/domain/errors.js';
import { sizeGenerator } from '../../../src/domain/network/generator.js';
import type { MotorStartInput } from '../../../src/domain/network/motor-starting.js';
import {
  busMinFraction,
  motorStartDip,
  motorStartingCurrent,
} from '../../../src/domain/network/motor-starting.js';

const SUPPLY = { source_short_circuit_mva: 250, transformer_rating_kva: 500 };
const MOTOR37 = { rated_power_kw: 37, efficiency: 0.9, power_factor: 0.85 };

describe('motor starting current (DOMAIN.md "Product decisions", §6.4)', () => {
  it('when a 37 kW motor starts, then FLC = P/(√3·U·η·cos φ) and the starter sets the starting current', () => {
    // FLC = 37000/(√3·380·0.9·0.85) = 73.4846 A; DOL 6.5 × FLC = 477.650 A; S_st = √3·380·477.650 = 314.379 kVA
    const dol = motorStartingCurrent({ ...MOTOR37, starter: 'direct_on_line' }, 380);
    expect(dol.full_load_current_a).toBeCloseTo(73.4846, 3);
    expect(dol.starting_current_a).toBeCloseTo(477.65, 2);
    expect(dol.starting_kva).toBeCloseTo(314.379, 2);
    // star–delta: I_LR/3 = 159.217 A, 104.793 kVA
    const sd = motorStartingCurrent({ ...MOTOR37, starter: 'star_delta' }, 380);
    expect(sd.starting_current_a).toBeCloseTo(159.217, 2);
    expect(sd.starting_kva).toBeCloseTo(104.793, 2);
    // soft starter current limit 3.5 × FLC = 257.196 A, 169.281 kVA
    expect(motorStartingCurrent({ ...MOTOR37, starter: 'soft_starter' }, 380).starting_kva).toBeCloseTo(
      169.281,
      2,
    );
    // VFD 1.5 × FLC at cos φ 0.95
    const vfd = motorStartingCurrent({ ...MOTOR37, starter: 'vfd' }, 380);
    expect(vfd.starting_current_a).toBeCloseTo(1.5 * 73.4846, 2);
    expect(vfd.power_factor_start).toBe(0.95);
  });

  it('when a NEMA code letter is given, then I_LR = hp·kVA/hp/(√3·U)', () => {
    // 37 kW = 37/0.7457 = 49.618 hp; code G 5.9 kVA/hp → 292.745 kVA → 292745/(√3·380) = 444.780 A
    const m = motorStartingCurrent({ rated_power_kw: 37, nema_code_letter: 'G' }, 380);
    expect(m.locked_rotor_current_a).toBeCloseTo(444.78, 1);
  });

  it('when an equipment type has defaults, then they overlay the generic motor', () => {
    expect(motorDefaults('concrete_batching_plant')).toMatchObject({
      starter: 'star_delta',
      largest_motor_fraction: 0.2,
    });
    expect(motorDefaults('unknown').starter).toBe('direct_on_line');
  });

  it('when an input is invalid, then it is refused with its path', () => {
    try {
      motorStartingCurrent({ rated_power_kw: -1, efficiency: 1.5 }, 380);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).issues.map((i) => i.path.join('/'))).toEqual([
        'motor/rated_power_kw',
        'motor/efficiency',
      ]);
    }
  });
});

describe('starting dip (GB 50055-2011 §2.2.2)', () => {
  it('when a 37 kW DOL motor starts at the bus of an unloaded 500 kVA point, then v_bus = |Z_m|/|Z_s + Z_m|', () => {
    // Z_s = Z_Q(c 1) + Z_T = (6.368e-5 + 0.0034624) + j(6.368e-4 + 0.0123228) = 0.0035261 + j0.0129596 Ω
    // Z_m = 380²/314379 = 0.459318 Ω at cos φ 0.3 → 0.137795 + j0.438163 Ω
    // |Z_s + Z_m| = |0.141321 + j0.451123| = 0.472740 → v = 0.459318/0.472740 = 0.97161
    const r = motorStartDip({
      motor: { ...MOTOR37, starter: 'direct_on_line' },
      voltage_v: 380,
      supply: SUPPLY,
      feeder: [],
    });
    expect(r.bus_voltage_during).toBeCloseTo(0.97161, 4);
    expect(r.terminal_voltage_during).toBeCloseTo(0.97161, 4);
    expect(r.ok).toBe(true);
  });

  it('when other loads run, then the bus starts lower and the feeder adds its drop at the terminals', () => {
    // other loads 300 kW + 200 kvar on the bus: v0 = 1 − (300e3·0.0035261 + 200e3·0.0129596)/380² = 0.974725
    // feeder 50 m Cu XLPE 35 mm² at 90 °C: R = 0.524·1.2751·0.05 = 0.0334076, X = 0.004 Ω
    // v_bus = 0.974725·|Z_f + Z_m|/|Z_s + Z_f + Z_m| = 0.948012
    // other loads on the feeder 20 kW + 10 kvar: drop (20e3·0.0334076 + 10e3·0.004)/380² = 0.0049041
    // v_term = 0.974725·|Z_m|/|Z_s + Z_f + Z_m| − 0.0049041 = 0.913455
    const r = motorStartDip({
      motor: { ...MOTOR37, starter: 'direct_on_line' },
      voltage_v: 380,
      supply: SUPPLY,
      feeder: [{ conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 35, length_m: 50 }],
      other_load_bus: { active_power_kw: 300, reactive_power_kvar: 200 },
      other_load_feeder: { active_power_kw: 20, reactive_power_kvar: 10 },
    });
    expect(r.bus_voltage_before).toBeCloseTo(0.974725, 5);
    expect(r.bus_voltage_during).toBeCloseTo(0.948012, 5);
    expect(r.terminal_voltage_during).toBeCloseTo(0.913455, 5);
    expect(r.bus_min_fraction).toBe(0.85);
    expect(r.ok).toBe(true);
  });

  it('when a large DOL motor starts on a small transformer, then the bus limit fails', () => {
    const r = motorStartDip({
      motor: { rated_power_kw: 75, starter: 'direct_on_line' },
      voltage_v: 380,
      supply: { transformer_rating_kva: 100 },
      feeder: [],
    });
    expect(r.bus_ok).toBe(false);
    expect(r.message).toContain('the LV bus falls to');
  });

  it('when the limits vary, then 90 % frequent, 85 % infrequent, 80 % without sensitive loads', () => {
    expect(busMinFraction({ frequent_starts: true })).toBe(0.9);
    expect(busMinFraction({})).toBe(0.85);
    expect(busMinFraction({ sensitive_loads: false, frequent_starts: true })).toBe(0.8);
  });

  it('property: the dip rises with motor size (bus and terminals) and with run length (terminals)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 5.5, max: 150, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        fc.double({ min: 5, max: 400, noNaN: true }),
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.constantFrom('direct_on_line' as const, 'star_delta' as const),
        (kw, moreKw, len, moreLen, starter) => {
          const base = (p: number, l: number): MotorStartInput => ({
            motor: { rated_power_kw: p, starter },
            voltage_v: 380,
            supply: SUPPLY,
            feeder: [{ conductor: 'Cu', insulation: 'XLPE', cross_section_mm2: 35, length_m: l }],
          });
          const a = motorStartDip(base(kw, len));
          const bigger = motorStartDip(base(kw + moreKw, len));
          const longer = motorStartDip(base(kw, len + moreLen));
          // At the bus, for a motor on the bus itself: with a long feeder the phasor ratio
          // |Z_f + Z_m|/|Z_s + Z_f + Z_m| is not monotonic where the feeder limits the current (terminals < 40 %).
          const atBus = (p: number): number => motorStartDip({ ...base(p, len), feeder: [] }).bus_dip_percent;
          expect(atBus(kw + moreKw)).toBeGreaterThan(atBus(kw));
          expect(bigger.terminal_dip_percent).toBeGreaterThan(a.terminal_dip_percent);
          expect(longer.terminal_dip_percent).toBeGreaterThan(a.terminal_dip_percent);
        },
      ),
    );
  });
});

describe('generator sizing before energisation (DOMAIN.md §6.4)', () => {
  it('when 150 kW + 110 kvar run and a 37 kW DOL motor starts, then the running kW binds at 250 kVA', () => {
    // S_run = √(150² + 110²) = 186.011 kVA → /0.8 = 232.513 kVA; P: 150/0.8/0.8 = 234.375 kVA
    // dip: 0.15·314.379·(1 − 0.2)/0.2 = 188.627 kVA; step: (150 − 37/0.9)/0.7/0.8 = 194.444 kVA
    // → 234.375 binds (running kW) → 250 kVA; dip at 250 kVA = 0.15·314.379/(250 + 47.157) = 15.87 %
    const g = sizeGenerator({
      running_active_power_kw: 150,
      running_reactive_power_kvar: 110,
      largest_motor: { ...MOTOR37, starter: 'direct_on_line' },
      voltage_v: 380,
    });
    expect(g.required_kva.running_kva).toBeCloseTo(232.513, 2);
    expect(g.required_kva.running_kw).toBeCloseTo(234.375, 3);
    expect(g.required_kva.motor_start_dip).toBeCloseTo(188.627, 2);
    expect(g.required_kva.step_load).toBeCloseTo(194.444, 2);
    expect(g.binding).toBe('running_kw');
    expect(g.recommended_kva).toBe(250);
    expect(g.transient_dip_at_recommended).toBeCloseTo(0.15869, 4);
    expect(g.reason).toContain('250 kVA');
  });

  it('when the dip limit is tight, then the motor start binds', () => {
    // d_max 0.1: 0.15·314.379·0.9/0.1 = 424.41 kVA → 500 kVA
    const g = sizeGenerator({
      running_active_power_kw: 50,
      running_reactive_power_kvar: 30,
      largest_motor: { ...MOTOR37, starter: 'direct_on_line' },
      voltage_v: 380,
      max_transient_dip: 0.1,
    });
    expect(g.binding).toBe('motor_start_dip');
    expect(g.required_kva.motor_start_dip).toBeCloseTo(424.41, 1);
    expect(g.recommended_kva).toBe(500);
  });
});
