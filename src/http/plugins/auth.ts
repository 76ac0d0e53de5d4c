/**
 * Authentication and roles, checked in `onRequest` (before the body is even parsed): a route declares the
 * roles it admits in `config.roles`; no key or an unknown/revoked key → 401, a role without the right → 403.
 * Organisation scoping (a contractor sees its own organisation's objects only) is the use cases' job: an
 * object of another organisation answers 404.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Role } from '../../app/ports.js';
import { hashKey, type KeyAuthenticator } from '../../app/keys.js';
import { problem, sendProblem } from '../error-handler.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Roles allowed on this route; absent = public. */
    roles?: readonly Role[];
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export const ALL_ROLES: readonly Role[] = ['engineer', 'contractor', 'viewer'];
export const WRITERS: readonly Role[] = ['engineer'];

export function bearerToken(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

const hashes = new WeakMap<FastifyRequest, string | null>();
/** SHA-256 (hex) of the request's bearer token, computed once per request (rate limit and auth share it). */
export function tokenHash(request: FastifyRequest): string | undefined {
  let hash = hashes.get(request);
  if (hash === undefined) {
    const token = bearerToken(request);
    hash = token ? hashKey(token) : null;
    hashes.set(request, hash);
  }
  return hash ?? undefined;
}

export function registerAuth(app: FastifyInstance, auth: KeyAuthenticator): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request, reply) => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    const hash = tokenHash(request);
    if (!hash) {
      reply.header('www-authenticate', 'Bearer');
      return sendProblem(
        reply,
        problem(401, 'unauthorised', 'Send an API key as "Authorization: Bearer <key>"', {
          instance: request.url,
        }),
      );
    }
    const principal = await auth.authenticateHash(hash);
    if (!principal) {
      reply.header('www-authenticate', 'Bearer error="invalid_token"');
      return sendProblem(
        reply,
        problem(401, 'unauthorised', 'The API key is unknown or revoked', { instance: request.url }),
      );
    }
    request.principal = principal;
    if (!roles.includes(principal.role))
      return sendProblem(
        reply,
        problem(
          403,
          'forbidden',
          `The ${principal.role} role may not ${request.method} this resource; allowed: ${roles.join(', ')}`,
          {
            instance: request.url,
          },
        ),
      );
  });
}

/** The authenticated principal of a route that declared roles (always set there). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf() on a public route');
  return request.principal;
}
