import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, SCENARIO, SITE, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ clock: fixedClock('2025-07-01T02:00:00Z') });
});
afterAll(async () => t.close());

const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as {
  requests: ({ id: string; note?: string; equipment: Record<string, unknown>[] } & Record<string, unknown>)[];
};
const applicationBody = (id: string) => {
  const { id: _i, note: _n, equipment: _e, ...rest } = request(id);
  return { reference: id, ...rest, equipment: equipment(id) };
};
const request = (id: string) => scenario.requests.find((r) => r.id === id)!;
const equipment = (id: string) => request(id).equipment.map(({ note: _n, ...e }) => e);

describe('POST /v1/calculations/feeder: fault currents and motor starting', () => {
  it('finds that R-029’s 25 mm² × 380 m feeder does not clear an earth fault in time, with the fixes listed', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('contractor'),
      payload: {
        load: { equipment: equipment('R-029') },
        distribution: request('R-029').distribution,
        supply: { transformer_rating_kva: 500 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    // I''k1 min = 195.4 A at the far end (worked in test/unit/network/faults.test.ts) against an 80 A breaker's
    // 10 × In = 800 A instantaneous trip.
    expect(body.breaker.rated_current_a).toBe(80);
    expect(body.fault_currents.earth_fault_min.current_a).toBeCloseTo(195.4, 0);
    expect(body.disconnection.ok).toBe(false);
    expect(body.disconnection.operating_current_a).toBe(800);
    expect(body.disconnection.alternatives.map((a: { kind: string }) => a.kind)).toEqual(
      expect.arrayContaining(['shorter_run', 'larger_cable', 'rcd']),
    );
    const f = body.findings.find((x: { code: string }) => x.code === 'FAULT_DISCONNECTION');
    expect(f).toMatchObject({
      rule: 'FAULT',
      severity: 'error',
      path: '/distribution/feeder/length_m',
    });
    expect(f.message).toMatch(/Fixes: shorten the run to at most 91 m/);
    // The assumed 6 kA MCB is below the ~17 kA at the bus of a 500 kVA point.
    expect(body.breaking_capacity.ok).toBe(false);
    expect(body.compliant).toBe(false);
  });

  it('checks R-006’s batching-plant motors for starting dip at a 500 kVA point', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('contractor'),
      payload: {
        load: { equipment: equipment('R-006') },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 120 },
        supply: { transformer_rating_kva: 500 },
        protective_device: { kind: 'mccb', breaking_capacity_ka: 36 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    const labels = body.motor_starting.motors.map((m: { label: string }) => m.label);
    // Batching plant 185 kW × 0.2 = 37 kW largest motor (star–delta), air compressor 22 kW (star–delta).
    expect(labels).toEqual(['concrete_batching_plant #1', 'air_compressor #2']);
    expect(body.motor_starting.largest_motor_kw).toBeCloseTo(37, 6);
    expect(body.motor_starting.motors[0].motor.starter).toBe('star_delta');
    expect(body.motor_starting.worst_bus_voltage).toBeGreaterThan(0.85);
    expect(body.motor_starting.ok).toBe(true);
    expect(body.breaking_capacity.ok).toBe(true);
  });

  it('reports the dip as a finding when a large DOL motor starts on a small transformer', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('contractor'),
      payload: {
        load: { active_power_kw: 80, reactive_power_kvar: 50 },
        feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 50 },
        supply: { transformer_rating_kva: 100 },
        motors: [{ label: 'pump', rated_power_kw: '75 kW', starter: 'direct_on_line' }],
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const f = r.json().findings.find((x: { code: string }) => x.code.startsWith('MOTOR_START_DIP'));
    expect(f).toMatchObject({ rule: 'MOTOR_START', path: '/motors/0' });
  });

  it('rejects a bad supply and motor listing every field', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/feeder',
      headers: t.auth('contractor'),
      payload: {
        load: { active_power_kw: 10 },
        supply: { transformer_rating_kva: 500, transformer_impedance_percent: 40 },
        motors: [{ rated_power_kw: 10, starter: 'rheostat' }],
      },
    });
    expect(r.statusCode).toBe(400);
    const paths = (r.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/supply/transformer_impedance_percent', '/motors/0/starter']),
    );
  });
});

describe('POST /v1/calculations/motor-starting', () => {
  it('gives the starting kVA, the dip at the point and a generator for the days before energisation', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/motor-starting',
      headers: t.auth('viewer'),
      payload: {
        motor: { rated_power_kw: 37, efficiency: 0.9, power_factor: 0.85, starter: 'direct_on_line' },
        supply: { transformer_rating_kva: 500, source_short_circuit_mva: 250 },
        generator: { running_active_power_kw: 150, running_reactive_power_kvar: 110 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    // Worked in test/unit/network/motor-starting.test.ts: 314.379 kVA; v_bus 0.97161; generator 250 kVA (running kW).
    expect(body.motor.starting_kva).toBeCloseTo(314.379, 1);
    expect(body.dip.bus_voltage_during).toBeCloseTo(0.97161, 4);
    expect(body.generator).toMatchObject({ recommended_kva: 250, binding: 'running_kw' });
    expect(body.provenance.input_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sizes only a generator when no supply is given', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/motor-starting',
      headers: t.auth('viewer'),
      payload: {
        motor: { rated_power_kw: 37, nema_code_letter: 'G', starter: 'star_delta' },
        generator: { running_active_power_kw: 20, max_transient_dip: 0.1 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().dip).toBeNull();
    expect(r.json().generator.recommended_kva).toBeGreaterThan(0);
  });
});

describe('application assessment: fault and motor-starting findings on the reference site', () => {
  const validate = async (id: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/validate`,
      headers: t.auth('engineer'),
      payload: applicationBody(id),
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().findings as { code: string; message: string; path: unknown[]; severity: string }[];
  };

  it('R-029’s declared 25 mm² × 380 m feeder fails the disconnection check with the fixes listed', async () => {
    const f = (await validate('R-029')).find((x) => x.code === 'FAULT_DISCONNECTION');
    expect(f).toMatchObject({ severity: 'error', path: '/distribution/feeder/length_m' });
    expect(f?.message).toMatch(/would not be cleared in time/);
    expect(f?.message).toMatch(/Fixes: shorten the run to at most \d+ m.*mm² cable.*residual-current device/);
  });

  it('R-006’s batching-plant motors are checked for starting dip at their point, and pass', async () => {
    const findings = await validate('R-006');
    expect(findings.filter((x) => x.code.startsWith('MOTOR_START'))).toEqual([]);
    // A 185 kW DOL winch (frequent starts: bus ≥ 90 %) would not start at this point: the check is live.
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/validate`,
      headers: t.auth('engineer'),
      payload: {
        ...applicationBody('R-006'),
        equipment: [{ type: 'winch', rated_power_kw: 185, duty_cycle: 0.4 }],
      },
    });
    const dip = (r.json().findings as { code: string; path: unknown[] }[]).find((x) =>
      x.code.startsWith('MOTOR_START'),
    );
    expect(dip?.path).toEqual('/equipment/0');
  });
});
