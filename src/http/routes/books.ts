/**
 * Calculation books (计算书) of the stateless calculations, and their verification. A book is negotiated by
 * `Accept`: `application/json` (the book as data, with the input and result it was made from),
 * `text/html` (print stylesheet: A4, page numbers, repeated table headers) or `application/pdf` (made on the
 * server, fonts embedded). The language is `?lang=` or Accept-Language (zh-CN by default).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { demandBook, feederBook, siteBook, verifyBook } from '../../app/books.js';
import type { Deps } from '../../app/ports.js';
import type { TimelineService } from '../../app/timelines.js';
import type { Book as BookModel, BookLang } from '../../domain/book/model.js';
import { DomainError } from '../../domain/errors.js';
import { renderBookHtml } from '../../render/book-html.js';
import { renderBookPdf } from '../../render/book-pdf.js';
import { ErrorResponses, SiteIdParams, respond } from '../../../schemas/common.js';
import { z } from 'zod';
import { DemandRequest, FeederRequest } from '../../../schemas/calculations.js';
import {
  Book,
  BookLangQuery,
  SiteBookInputSchema,
  VerifyRequest,
  VerifyResponse,
} from '../../../schemas/books.js';
import { ALL_ROLES, WRITERS, principalOf } from '../plugins/auth.js';
import { wire } from '../wire.js';

const security = [{ bearerAuth: [] }];

/** The book's language: `?lang=` first, then the first Accept-Language that is Chinese or English. */
export function bookLang(request: FastifyRequest, query: { lang?: BookLang }): BookLang {
  if (query.lang) return query.lang;
  const header = request.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh-CN';
}

const BOOK_TYPES = ['application/json', 'text/html', 'application/pdf'] as const;
type BookType = (typeof BOOK_TYPES)[number];

/**
 * The representation an Accept header prefers among JSON, HTML and PDF (RFC 9110 §12.5.1: highest q, then the
 * most specific range, then our order); JSON when the header is absent or names none of them.
 */
export function preferredBookType(accept: string | undefined): BookType {
  if (!accept) return 'application/json';
  let best: { type: BookType; q: number; specificity: number } | null = null;
  for (const part of accept.split(',')) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    for (const type of BOOK_TYPES) {
      const [major] = type.split('/');
      const specificity = range === type ? 2 : range === `${major}/*` ? 1 : range === '*/*' ? 0 : -1;
      if (specificity < 0) continue;
      if (!best || q > best.q || (q === best.q && specificity > best.specificity))
        best = { type, q, specificity };
    }
  }
  return best?.type ?? 'application/json';
}

