/**
 * Prometheus metrics at `GET /metrics` (text exposition format, prom-client).
 *
 * - HTTP: `tpp_http_request_duration_seconds{method,route,status_code}`, labelled with the route template
 *   (`request.routeOptions.url`), never the raw URL, so ids in paths do not explode the label set.
 * - Capacity, read at scrape time with the same figures as `GET /v1/sites/{siteId}/utilisation` over the
 *   whole horizon (`readPointFigures`, cached per timeline version, yielding between points so a scrape of a
 *   large site never holds the event loop): `tpp_supply_point_{utilisation_percent,headroom_kva,peak_kva}{site,point}`.
 *   The reservations kept with force: `tpp_supply_point_overcommitted_{reservations,kva}{site,point}`.
 * - Applications, when an `applicationStats` reader is given (the use case behind
 *   `GET /v1/sites/{siteId}/applications/stats`): `tpp_applications{site,state}` and
 *   `tpp_overdue_document_items{site}`. Without it these two families are not exposed.
 *
 * Access: any API key (viewer and up), or the `TPP_METRICS_TOKEN` value as a Bearer token, so a Prometheus
 * server needs no API key. The route does its own check (the role hook would refuse the token).
 *
 * Each app gets its own Registry: several apps in one process (tests) do not share or clash on metrics.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Config } from '../../config.js';
import type { Deps } from '../../app/ports.js';
import type { TimelineService } from '../../app/timelines.js';
import { KeyAuthenticator } from '../../app/keys.js';
import { readPointFigures } from '../../app/utilisation.js';
import { ErrorResponses } from '../../../schemas/common.js';
import { problem, sendProblem } from '../error-handler.js';
import { bearerToken, tokenHash } from './auth.js';

/** What the metrics need from the application statistics of one site (subset of the stats response). */
export interface ApplicationStatsForMetrics {
  /** Number of applications per workflow state. */
  by_state: Readonly<Record<string, number>>;
  /** Deferred documents past their due date, one item each. */
  overdue_items: readonly unknown[];
}

/** Reads the application statistics of a site (the use case of `GET …/applications/stats`). */
export type ApplicationStatsReader = (siteId: string) => Promise<ApplicationStatsForMetrics>;

export interface MetricsOptions {
  deps: Deps;
  timelines: TimelineService;
  config: Readonly<Config>;
  /** Wire to expose `tpp_applications` and `tpp_overdue_document_items`; absent → not exposed. */
  applicationStats?: ApplicationStatsReader;
  /** Defaults to a new authenticator over `deps`. */
  authenticator?: KeyAuthenticator;
  /** Node.js process metrics (`process_*`, `nodejs_*`); default true. */
  defaultMetrics?: boolean;
}

const UNMATCHED_ROUTE = '(unmatched)';

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

/**
 * Registers the request-duration hook and `GET /metrics` on `app` (root context, so every route is timed).
 * Returns the app's registry.
 */
