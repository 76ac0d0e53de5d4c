/**
 * The baseline: a bare Fastify route answering a fixed body (the same bytes the API route answers), so the
 * ratio measures what tpp adds (auth, validation, storage, calculation), not payload size.
 */
import fs from 'node:fs';
import Fastify from 'fastify';

const body = fs.readFileSync(process.env.BARE_BODY_FILE ?? '/dev/null');
const app = Fastify({ logger: false });
const handler = async (_req: unknown, reply: { type: (t: string) => { send: (b: Buffer) => unknown } }) =>
  reply.type('application/json').send(body);
app.get('/bare', handler);
app.post('/bare', handler);
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('READY');
