/**
 * buildApp({ config, deps }) → a FastifyInstance that never listens by itself (tests use app.inject; the
 * server composes and listens). The only place besides routes/plugins that imports fastify.
 */
import crypto from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { transform, transformObject } from './openapi.js';
import type { Config } from '../config.js';
import type { Deps } from '../app/ports.js';
import { KeyAuthenticator } from '../app/keys.js';
import type { RequestValidator } from '../app/import.js';
import { registerErrorHandling } from './error-handler.js';
import { registerAuth, tokenHash } from './plugins/auth.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { healthRoutes } from './routes/health.js';
import { siteRoutes } from './routes/sites.js';
import { calculationRoutes } from './routes/calculations.js';
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
}

import { API_VERSION } from '../app/calculations.js';

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
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

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, deps } = options;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.log.level),
    bodyLimit: config.server.bodyLimitBytes,
    requestTimeout: config.server.requestTimeoutMs,
    connectionTimeout: config.server.requestTimeoutMs,
    keepAliveTimeout: 72_000,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();

  // Bodies are JSON only: without this, Fastify's built-in text/plain parser hands the string to the body
  // schema and a text/plain body gets a 400 where the documented answer is 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerEtags(app);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(rateLimit, {
    max: config.server.rateLimitPerMinute,
    timeWindow: '1 minute',
    keyGenerator: (request) => {
      const hash = tokenHash(request);
      return hash ? `key:${hash.slice(0, 32)}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Rate limit of ${ctx.max} requests per minute exceeded`,
      error: 'Too Many Requests',
    }),
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
          'Errors are RFC 9457 application/problem+json with a stable `code`.',
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

  registerAuth(app, new KeyAuthenticator(deps));
  await app.register(healthRoutes(deps.store));
  await app.register(siteRoutes(deps, options.validateRequest));
  await app.register(calculationRoutes);
  const timelines = options.timelines ?? new TimelineService();
  // This process's commits are replayed into the cached timelines instead of re-reading the points they touched.
  const detach = timelines.attach(deps.store);
  app.addHook('onClose', () => detach());
  await app.register(utilisationRoutes(deps, timelines));
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
