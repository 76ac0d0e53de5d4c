/**
 * Online connection applications: submit (idempotent), validate (dry run), read, list, events, workflow
 * transitions, approval with atomic capacity reservation, documents supplied later, statistics.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../app/ports.js';
import type { TimelineService } from '../../app/timelines.js';
import * as apps from '../../app/applications.js';
import { ErrorResponses, Headers, SiteIdParams, respond } from '../../../schemas/common.js';
import {
  ApplicationListQuery,
  ApplicationOut,
  ApplicationParams,
  ApplicationRequest,
  ApproveRequest,
  AssessmentOut,
  DocumentsRequest,
  EventOut,
  IdempotencyHeaders,
  MoveRequest,
  StatsOut,
  SubmitOut,
  TransitionRequest,
} from '../../../schemas/applications.js';
import { ALL_ROLES, principalOf } from '../plugins/auth.js';
import { wire } from '../wire.js';

const security = [{ bearerAuth: [] }];
const APPLICANTS = { roles: ['engineer', 'contractor'] as const };

export const applicationRoutes =
  (deps: Deps, timelines: TimelineService): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/v1/sites/:siteId/applications',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'submitApplication',
          tags: ['applications'],
          summary:
            'Submit a connection application (contractor for its own organisation, or engineer on its behalf)',
          description:
            'Validates everything at once (demand, LV threshold, organisation design, protection and feeder rules, documents under the ' +
            'site policy, capacity over the whole window), then records the application: accepted, accepted with deferrals (with a one-time ' +
            'notice of every missing item, its deadline and the consequence), rejected (a core document is missing), or left submitted when ' +
            'not accepted (e.g. deferred without a commitment letter). An Idempotency-Key header makes retries safe.',
          security,
          params: SiteIdParams,
          headers: IdempotencyHeaders,
          body: ApplicationRequest,
          response: {
            201: respond('The application as recorded, with its assessment', SubmitOut, {
              headers: { Location: Headers.Location, 'Idempotent-Replayed': Headers.IdempotentReplayed },
            }),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        const r = await apps.submitApplication(
          deps,
          timelines,
          request.params.siteId,
          principalOf(request),
          request.body,
          typeof key === 'string' ? key : undefined,
        );
        if (r.replayed) reply.header('idempotent-replayed', 'true');
        const id = (r.body as { application?: { id?: unknown } }).application?.id;
        if (r.status === 201 && typeof id === 'string')
          reply.header('location', `/v1/sites/${request.params.siteId}/applications/${id}`);
        return reply.code(r.status as 201).send(wire(r.body));
      },
    );

    app.post(
      '/v1/sites/:siteId/applications/validate',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'validateApplication',
          tags: ['applications'],
          summary: 'Dry run: every finding an application would get; nothing is stored',
          security,
          params: SiteIdParams,
          body: ApplicationRequest,
          response: {
            200: respond('Every finding the application would get', AssessmentOut),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire(
          await apps.validateApplication(
            deps,
            timelines,
            request.params.siteId,
            principalOf(request),
            request.body,
          ),
        ),
    );

    app.get(
      '/v1/sites/:siteId/applications',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'listApplications',
          tags: ['applications'],
          summary:
            'List applications (contractors: their organisation’s only), filtered by state, organisation, point, overdue',
          security,
          params: SiteIdParams,
          querystring: ApplicationListQuery,
          response: {
            200: respond('The applications', z.object({ items: z.array(ApplicationOut) })),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire({
          items: await apps.listApplications(
            deps,
            request.params.siteId,
            principalOf(request),
            request.query,
          ),
        }),
    );

    app.get(
      '/v1/sites/:siteId/applications/stats',
      {
        config: { roles: ALL_ROLES },
        schema: {
          operationId: 'getApplicationStats',
          tags: ['applications'],
          summary:
            'Applications by state, overdue deferred documents and stage-time statistics (median, p90 in working days)',
          security,
          params: SiteIdParams,
          response: { 200: respond('Application statistics of the site', StatsOut), ...ErrorResponses },
        },
      },
      async (request) =>
        wire(await apps.applicationStatsFor(deps, request.params.siteId, principalOf(request))),
    );

    app.get(
      '/v1/sites/:siteId/applications/:applicationId',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'getApplication',
          tags: ['applications'],
          summary: 'Read an application (deadlines evaluated on read)',
          security,
          params: ApplicationParams,
          response: { 200: respond('The application', ApplicationOut), ...ErrorResponses },
        },
      },
      async (request) =>
        wire(
          await apps.getApplication(
            deps,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
          ),
        ),
    );

    app.get(
      '/v1/sites/:siteId/applications/:applicationId/events',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'listApplicationEvents',
          tags: ['applications'],
          summary: 'The audit trail: every transition with actor, time, from, to and reason',
          security,
          params: ApplicationParams,
          response: {
            200: respond('The events, oldest first', z.object({ items: z.array(EventOut) })),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire({
          items: await apps.listEvents(
            deps,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
          ),
        }),
    );

    app.post(
      '/v1/sites/:siteId/applications/:applicationId/transitions',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'transitionApplication',
          tags: ['applications'],
          summary:
            'Move an application through the workflow (illegal transitions answer 409 naming the allowed events)',
          security,
          params: ApplicationParams,
          body: TransitionRequest,
          response: {
            200: respond('The application after the transition', ApplicationOut),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire(
          await apps.transitionApplication(
            deps,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
            request.body,
            timelines,
          ),
        ),
    );

    app.post(
      '/v1/sites/:siteId/applications/:applicationId/approve',
      {
        config: { roles: ['engineer'] },
        schema: {
          operationId: 'approveApplication',
          tags: ['applications'],
          summary:
            'Approve: assign the supply point and reserve capacity atomically (409 with the headroom when it does not fit)',
          security,
          params: ApplicationParams,
          body: ApproveRequest,
          response: {
            200: respond('The approved application with its reservation', ApplicationOut),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire(
          await apps.transitionApplication(
            deps,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
            { ...request.body, event: 'approve' },
            timelines,
          ),
        ),
    );

    app.post(
      '/v1/sites/:siteId/applications/:applicationId/move',
      {
        config: { roles: ['engineer'] },
        schema: {
          operationId: 'moveApplication',
          tags: ['applications'],
          summary:
            'Move an application and its reservations to another supply point (same capacity check as approval)',
          description:
            'Atomic under both points’ locks. The moved reserved load must fit the target with everything reserved there; else 409 ' +
            'capacity_overbooked, unless "force": true records the reservations involved as overcommitted. Use it to empty a point before deleting it.',
          security,
          params: ApplicationParams,
          body: MoveRequest,
          response: { 200: respond('The application on its new point', ApplicationOut), ...ErrorResponses },
        },
      },
      async (request) =>
        wire(
          await apps.moveApplication(
            deps,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
            request.body,
          ),
        ),
    );

    app.post(
      '/v1/sites/:siteId/applications/:applicationId/documents',
      {
        config: APPLICANTS,
        schema: {
          operationId: 'supplyDocuments',
          tags: ['applications'],
          summary: 'Supply deferred or missing documents (reference: file name and SHA-256)',
          security,
          params: ApplicationParams,
          body: DocumentsRequest,
          response: {
            200: respond('The application with the documents recorded', ApplicationOut),
            ...ErrorResponses,
          },
        },
      },
      async (request) =>
        wire(
          await apps.supplyDocuments(
            deps,
            timelines,
            request.params.siteId,
            request.params.applicationId,
            principalOf(request),
            request.body.documents,
          ),
        ),
    );
  };
