/**
 * One error handler: DomainError codes map to HTTP statuses through one table; every 4xx/5xx body is
 * RFC 9457 application/problem+json with `type`, `title`, `status`, `code`, `detail` and, for validation,
 * `errors: [{ path, in, message }]` listing every bad field. 5xx bodies never carry internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type DomainErrorCode, type FieldIssue } from '../domain/errors.js';
import { storageFailureOf } from '../app/storage-health.js';

export const PROBLEM_BASE = 'https://tpp.example/problems/';

const STATUS_OF: Record<DomainErrorCode, number> = {
  validation_failed: 400,
  unknown_equipment_type: 400,
  invalid_quantity: 400,
  invalid_unit: 400,
  invalid_profile: 400,
  invalid_window: 400,
  unauthorised: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  capacity_exceeded: 409,
  capacity_overbooked: 409,
  point_has_loads: 409,
  illegal_transition: 409,
  dependency_exists: 409,
  idempotency_mismatch: 422,
  site_rule_violated: 422,
  infeasible_input: 422,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export interface ProblemField {
  path: string;
  in?: string;
  message: string;
  code?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: ProblemField[];
  [extra: string]: unknown;
}

/** JSON pointer of a path: ['items', 0, 'duty_cycle'] → "/items/0/duty_cycle". */
export function pointer(path: readonly (string | number)[]): string {
  return path.length === 0
    ? ''
    : '/' + path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Partial<ProblemBody> = {},
): ProblemBody {
  return { type: PROBLEM_BASE + code, title: TITLES[status] ?? 'Error', status, code, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

function fieldsOf(issues: FieldIssue[], where?: string): ProblemField[] {
  return issues.map((i) => ({
    path: pointer(i.path),
    ...(where ? { in: where } : {}),
    message: i.message,
    ...(i.code ? { code: i.code } : {}),
  }));
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'malformed_json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'bad_content_length' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: 'unsupported_media_type' },
  FST_ERR_VALIDATION: { status: 400, code: 'validation_failed' },
};

/** The 503 answer to a storage failure (see `storageFailureOf`): never a bare 500, never the driver's words. */
export function storageProblem(
  failure: 'corrupt' | 'unavailable' | 'contention',
  request: FastifyRequest,
): ProblemBody {
  const detail =
    failure === 'corrupt'
      ? 'The database failed its integrity check; the service is refusing writes until an operator restores it'
      : failure === 'contention'
        ? 'The database was busy with a conflicting transaction; retry the request'
        : 'The database is not reachable; retry later';
  return problem(503, failure === 'corrupt' ? 'storage_corrupt' : 'storage_unavailable', detail, {
    instance: request.url,
    request_id: request.id,
  });
}

export interface ErrorHandlingOptions {
  /** Told about every storage failure a request met (e.g. StorageHealth.noteFailure). */
  onStorageFailure?: (err: unknown) => void;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = request.url;
    const failure = storageFailureOf(err);
    if (failure) {
      request.log.error({ err, failure }, 'storage failure');
      options.onStorageFailure?.(err);
      reply.header('retry-after', failure === 'corrupt' ? '300' : '5');
      return sendProblem(reply, storageProblem(failure, request));
    }
    if (err instanceof DomainError) {
      const status = STATUS_OF[err.code];
      return sendProblem(
        reply,
        problem(status, err.code, err.message, {
          instance,
          ...(err.issues.length ? { errors: fieldsOf(err.issues, 'body') } : {}),
          ...err.details,
        }),
      );
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      const errors = err.validation.map((v) => ({
        path: v.instancePath === '/' ? '' : v.instancePath,
        in: where,
        message: v.message ?? 'invalid',
      }));
      return sendProblem(
        reply,
        problem(
          400,
          'validation_failed',
          `The request ${where} has ${errors.length} invalid field${errors.length === 1 ? '' : 's'}`,
          {
            instance,
            errors,
          },
        ),
      );
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return sendProblem(
        reply,
        problem(500, 'internal_error', 'An internal error occurred; it has been logged', { instance }),
      );
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return sendProblem(reply, problem(known.status, known.code, err.message, { instance }));
    if (err.statusCode === 429) {
      return sendProblem(
        reply,
        problem(429, 'rate_limited', 'Too many requests for this key; retry later', { instance }),
      );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return sendProblem(
        reply,
        problem(err.statusCode, (err.code ?? 'bad_request').toLowerCase(), err.message, { instance }),
      );
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(
      reply,
      problem(500, 'internal_error', 'An internal error occurred; it has been logged', { instance }),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      problem(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0] ?? ''}`, {
        instance: request.url,
      }),
    ),
  );
}
