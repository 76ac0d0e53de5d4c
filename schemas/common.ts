import { z } from 'zod';

export const IsoDate = z
  .string()
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

export const ErrorResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  413: Problem,
  415: Problem,
  422: Problem,
  429: Problem,
  500: Problem,
} as const;

export const SiteIdParams = z.strictObject({ siteId: Identifier });
export const PointParams = z.strictObject({ siteId: Identifier, pointId: Identifier });
