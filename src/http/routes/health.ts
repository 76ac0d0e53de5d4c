import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Store } from '../../app/ports.js';
import type { StorageHealth } from '../../app/storage-health.js';
import { problem, sendProblem } from '../error-handler.js';
import { Problem, PublicErrorResponses, respond } from '../../../schemas/common.js';

export const healthRoutes =
  (store: Store, health: StorageHealth): FastifyPluginAsyncZod =>
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
          summary: 'Readiness: the database answers and passed its integrity check',
          description:
            'SQLite: PRAGMA quick_check at start-up and here at most once a minute (cached), and at once when a ' +
            'request meets a damaged page; a damaged database answers 503 storage_corrupt with SQLite’s messages.',
          response: {
            200: respond(
              'Ready; names the database dialect',
              z.object({ status: z.literal('ready'), database: z.string() }),
            ),
            ...PublicErrorResponses,
            503: respond('The database does not answer or failed its integrity check', Problem, {
              mediaType: 'application/problem+json',
            }),
          },
        },
      },
      async (request, reply) => {
        try {
          const verdict = await health.check();
          if (!verdict.ok) {
            request.log.error(
              { problems: verdict.problems },
              'readiness: the database failed its integrity check',
            );
            return sendProblem(
              reply,
              problem(
                503,
                'storage_corrupt',
                `The database failed its integrity check (PRAGMA quick_check): ${verdict.problems.slice(0, 3).join('; ')}`,
                { instance: request.url, request_id: request.id, problems: verdict.problems },
              ),
            );
          }
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
