/**
 * Shared by the concurrency and crash tests: a small site with controlled capacity, application bodies with
 * a 10 kW test load bank, one HTTP call shape over `app.inject` or `fetch`, and the real server as a child
 * process (`node --import tsx src/server.ts`) on a free loopback port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { addDays as addCalendarDays } from '../../src/domain/profile/calendar.js';
export { waitForNoSessions } from '../support/databases.js';

export interface Reply {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | number | undefined>;
}

/** One HTTP call: method, path, JSON body, extra headers. */
export type Call = (
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply>;

export function injectCall(app: FastifyInstance, authorization: string): Call {
  return async (method, path, body, headers = {}) => {
    const r = await app.inject({
      method,
      url: path,
      headers: { authorization, ...headers },
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
    return { status: r.statusCode, body: r.body ? r.json<unknown>() : null, headers: r.headers };
  };
}

export function fetchCall(baseUrl: string, authorization: string, timeoutMs = 30_000): Call {
  return async (method, path, body, headers = {}) => {
    const r = await fetch(baseUrl + path, {
      method,
      headers: {
        authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await r.text();
    return {
      status: r.status,
      body: text ? (JSON.parse(text) as unknown) : null,
      headers: Object.fromEntries(r.headers),
    };
  };
}

/** Local date `days` after `iso` (a date or an instant): the domain's calendar arithmetic. */
export function addDays(iso: string, days: number): string {
  return addCalendarDays(iso.slice(0, 10), days);
}

/** Submits `n` applications (references R-0…R-(n−1)) for the small site, 10 at a time; returns them. */
export async function submitMany(
  call: Call,
  site: SmallSite,
  n: number,
): Promise<SubmitBody['application'][]> {
  return mapLimit(
    Array.from({ length: n }, (_, i) => i),
    10,
    async (i) => {
      const r = await call(
        'POST',
        `/v1/sites/${site.siteId}/applications`,
        applicationBody(site, { reference: `R-${i}` }),
      );
      if (r.status !== 201) throw new Error(`submit ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      return (r.body as SubmitBody).application;
    },
  );
}

export interface SmallSite {
  siteId: string;
  pointId: string;
  limit_kva: number;
  window: { start: string; end: string };
}

/**
 * Creates a site with one supply point of `rating_kva` (limit = rating × the default loading cap 0.85) and a
 * horizon of one year from `today`; every application uses the same one-week window a month later.
 */
export async function createSmallSite(
  call: Call,
  opts: { siteId: string; rating_kva: number; today: string; points?: number },
): Promise<SmallSite> {
  const horizon = { start: addDays(opts.today, -1), end: addDays(opts.today, 365) };
  const s = await call('POST', '/v1/sites', {
    id: opts.siteId,
    name: `Test site ${opts.siteId}`,
    timezone: 'Asia/Shanghai',
    horizon,
    total_capacity_cap_kva: opts.rating_kva * (opts.points ?? 1),
    max_supply_points: opts.points ?? 1,
    extent_m: { x: 200, y: 200 },
  });
  if (s.status !== 201) throw new Error(`site: ${s.status} ${JSON.stringify(s.body)}`);
  let limit = 0;
  for (let i = 1; i <= (opts.points ?? 1); i++) {
    const p = await call('POST', `/v1/sites/${opts.siteId}/supply-points`, {
      id: `P${i}`,
      name: `Point ${i}`,
      position_m: { x: 100, y: 100 },
      rating_kva: opts.rating_kva,
      energised_from: horizon.start,
    });
    if (p.status !== 201) throw new Error(`point: ${p.status} ${JSON.stringify(p.body)}`);
    limit = (p.body as { limit_kva: number }).limit_kva;
  }
  return {
    siteId: opts.siteId,
    pointId: 'P1',
    limit_kva: limit,
    window: { start: addDays(opts.today, 30), end: addDays(opts.today, 37) },
  };
}

/** A complete application (every document provided by default) for one test load bank on `pointId`. */
export function applicationBody(
  site: SmallSite,
  opts: { reference?: string; organisation?: string; rated_power_kw?: number; pointId?: string } = {},
) {
  return {
    ...(opts.reference ? { reference: opts.reference } : {}),
    organisation: opts.organisation ?? 'Test Contractor Ltd',
    zone: 'Z1',
    position_m: { x: 100, y: 100 },
    window: site.window,
    profile: 'continuous',
    equipment: [{ type: 'test_load_bank', quantity: 1, rated_power_kw: opts.rated_power_kw ?? 10 }],
    requested_point_id: opts.pointId ?? site.pointId,
  };
}

export interface SubmitBody {
  application: { id: string; state: string; point_id: string | null; demand_kva: number };
}

export interface Problem {
  code: string;
  min_headroom_kva?: number;
  first_conflict_at?: string | null;
  limit_kva?: number;
}

export interface TimelineBody {
  limit_kva: number;
  reserved_kva: number[];
  pending_kva: number[];
  summary: { hours_above_limit_reserved?: number };
  loads: {
    reservation_id: string;
    state: string;
    demand_kva: number;
    source: string | null;
    source_id: string | null;
  }[];
}

export interface ApplicationBody {
  id: string;
  state: string;
  point_id: string | null;
  demand_kva: number;
  stages: { stage: string }[];
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

// ---- the real server as a child process ------------------------------------------------------------------

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  pid: number;
  /** Resolves with the exit code/signal once the process is gone (and reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node --import tsx src/server.ts` with `env` on a free port; resolves once /health/ready answers 200. */
export async function startServer(
  env: Record<string, string>,
  readyTimeoutMs = 30_000,
): Promise<ServerProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      TPP_RATE_LIMIT_PER_MINUTE: '100000000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`server exited at start: ${err}`);
    try {
      const r = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > readyTimeoutMs) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready in ${readyTimeoutMs} ms: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    proc,
    pid: proc.pid!,
    exited,
    stderr: () => err,
    kill: async (signal) => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}