export async function registerMetrics(app: FastifyInstance, options: MetricsOptions): Promise<Registry> {
  const { deps, timelines, config, applicationStats } = options;
  const authenticator = options.authenticator ?? new KeyAuthenticator(deps);
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'tpp_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const utilisation = new Gauge({
    name: 'tpp_supply_point_utilisation_percent',
    help: 'Peak of reserved + pending load over the site horizon / rating × 100 (as GET …/utilisation)',
    labelNames: ['site', 'point'] as const,
    registers: [registry],
  });
  const headroom = new Gauge({
    name: 'tpp_supply_point_headroom_kva',
    help: 'Loading limit − peak of reserved + pending load over the site horizon, kVA (negative = overloaded)',
    labelNames: ['site', 'point'] as const,
    registers: [registry],
  });
  const peak = new Gauge({
    name: 'tpp_supply_point_peak_kva',
    help: 'Peak of reserved + pending load over the site horizon, kVA',
    labelNames: ['site', 'point'] as const,
    registers: [registry],
  });
  const overcommittedCount = new Gauge({
    name: 'tpp_supply_point_overcommitted_reservations',
    help: 'Active reservations kept with force although the point’s limit no longer covers them',
    labelNames: ['site', 'point'] as const,
    registers: [registry],
  });
  const overcommittedKva = new Gauge({
    name: 'tpp_supply_point_overcommitted_kva',
    help: 'Σ demand of the overcommitted reservations on the point, kVA',
    labelNames: ['site', 'point'] as const,
    registers: [registry],
  });
  const collectErrors = new Counter({
    name: 'tpp_metrics_collect_errors_total',
    help: 'Sites whose domain metrics could not be read at a scrape, by family',
    labelNames: ['family'] as const,
    registers: [registry],
  });
  const applications = applicationStats
    ? new Gauge({
        name: 'tpp_applications',
        help: 'Connection applications by workflow state',
        labelNames: ['site', 'state'] as const,
        registers: [registry],
      })
    : undefined;
  const overdue = applicationStats
    ? new Gauge({
        name: 'tpp_overdue_document_items',
        help: 'Deferred documents past their due date',
        labelNames: ['site'] as const,
        registers: [registry],
      })
    : undefined;

  // One labelled child per (method, route, status): prom-client hashes the label set on every observe().
  const children = new Map<string, { observe: (v: number) => void }>();
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const id = `${request.method} ${reply.statusCode} ${route}`;
    let child = children.get(id);
    if (!child) {
      child = httpDuration.labels({ method: request.method, route, status_code: String(reply.statusCode) });
      children.set(id, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });

  async function readDomain(): Promise<void> {
    const sites = await deps.store.sites.list();
    // Reset first: a deleted site or point must disappear from the exposition, not keep its last value.
    for (const g of [
      utilisation,
      headroom,
      peak,
      overcommittedCount,
      overcommittedKva,
      applications,
      overdue,
    ])
      g?.reset();
    for (const site of sites) {
      try {
        // Whole-horizon figures only (no series), cached per timeline version, computed point by point.
        for (const p of await readPointFigures(deps, timelines, site.id)) {
          const labels = { site: site.id, point: p.point_id };
          utilisation.set(labels, p.utilisation_percent);
          headroom.set(labels, p.headroom_kva);
          peak.set(labels, p.peak_kva);
          overcommittedCount.set(labels, p.overcommitted.count);
          overcommittedKva.set(labels, p.overcommitted.demand_kva);
        }
      } catch (err) {
        collectErrors.inc({ family: 'utilisation' });
        app.log.warn({ err, site: site.id }, 'metrics: utilisation read failed');
      }
      if (applicationStats && applications && overdue) {
        try {
          const s = await applicationStats(site.id);
          for (const [state, n] of Object.entries(s.by_state)) applications.set({ site: site.id, state }, n);
          overdue.set({ site: site.id }, s.overdue_items.length);
        } catch (err) {
          collectErrors.inc({ family: 'applications' });
          app.log.warn({ err, site: site.id }, 'metrics: application stats read failed');
        }
      }
    }
  }

  // One domain read at a time: concurrent scrapes share it instead of interleaving resets and sets.
  let inFlight: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    inFlight ??= readDomain().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  async function authorise(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const token = bearerToken(request);
    if (!token) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(
        reply,
        problem(
          401,
          'unauthorised',
          'Send an API key or the metrics token as "Authorization: Bearer <key>"',
          {
            instance: request.url,
          },
        ),
      );
    }
    const metricsToken = config.metrics.token;
    if (metricsToken !== undefined && sameSecret(token, metricsToken)) return undefined;
    // Every role reads capacity figures; a valid key of any role is enough.
    if (await authenticator.authenticateHash(tokenHash(request) ?? '')) return undefined;
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
    return sendProblem(
      reply,
      problem(401, 'unauthorised', 'The API key or metrics token is unknown or revoked', {
        instance: request.url,
      }),
    );
  }

  app.get(
    '/metrics',
    {
      onRequest: authorise,
      schema: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'HTTP request durations per route template and status; per supply point utilisation_percent, ' +
          'headroom_kva and peak_kva over the site horizon (the numbers of GET /v1/sites/{siteId}/utilisation). ' +
          'Bearer: any API key (viewer and up) or the TPP_METRICS_TOKEN value.',
        security: [{ bearerAuth: [] }],
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: z.string() } },
          },
          ...ErrorResponses,
        },
      },
    },
    async (_request, reply) => {
      await refresh();
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );

  return registry;
}
