/**
 * GET /metrics: access (any key or the metrics token), the per-point gauges against the utilisation API, HTTP
 * request metrics labelled by route template, and the application gauges through the injected stats reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';
import { placeNearest } from '../../src/app/placements.js';
import { TimelineService } from '../../src/app/timelines.js';
import { registerMetrics, type ApplicationStatsReader } from '../../src/http/plugins/metrics.js';

const TOKEN = 'metrics-token-for-tests-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text exposition (samples only). */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

const find = (s: Sample[], name: string, labels: Record<string, string>) =>
  s.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ env: { TPP_METRICS_TOKEN: TOKEN } });
  await placeNearest(t.deps, SITE, 'pending');
});
afterAll(async () => t.close());

const scrape = (headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: '/metrics', headers });

describe('GET /metrics access', () => {
  it('answers 401 problem+json without a key or with an unknown token', async () => {
    const none = await scrape();
    expect(none.statusCode).toBe(401);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json()).toMatchObject({ status: 401, code: 'unauthorised' });
    const wrong = await scrape({ authorization: `Bearer ${TOKEN}x` });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('tpp_supply_point');
  });

  it.each(['viewer', 'contractor', 'engineer'] as const)(
    'answers 200 in the Prometheus text format to a %s key',
    async (role) => {
      const r = await scrape(t.auth(role));
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('text/plain');
      expect(r.headers['content-type']).toContain('version=0.0.4');
      expect(r.body).toContain('# TYPE tpp_supply_point_peak_kva gauge');
    },
  );

  it('answers 200 to the configured metrics token, which is not an API key elsewhere', async () => {
    const r = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('tpp_supply_point_utilisation_percent');
    const api = await t.app.inject({
      method: 'GET',
      url: '/v1/sites',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(api.statusCode).toBe(401);
  });

  it('refuses any token when none is configured and a key is not given', async () => {
    const other = await makeTestApp({ store: t.deps.store, seed: false });
    const r = await other.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(r.statusCode).toBe(401);
    // Its own registry: a second app in the same process registers its metrics without a clash.
    const ok = await other.app.inject({ method: 'GET', url: '/metrics', headers: other.auth('viewer') });
    expect(ok.statusCode).toBe(200);
    await other.app.close();
  });
});

interface PointU {
  point_id: string;
  peak_kva: number;
  headroom_kva: number;
  utilisation_percent: number;
}

describe('capacity gauges', () => {
  it('equal the utilisation API numbers over the whole horizon, per site and point', async () => {
    const u = await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/utilisation?resolution=week`,
      headers: t.auth('viewer'),
    });
    expect(u.statusCode).toBe(200);
    const points = u.json<{ points: PointU[] }>().points;
    // Ten supply points on the reference site (examples/jinshan-ev-plant.json).
    expect(points).toHaveLength(10);
    const s = parse((await scrape({ authorization: `Bearer ${TOKEN}` })).body);
    const gauges = [
      ['tpp_supply_point_peak_kva', 'peak_kva'],
      ['tpp_supply_point_headroom_kva', 'headroom_kva'],
      ['tpp_supply_point_utilisation_percent', 'utilisation_percent'],
    ] as const;
    for (const [name] of gauges) expect(find(s, name, { site: SITE })).toHaveLength(points.length);
    for (const p of points)
      for (const [name, field] of gauges) {
        const g = find(s, name, { site: SITE, point: p.point_id });
        expect(g, `${name} ${p.point_id}`).toHaveLength(1);
        // The API rounds for the wire (0.1 kVA, 0.01 %); the gauges keep full precision.
        expect(g[0]!.value, `${name} ${p.point_id}`).toBeCloseTo(p[field], 1);
      }
    // With every request pending at its nearest point, SP-01, SP-02 and SP-03 exceed their 425 kVA limit
    // (test/http/utilisation.test.ts): negative headroom.
    const negative = find(s, 'tpp_supply_point_headroom_kva', { site: SITE })
      .filter((x) => x.value < 0)
      .map((x) => x.labels.point)
      .sort();
    expect(negative).toEqual(['SP-01', 'SP-02', 'SP-03', 'SP-06']);
  });

  it('do not depend on the range or resolution a dashboard asked for', async () => {
    await t.app.inject({
      method: 'GET',
      url: `/v1/sites/${SITE}/utilisation?from=2026-03-01&to=2026-04-01&resolution=hour`,
      headers: t.auth('viewer'),
    });
    const full = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/utilisation`,
        headers: t.auth('viewer'),
      })
    ).json<{ points: PointU[] }>();
    const s = parse((await scrape(t.auth('viewer'))).body);
    const sp01 = full.points.find((p) => p.point_id === 'SP-01')!;
    expect(find(s, 'tpp_supply_point_peak_kva', { site: SITE, point: 'SP-01' })[0]!.value).toBeCloseTo(
      sp01.peak_kva,
      1,
    );
  });
});

