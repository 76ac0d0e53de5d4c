/**
 * Capacity utilisation (viewer and up), a point's full timeline, and the would-it-fit check (contractor and
 * up; nothing is reserved).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import type { TimelineService } from '../../app/timelines.js';
import { capacityCheck, loadScopeOf, readPointTimeline, readUtilisationJson } from '../../app/utilisation.js';
import { ErrorResponses, PointParams, SiteIdParams, respond } from '../../../schemas/common.js';
import {
  CapacityCheckOut,
  CapacityCheckRequest,
  PointTimelineOut,
  TimelineQuery,
  UtilisationOut,
  UtilisationQuery,
} from '../../../schemas/utilisation.js';
import { ALL_ROLES, principalOf } from '../plugins/auth.js';
import { wire } from '../wire.js';

const security = [{ bearerAuth: [] }];

export const utilisationRoutes =
  (deps: Deps, timelines: TimelineService): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/sites/:siteId/utilisation',
      {
        config: { roles: ALL_ROLES },
        schema: {
          operationId: 'getUtilisation',
          tags: ['utilisation'],
          summary:
            'Capacity utilisation per supply point and site-wide, now and forecast, as series for charts',
          security,
          params: SiteIdParams,
          querystring: UtilisationQuery,
          response: {
            200: respond('Utilisation per supply point and site-wide over the range', UtilisationOut),
            ...ErrorResponses,
          },
        },
      },
      // Pre-serialised JSON bytes (cached per timeline version): Fastify sends a Buffer as is.
      async (request, reply) =>
        reply
          .type('application/json; charset=utf-8')
          .send(
            wire(
              await readUtilisationJson(
                deps,
                timelines,
                request.params.siteId,
                request.query,
                await loadScopeOf(deps, request.params.siteId, principalOf(request)),
              ),
            ),
          ),
    );

    app.get(
      '/v1/sites/:siteId/supply-points/:pointId/timeline',
      {
        config: { roles: ALL_ROLES },
        schema: {
          operationId: 'getPointTimeline',
          tags: ['utilisation'],
          summary: 'One supply point’s reserved and pending load, hour by hour',
          description:
            'The series, summary and `load_counts` cover every load on the point. `loads` lists by id only the loads ' +
            'the key may see: an engineer all of them, a contractor its own organisation’s (its applications and ' +
            'its requests placed by a plan), a viewer none.',
          security,
          params: PointParams,
          querystring: TimelineQuery,
          response: {
            200: respond('The point’s hourly reserved and pending load', PointTimelineOut),
            ...ErrorResponses,
          },
        },
      },
      // Serialised here, not by the zod serializer: checking 2 × 87,648 numbers of a 10-year horizon against
      // the schema held the event loop for ~10× longer than writing them (the HTTP tests check the shape).
      async (request, reply) => {
        const body = await readPointTimeline(
          deps,
          timelines,
          request.params.siteId,
          request.params.pointId,
          request.query,
          await loadScopeOf(deps, request.params.siteId, principalOf(request)),
        );
        return reply
          .type('application/json; charset=utf-8')
          .send(wire(Buffer.from(JSON.stringify(body), 'utf8')));
      },
    );

    app.post(
      '/v1/sites/:siteId/capacity-check',
      {
        config: { roles: ['engineer', 'contractor'] },
        schema: {
          operationId: 'checkCapacity',
          tags: ['utilisation'],
          summary:
            'Would this load fit? Per supply point: fits, minimum headroom over the window, first conflict, distance and feeder; best point; earliest fitting start',
          security,
          params: SiteIdParams,
          body: CapacityCheckRequest,
          response: {
            200: respond('Per supply point: would the load fit', CapacityCheckOut),
            ...ErrorResponses,
          },
        },
      },
      async (request) => wire(await capacityCheck(deps, timelines, request.params.siteId, request.body)),
    );
  };
