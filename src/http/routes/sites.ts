/**
 * Sites, supply points and scenario import. Thin handlers: validated input → one use case → response.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import * as sites from '../../app/sites.js';
import { importScenario, type RequestValidator } from '../../app/import.js';
import type { SupplyPoint } from '../../domain/site.js';
import { ErrorResponses, IsoDate, PointParams, SiteIdParams } from '../../../schemas/common.js';
import {
  SiteCreate,
  SiteOut,
  SiteUpdate,
  SupplyPointCreate,
  SupplyPointOut,
  SupplyPointUpdate,
} from '../../../schemas/sites.js';
import { ScenarioFile } from '../../../schemas/scenario.js';
import { ALL_ROLES, WRITERS } from '../plugins/auth.js';

const security = [{ bearerAuth: [] }];

export function pointOut(p: SupplyPoint, loadingCap: number) {
  return { ...p, limit_kva: p.rating_kva * loadingCap };
}

export const siteRoutes =
  (deps: Deps, validateRequest?: RequestValidator): FastifyPluginAsyncZod =>
  async (app) => {
    const read = { roles: ALL_ROLES };
    const write = { roles: WRITERS };

    app.get(
      '/v1/sites',
      {
        config: read,
        schema: {
          tags: ['sites'],
          summary: 'List sites',
          security,
          response: { 200: z.object({ items: z.array(SiteOut) }), ...ErrorResponses },
        },
      },
      async () => ({ items: await sites.listSites(deps) }),
    );

    app.post(
      '/v1/sites',
      {
        config: write,
        schema: {
          tags: ['sites'],
          summary: 'Create a site',
          security,
          body: SiteCreate,
          response: { 201: SiteOut, ...ErrorResponses },
        },
      },
      async (request, reply) => reply.code(201).send(await sites.createSite(deps, request.body)),
    );

    app.post(
      '/v1/sites/import',
      {
        config: write,
        schema: {
          tags: ['sites'],
          summary: 'Import a whole scenario file (site, supply points, requests) in one transaction',
          description:
            'The format of examples/jinshan-ev-plant.json; `?shift_to=YYYY-MM-DD` moves the whole scenario in time first (ground-breaking on that day). Unknown fields and bad values are reported with their JSON path; a bad file changes nothing.',
          security,
          querystring: z.strictObject({
            shift_to: IsoDate.optional().meta({
              description:
                'Move the scenario as a whole: every date (horizon, holidays, energisation, request windows, phases) shifted by the same number of days so that ground-breaking (the horizon start) falls on this date; durations are kept.',
              example: '2026-12-01',
            }),
          }),
          body: ScenarioFile,
          response: {
            201: z.object({
              site: SiteOut,
              supply_points: z.number().int(),
              requests: z.number().int(),
              shifted_by_days: z
                .number()
                .int()
                .meta({ description: 'days every date of the file moved by (0 without shift_to)' }),
            }),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const shiftTo = request.query.shift_to;
        return reply.code(201).send(await importScenario(deps, request.body, validateRequest, { shiftTo }));
      },
    );

    app.get(
      '/v1/sites/:siteId',
      {
        config: read,
        schema: {
          tags: ['sites'],
          summary: 'Read a site',
          security,
          params: SiteIdParams,
          response: { 200: SiteOut, ...ErrorResponses },
        },
      },
      async (request) => sites.getSite(deps, request.params.siteId),
    );

    app.patch(
      '/v1/sites/:siteId',
      {
        config: write,
        schema: {
          tags: ['sites'],
          summary: 'Update a site',
          security,
          params: SiteIdParams,
          body: SiteUpdate,
          response: { 200: SiteOut, ...ErrorResponses },
        },
      },
      async (request) => sites.updateSite(deps, request.params.siteId, request.body),
    );

    app.delete(
      '/v1/sites/:siteId',
      {
        config: write,
        schema: {
          tags: ['sites'],
          summary: 'Delete a site that nothing depends on',
          security,
          params: SiteIdParams,
          response: { 204: z.null().meta({ description: 'deleted' }), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        await sites.deleteSite(deps, request.params.siteId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/sites/:siteId/supply-points',
      {
        config: read,
        schema: {
          tags: ['supply points'],
          summary: 'List the supply points of a site',
          security,
          params: SiteIdParams,
          response: {
            200: z.object({
              items: z.array(SupplyPointOut),
              sum_of_ratings_kva: z.number(),
              total_capacity_cap_kva: z.number(),
            }),
            ...ErrorResponses,
          },
        },
      },
      async (request) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        const items = await deps.store.points.list(site.id);
        return {
          items: items.map((p) => pointOut(p, site.loading_cap)),
          sum_of_ratings_kva: items.reduce((s, p) => s + p.rating_kva, 0),
          total_capacity_cap_kva: site.total_capacity_cap_kva,
        };
      },
    );

    app.post(
      '/v1/sites/:siteId/supply-points',
      {
        config: write,
        schema: {
          tags: ['supply points'],
          summary: 'Add a supply point (rating from the standard series; the site cap and point count hold)',
          security,
          params: SiteIdParams,
          body: SupplyPointCreate,
          response: { 201: SupplyPointOut, ...ErrorResponses },
        },
      },
      async (request, reply) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        const p = await sites.createPoint(deps, site.id, request.body);
        return reply.code(201).send(pointOut(p, site.loading_cap));
      },
    );

    app.get(
      '/v1/sites/:siteId/supply-points/:pointId',
      {
        config: read,
        schema: {
          tags: ['supply points'],
          summary: 'Read a supply point',
          security,
          params: PointParams,
          response: { 200: SupplyPointOut, ...ErrorResponses },
        },
      },
      async (request) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        return pointOut(await sites.getPoint(deps, site.id, request.params.pointId), site.loading_cap);
      },
    );

    app.patch(
      '/v1/sites/:siteId/supply-points/:pointId',
      {
        config: write,
        schema: {
          tags: ['supply points'],
          summary: 'Update a supply point',
          security,
          params: PointParams,
          body: SupplyPointUpdate,
          response: { 200: SupplyPointOut, ...ErrorResponses },
        },
      },
      async (request) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        return pointOut(
          await sites.updatePoint(deps, site.id, request.params.pointId, request.body),
          site.loading_cap,
        );
      },
    );

    app.delete(
      '/v1/sites/:siteId/supply-points/:pointId',
      {
        config: write,
        schema: {
          tags: ['supply points'],
          summary: 'Delete a supply point that no reservation depends on',
          security,
          params: PointParams,
          response: { 204: z.null().meta({ description: 'deleted' }), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        await sites.deletePoint(deps, request.params.siteId, request.params.pointId);
        return reply.code(204).send(null);
      },
    );
  };
