import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { placeNearest } from '../../src/app/placements.js';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await placeNearest(t.deps, SITE, 'pending');
});
afterAll(async () => t.close());

interface PointU {
  point_id: string;
  limit_kva: number;
  rating_kva: number;
  peak_kva: number;
  utilisation_percent: number;
  reserved: { peak_kva: number };
  loads: { pending: number; reserved: number };
  series: { start: string; reserved_kva: number; total_kva: number }[];
}

describe('utilisation of the reference site with every request at its nearest point (pending)', () => {
  it('shows the northern points above their limit in the structure phase and the others near half load', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/utilisation?from=2025-11-01&to=2026-10-01&resolution=week&at=2026-01-15T02:00:00Z`,
      headers: t.auth('viewer'),
    });
    expect(r.statusCode, r.body).toBe(200);
    const body: { site: Record<string, number>; points: PointU[] } = r.json();
    const table = body.points
      .map((p) => `${p.point_id} ${p.peak_kva.toFixed(0)}/${p.limit_kva} kVA`)
      .join(', ');
    const over = body.points.filter((p) => p.peak_kva > p.limit_kva).map((p) => p.point_id);
    // Press (SP-01), body shop (SP-02) and paint shop (SP-03) exceed their 425 kVA limit (measured: 607, 544
    // and 445 kVA; the paint shop's margin rests on the DC-welder Kx 0.5, a low-confidence catalogue value).
    expect(over, table).toEqual(['SP-01', 'SP-02', 'SP-03', 'SP-06']); // SP-06 since issue #16 (35 h)
    const northern = ['SP-01', 'SP-02', 'SP-03', 'SP-06'];
    for (const p of body.points.filter((x) => !northern.includes(x.point_id))) {
      expect(p.utilisation_percent, `${p.point_id}: ${table}`).toBeGreaterThan(30);
      expect(p.utilisation_percent, `${p.point_id}: ${table}`).toBeLessThan(80);
    }
    // Nothing is approved yet: every load is pending.
    expect(body.points.every((p) => p.reserved.peak_kva === 0 && p.loads.reserved === 0)).toBe(true);
    expect(body.points.reduce((s, p) => s + p.loads.pending, 0)).toBe(43);
    expect(body.site.rating_sum_kva).toBe(5000);
    expect(body.site.coincident_peak_kva).toBeLessThanOrEqual(body.site.sum_of_point_peaks_kva! + 1e-9);
    // Week buckets: the max of a bucket is at least every hour inside it, so the series max equals the peak.
    for (const p of body.points)
      expect(Math.max(...p.series.map((b) => b.total_kva))).toBeCloseTo(p.peak_kva, 2);
  });

  it('serves one point’s hourly timeline whose pending series peaks where the utilisation read says', async () => {
    const u = (
      await t.app.inject({ method: 'GET', url: `/v1/sites/${SITE}/utilisation`, headers: t.auth('viewer') })
    ).json<{ points: PointU[] }>();
    const r = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/supply-points/SP-02/timeline`,
      headers: t.auth('viewer'),
    });
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json();
    expect(body.hours).toBe(body.pending_kva.length);
    expect(Math.max(...(body.pending_kva as number[]))).toBeCloseTo(
      u.points.find((p) => p.point_id === 'SP-02')!.peak_kva,
      2,
    );
    expect(body.loads.every((l: { source: string }) => l.source === 'plan')).toBe(true);
  });

  it('rejects a range outside the horizon and an unknown resolution', async () => {
    const r = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/utilisation?from=2030-01-01&resolution=month`,
      headers: t.auth('viewer'),
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toContain('/resolution');
  });
});

describe('timelines are never stale', () => {
  it('a second instance sharing the database sees a placement made by the first on its next read', async () => {
    const other = await makeTestApp({ store: t.deps.store, seed: false });
    const url = `/v1/sites/${SITE}/utilisation?at=2026-01-15T02:00:00Z`;
    const read = async (app: TestApp) =>
      (await app.app.inject({ method: 'GET', url, headers: app.auth('viewer') })).json();
    const before = await read(other);
    expect(before.points.reduce((s: number, p: PointU) => s + p.loads.pending, 0)).toBe(43);
    // The first instance moves everything to reserved (beyond some limits: kept with force, as overcommitted);
    // the second instance must not serve its cached figures.
    await placeNearest(t.deps, SITE, 'reserved', { force: true });
    const after = await read(other);
    expect(after.points.reduce((s: number, p: PointU) => s + p.loads.reserved, 0)).toBe(43);
    expect(after.points.reduce((s: number, p: PointU) => s + p.loads.pending, 0)).toBe(0);
    await placeNearest(t.deps, SITE, 'pending');
    await other.app.close();
  });
});

describe('POST capacity-check', () => {
  const body = {
    load: { apparent_power_kva: '120 kVA', power_factor: 0.8 },
    profile: 'day_shift',
    window: { start: '2026-02-01', end: '2026-05-01' },
    position_m: { x: 560, y: 700 },
  };

  it('answers per point with headroom, distance and feeder, names the best point, and reserves nothing', async () => {
    const url = `/v1/sites/${SITE}/utilisation?at=2026-01-15T02:00:00Z`;
    const before = (await t.app.inject({ method: 'GET', url, headers: t.auth('viewer') })).body;
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/capacity-check`,
      headers: t.auth('contractor'),
      payload: body,
    });
    expect(r.statusCode, r.body).toBe(200);
    const res = r.json();
    expect(res.points).toHaveLength(10);
    // SP-02 (Body shop north) is the nearest but over its limit in the structure phase: it must not fit.
    const sp02 = res.points.find((p: { point_id: string }) => p.point_id === 'SP-02');
    expect(sp02.fits).toBe(false);
    expect(sp02.reasons.map((x: { code: string }) => x.code)).toContain('insufficient_headroom');
    expect(sp02.first_conflict_at).toEqual(expect.any(String));
    expect(res.fits).toBe(true);
    expect(res.best_point_id).not.toBe('SP-02');
    const best = res.points[0];
    expect(best.point_id).toBe(res.best_point_id);
    expect(best.feeder.voltage_drop_percent).toBeLessThanOrEqual(5);
    const after = (await t.app.inject({ method: 'GET', url, headers: t.auth('viewer') })).body;
    expect(after).toBe(before);
  });

  it('accepts an equipment list instead of a kVA figure', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/capacity-check`,
      headers: t.auth('engineer'),
      payload: { ...body, load: { equipment: [{ type: 'concrete_pump', rated_power_kw: '90 kW' }] } },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().demand.apparent_power_kva).toBeGreaterThan(50);
  });

  it('is refused to viewers and validates the window against the horizon', async () => {
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/v1/sites/${SITE}/capacity-check`,
          headers: t.auth('viewer'),
          payload: body,
        })
      ).statusCode,
    ).toBe(403);
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/capacity-check`,
      headers: t.auth('contractor'),
      payload: { ...body, window: { start: '2026-05-01', end: '2026-02-01' } },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('/window/end');
  });
});
