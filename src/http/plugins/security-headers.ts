/**
 * Security headers (helmet) on every response. helmet's middleware sets the same headers for every request
 * (no CSP nonces here), so it runs once at start-up against a recording response and the recorded headers
 * are applied with the request id in one synchronous `onRequest` hook. (@fastify/helmet builds a new helmet
 * middleware for every request, which measured as the largest single per-request cost of the service.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options` (lower-case names). */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  // helmet ≥ 8.1 throws on a bad option instead of passing it to `next`.
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
}

/** Adds helmet's headers and `x-request-id` (the request's id) to every response. */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    reply.header('x-request-id', request.id);
    done();
  });
}
