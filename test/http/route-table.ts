/**
 * Every route of the API with a valid sample request and the roles that may call it. The roles and
 * bad-input tests iterate over this table, and a test checks that it covers every route in the OpenAPI
 * document, so a new route cannot be added without being tested here.
 */
import type { TestApp } from '../support/app.js';
import { ORG_A, SITE } from '../support/app.js';

export type RoleName = 'engineer' | 'contractor' | 'viewer';

export interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
  /** OpenAPI path template, e.g. /v1/sites/{siteId}. */
  path: string;
  /** Concrete URL; may create what it needs first. `n` makes ids unique per call. */
  url: (t: TestApp, n: number) => Promise<string> | string;
  body?: (n: number) => unknown;
  roles: RoleName[];
  /** Status of a successful call. */
  ok: number;
  /** Writes with a JSON body get the bad-input treatment. */
  writes?: boolean;
  /** Expected statuses that differ from the roles rule (e.g. tenancy 404s, workflow rules). */
  expect?: Partial<Record<RoleName | 'otherContractor', number>>;
}

let counter = 0;
export const unique = (): number => ++counter;

const site = (n: number) => ({
  id: `s${n}`,
  name: `Site ${n}`,
  timezone: 'Asia/Shanghai',
  horizon: { start: '2026-01-01', end: '2026-12-31' },
  total_capacity_cap_kva: 2000,
  max_supply_points: 4,
  extent_m: { x: 500, y: 500 },
});
const point = (n: number) => ({
  id: `P${n}`,
  name: `Point ${n}`,
  position_m: { x: 10, y: 10 },
  rating_kva: 100,
  energised_from: '2026-02-01',
});

async function freshSite(t: TestApp, n: number): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/v1/sites',
    headers: t.auth('engineer'),
    payload: site(1_000_000 + n),
  });
  if (r.statusCode !== 201) throw new Error(`setup failed: ${r.body}`);
  return `s${1_000_000 + n}`;
}

async function freshPoint(t: TestApp, n: number): Promise<string> {
  const s = await freshSite(t, n);
  const r = await t.app.inject({
    method: 'POST',
    url: `/v1/sites/${s}/supply-points`,
    headers: t.auth('engineer'),
    payload: point(n),
  });
  if (r.statusCode !== 201) throw new Error(`setup failed: ${r.body}`);
  return `/v1/sites/${s}/supply-points/P${n}`;
}

const ALL: RoleName[] = ['engineer', 'contractor', 'viewer'];
const APPLICANTS: RoleName[] = ['engineer', 'contractor'];

const application = (n: number) => ({
  reference: `T-${n}`,
  organisation: ORG_A,
  zone: 'Assembly hall',
  position_m: { x: 600, y: 400 },
  window: { start: '2027-01-10', end: '2027-04-01' },
  profile: 'day_shift',
  load: { equipment: [{ type: 'water_pump', quantity: 1, rated_power_kw: 4 }] },
});

/** Starts a heuristic plan of the reference site and waits for it; returns its URL. */
async function finishedPlan(t: TestApp): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: `/v1/sites/${SITE}/plans`,
    headers: t.auth('engineer'),
    payload: { method: 'heuristic' },
  });
  if (r.statusCode !== 202) throw new Error(`setup failed: ${r.body}`);
  const url = r.headers.location as string;
  for (let i = 0; i < 300; i++) {
    const p = (await t.app.inject({ method: 'GET', url, headers: t.auth('engineer') })).json<{
      status: string;
    }>();
    if (p.status === 'done') return url;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('plan did not finish');
}

/** Submits an application of ORG_A as the engineer; returns its URL. */
async function freshApplication(t: TestApp, n: number): Promise<string> {
  const r = await t.app.inject({
    method: 'POST',
    url: `/v1/sites/${SITE}/applications`,
    headers: t.auth('engineer'),
    payload: application(n),
  });
  if (r.statusCode !== 201) throw new Error(`setup failed: ${r.body}`);
  return `/v1/sites/${SITE}/applications/${r.json<{ application: { id: string } }>().application.id}`;
}

