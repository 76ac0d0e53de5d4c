/**
 * Every error is RFC 9457 problem+json with a stable code, including those Fastify's router, its body parser
 * and Node's HTTP parser answer on their own; header and body timeouts hold as configured. A real server on
 * 127.0.0.1, spoken to over raw sockets where app.inject cannot reach (the HTTP parser, timeouts).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, SITE, type TestApp } from '../support/app.js';

const TIMEOUT_MS = 1000;
const CHECK_MS = 250;

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await makeTestApp({
    seed: true,
    env: {
      TPP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      TPP_TIMEOUT_CHECK_INTERVAL_MS: String(CHECK_MS),
      TPP_BODY_LIMIT_BYTES: '4096',
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => t.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds from connecting until the server closed the connection. */
  closedAfterMs: number;
}

/**
 * Writes `chunks` on a fresh connection (`gapMs` apart, then keeps the socket open) and returns what the
 * server answered by the time it closed the connection.
 */
function raw(chunks: (string | Buffer)[], gapMs = 0, giveUpMs = 10_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => {
      let i = 0;
      const next = () => {
        if (i >= chunks.length || socket.destroyed) return;
        socket.write(chunks[i++]!);
        if (gapMs > 0) timer = setTimeout(next, gapMs);
        else next();
      };
      next();
    });
    socket.on('data', (d) => (data = Buffer.concat([data, d])));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearTimeout(timer);
      const text = data.toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({
        status: Number(statusLine.split(' ')[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
        closedAfterMs: Date.now() - started,
      });
    });
  });
}

const auth = () => `Authorization: Bearer ${t.keys.engineer}\r\n`;
const request = (line: string, extra = '') =>
  `${line} HTTP/1.1\r\nHost: x\r\n${auth()}${extra}Connection: close\r\n\r\n`;

