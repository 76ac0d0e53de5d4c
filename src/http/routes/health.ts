import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Store } from '../../app/ports.js';
import { problem, sendProblem } from '../error-handler.js';
import { Problem, PublicErrorResponses, respond } from '../../../schemas/common.js';

export const healthRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health/live',
      {
        schema: {
          operationId: 'getLiveness',
          tags: ['operations'],
          summary: 'Liveness: the process answers',
          response: {
            200: respond('The process is alive', z.object({ status: z.literal('ok') })),
            ...PublicErrorResponses,
          },
        },
      },
      () => ({ status: 'ok' as const }),
    );
    app.get(
      '/health/ready',
      {
        schema: {
          operationId: 'getReadiness',
          tags: ['operations'],
          summary: 'Readiness: the database answers',
          response: {
            200: respond(
              'Ready; names the database dialect',
              z.object({ status: z.literal('ready'), database: z.string() }),
            ),
            ...PublicErrorResponses,
            503: respond('The database does not answer', Problem, { mediaType: 'application/problem+json' }),
          },
        },
      },
      async (request, reply) => {
        try {
          await store.ping();
          return { status: 'ready' as const, database: store.dialect };
        } catch (err) {
          request.log.warn({ err }, 'readiness check failed');
          return sendProblem(
            reply,
            problem(503, 'database_unavailable', 'The database does not answer', { instance: request.url }),
          );
        }
      },
    );
  };
