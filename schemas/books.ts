/**
 * Wire contract of the calculation books: the book JSON (what HTML and PDF are rendered from) and the
 * verify request and answer.
 */
import { z } from 'zod';

export const BookLangQuery = z.strictObject({
  lang: z
    .enum(['zh-CN', 'en'])
    .optional()
    .meta({ description: 'language of the book (default: from Accept-Language, else zh-CN)' }),
});

const Cell = z.object({ text: z.string(), value: z.number().optional(), align: z.string().optional() });

export const Book = z
  .object({
    format: z.literal('tpp-calculation-book/1'),
    kind: z.enum(['demand', 'feeder', 'site']),
    lang: z.enum(['zh-CN', 'en']),
    title: z.string(),
    cover: z.object({
      project: z.string(),
      site: z.string().nullable(),
      subject: z.string(),
      author: z.string(),
      issued_at: z
        .string()
        .meta({ description: 'local time of issue with its offset, e.g. 2026-12-04T22:00+08:00' }),
      timezone: z.string(),
    }),
    sections: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        blocks: z.array(
          z.looseObject({
            type: z.enum(['paragraph', 'formula', 'table', 'findings', 'key_values']),
            rows: z.array(z.union([z.array(Cell), z.looseObject({})])).optional(),
          }),
        ),
      }),
    ),
    conclusion: z.object({ compliant: z.boolean(), text: z.array(z.string()) }),
    provenance: z
      .object({
        tpp_version: z.string(),
        engine_version: z.string(),
        rule_set: z.string(),
        edition: z.string(),
        catalogue_version: z.string(),
        input_sha256: z.string(),
        result_sha256: z.string(),
        newer_edition: z
          .object({ rule_set: z.string(), edition: z.string(), changes_result: z.boolean() })
          .nullable(),
      })
      .meta({ id: 'BookProvenance' }),
    source: z.looseObject({
      kind: z.enum(['demand', 'feeder', 'site']),
      input: z.unknown(),
      result: z.unknown(),
    }),
  })
  .meta({ id: 'CalculationBook' });

export const VerifyRequest = z
  .union([
    z.looseObject({
      format: z.literal('tpp-calculation-book/1'),
      kind: z.enum(['demand', 'feeder', 'site']),
      provenance: z.looseObject({ result_sha256: z.string().max(64) }),
      source: z.looseObject({
        kind: z.enum(['demand', 'feeder', 'site']),
        input: z.looseObject({}),
        result: z.unknown(),
      }),
    }),
    z.strictObject({ kind: z.enum(['demand', 'feeder', 'site']), input: z.looseObject({}) }),
  ])
  .meta({
    id: 'BookVerifyRequest',
    description: 'a book as GET/POST …/book returned it (JSON), or just `{kind, input}` to recompute',
  });

export const VerifyResponse = z
  .object({
    status: z.enum(['match', 'changed', 'recomputed']),
    kind: z.enum(['demand', 'feeder', 'site']),
    expected_result_sha256: z.string().nullable(),
    result_sha256: z.string(),
    input_sha256: z.string(),
    reasons: z.array(z.string()),
    changes: z.array(z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })),
    changes_truncated: z.boolean(),
    provenance: z.object({ before: z.looseObject({}).nullable(), after: z.looseObject({}) }),
  })
  .meta({ id: 'BookVerification' });

/** The input a site book carries (the state it was read from); verify recomputes its loads and feeders. */
export const SiteBookInputSchema = z.looseObject({
  site: z.looseObject({ id: z.string(), rule_set: z.enum(['JGJ46-2005', 'JGJ/T46-2024', 'IEC60364-7-704']) }),
  points: z.array(z.looseObject({ id: z.string() })).max(1000),
  applications: z
    .array(z.looseObject({ id: z.string(), load: z.looseObject({}), findings: z.array(z.looseObject({})) }))
    .max(100_000),
});
