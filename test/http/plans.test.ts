/**
 * Planning the reference site through HTTP: the plan serves every servable request within 5000 kVA, keeps every
 * point ≤ 85 % at every hour, explains the rest, and applying it then approving its assignments never overbooks.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, SCENARIO, SITE, type TestApp } from '../support/app.js';
import { HighsSolver } from '../../src/solver/highs-solver.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const solver = new HighsSolver();
const clock = fixedClock('2025-07-01T02:00:00Z');
let t: TestApp;
let plan: Json;

async function waitDone(url: string): Promise<Json> {
  for (let i = 0; i < 600; i++) {
    const r = (await t.app.inject({ method: 'GET', url, headers: t.auth('engineer') })).json();
    if (r.status === 'done' || r.status === 'failed') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('plan did not finish');
}

beforeAll(async () => {
  t = await makeTestApp({ solver, clock });
  const r = await t.app.inject({
    method: 'POST',
    url: `/v1/sites/${SITE}/plans`,
    headers: t.auth('engineer'),
    payload: { method: 'mip', time_limit_s: 20 },
  });
  expect(r.statusCode, r.body).toBe(202);
  expect(r.json().status).toBe('queued');
  plan = await waitDone(r.headers.location as string);
}, 60_000);
afterAll(async () => {
  await t.close();
  await solver.close();
});

describe('a MIP plan of the reference site', () => {
  it('finishes with ratings from the standard series summing to at most 5000 kVA', () => {
    expect(plan.status, plan.error).toBe('done');
    const res = plan.result;
    expect(res.sum_kva).toBeLessThanOrEqual(5000);
    for (const r of res.ratings)
      expect([
        0, 30, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500,
      ]).toContain(r.rating_kva);
    expect(res.solver.method).toBe('mip');
    expect(res.violations).toEqual([]);
  });

  it('keeps every point at or below 85 % of its rating at every hour', () => {
    for (const p of plan.result.points)
      if (p.utilisation_percent !== null)
        expect(p.utilisation_percent, p.point_id).toBeLessThanOrEqual(85 + 1e-6);
  });

  it('serves every servable request and explains the rest with a reason and an alternative', () => {
    const res = plan.result;
    const served = new Set(res.assignments.map((a: { load_id: string }) => a.load_id));
    const unserved = res.unserved.map((u: { load_id: string }) => u.load_id);
    expect(served.size + unserved.length).toBe(43);
    // Issue #16: are served from site points like every other request (the LV connection
    // limit concerns direct public-LV connections only); parallel feeders now reach from
    // points further away. With the corrected demands (no K∑ on a single group, Kx 1 below 3 units) the
    // largest request, R-016 (≈ 305 kVA), is the one that may find no point with headroom over its window (the
    // planner now also decommissions points within the cap, and then serves it): at most R-016 stays unserved.
    expect(unserved.filter((id: string) => id !== 'R-016')).toEqual([]);
    for (const u of res.unserved) expect(u.alternative.note.length, u.load_id).toBeGreaterThan(10);
    expect(served.has('R-006') && served.has('R-042')).toBe(true);
  });

  it('reports its feeder cost against the nearest-point baseline, which overloads points', () => {
    const res = plan.result;
    // The nearest-point baseline overloads points; serving 42 of 43 requests without overload moves loads to
    // farther points, so the plan's feeder cost may exceed the (infeasible) baseline's.
    expect(res.objective.feeder_cost_kva_m).toBeGreaterThan(0);
    expect(res.baseline.violations.length).toBeGreaterThan(0);
    for (const a of res.assignments) expect(a.feeder.voltage_drop_percent, a.load_id).toBeLessThanOrEqual(5);
  });

  it('serves the same requests when the override lets R-006 and R-042 onto shared points', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/plans`,
      headers: t.auth('engineer'),
      payload: { method: 'heuristic', lv_overrides: ['R-006', 'R-042'] },
    });
    const done = await waitDone(r.headers.location as string);
    expect(done.result.unserved.map((u: { load_id: string }) => u.load_id).sort()).toEqual(['R-016']);
    expect(done.result.violations).toEqual([]);
  });

  it('rejects an unknown point or request in the request, naming the field', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/plans`,
      headers: t.auth('engineer'),
      payload: { points: [{ id: 'SP-99', rating_kva: 500 }], lv_overrides: ['R-999'] },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { path: string }) => e.path)).toEqual(['/points/0/id', '/lv_overrides/0']);
  });
});

describe('applying the plan, then approving its assignments', () => {
  it('sets the ratings and places every served request as pending in one step', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/plans/${plan.id}/apply`,
      headers: t.auth('engineer'),
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().placements).toBe(plan.result.assignments.length);
    const pts = (
      await t.app.inject({ method: 'GET', url: `/v1/sites/${SITE}/supply-points`, headers: t.auth('viewer') })
    ).json();
    expect(pts.sum_of_ratings_kva).toBe(plan.result.sum_kva);
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/plans/${plan.id}/apply`,
      headers: t.auth('engineer'),
    });
    expect(again.statusCode).toBe(409);
  });

  it('approves applications at their planned points without ever exceeding a point’s limit', async () => {
    const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as { requests: Json[] };
    const assigned = new Map<string, string>(
      plan.result.assignments.map((a: { load_id: string; point_id: string }) => [a.load_id, a.point_id]),
    );
    let approved = 0;
    for (const q of scenario.requests) {
      const { id, note: _n, equipment, ...rest } = q;
      const s = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${SITE}/applications`,
        headers: t.auth('engineer'),
        payload: { reference: id, ...rest, equipment: equipment.map(({ note: _x, ...e }: Json) => e) },
      });
      const app = s.json().application;
      if (!['accepted', 'accepted_with_deferrals'].includes(app.state) || !assigned.has(id)) continue;
      const a = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${SITE}/applications/${app.id}/approve`,
        headers: t.auth('engineer'),
        payload: { point_id: assigned.get(id) },
      });
      expect([200, 409], a.body).toContain(a.statusCode);
      if (a.statusCode === 200) approved++;
    }
    expect(approved).toBeGreaterThan(30);
    const u = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/utilisation?resolution=hour`,
        headers: t.auth('viewer'),
      })
    ).json();
    for (const p of u.points) expect(p.reserved.peak_kva, p.point_id).toBeLessThanOrEqual(p.limit_kva + 1e-6);
  }, 60_000);
});
