/**
 * Numbers and times on the wire (docs/nomenclature.md, "Numbers and times"): quantities rounded by one rule on
 * their names, one name per concept, instants of a site-scoped answer in the site's offset (Asia/Shanghai,
 * +08:00 all year), UTC only in fields named `*_utc` and in record stamps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, SITE, type TestApp } from '../support/app.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ clock: fixedClock('2026-01-15T02:00:00Z') });
});
afterAll(async () => t.close());

const SHANGHAI = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?\+08:00$/;
const decimals = (v: number) => (Number.isInteger(v) ? 0 : String(v).split('.')[1]!.length);

/** Every (key, number) and (key, string) pair in a body, with the key of the array an element sits in. */
function leaves(v: unknown, key = '', out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(v)) for (const x of v) leaves(x, key, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v))
      if (k !== 'trace' && k !== 'provenance' && k !== 'request') leaves(x, k, out);
  } else out.push([key, v]);
  return out;
}

function expectWireRules(body: unknown) {
  const all = leaves(body);
  expect(all.length).toBeGreaterThan(0);
  for (const [k, v] of all) {
    if (typeof v === 'number') {
      if (/_(kw|kvar|kva|a)$/.test(k)) expect(decimals(v), `${k} = ${v}`).toBeLessThanOrEqual(1);
      if (k.endsWith('_percent')) expect(decimals(v), `${k} = ${v}`).toBeLessThanOrEqual(2);
      if (k === 'power_factor' || k.endsWith('_fraction'))
        expect(decimals(v), `${k} = ${v}`).toBeLessThanOrEqual(3);
    }
    expect(k).not.toMatch(/^(peak_hour|coincident_peak_hour|peak_hour_iso|hour_iso|max_utilisation)$/);
    if (
      typeof v === 'string' &&
      /T\d{2}:\d{2}/.test(v) &&
      !/(_utc|created_at|updated_at|applied_at)$/.test(k)
    )
      expect(v, k).toMatch(SHANGHAI);
  }
}

const get = async (url: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: t.auth('engineer') });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

describe('site-scoped answers', () => {
  it('utilisation: kVA to 0.1, percents to 0.01, peaks and "now" in +08:00, no hour indices', async () => {
    const u = await get(
      `/v1/sites/${SITE}/utilisation?resolution=hour&from=2026-03-01&to=2026-03-08&at=2026-03-03T06:00:00Z`,
    );
    expectWireRules(u);
    expect(u.at).toBe('2026-03-03T14:00+08:00');
    expect(u.now_at).toBe('2026-03-03T14:00+08:00');
    expect(u.points[0].series[0].start).toBe('2026-03-01T00:00+08:00');
  });

  it('timeline: the arrays start at local midnight, given in +08:00 and in UTC for machines', async () => {
    const tl = await get(`/v1/sites/${SITE}/supply-points/SP-04/timeline?from=2026-03-01&to=2026-03-02`);
    expectWireRules(tl);
    expect(tl.start_at).toBe('2026-03-01T00:00+08:00');
    expect(tl.start_at_utc).toBe('2026-02-28T16:00:00.000Z');
    expect(tl.reserved_kva).toHaveLength(24);
  });

  it('capacity check: headroom to 0.1 kVA, its instants in +08:00', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/capacity-check`,
      headers: t.auth('engineer'),
      payload: {
        load: { apparent_power_kva: '333.333 kVA', power_factor: 0.83 },
        profile: 'day_shift',
        window: { start: '2026-03-01', end: '2026-06-01' },
        position_m: { x: 560, y: 700 },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expectWireRules(r.json());
    expect(r.json().demand.apparent_power_kva).toBe(333.3);
    expect(r.json().points[0].min_headroom_at).toMatch(SHANGHAI);
  });

  it('plan: peaks as peak_at in +08:00, max_utilisation_fraction, quantities rounded', async () => {
    const start = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/plans`,
      headers: t.auth('engineer'),
      payload: { method: 'heuristic' },
    });
    expect(start.statusCode, start.body).toBe(202);
    let plan: Json;
    for (let i = 0; i < 300; i++) {
      plan = await get(start.headers.location as string);
      if (plan.status === 'done' || plan.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(plan.status, plan.error).toBe('done');
    expectWireRules(plan.result);
    expect(plan.result.points.some((p: Json) => SHANGHAI.test(p.peak_at))).toBe(true);
    expect(plan.result.objective.max_utilisation_fraction).toBeGreaterThan(0);
    expect(plan.created_at).toMatch(/Z$/);
  });
});

describe('calculations', () => {
  it('demand: totals to 0.1 kW/kvar/kVA/A and cos φ to 0.001 in one object', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/calculations/demand',
      headers: t.auth('viewer'),
      payload: {
        load: {
          equipment: [
            { type: 'tower_crane', quantity: 3, rated_power_kw: '47.3 kW', duty_cycle: 0.4 },
            { type: 'welder_ac', quantity: 5, rated_apparent_power_kva: '38.6 kVA', duty_cycle: 0.6 },
          ],
        },
      },
    });
    expect(r.statusCode, r.body).toBe(200);
    expectWireRules(r.json());
  });
});
