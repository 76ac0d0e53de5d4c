/**
 * Request bodies: JSON only (`application/json`, with Fastify's prototype-poisoning protection); any other
 * media type, `text/plain` included, is 415. A POST/PATCH whose body schema has no required field may come
 * without a body (or with an empty `application/json` body) and is then treated as `{}`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

interface SafeParser {
  safeParse: (v: unknown) => { success: boolean };
}

function acceptsEmptyObject(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object' || !('safeParse' in schema)) return false;
  return (schema as SafeParser).safeParse({}).success;
}

export function registerBodyParsing(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    void json(request, text, done);
  });

  const emptyToObject = async (request: FastifyRequest) => {
    if (request.body === undefined || request.body === null) request.body = {};
  };
  app.addHook('onRoute', (route) => {
    if (!acceptsEmptyObject(route.schema?.body)) return;
    const given = route.preValidation;
    route.preValidation = [emptyToObject, ...(given ? (Array.isArray(given) ? given : [given]) : [])];
  });
}