export const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/v1/sites', url: () => '/v1/sites', roles: ALL, ok: 200 },
  {
    method: 'POST',
    path: '/v1/sites',
    url: () => '/v1/sites',
    body: site,
    roles: ['engineer'],
    ok: 201,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/sites/import',
    url: () => '/v1/sites/import',
    body: (n) => ({
      site: {
        id: `imp${n}`,
        name: 'Imported',
        timezone: 'Asia/Shanghai',
        extent_m: { x: 100, y: 100 },
        horizon: { start: '2026-01-01', end: '2026-06-30' },
        rule_set: 'JGJ46-2005',
        total_capacity_cap_kva: 500,
        supply_point_count: 2,
      },
      supply_points: [
        {
          id: 'A',
          name: 'A',
          position_m: { x: 1, y: 1 },
          energised_from: '2026-01-10',
          reference_rating_kva: 250,
        },
      ],
      requests: [],
    }),
    roles: ['engineer'],
    ok: 201,
    writes: true,
  },
  { method: 'GET', path: '/v1/sites/{siteId}', url: () => `/v1/sites/${SITE}`, roles: ALL, ok: 200 },
  {
    method: 'PATCH',
    path: '/v1/sites/{siteId}',
    url: (t, n) => freshSite(t, n).then((s) => `/v1/sites/${s}`),
    body: () => ({ name: 'Renamed' }),
    roles: ['engineer'],
    ok: 200,
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/v1/sites/{siteId}',
    url: (t, n) => freshSite(t, n).then((s) => `/v1/sites/${s}`),
    roles: ['engineer'],
    ok: 204,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/supply-points',
    url: () => `/v1/sites/${SITE}/supply-points`,
    roles: ALL,
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/supply-points',
    url: (t, n) => freshSite(t, n).then((s) => `/v1/sites/${s}/supply-points`),
    body: point,
    roles: ['engineer'],
    ok: 201,
    writes: true,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/supply-points/{pointId}',
    url: () => `/v1/sites/${SITE}/supply-points/SP-01`,
    roles: ALL,
    ok: 200,
  },
  {
    method: 'PATCH',
    path: '/v1/sites/{siteId}/supply-points/{pointId}',
    url: (t, n) => freshPoint(t, n),
    body: () => ({ rating_kva: '160 kVA' }),
    roles: ['engineer'],
    ok: 200,
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/v1/sites/{siteId}/supply-points/{pointId}',
    url: (t, n) => freshPoint(t, n),
    roles: ['engineer'],
    ok: 204,
  },
  { method: 'GET', path: '/v1/catalog/equipment', url: () => '/v1/catalog/equipment', roles: ALL, ok: 200 },
  {
    method: 'POST',
    path: '/v1/calculations/demand',
    url: () => '/v1/calculations/demand',
    body: () => ({
      load: {
        equipment: [{ type: 'tower_crane', quantity: 1, rated_power_kw: 45, duty_cycle: 0.4 }],
        simultaneity_factor: 0.8,
      },
    }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/book',
    url: () => `/v1/sites/${SITE}/book`,
    roles: ['engineer'],
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/calculations/demand/book',
    url: () => '/v1/calculations/demand/book?lang=en',
    body: () => ({ load: { equipment: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 30 }] } }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/calculations/feeder/book',
    url: () => '/v1/calculations/feeder/book',
    body: () => ({
      load: { active_power_kw: 40, reactive_power_kvar: 30 },
      feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 120 },
    }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/calculation-books/verify',
    url: () => '/v1/calculation-books/verify',
    body: () => ({
      kind: 'demand',
      input: { items: [{ type: 'concrete_pump', quantity: 1, rated_power_kw: 30 }] },
    }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/calculations/feeder',
    url: () => '/v1/calculations/feeder',
    body: () => ({
      load: { active_power_kw: '40 kW', power_factor: 0.8 },
      feeder: { conductor: 'Cu', insulation: 'XLPE', installation: 'buried', length_m: 120 },
      distribution: {
        earthing_system: 'TN-S',
        switch_box_rcd: { rated_residual_current_ma: 30, operating_time_s: 0.1 },
      },
    }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/calculations/motor-starting',
    url: () => '/v1/calculations/motor-starting',
    body: () => ({
      motor: { rated_power_kw: 22, starter: 'star_delta' },
      supply: { transformer_rating_kva: 400 },
    }),
    roles: ALL,
    ok: 200,
    writes: true,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/utilisation',
    url: () => `/v1/sites/${SITE}/utilisation?resolution=week`,
    roles: ALL,
    ok: 200,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/supply-points/{pointId}/timeline',
    url: () => `/v1/sites/${SITE}/supply-points/SP-04/timeline?from=2026-01-01&to=2026-02-01`,
    roles: ALL,
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/capacity-check',
    url: () => `/v1/sites/${SITE}/capacity-check`,
    body: () => ({
      load: { apparent_power_kva: 80, power_factor: 0.8 },
      profile: 'day_shift',
      window: { start: '2026-03-01', end: '2026-06-01' },
      position_m: { x: 600, y: 400 },
    }),
    roles: ['engineer', 'contractor'],
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications',
    url: () => `/v1/sites/${SITE}/applications`,
    body: application,
    roles: APPLICANTS,
    ok: 201,
    writes: true,
    expect: { otherContractor: 403 },
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications/validate',
    url: () => `/v1/sites/${SITE}/applications/validate`,
    body: application,
    roles: APPLICANTS,
    ok: 200,
    writes: true,
    expect: { otherContractor: 403 },
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/applications',
    url: () => `/v1/sites/${SITE}/applications?state=accepted`,
    roles: APPLICANTS,
    ok: 200,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/applications/stats',
    url: () => `/v1/sites/${SITE}/applications/stats`,
    roles: ALL,
    ok: 200,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/applications/{applicationId}',
    url: freshApplication,
    roles: APPLICANTS,
    ok: 200,
    expect: { otherContractor: 404 },
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/applications/{applicationId}/events',
    url: (t, n) => freshApplication(t, n).then((u) => `${u}/events`),
    roles: APPLICANTS,
    ok: 200,
    expect: { otherContractor: 404 },
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications/{applicationId}/transitions',
    url: (t, n) => freshApplication(t, n).then((u) => `${u}/transitions`),
    body: () => ({ event: 'withdraw', reason: 'no longer needed' }),
    roles: APPLICANTS,
    ok: 200,
    writes: true,
    // Only the applicant withdraws (the workflow table); another organisation does not see the application.
    expect: { engineer: 403, otherContractor: 404 },
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications/{applicationId}/move',
    url: (t, n) => freshApplication(t, n).then((u) => `${u}/move`),
    // The application sits at SP-04 (nearest to x 600, y 400); its pending load moves to SP-10.
    body: () => ({ point_id: 'SP-10', reason: 'rebalancing' }),
    roles: ['engineer'],
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications/{applicationId}/approve',
    url: (t, n) => freshApplication(t, n).then((u) => `${u}/approve`),
    body: () => ({ reason: 'approved' }),
    roles: ['engineer'],
    ok: 200,
    writes: true,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/applications/{applicationId}/documents',
    url: (t, n) => freshApplication(t, n).then((u) => `${u}/documents`),
    body: () => ({ documents: { site_right_proof: { file_name: 'lease.pdf', sha256: 'b'.repeat(64) } } }),
    roles: APPLICANTS,
    ok: 200,
    writes: true,
    expect: { otherContractor: 404 },
  },
  // Prometheus text: any key (and the TPP_METRICS_TOKEN, see test/http/metrics.test.ts).
  { method: 'GET', path: '/metrics', url: () => '/metrics', roles: ALL, ok: 200 },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/plans',
    url: () => `/v1/sites/${SITE}/plans`,
    body: () => ({ method: 'heuristic', keep_ratings: true }),
    roles: ['engineer'],
    ok: 202,
    writes: true,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/plans',
    url: () => `/v1/sites/${SITE}/plans`,
    roles: ['engineer'],
    ok: 200,
  },
  {
    method: 'GET',
    path: '/v1/sites/{siteId}/plans/{planId}',
    url: (t) => finishedPlan(t),
    roles: ['engineer'],
    ok: 200,
  },
  {
    method: 'POST',
    path: '/v1/sites/{siteId}/plans/{planId}/apply',
    url: (t) => finishedPlan(t).then((u) => `${u}/apply`),
    roles: ['engineer'],
    ok: 200,
  },
];

/** Routes that need no key (the dashboard page is public; its data calls need a key). */
export const PUBLIC_PATHS = ['/health/live', '/health/ready', '/dashboard'];
