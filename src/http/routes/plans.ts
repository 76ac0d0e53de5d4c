/**
 * Planning runs (engineer): create, read, apply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import { applyPlan, viewPlan, type PlanService } from '../../app/plans.js';
import { requireSite } from '../../app/sites.js';
import { ErrorResponses, SiteIdParams } from '../../../schemas/common.js';
import { ApplyOut, PlanOut, PlanParams, PlanRequestSchema } from '../../../schemas/plans.js';
import { wire } from '../wire.js';

const security = [{ bearerAuth: [] }];
const ENGINEER = { roles: ['engineer'] as const };

export const planRoutes =
  (deps: Deps, plans: PlanService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/sites/:siteId/plans',
      {
        config: ENGINEER,
        schema: {
          tags: ['plans'],
          summary:
            'Start a planning run: size the supply points within the cap and allocate every stored request',
          description:
            'Objective: minimise feeder cost (kVA·m), then balance utilisation (the highest point utilisation), with a large penalty per ' +
            'unserved load so a plan is always returned. Every hour each point stays ≤ rating × loading cap, no load before its point is ' +
            'energised, every feeder within the voltage-drop budget, the ratings within the site cap. Poll GET …/plans/{planId}.',
          security,
          params: SiteIdParams,
          body: PlanRequestSchema,
          response: { 202: PlanOut, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        await requireSite(deps.store, request.params.siteId);
        const rec = await plans.create(request.params.siteId, request.body);
        return reply.code(202).header('location', `/v1/sites/${rec.site_id}/plans/${rec.id}`).send(wire(rec));
      },
    );

    app.get(
      '/v1/sites/:siteId/plans/:planId',
      {
        config: ENGINEER,
        schema: {
          tags: ['plans'],
          summary:
            'A planning run: status and, when done, ratings, assignments with feeders, peaks, unserved loads with reasons, solver figures, the nearest-point baseline',
          security,
          params: PlanParams,
          response: { 200: PlanOut, ...ErrorResponses },
        },
      },
      async (request) => wire(await viewPlan(deps, request.params.siteId, request.params.planId)),
    );

    app.post(
      '/v1/sites/:siteId/plans/:planId/apply',
      {
        config: ENGINEER,
        schema: {
          tags: ['plans'],
          summary: 'Apply a finished plan: point ratings and pending placements, in one transaction',
          security,
          params: PlanParams,
          response: { 200: ApplyOut, ...ErrorResponses },
        },
      },
      async (request) => wire(await applyPlan(deps, request.params.siteId, request.params.planId)),
    );
  };