/** Sends a book in the representation the client accepts (JSON when it does not say). */
export async function sendBook(
  request: FastifyRequest,
  reply: FastifyReply,
  book: BookModel,
): Promise<never> {
  const kind = preferredBookType(request.headers.accept);
  reply.header('vary', 'Accept, Accept-Language');
  if (kind === 'application/pdf') {
    const pdf = await renderBookPdf(book);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="tpp-${book.kind}-book-${book.lang}.pdf"`)
      .send(pdf) as never;
  }
  if (kind === 'text/html') return reply.type('text/html; charset=utf-8').send(renderBookHtml(book)) as never;
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(book)) as never;
}

function author(request: FastifyRequest): string {
  const p = principalOf(request);
  return `${p.role}${p.organisation ? ` · ${p.organisation}` : ''} (key ${p.key_id})`;
}

const FONT_FILES = [
  ['@fontsource/noto-sans-sc', 'noto-sans-sc-chinese-simplified-400-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-latin-400-normal.woff2'],
  ['@fontsource/noto-sans', 'noto-sans-greek-400-normal.woff2'],
] as const;

function fontPaths(): Map<string, string> {
  const require = createRequire(import.meta.url);
  const out = new Map<string, string>();
  for (const [pkg, file] of FONT_FILES) {
    const p = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files', file);
    if (fs.existsSync(p)) out.set(file, p);
  }
  return out;
}

/** A book in the three representations `Accept` chooses between. */
const bookResponse = (description: string) => ({
  description,
  content: {
    'application/json': { schema: Book },
    'text/html': {
      schema: z.string().meta({ description: 'the book as one HTML page (print stylesheet, A4)' }),
    },
    'application/pdf': {
      schema: z.string().meta({ format: 'binary', description: 'the book as PDF, fonts embedded' }),
    },
  },
});

const BOOK_DESCRIPTION =
  'Content negotiation by `Accept`: `application/json` (the book as data with the input and result it was made ' +
  'from), `text/html` (print stylesheet, A4) or `application/pdf` (fonts embedded). Language by `?lang=` or ' +
  'Accept-Language (zh-CN by default).';

export const bookRoutes =
  (deps: Deps, timelines: TimelineService): FastifyPluginAsyncZod =>
  async (app) => {
    const config = { roles: ALL_ROLES };
    const ctx = (request: FastifyRequest, lang: BookLang) => ({
      lang,
      author: author(request),
      now: deps.clock.now(),
    });

    app.get(
      '/v1/sites/:siteId/book',
      {
        config: { roles: WRITERS },
        schema: {
          operationId: 'siteCalculationBook',
          tags: ['sites'],
          summary: 'The site’s temporary-power calculation book (JSON, HTML or PDF)',
          description:
            'Supply points, the load schedule per point and construction phase, transformer loading, every load, ' +
            'every feeder (declared, or sized for the distance to its point), the rule checks and the summary an ' +
            'organisation design needs (JGJ 46-2005 §3.1). Engineers only: it lists every organisation’s loads. ' +
            BOOK_DESCRIPTION,
          security,
          params: SiteIdParams,
          querystring: BookLangQuery,
          response: { 200: bookResponse('The site calculation book'), ...ErrorResponses },
        },
      },
      async (request, reply) =>
        sendBook(
          request,
          reply,
          (
            await siteBook(
              deps,
              timelines,
              request.params.siteId,
              ctx(request, bookLang(request, request.query)),
            )
          ).book,
        ),
    );

    app.post(
      '/v1/calculations/demand/book',
      {
        config,
        schema: {
          tags: ['calculations'],
          operationId: 'demandCalculationBook',
          summary: 'Calculation book of a demand calculation (JSON, HTML or PDF)',
          description: BOOK_DESCRIPTION,
          security,
          querystring: BookLangQuery,
          body: DemandRequest,
          response: { 200: bookResponse('The demand calculation book'), ...ErrorResponses },
        },
      },
      async (request, reply) =>
        sendBook(
          request,
          reply,
          demandBook(request.body, ctx(request, bookLang(request, request.query))).book,
        ),
    );

    app.post(
      '/v1/calculations/feeder/book',
      {
        config,
        schema: {
          tags: ['calculations'],
          operationId: 'feederCalculationBook',
          summary: 'Calculation book of a feeder check (JSON, HTML or PDF)',
          description: BOOK_DESCRIPTION,
          security,
          querystring: BookLangQuery,
          body: FeederRequest,
          response: { 200: bookResponse('The feeder calculation book'), ...ErrorResponses },
        },
      },
      async (request, reply) =>
        sendBook(
          request,
          reply,
          feederBook(request.body, ctx(request, bookLang(request, request.query))).book,
        ),
    );

    app.post(
      '/v1/calculation-books/verify',
      {
        config,
        schema: {
          tags: ['calculations'],
          operationId: 'verifyCalculationBook',
          summary: 'Recompute a calculation book and compare its result hash',
          description:
            'Takes a book’s JSON (or `{kind, input}`), recomputes the result from the input it carries and answers ' +
            '`match` when the result SHA-256 is the one the book states; otherwise `changed`, with the values that ' +
            'differ (JSON pointers into the result) and the versions that moved (rule set, edition, catalogue, engine).',
          security,
          body: VerifyRequest,
          response: {
            200: respond('Whether the recomputed result matches the book, and what changed', VerifyResponse),
            ...ErrorResponses,
          },
        },
      },
      (request) => {
        const body = request.body;
        const kind = body.kind;
        const rawInput: unknown = 'source' in body ? body.source.input : body.input;
        const schema =
          kind === 'demand' ? DemandRequest : kind === 'feeder' ? FeederRequest : SiteBookInputSchema;
        const parsed = schema.safeParse(rawInput);
        const prefix = 'source' in body ? ['source', 'input'] : ['input'];
        if (!parsed.success)
          throw new DomainError('validation_failed', 'The book’s input is not a valid calculation input', {
            issues: parsed.error.issues.map((i) => ({
              path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
              message: i.message,
            })),
          });
        return wire(
          verifyBook({
            kind,
            input: parsed.data,
            result: 'source' in body ? body.source.result : undefined,
            provenance: 'source' in body ? (body.provenance as never) : null,
          }),
        );
      },
    );

    const fonts = fontPaths();
    app.get(
      '/assets/fonts/:file',
      { schema: { hide: true } },
      async (request: FastifyRequest<{ Params: { file: string } }>, reply) => {
        const p = fonts.get(request.params.file);
        if (!p) throw new DomainError('not_found', `No font ${request.params.file}`);
        return reply
          .type('font/woff2')
          .header('cache-control', 'public, max-age=604800, immutable')
          .send(await fs.promises.readFile(p));
      },
    );
  };
