/**
 * One error handler: DomainError codes map to HTTP statuses through one table; every 4xx/5xx body is
 * RFC 9457 application/problem+json with `type`, `title`, `status`, `code`, `detail` and, for validation,
 * `errors: [{ path, in, message }]` listing every bad field. 5xx bodies never carry internals.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
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
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
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
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'path_parameter_too_long' },
};

/** The request's path without its query string (query values may carry secrets; never echoed or logged). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Fastify's `frameworkErrors` option: the router's own errors (a URL that does not decode, a path parameter
 * longer than `maxParamLength`) as problem+json. These requests never reach the `onRequest` hooks, so the
 * security headers are applied here.
 */
export function frameworkErrorHandler(
  headers: Readonly<Record<string, string>>,
): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (err, request, reply) => {
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    const detail =
      err.code === 'FST_ERR_BAD_URL'
        ? 'The request path is not a valid percent-encoded URL'
        : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? 'A path parameter is longer than this service accepts'
          : 'The request could not be routed';
    if (!known) request.log.error({ err }, 'router error');
    void sendProblem(
      reply,
      problem(known?.status ?? 500, known?.code ?? 'internal_error', detail, {
        instance: pathOf(request.url).slice(0, 256),
      }),
    );
  };
}

/** Status and code of an HTTP parser or timeout error that Node.js reports before any request exists. */
function clientErrorProblem(err: NodeJS.ErrnoException): { status: number; code: string; detail: string } {
  switch (err.code ?? '') {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'request_timeout',
        detail: 'The request headers or body did not arrive within the server timeout',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        code: 'headers_too_large',
        detail: 'The request line and headers (the URL with its query string included) exceed the size limit',
      };
    default:
      return { status: 400, code: 'malformed_request', detail: 'The request is not valid HTTP/1.1' };
  }
}

/**
 * Fastify's `clientErrorHandler` (the http server's `clientError` event): malformed HTTP, over-long headers or
 * query strings (431) and header/body timeouts (408) never reach Fastify; the answer is written on the socket
 * as problem+json, then the connection is closed.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this socket cannot be replaced (as in Node's own handler).
  const inFlight = (socket as Socket & { _httpMessage?: http.ServerResponse | null })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const { status, code, detail } = clientErrorProblem(err);
    const body = JSON.stringify(problem(status, code, detail));
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy();
}

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
    instance: pathOf(request.url),
    request_id: request.id,
  });
}

export interface ErrorHandlingOptions {
  /** Told about every storage failure a request met (e.g. StorageHealth.noteFailure). */
  onStorageFailure?: (err: unknown) => void;
}

export function registerErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions = {}): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const instance = pathOf(request.url);
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
    if (known) {
      const detail =
        known.code === 'unsupported_media_type'
          ? `Request bodies are application/json; ${String(request.headers['content-type'] ?? 'no media type').slice(0, 100)} is not accepted`
          : err.message;
      return sendProblem(reply, problem(known.status, known.code, detail, { instance }));
    }
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

  // Every route's path as a pattern, so a known path with another method answers 405 with `Allow`.
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map(String);
    const source = route.url
      .split('/')
      .map((seg) =>
        seg.startsWith(':') ? '[^/]+' : seg === '*' ? '.*' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    routes.push({ pattern: new RegExp(`^${source}$`), methods });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))].sort();
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        reply,
        problem(
          405,
          'method_not_allowed',
          `${request.method} is not allowed here; allowed: ${allowed.join(', ')}`,
          {
            instance: path,
            allowed_methods: allowed,
          },
        ),
      );
    }
    return sendProblem(
      reply,
      problem(404, 'route_not_found', `No route ${request.method} ${path}`, { instance: path }),
    );
  });
}
