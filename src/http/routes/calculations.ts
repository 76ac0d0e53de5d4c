/**
 * Stateless engineering calculations and the equipment catalogue (any authenticated role).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { runDemand, runFeeder, runMotorStarting } from '../../app/calculations.js';
import { EQUIPMENT_CATALOGUE } from '../../domain/catalog/equipment.js';
import { ErrorResponses, respond } from '../../../schemas/common.js';
import {
  DemandRequest,
  DemandResponse,
  EquipmentCatalogueResponse,
  FeederRequest,
  FeederResponse,
  MotorStartingResponse,
} from '../../../schemas/calculations.js';
import { MotorStartingRequest } from '../../../schemas/faults.js';
import { ALL_ROLES } from '../plugins/auth.js';
import { wire } from '../wire.js';

const security = [{ bearerAuth: [] }];

export const calculationRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = { roles: ALL_ROLES };

  app.get(
    '/v1/catalog/equipment',
    {
      config,
      schema: {
        operationId: 'getEquipmentCatalogue',
        tags: ['calculations'],
        summary: 'The equipment catalogue: types with Kx, cos φ, duty class, source and confidence',
        security,
        response: { 200: respond('The equipment catalogue', EquipmentCatalogueResponse), ...ErrorResponses },
      },
    },
    () => wire(EQUIPMENT_CATALOGUE),
  );

  app.post(
    '/v1/calculations/demand',
    {
      config,
      schema: {
        operationId: 'calculateDemand',
        tags: ['calculations'],
        summary: 'Demand of an equipment list (JGJ 46 demand-coefficient method or handbook estimate)',
        description:
          'Every quantity may be a number in the unit of its name or a string with a unit ("45 kW", "38.6 kVA"). ' +
          'Returns per item the conversion applied, per group Kx, cos φ, Pjs, Qjs, Sjs, Ijs, the totals with K∑, the recommended ' +
          'transformer rating, whether an organisation design is required, a trace and provenance.',
        security,
        body: DemandRequest,
        response: {
          200: respond('Demand per item, per group and in total, with trace and provenance', DemandResponse),
          ...ErrorResponses,
        },
      },
    },
    (request) => wire(runDemand(request.body)),
  );

  app.post(
    '/v1/calculations/feeder',
    {
      config,
      schema: {
        operationId: 'calculateFeeder',
        tags: ['calculations'],
        summary:
          'Check or size a feeder: design current, cable ampacity and derating, voltage drop (both forms), breaker, JGJ 46 rules, fault currents (breaking capacity, disconnection) and motor starting',
        security,
        body: FeederRequest,
        response: {
          200: respond('The feeder check or sizing with every rule finding', FeederResponse),
          ...ErrorResponses,
        },
      },
    },
    (request) => wire(runFeeder(request.body)),
  );

  app.post(
    '/v1/calculations/motor-starting',
    {
      config,
      schema: {
        operationId: 'calculateMotorStarting',
        tags: ['calculations'],
        summary:
          'Motor starting: starting current and kVA by starter, voltage dip at the LV bus and terminals, generator sizing before energisation',
        description:
          'IEC 60909-0 impedances of the 10 kV source and the 10/0.4 kV transformer (uk per GB/T 6451 / GB/T 10228 or declared) and ' +
          'the feeder; limits per GB 50055-2011 §2.2.2 (bus 85 % infrequent, 90 % frequent, 80 % without sensitive loads; terminals 80 %). ' +
          'With `generator`, the smallest standard generating set for the running load, the motor start and the largest step.',
        security,
        body: MotorStartingRequest,
        response: {
          200: respond(
            'Starting current, kVA and voltage dips (and the generator, when asked)',
            MotorStartingResponse,
          ),
          ...ErrorResponses,
        },
      },
    },
    (request) => wire(runMotorStarting(request.body)),
  );
};
