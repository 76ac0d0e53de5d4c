/**
 * Rate limits (@fastify/rate-limit), counted in the first `onRequest` hook — before authentication rejects
 * anything — per API key for a valid key, and per client address for everything else (no key, an unknown or
 * revoked key, garbage), so rotating garbage keys from one address share one budget and get 429.
 *
 * With PostgreSQL the counters live in the database (`Store.rateLimitCounter`, one upsert per request), so all
 * instances share one limit; with the embedded SQLite (one process) they are in memory. When the shared
 * counter cannot be reached the request is let through (fail open): liveness and cached reads keep working,
 * and anything that needs the database answers 503 on its own.
 */
import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { KeyAuthenticator } from '../../app/keys.js';
import type { RateLimitCounter } from '../../app/ports.js';
import { tokenHash } from './auth.js';

interface StoreResult {
  current: number;
  ttl: number;
}

/** A @fastify/rate-limit store over a shared counter (the plugin constructs it with `new`). */
function sharedStore(counter: RateLimitCounter) {
  return class SharedRateLimitStore {
    incr(key: string, cb: (err: Error | null, res?: StoreResult) => void, timeWindow: number): void {
      counter.hit(key, timeWindow).then(
        (r) => cb(null, { current: r.hits, ttl: r.reset_ms }),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
    }
    child(): SharedRateLimitStore {
      return this;
    }
  };
}

export interface RateLimitOptions {
  /** Requests per minute per key or per address. */
  perMinute: number;
  authenticator: KeyAuthenticator;
  /** Shared counter (PostgreSQL); absent → in-memory counters of this process. */
  counter?: RateLimitCounter;
}

/** The limiter's key of a request: the key's public id when it is valid, else the client address. */
export async function rateLimitKey(
  request: Parameters<typeof tokenHash>[0],
  authenticator: KeyAuthenticator,
): Promise<string> {
  const hash = tokenHash(request);
  if (hash) {
    try {
      const principal = await authenticator.authenticateHash(hash);
      if (principal) return `key:${principal.key_id}`;
    } catch {
      // The key store cannot be read: count by address (the request itself will answer 503).
    }
  }
  return `ip:${request.ip}`;
}

/** Registers the limiter as the first onRequest hook of `app` (call before the auth hook). */
export async function registerRateLimit(app: FastifyInstance, options: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    max: options.perMinute,
    timeWindow: '1 minute',
    skipOnError: true,
    ...(options.counter ? { store: sharedStore(options.counter) } : {}),
    keyGenerator: (request) => rateLimitKey(request, options.authenticator),
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Rate limit of ${ctx.max} requests per minute exceeded`,
      error: 'Too Many Requests',
    }),
  });
  app.addHook('onRequest', app.rateLimit());
}
