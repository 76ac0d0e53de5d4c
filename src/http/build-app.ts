/**
 * buildApp({ config, deps }) → a FastifyInstance that never listens by itself (tests use app.inject; the
 * server composes and listens). The only place besides routes/plugins that imports fastify.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { transform, transformObject } from './openapi.js';
import type { Config } from '../config.js';
import type { Deps } from '../app/ports.js';
import { KeyAuthenticator } from '../app/keys.js';
import type { RequestValidator } from '../app/import.js';
import {
  clientErrorHandler,
  frameworkErrorHandler,
  registerErrorHandling,
  sendProblem,
  storageProblem,
} from './error-handler.js';
import { StorageHealth } from '../app/storage-health.js';
import { registerBodyParsing } from './plugins/body-parsing.js';
import { registerAuth } from './plugins/auth.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { helmetHeaders, registerSecurityHeaders } from './plugins/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { siteRoutes } from './routes/sites.js';
import { calculationRoutes } from './routes/calculations.js';
import { bookRoutes } from './routes/books.js';
import { utilisationRoutes } from './routes/utilisation.js';
import { applicationRoutes } from './routes/applications.js';
import { planRoutes } from './routes/plans.js';
import { PlanService } from '../app/plans.js';
import { applicationStats } from '../app/applications.js';
import type { MipSolver } from '../domain/plan/index.js';
import { TimelineService } from '../app/timelines.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { registerMetrics } from './plugins/metrics.js';
import { registerEtags } from './plugins/etag.js';

export interface BuildAppOptions {
  config: Readonly<Config>;
  deps: Deps;
  /** Logger: pino options, or false to silence (tests). */
  logger?: FastifyServerOptions['logger'];
  validateRequest?: RequestValidator;
  timelines?: TimelineService;
  plans?: PlanService;
  /** The MIP solver (HiGHS in a worker); without one, plans use the heuristic. */
  solver?: MipSolver;
  /** The store's integrity verdict (checked at start-up by the server); default: a new one over deps.store. */
  health?: StorageHealth;
}

import { API_VERSION } from '../app/calculations.js';

/**
 * A URL as logged: the path, and the query's parameter names with every value replaced by `[redacted]`
 * (a key sent as `?api_key=` must not land in the log).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const names = url
    .slice(q + 1)
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return `${(eq === -1 ? p : p.slice(0, eq)).slice(0, 64)}=[redacted]`;
    });
  return `${url.slice(0, q)}?${names.join('&')}`;
}

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    serializers: {
      req: (req: LoggedRequest) => ({
        method: req.method,
        url: redactUrl(req.url),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        '*.api_key',
        '*.key',
      ],
      censor: '[redacted]',
    },
  };
}

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  },
};

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, deps } = options;
  const { requestTimeoutMs, headersTimeoutMs, timeoutCheckIntervalMs } = config.server;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.log.level),
    bodyLimit: config.server.bodyLimitBytes,
    // Node checks both timeouts every `connectionsCheckingInterval` and answers 408 (clientErrorHandler), so a
    // client trickling its headers or body is closed within timeout + interval.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: timeoutCheckIntervalMs,
    },
    // The socket's idle timeout outlasts those checks, so a stalled client gets its 408 before the socket is cut.
    connectionTimeout: requestTimeoutMs + 2 * timeoutCheckIntervalMs,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler(helmetHeaders(HELMET_OPTIONS)),
    keepAliveTimeout: 72_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const health = options.health ?? new StorageHealth(deps.store);
  registerErrorHandling(app, { onStorageFailure: (err) => health.noteFailure(err) });
  // A damaged database takes no writes: 503 before the handler runs (reads still try, and fail as 503).
  app.addHook('preHandler', async (request, reply) => {
    if (health.sound || request.method === 'GET' || request.method === 'HEAD') return;
    reply.header('retry-after', '300');
    return sendProblem(reply, storageProblem('corrupt', request));
  });
  registerEtags(app);

  registerBodyParsing(app);

  registerSecurityHeaders(app, HELMET_OPTIONS);
  // CORS only for the configured origins (TPP_CORS_ORIGINS); none configured: no CORS headers, no preflight.
  if (config.cors.origins.length > 0)
    await app.register(cors, {
      origin: [...config.cors.origins],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
      exposedHeaders: ['location', 'idempotent-replayed', 'x-request-id', 'retry-after', 'etag'],
      credentials: false,
      maxAge: 600,
    });
  // One authenticator for the limiter (which counts invalid keys per address) and the auth hook.
  const authenticator = new KeyAuthenticator(deps);
  await registerRateLimit(app, {
    perMinute: config.server.rateLimitPerMinute,
    authenticator,
    ...(deps.store.rateLimitCounter ? { counter: deps.store.rateLimitCounter } : {}),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'tpp — Temporary Power Planner',
        version: API_VERSION,
        description:
          'Plans and guards the temporary electricity supply of large construction sites: demand (JGJ 46 demand-coefficient method), ' +
          'supply-point sizing and allocation, connection applications under missing-document acceptance, capacity utilisation. ' +
          'Errors are RFC 9457 application/problem+json with a stable `code`. Besides the statuses each operation lists, ' +
          'any request may be answered 400 `bad_url` or `malformed_request`, 404 `route_not_found`, 405 `method_not_allowed` ' +
          '(with `Allow`), 408 `request_timeout`, 414 `path_parameter_too_long` or 431 `headers_too_large`. Request bodies are ' +
          'application/json (anything else: 415 `unsupported_media_type`); an operation whose body fields are all optional ' +
          'accepts no body as `{}`.',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'API key: tpp_…' } },
      },
    },
    transform,
    transformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());

  registerAuth(app, authenticator);
  await app.register(healthRoutes(deps.store, health));
  await app.register(siteRoutes(deps, options.validateRequest));
  await app.register(calculationRoutes);
  const timelines = options.timelines ?? new TimelineService();
  // This process's commits are replayed into the cached timelines instead of re-reading the points they touched.
  const detach = timelines.attach(deps.store);
  app.addHook('onClose', () => detach());
  await app.register(utilisationRoutes(deps, timelines));
  await app.register(bookRoutes(deps, timelines));
  await app.register(applicationRoutes(deps, timelines));
  const plans = options.plans ?? new PlanService(deps, options.solver, config.solver.timeLimitS);
  await app.register(planRoutes(deps, plans));
  // — dashboard page and metrics (registered below) —
  await app.register(dashboardRoutes());
  // Metrics read application counts without the deadline sweep, so a scrape never writes.
  await registerMetrics(app, {
    deps,
    timelines,
    config,
    applicationStats: (id) => applicationStats(deps, id, { sweep: false }),
  });
  return app;
}