function expectProblem(
  a: { status: number; headers: Record<string, string>; body: string },
  status: number,
  code: string,
) {
  expect(a.status, a.body).toBe(status);
  expect(a.headers['content-type']).toContain('application/problem+json');
  const body = JSON.parse(a.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://tpp.example/problems/${code}` });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body;
}

describe('errors answered before a route runs', () => {
  it('a path that does not percent-decode: 400 bad_url, with the security headers', async () => {
    const a = await raw([request('GET /v1/sites/%E0%A4%A')]);
    expectProblem(a, 400, 'bad_url');
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    expect(a.headers['x-request-id']).toBeTruthy();
  });

  it('an over-long path parameter: 414 path_parameter_too_long', async () => {
    const a = await raw([request(`GET /v1/sites/${'a'.repeat(500)}`)]);
    expectProblem(a, 414, 'path_parameter_too_long');
  });

  it('over-long headers: 431 headers_too_large', async () => {
    const a = await raw([request('GET /v1/sites', `X-Big: ${'a'.repeat(20_000)}\r\n`)]);
    expectProblem(a, 431, 'headers_too_large');
  });

  it('an over-long query string: 431 headers_too_large, the query not echoed', async () => {
    const a = await raw([request(`GET /v1/sites?q=${'secretvalue'.repeat(2000)}`)]);
    expectProblem(a, 431, 'headers_too_large');
    expect(a.body).not.toContain('secretvalue');
  });

  it('bytes that are not HTTP: 400 malformed_request', async () => {
    expectProblem(await raw(['HELLO THERE\r\n\r\n']), 400, 'malformed_request');
  });

  it('an unknown route: 404 route_not_found', async () => {
    const a = await raw([request('GET /v1/nowhere?api_key=abc')]);
    const body = expectProblem(a, 404, 'route_not_found');
    expect(body.instance).toBe('/v1/nowhere');
  });

  it('a known path with another method: 405 method_not_allowed with Allow', async () => {
    const a = await raw([request(`DELETE /v1/sites/${SITE}/utilisation`)]);
    expectProblem(a, 405, 'method_not_allowed');
    expect(a.headers.allow).toBe('GET, HEAD');
  });

  it('malformed JSON: 400 malformed_json', async () => {
    const body = '{"name": ';
    const a = await raw([
      request(
        'POST /v1/sites',
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`,
      ).replace(/\r\n\r\n$/, `\r\n\r\n${body}`),
    ]);
    expectProblem(a, 400, 'malformed_json');
  });

  it('a body over the limit: 413 body_too_large', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(10_000) });
    const a = await raw([
      request('POST /v1/sites', `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`) +
        body,
    ]);
    expectProblem(a, 413, 'body_too_large');
  });

  it('a bad Content-Length: 400', async () => {
    const a = await raw([
      request('POST /v1/sites', 'Content-Type: application/json\r\nContent-Length: abc\r\n') + '{}',
    ]);
    expect(a.status).toBe(400);
    expect(a.headers['content-type']).toContain('application/problem+json');
  });
});

describe('media types and empty bodies (through app.inject)', () => {
  it('answers a text/plain body with 415 unsupported_media_type, as the spec declares', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/v1/sites/${SITE}/capacity-check`,
        headers: { ...t.auth('engineer'), 'content-type': type },
        payload: 'hello',
      });
      expect(r.statusCode, type).toBe(415);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.json()).toMatchObject({ code: 'unsupported_media_type' });
    }
    const spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/v1/sites/{siteId}/capacity-check'].post.responses['415']).toBeDefined();
  });

  it('treats a missing or empty body as {} where every field is optional, and as a 400 naming the body elsewhere', async () => {
    const sub = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications`,
      headers: t.auth('engineer'),
    });
    expect(sub.statusCode).toBe(400);
    expect(sub.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: '', in: 'body' }] });

    // Approve takes an all-optional body: without one it reaches the use case (here: no such application).
    const approve = await t.app.inject({
      method: 'POST',
      url: `/v1/sites/${SITE}/applications/no-such-application/approve`,
      headers: t.auth('engineer'),
    });
    expect(approve.json()).toMatchObject({ status: 404, code: 'not_found' });

    // An all-optional body (site update): no body, an empty JSON body and {} all mean "change nothing".
    for (const headers of [{}, { 'content-type': 'application/json' }]) {
      const r = await t.app.inject({
        method: 'PATCH',
        url: `/v1/sites/${SITE}`,
        headers: { ...t.auth('engineer'), ...headers },
      });
      expect(r.statusCode, r.body).toBe(200);
    }
  });
});

describe('timeouts that hold', () => {
  const limit = TIMEOUT_MS + CHECK_MS + 500;

  it(`closes a client trickling its headers within the timeout + check interval, with 408`, async () => {
    const line = `GET /v1/sites HTTP/1.1\r\nHost: x\r\n${auth()}`;
    // One header byte every 100 ms: the connection is never idle, the headers never end.
    const chunks = [line, ...Array.from({ length: 100 }, (_, i) => (i === 0 ? 'X-Slow: ' : 'a'))];
    const a = await raw(chunks, 100);
    expect(a.closedAfterMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(a.closedAfterMs).toBeLessThan(limit);
    expectProblem(a, 408, 'request_timeout');
  });

  it('closes a client trickling its body within the timeout + check interval, with 408', async () => {
    const head = `POST /v1/calculations/demand HTTP/1.1\r\nHost: x\r\n${auth()}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const a = await raw([head, '{', ...Array.from({ length: 100 }, () => ' ')], 100);
    expect(a.closedAfterMs).toBeLessThan(limit);
    expectProblem(a, 408, 'request_timeout');
  });

  it('closes a client that stalls after part of its headers within the limit, with 408', async () => {
    const a = await raw([`GET /v1/sites HTTP/1.1\r\nHost: x\r\n`]);
    expect(a.closedAfterMs).toBeLessThan(limit);
    expectProblem(a, 408, 'request_timeout');
  });

  it('still serves a prompt request on the same server', async () => {
    const a = await raw([request('GET /health/live')]);
    expect(a.status).toBe(200);
  });
});
