/**
 * Conditional reads: every 200 answer to a GET whose body is in memory (JSON, the metrics text) carries a strong
 * ETag — the SHA-1 of the bytes sent — and a request whose If-None-Match names it gets 304 with no body. The
 * body is still computed (the tag is a hash of it); what a 304 saves is the transfer and the client's parsing.
 * Static files (the dashboard) are answered by @fastify/static, which does its own conditional GET.
 */
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** RFC 9110 §13.1.2: If-None-Match is "*" or a list of entity tags, compared weakly. */
export function noneMatch(header: string, tag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = tag.replace(/^W\//, '');
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === opaque);
}

export function registerEtags(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    const tag = `"${crypto.createHash('sha1').update(payload).digest('base64url')}"`;
    reply.header('etag', tag);
    const condition = request.headers['if-none-match'];
    if (condition && noneMatch(condition, tag)) {
      reply.code(304).removeHeader('content-type');
      return '';
    }
    return payload;
  });
}