describe('HTTP request metrics', () => {
  it('count requests by route template and status, never by raw URL', async () => {
    for (let i = 0; i < 3; i++)
      await t.app.inject({
        method: 'GET',
        url: `/v1/sites/${SITE}/utilisation?resolution=week`,
        headers: t.auth('viewer'),
      });
    await t.app.inject({ method: 'GET', url: `/v1/sites/no-such-site`, headers: t.auth('viewer') });
    await t.app.inject({ method: 'GET', url: '/v1/no/such/route' });
    const s = parse((await scrape(t.auth('viewer'))).body);
    const count = (route: string, status: string) =>
      find(s, 'tpp_http_request_duration_seconds_count', { method: 'GET', route, status_code: status })[0]
        ?.value ?? 0;
    expect(count('/v1/sites/:siteId/utilisation', '200')).toBeGreaterThanOrEqual(3);
    expect(count('/v1/sites/:siteId', '404')).toBeGreaterThanOrEqual(1);
    expect(count('(unmatched)', '404')).toBeGreaterThanOrEqual(1);
    const routes = new Set(
      s.filter((x) => x.name.startsWith('tpp_http_request_duration_seconds')).map((x) => x.labels.route),
    );
    expect([...routes].filter((r) => r?.includes(SITE) || r?.includes('no-such'))).toEqual([]);
    // A histogram: cumulative buckets end at +Inf with the count.
    const inf = find(s, 'tpp_http_request_duration_seconds_bucket', {
      route: '/v1/sites/:siteId/utilisation',
      status_code: '200',
      le: '+Inf',
    })[0]!.value;
    expect(inf).toBe(count('/v1/sites/:siteId/utilisation', '200'));
  });
});

describe('application gauges', () => {
  async function bareApp(applicationStats?: ApplicationStatsReader) {
    const app = Fastify({ logger: false });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await registerMetrics(app, {
      deps: t.deps,
      timelines: new TimelineService(),
      config: t.config,
      applicationStats,
      defaultMetrics: false,
    });
    await app.ready();
    return app;
  }

  it('come from the injected stats reader, per site and state, with the count of overdue items', async () => {
    const seen: string[] = [];
    const app = await bareApp(async (siteId) => {
      seen.push(siteId);
      return {
        by_state: { accepted: 3, accepted_with_deferrals: 2, overdue: 1 },
        overdue_items: [{ type: 'a' }, { type: 'b' }],
      };
    });
    const r = await app.inject({ method: 'GET', url: '/metrics', headers: t.auth('viewer') });
    expect(r.statusCode).toBe(200);
    const s = parse(r.body);
    expect(seen).toEqual([SITE]);
    expect(find(s, 'tpp_applications', { site: SITE, state: 'accepted' })[0]?.value).toBe(3);
    expect(find(s, 'tpp_applications', { site: SITE, state: 'accepted_with_deferrals' })[0]?.value).toBe(2);
    expect(find(s, 'tpp_applications', { site: SITE, state: 'overdue' })[0]?.value).toBe(1);
    expect(find(s, 'tpp_overdue_document_items', { site: SITE })[0]?.value).toBe(2);
    await app.close();
  });

  it('are absent without a reader, and a failing reader costs only its family', async () => {
    const without = await bareApp();
    const a = await without.inject({ method: 'GET', url: '/metrics', headers: t.auth('viewer') });
    expect(a.body).not.toContain('tpp_applications');
    expect(a.body).not.toContain('tpp_overdue_document_items');
    await without.close();

    const failing = await bareApp(async () => {
      throw new Error('stats store down');
    });
    const b = await failing.inject({ method: 'GET', url: '/metrics', headers: t.auth('viewer') });
    expect(b.statusCode).toBe(200);
    const s = parse(b.body);
    expect(find(s, 'tpp_supply_point_peak_kva', { site: SITE })).toHaveLength(10);
    expect(find(s, 'tpp_metrics_collect_errors_total', { family: 'applications' })[0]?.value).toBe(1);
    await failing.close();
  });
});
