/**
 * Planning runs (engineer): create, read, apply.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import { z } from 'zod';
import { applyPlan, listPlans, viewPlan, type PlanService } from '../../app/plans.js';
import { requireSite } from '../../app/sites.js';
import { ErrorResponses, Headers, SiteIdParams, respond } from '../../../schemas/common.js';
import {
  ApplyOut,
  ApplyRequest,
  PlanOut,
  PlanParams,
  PlanRequestSchema,
  PlanSummaryOut,
} from '../../../schemas/plans.js';
import { principalOf } from '../plugins/auth.js';
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
          operationId: 'createPlan',
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
          response: {
            202: respond('The run, queued; poll its Location', PlanOut, {
              headers: { Location: Headers.Location },
            }),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        await requireSite(deps.store, request.params.siteId);
        const rec = await plans.create(request.params.siteId, request.body);
        return reply.code(202).header('location', `/v1/sites/${rec.site_id}/plans/${rec.id}`).send(wire(rec));
      },
    );

    app.get(
      '/v1/sites/:siteId/plans',
      {
        config: ENGINEER,
        schema: {
          operationId: 'listPlans',
          tags: ['plans'],
          summary: "A site's planning runs, newest first, with the headline figures of each result",
          security,
          params: SiteIdParams,
          response: {
            200: respond('The site’s plans, newest first', z.object({ items: z.array(PlanSummaryOut) })),
            ...ErrorResponses,
          },
        },
      },
      async (request) => ({ items: (await listPlans(deps, request.params.siteId)).map((p) => wire(p)) }),
    );

    app.get(
      '/v1/sites/:siteId/plans/:planId',
      {
        config: ENGINEER,
        schema: {
          operationId: 'getPlan',
          tags: ['plans'],
          summary:
            'A planning run: status and, when done, ratings, assignments with feeders, peaks, unserved loads with reasons, solver figures, the nearest-point baseline',
          security,
          params: PlanParams,
          response: { 200: respond('The planning run', PlanOut), ...ErrorResponses },
        },
      },
      async (request) => wire(await viewPlan(deps, request.params.siteId, request.params.planId)),
    );

    app.post(
      '/v1/sites/:siteId/plans/:planId/apply',
      {
        config: ENGINEER,
        schema: {
          operationId: 'applyPlan',
          tags: ['plans'],
          summary: 'Apply a finished plan: point ratings and pending placements, in one transaction',
          description:
            'Refused with 409 capacity_overbooked when approved reservations would exceed a point’s new limit, unless the body says "force": true.',
          security,
          params: PlanParams,
          body: ApplyRequest.nullish(),
          response: { 200: respond('What was applied', ApplyOut), ...ErrorResponses },
        },
      },
      async (request) => {
        const p = principalOf(request);
        return wire(
          await applyPlan(deps, request.params.siteId, request.params.planId, {
            actor: { key_id: p.key_id, role: p.role },
            ...(request.body?.force ? { force: true } : {}),
            ...(request.body?.reason ? { reason: request.body.reason } : {}),
          }),
        );
      },
    );
  };
