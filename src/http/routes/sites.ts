/**
 * Sites, supply points and scenario import. Thin handlers: validated input → one use case → response.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import * as sites from '../../app/sites.js';
import { importScenario, type RequestValidator } from '../../app/import.js';
import type { SupplyPoint } from '../../domain/site.js';
import {
  ErrorResponses,
  Headers,
  IsoDate,
  PointParams,
  SiteIdParams,
  respond,
} from '../../../schemas/common.js';
import {
  SiteCreate,
  SiteOut,
  SiteUpdate,
  SupplyPointCreate,
  SupplyPointOut,
  SupplyPointUpdate,
} from '../../../schemas/sites.js';
import { ScenarioFile } from '../../../schemas/scenario.js';
import { ALL_ROLES, WRITERS, principalOf } from '../plugins/auth.js';
import type { FastifyRequest } from 'fastify';

const security = [{ bearerAuth: [] }];

/** Splits `force` / `reason` off an edit body; the actor is the request's key. */
function editOf<T extends { force?: boolean | undefined; reason?: string | undefined }>(
  request: FastifyRequest,
  body: T,
): { fields: Omit<T, 'force' | 'reason'>; options: sites.EditOptions } {
  const { force, reason, ...fields } = body;
  const p = principalOf(request);
  return {
    fields,
    options: {
      actor: { key_id: p.key_id, role: p.role },
      ...(force ? { force } : {}),
      ...(reason ? { reason } : {}),
    },
  };
}

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
          operationId: 'listSites',
          tags: ['sites'],
          summary: 'List sites',
          security,
          response: {
            200: respond('The sites', z.object({ items: z.array(SiteOut) })),
            ...ErrorResponses,
          },
        },
      },
      async () => ({ items: await sites.listSites(deps) }),
    );

    app.post(
      '/v1/sites',
      {
        config: write,
        schema: {
          operationId: 'createSite',
          tags: ['sites'],
          summary: 'Create a site',
          security,
          body: SiteCreate,
          response: {
            201: respond('The site as created', SiteOut, { headers: { Location: Headers.Location } }),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const site = await sites.createSite(deps, request.body);
        return reply.code(201).header('location', `/v1/sites/${site.id}`).send(site);
      },
    );

    app.post(
      '/v1/sites/import',
      {
        config: write,
        schema: {
          operationId: 'importScenario',
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
            201: respond(
              'The imported site, with the numbers of supply points and requests stored',
              z.object({
                site: SiteOut,
                supply_points: z.number().int(),
                requests: z.number().int(),
                shifted_by_days: z
                  .number()
                  .int()
                  .meta({ description: 'days every date of the file moved by (0 without shift_to)' }),
              }),
              { headers: { Location: Headers.Location } },
            ),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const shiftTo = request.query.shift_to;
        const imported = await importScenario(deps, request.body, validateRequest, { shiftTo });
        return reply.code(201).header('location', `/v1/sites/${imported.site.id}`).send(imported);
      },
    );

    app.get(
      '/v1/sites/:siteId',
      {
        config: read,
        schema: {
          operationId: 'getSite',
          tags: ['sites'],
          summary: 'Read a site',
          security,
          params: SiteIdParams,
          response: { 200: respond('The site', SiteOut), ...ErrorResponses },
        },
      },
      async (request) => sites.getSite(deps, request.params.siteId),
    );

    app.patch(
      '/v1/sites/:siteId',
      {
        config: write,
        schema: {
          operationId: 'updateSite',
          tags: ['sites'],
          summary: 'Update a site',
          description:
            'A loading cap, horizon, time zone or holiday change that would put more reserved load on a supply point than rating × loading cap ' +
            'in any hour is refused with 409 capacity_overbooked (listing the points, hours, kVA over and reservations), unless sent with "force": true.',
          security,
          params: SiteIdParams,
          body: SiteUpdate,
          response: { 200: respond('The site as updated', SiteOut), ...ErrorResponses },
        },
      },
      async (request) => {
        const { fields, options } = editOf(request, request.body);
        return sites.updateSite(deps, request.params.siteId, fields, options);
      },
    );

    app.delete(
      '/v1/sites/:siteId',
      {
        config: write,
        schema: {
          operationId: 'deleteSite',
          tags: ['sites'],
          summary: 'Delete a site that nothing depends on',
          security,
          params: SiteIdParams,
          response: { 204: z.null().meta({ description: 'Deleted; no body' }), ...ErrorResponses },
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
          operationId: 'listSupplyPoints',
          tags: ['supply points'],
          summary: 'List the supply points of a site',
          security,
          params: SiteIdParams,
          response: {
            200: respond(
              'The supply points, the sum of their ratings and the site cap',
              z.object({
                items: z.array(SupplyPointOut),
                sum_of_ratings_kva: z.number(),
                total_capacity_cap_kva: z.number(),
              }),
            ),
            ...ErrorResponses,
          },
        },
      },
      async (request) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        const items = await deps.store.points.list(site.id);
        return {
          items: items.map((p) => pointOut(p, site.loading_cap)),
          sum_of_ratings_kva: items.reduce(
            (s, p) => s + (p.status === 'decommissioned' ? 0 : p.rating_kva),
            0,
          ),
          total_capacity_cap_kva: site.total_capacity_cap_kva,
        };
      },
    );

    app.post(
      '/v1/sites/:siteId/supply-points',
      {
        config: write,
        schema: {
          operationId: 'createSupplyPoint',
          tags: ['supply points'],
          summary: 'Add a supply point (rating from the standard series; the site cap and point count hold)',
          security,
          params: SiteIdParams,
          body: SupplyPointCreate,
          response: {
            201: respond('The supply point as created', SupplyPointOut, {
              headers: { Location: Headers.Location },
            }),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        const { fields, options } = editOf(request, request.body);
        const p = await sites.createPoint(deps, site.id, fields, options);
        return reply
          .code(201)
          .header('location', `/v1/sites/${site.id}/supply-points/${p.id}`)
          .send(pointOut(p, site.loading_cap));
      },
    );

    app.get(
      '/v1/sites/:siteId/supply-points/:pointId',
      {
        config: read,
        schema: {
          operationId: 'getSupplyPoint',
          tags: ['supply points'],
          summary: 'Read a supply point',
          security,
          params: PointParams,
          response: { 200: respond('The supply point', SupplyPointOut), ...ErrorResponses },
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
          operationId: 'updateSupplyPoint',
          tags: ['supply points'],
          summary: 'Update a supply point',
          description:
            'A rating that would leave more reserved load on the point than rating × loading cap in any hour is refused with 409 capacity_overbooked, unless sent with "force": true.',
          security,
          params: PointParams,
          body: SupplyPointUpdate,
          response: { 200: respond('The supply point as updated', SupplyPointOut), ...ErrorResponses },
        },
      },
      async (request) => {
        const site = await sites.requireSite(deps.store, request.params.siteId);
        const { fields, options } = editOf(request, request.body);
        return pointOut(
          await sites.updatePoint(deps, site.id, request.params.pointId, fields, options),
          site.loading_cap,
        );
      },
    );

    app.delete(
      '/v1/sites/:siteId/supply-points/:pointId',
      {
        config: write,
        schema: {
          operationId: 'deleteSupplyPoint',
          tags: ['supply points'],
          summary: 'Delete a supply point that no reservation depends on',
          description:
            'Refused with 409 point_has_loads (listing them) while active or pending reservations or live applications are on the point: move them first.',
          security,
          params: PointParams,
          response: { 204: z.null().meta({ description: 'Deleted; no body' }), ...ErrorResponses },
        },
      },
      async (request, reply) => {
        await sites.deletePoint(deps, request.params.siteId, request.params.pointId);
        return reply.code(204).send(null);
      },
    );
  };
