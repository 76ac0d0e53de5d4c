/**
 * Tenancy in every read: a contractor sees by id only its own organisation's loads, a viewer none, an engineer
 * all; everyone sees the same aggregates (series, peaks, counts). Every GET route is checked for another
 * organisation's application ids.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, makeTestApp, ORG_A, ORG_B, SCENARIO, SITE, type TestApp } from '../support/app.js';

interface ScenarioRequest {
  id: string;
  organisation: string;
  equipment: Record<string, unknown>[];
  note?: string;
  [k: string]: unknown;
}
const scenario = JSON.parse(fs.readFileSync(SCENARIO, 'utf8')) as { requests: ScenarioRequest[] };
const body = (r: ScenarioRequest) => {
  const { id, note: _n, equipment, ...rest } = r;
  return { reference: id, ...rest, equipment: equipment.map(({ note: _x, ...e }) => e) };
};

interface TimelineLoad {
  reservation_id: string;
  state: string;
  source: string | null;
  source_id: string | null;
}
interface Timeline {
  reserved_kva: number[];
  pending_kva: number[];
  load_counts: { reserved: number; pending: number };
  loads: TimelineLoad[];
  summary: { loads_before_energisation: string[] };
}

const clock = fixedClock('2025-07-01T02:00:00Z');
let t: TestApp;
/** Application id → organisation. */
const orgOf = new Map<string, string>();
let points: string[] = [];

beforeAll(async () => {
  t = await makeTestApp({ clock });
  for (const r of scenario.requests) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications`,
      headers: t.auth('engineer'),
      payload: body(r),
    });
    if (res.statusCode !== 201) throw new Error(`${r.id}: ${res.statusCode} ${res.body}`);
    orgOf.set(res.json<{ application: { id: string } }>().application.id, r.organisation);
  }
  // A deferred document of each organisation falls due: the stats then list overdue items.
  clock.set('2026-06-01T02:00:00Z');
  const list = await t.app.inject({
    method: 'GET',
    url: `/v1/sites/${SITE}/supply-points`,
    headers: t.auth('engineer'),
  });
  points = list.json<{ items: { id: string }[] }>().items.map((p) => p.id);
});
afterAll(async () => t.close());

type Role = 'engineer' | 'contractor' | 'otherContractor' | 'viewer';
const ROLES: Role[] = ['engineer', 'contractor', 'otherContractor', 'viewer'];

async function get<T>(url: string, role: Role): Promise<T> {
  const r = await t.app.inject({ method: 'GET', url, headers: t.auth(role) });
  expect(r.statusCode, `${role} GET ${url}: ${r.body}`).toBe(200);
  return r.json<T>();
}

describe('a supply point’s timeline', () => {
  it('lists every load to an engineer, its own organisation’s to a contractor, none to a viewer; the same aggregates to all', async () => {
    let mixed = 0;
    for (const p of points) {
      const url = `/v1/sites/${SITE}/supply-points/${p}/timeline`;
      const eng = await get<Timeline>(url, 'engineer');
      const a = await get<Timeline>(url, 'contractor');
      const b = await get<Timeline>(url, 'otherContractor');
      const viewer = await get<Timeline>(url, 'viewer');
      const orgs = new Set(eng.loads.map((l) => orgOf.get(l.source_id ?? '')));
      if (orgs.has(ORG_A) && orgs.has(ORG_B)) mixed++;
      expect(eng.loads.length).toBe(eng.load_counts.reserved + eng.load_counts.pending);
      for (const [tl, org] of [
        [a, ORG_A],
        [b, ORG_B],
      ] as const) {
        expect(tl.loads.every((l) => orgOf.get(l.source_id ?? '') === org)).toBe(true);
        expect(tl.loads.map((l) => l.reservation_id).sort()).toEqual(
          eng.loads
            .filter((l) => orgOf.get(l.source_id ?? '') === org)
            .map((l) => l.reservation_id)
            .sort(),
        );
      }
      expect(viewer.loads).toEqual([]);
      expect(viewer.summary.loads_before_energisation).toEqual([]);
      for (const tl of [a, b, viewer]) {
        expect(tl.reserved_kva).toEqual(eng.reserved_kva);
        expect(tl.pending_kva).toEqual(eng.pending_kva);
        expect(tl.load_counts).toEqual(eng.load_counts);
      }
    }
    // The reference site puts both organisations on at least one point, so the filter is exercised.
    expect(mixed).toBeGreaterThan(0);
  });
});

describe('every read of the site', () => {
  it('never names another organisation’s application to a contractor, nor any application to a viewer', async () => {
    const urls = [
      `/v1/sites`,
      `/v1/sites/${SITE}`,
      `/v1/sites/${SITE}/supply-points`,
      `/v1/sites/${SITE}/utilisation?resolution=week`,
      `/v1/sites/${SITE}/applications`,
      `/v1/sites/${SITE}/applications/stats`,
      `/metrics`,
      ...points.flatMap((p) => [
        `/v1/sites/${SITE}/supply-points/${p}`,
        `/v1/sites/${SITE}/supply-points/${p}/timeline`,
      ]),
    ];
    const idsOf = (pred: (org: string) => boolean) =>
      [...orgOf].filter(([, org]) => pred(org)).map(([id]) => id);
    const forbidden: Record<Role, string[]> = {
      engineer: [],
      contractor: idsOf((o) => o !== ORG_A),
      otherContractor: idsOf((o) => o !== ORG_B),
      viewer: [...orgOf.keys()],
    };
    let checked = 0;
    for (const role of ROLES) {
      for (const url of urls) {
        const r = await t.app.inject({ method: 'GET', url, headers: t.auth(role) });
        // A viewer may not list applications at all (403); every other read answers.
        expect(r.statusCode, `${role} ${url}`).toBe(
          role === 'viewer' && url.endsWith('/applications') ? 403 : 200,
        );
        const leaked = forbidden[role].filter((id) => r.body.includes(id));
        expect(leaked, `${role} GET ${url}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(ROLES.length * urls.length);
  });

  it('counts every organisation’s overdue items for all, but lists them by id as the role allows', async () => {
    interface Stats {
      overdue_item_count: number;
      overdue_items: { application_id: string; organisation: string }[];
    }
    const url = `/v1/sites/${SITE}/applications/stats`;
    const eng = await get<Stats>(url, 'engineer');
    const a = await get<Stats>(url, 'contractor');
    const viewer = await get<Stats>(url, 'viewer');
    expect(eng.overdue_items.length).toBe(eng.overdue_item_count);
    expect(new Set(eng.overdue_items.map((o) => o.organisation)).size).toBeGreaterThan(1);
    expect(a.overdue_item_count).toBe(eng.overdue_item_count);
    expect(a.overdue_items).toEqual(eng.overdue_items.filter((o) => o.organisation === ORG_A));
    expect(viewer.overdue_items).toEqual([]);
    expect(viewer.overdue_item_count).toBe(eng.overdue_item_count);
  });

  it('shows a contractor the same utilisation figures as an engineer', async () => {
    const url = `/v1/sites/${SITE}/utilisation?resolution=week`;
    const strip = (u: { points: Record<string, unknown>[] }) =>
      u.points.map(({ loads_before_energisation: _l, ...rest }) => rest);
    const eng = await get<{ points: Record<string, unknown>[] }>(url, 'engineer');
    for (const role of ['contractor', 'viewer'] as const)
      expect(strip(await get<{ points: Record<string, unknown>[] }>(url, role))).toEqual(strip(eng));
  });
});
