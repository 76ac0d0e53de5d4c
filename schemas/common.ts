import { z } from 'zod';

export const IsoDate = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'must be a real calendar date',
  )
  .meta({ description: 'local date YYYY-MM-DD', example: '2026-01-15' });

export const Identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only');

/**
 * A phase's [start, end] local dates: a plain two-item array (no tuple keywords, which validating proxies and
 * client generators mishandle); the parsed value is typed as a pair.
 */
export const PhaseDates = z
  .array(IsoDate)
  .length(2)
  .transform((d): [string, string] => [d[0] ?? '', d[1] ?? ''])
  .meta({ description: '[start, end] local dates of the phase' });

export const PositionM = z.strictObject({
  x: z.number().finite(),
  y: z.number().finite(),
});

export const ProblemField = z.object({
  path: z.string().meta({ description: 'JSON pointer to the bad field within `in`' }),
  in: z.enum(['body', 'querystring', 'params', 'headers']).optional(),
  message: z.string(),
  code: z.string().optional(),
});

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(ProblemField).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

/** A response header as documented in openapi.yaml (the generator adds the ones every response carries). */
export interface HeaderDoc {
  description: string;
  schema: { type: 'string' | 'integer'; format?: string; maxLength?: number; enum?: readonly string[] };
}

export const Headers = {
  Location: {
    description: 'the URL of the resource just created',
    schema: { type: 'string', format: 'uri-reference', maxLength: 2048 },
  },
  IdempotentReplayed: {
    description:
      '"true" when this answer is the stored result of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
} as const satisfies Record<string, HeaderDoc>;

/**
 * A documented response: what it means, its media type and schema, and the headers the route itself sets.
 * Fastify serialises by the reply's media type; the OpenAPI transform (src/http/openapi.ts) copies the headers.
 */
export function respond<T extends z.ZodType, M extends string = 'application/json'>(
  description: string,
  schema: T,
  options: { headers?: Record<string, HeaderDoc>; mediaType?: M } = {},
) {
  const mediaType = (options.mediaType ?? 'application/json') as M;
  return {
    description,
    ...(options.headers ? { headers: options.headers } : {}),
    content: { [mediaType]: { schema } } as { [K in M]: { schema: T } },
  };
}

const problemResponse = (description: string) =>
  respond(description, Problem, { mediaType: 'application/problem+json' });

/** The error answers of an authenticated API route (RFC 9457 problem+json, one shared Problem schema). */
export const ErrorResponses = {
  400: problemResponse('The request is invalid: `errors` lists every bad field with its JSON pointer'),
  401: problemResponse('No API key, or the key is unknown or revoked'),
  403: problemResponse('The key’s role may not do this'),
  404: problemResponse('The resource does not exist (or belongs to another organisation)'),
  409: problemResponse('Conflicts with the current state (capacity, workflow state, dependants)'),
  413: problemResponse('The body is larger than the server accepts'),
  415: problemResponse('The body is not application/json'),
  422: problemResponse('Well-formed but breaks a rule of the site or an earlier request'),
  429: problemResponse('Too many requests for this key; retry after Retry-After seconds'),
  500: problemResponse('An internal error; logged, no detail is given'),
} as const;

/** The error answers of a public operations route (no key, no body). */
export const PublicErrorResponses = {
  429: ErrorResponses[429],
  500: ErrorResponses[500],
} as const;

export const SiteIdParams = z.strictObject({ siteId: Identifier });
export const PointParams = z.strictObject({ siteId: Identifier, pointId: Identifier });
