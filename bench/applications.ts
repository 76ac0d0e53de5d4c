/**
 * `npx tsx bench/applications.ts [--duration 5] [--only sqlite,postgres] [--cpu-prof DIR]`: the throughput of
 * application submission (validate + persist; every request a distinct body, no idempotency key) and of
 * approval (lock the point, check reserved headroom over the window, reserve; every request approves a
 * different accepted application), on SQLite and on PostgreSQL (a fresh database; skipped when none answers),
 * as ratios of a bare Fastify route answering the same bytes. Writes rows to BENCHMARKS.md.
 *
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test is
 * used as the admin connection that creates (and drops) the benchmark database.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type autocannon from 'autocannon';
import { BENCH_KEY, load, recordRows, startBare, startTpp, type Row } from './harness.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined =>
  args.includes(name) ? args[args.indexOf(name) + 1] : undefined;
const durationS = Number(arg('--duration') ?? 5);
const only = arg('--only')?.split(',');
const cpuProfDir = arg('--cpu-prof');
const command = `npx tsx bench/applications.ts${args.length ? ' ' + args.join(' ') : ''}`;
const CONNECTIONS = 10;
const POINTS = 20;
const ORGANISATIONS = 20;
const auth = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const today = new Date().toISOString().slice(0, 10);
const horizon = { start: addDays(today, -1), end: addDays(today, 365) };
const window = { start: addDays(today, 30), end: addDays(today, 37) };

/** The i-th distinct submission: one 1 kW test load bank (0.8 kVA), 20 organisations, 20 points in turn. */
function submission(i: number): string {
  return JSON.stringify({
    reference: `B-${i}`,
    organisation: `Bench Contractor ${i % ORGANISATIONS}`,
    zone: `Z${i % 7}`,
    position_m: { x: 10 + (i % 180), y: 10 + ((i * 7) % 180) },
    window,
    profile: 'continuous',
    equipment: [{ type: 'test_load_bank', quantity: 1, rated_power_kw: 1 }],
    requested_point_id: `P${1 + (i % POINTS)}`,
  });
}

async function post(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: auth,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

/** A site whose 20 points of 2500 kVA (limit 2125 kVA each) take every approval of the run. */
async function createBenchSite(url: string): Promise<void> {
  const s = await post(`${url}/v1/sites`, {
    id: 'bench',
    name: 'Benchmark site',
    timezone: 'Asia/Shanghai',
    horizon,
    total_capacity_cap_kva: 2500 * POINTS,
    max_supply_points: POINTS,
    extent_m: { x: 200, y: 200 },
  });
  if (s.status !== 201) throw new Error(`site: ${s.status} ${JSON.stringify(s.json)}`);
  for (let i = 1; i <= POINTS; i++) {
    const p = await post(`${url}/v1/sites/bench/supply-points`, {
      id: `P${i}`,
      name: `Point ${i}`,
      position_m: { x: (i * 9) % 200, y: (i * 13) % 200 },
      rating_kva: 2500,
      energised_from: horizon.start,
    });
    if (p.status !== 201) throw new Error(`point: ${p.status} ${JSON.stringify(p.json)}`);
  }
}

/** Submits `n` more applications (10 in flight) starting at index `from`; returns their ids. */
async function submitMany(url: string, from: number, n: number): Promise<string[]> {
  const ids: string[] = [];
  let next = from;
  const worker = async () => {
    while (next < from + n) {
      const i = next++;
      const r = await post(`${url}/v1/sites/bench/applications`, submission(i));
      if (r.status !== 201) throw new Error(`submit: ${r.status} ${JSON.stringify(r.json)}`);
      ids.push((r.json as { application: { id: string } }).application.id);
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));
  return ids;
}

/**
 * Measures `api` bracketed by the bare route answering `sampleBytes`: bare before and after, averaged, so a
 * change in machine load during the run (2 shared cores) does not skew the ratio one way.
 */
async function bracketed<T extends { rps: number }>(
  sampleBytes: Buffer,
  name: string,
  body: string,
  api: () => Promise<T>,
): Promise<{ api: T; bare_rps: number; bare_runs: number[] }> {
  const bodyFile = path.join(os.tmpdir(), `tpp-bench-${name}.json`);
  fs.writeFileSync(bodyFile, sampleBytes);
  const bare = await startBare(38_312, bodyFile);
  const opts = { method: 'POST' as const, headers: auth, body, connections: CONNECTIONS };
  try {
    await load(`${bare.url}/bare`, { ...opts, durationS: 1 });
    const before = await load(`${bare.url}/bare`, { ...opts, durationS });
    const result = await api();
    const after = await load(`${bare.url}/bare`, { ...opts, durationS });
    return { api: result, bare_rps: (before.rps + after.rps) / 2, bare_runs: [before.rps, after.rps] };
  } finally {
    await bare.stop();
  }
}

async function pgDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin =
    process.env.BENCH_DATABASE_URL ??
    process.env.TEST_DATABASE_URL ??
    'postgres://postgres@127.0.0.1:5432/test';
  const name = `tpp_bench_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  try {
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
  } catch (e) {
    console.warn(`PostgreSQL not available (${(e as Error).message}): skipping its rows`);
    return undefined;
  } finally {
    await c.end().catch(() => undefined);
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

async function benchBackend(label: 'SQLite' | 'PostgreSQL', env: Record<string, string>): Promise<Row[]> {
  const rows: Row[] = [];
  const nodeArgs = cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=tpp-${label}.cpuprofile`]
    : [];
  const tpp = await startTpp(
    38_311,
    { TPP_SEED: '0', TPP_DEADLINE_SWEEP_INTERVAL_S: '0', ...env },
    { nodeArgs },
  );
  try {
    await createBenchSite(tpp.url);
    let counter = 0;

    // ---- submission: every request a distinct body (reference, position, organisation, point) ------------
    const sample = await fetch(`${tpp.url}/v1/sites/bench/applications`, {
      method: 'POST',
      headers: auth,
      body: submission(counter++),
    });
    const sampleBytes = Buffer.from(await sample.arrayBuffer());
    if (sample.status !== 201)
      throw new Error(`submission sample: ${sample.status} ${sampleBytes.toString()}`);
    const submitRequests: autocannon.Request[] = [
      {
        method: 'POST' as const,
        path: '/v1/sites/bench/applications',
        setupRequest: (req: autocannon.Request): autocannon.Request => ({
          ...req,
          body: submission(counter++),
        }),
      },
    ];
    const submitUrl = `${tpp.url}/v1/sites/bench/applications`;
    await load(submitUrl, {
      method: 'POST',
      headers: auth,
      durationS: 1,
      connections: CONNECTIONS,
      requests: submitRequests,
    });
    const before = counter;
    const {
      api: s,
      bare_rps: submitBare,
      bare_runs: submitBareRuns,
    } = await bracketed(sampleBytes, 'submit', submission(0), () =>
      load(submitUrl, {
        method: 'POST',
        headers: auth,
        durationS,
        connections: CONNECTIONS,
        requests: submitRequests,
      }),
    );
    const sb = { rps: submitBare };
    if (s.non2xx || s.errors) console.warn(`submission ${label}: ${s.non2xx} non-2xx, ${s.errors} errors`);
    rows.push({
      name: `POST /v1/sites/{id}/applications (submit, ${label})`,
      api_rps: s.rps,
      bare_rps: sb.rps,
      ratio: s.rps / sb.rps,
      p99_ms: s.p99_ms,
      note: `distinct bodies, no Idempotency-Key; 1 test load bank, 20 orgs, 20 points; ${before}→${counter} applications on the site during the run; bare ${submitBareRuns.map((r) => r.toFixed(0)).join('/')} before/after`,
    });
    console.log(
      `submit ${label}: ${s.rps.toFixed(0)} req/s vs bare ${sb.rps.toFixed(0)} → ${((s.rps / sb.rps) * 100).toFixed(1)} %`,
    );

    // ---- approval: every request approves a different accepted application --------------------------------
    const listed = (await (
      await fetch(`${tpp.url}/v1/sites/bench/applications?state=accepted`, { headers: auth })
    ).json()) as {
      items: { id: string }[];
    };
    const ids = listed.items.map((a) => a.id);
    let next = 0;
    const approveRequests: autocannon.Request[] = [
      {
        method: 'POST' as const,
        body: '{}',
        setupRequest: (req: autocannon.Request): autocannon.Request => ({
          ...req,
          path: `/v1/sites/bench/applications/${ids[next++ % ids.length]}/approve`,
        }),
      },
    ];
    const approveUrl = `${tpp.url}/v1/sites/bench/applications/x/approve`;
    // Warm up on 1 s, then make sure there are enough accepted applications for the measured run (×3: the warm-up runs colder).
    const warm = await load(approveUrl, {
      method: 'POST',
      headers: auth,
      durationS: 1,
      connections: CONNECTIONS,
      requests: approveRequests,
    });
    const needed = Math.ceil(warm.rps * durationS * 3) + next + 500;
    if (ids.length < needed) {
      const n = needed - ids.length;
      ids.push(...(await submitMany(tpp.url, counter, n)));
      counter += n;
    }
    const sampleApprove = await fetch(`${tpp.url}/v1/sites/bench/applications/${ids[next++]}/approve`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    const approveBytes = Buffer.from(await sampleApprove.arrayBuffer());
    if (sampleApprove.status !== 200)
      throw new Error(`approval sample: ${sampleApprove.status} ${approveBytes.toString()}`);
    const reservedBefore = next;
    const {
      api: a,
      bare_rps: approveBare,
      bare_runs: approveBareRuns,
    } = await bracketed(approveBytes, 'approve', '{}', () =>
      load(approveUrl, {
        method: 'POST',
        headers: auth,
        durationS,
        connections: CONNECTIONS,
        requests: approveRequests,
      }),
    );
    if (next > ids.length)
      console.warn(`approval ${label}: ran out of accepted applications (${next} > ${ids.length})`);
    const ab = { rps: approveBare };
    if (a.non2xx || a.errors) console.warn(`approval ${label}: ${a.non2xx} non-2xx, ${a.errors} errors`);
    rows.push({
      name: `POST /v1/sites/{id}/applications/{id}/approve (${label})`,
      api_rps: a.rps,
      bare_rps: ab.rps,
      ratio: a.rps / ab.rps,
      p99_ms: a.p99_ms,
      note: `a different accepted application each request; ${POINTS} points of 2500 kVA, ${reservedBefore}→${next} reserved during the run; ${a.non2xx} non-2xx; bare ${approveBareRuns.map((r) => r.toFixed(0)).join('/')} before/after`,
    });
    console.log(
      `approve ${label}: ${a.rps.toFixed(0)} req/s vs bare ${ab.rps.toFixed(0)} → ${((a.rps / ab.rps) * 100).toFixed(1)} %`,
    );
  } finally {
    await tpp.stop();
  }
  return rows;
}

const rows: Row[] = [];
if (!only || only.includes('sqlite')) rows.push(...(await benchBackend('SQLite', {})));
if (!only || only.includes('postgres')) {
  const db = await pgDatabase();
  if (db) {
    try {
      rows.push(...(await benchBackend('PostgreSQL', { DATABASE_URL: db.url })));
    } finally {
      await new Promise((r) => setTimeout(r, 200));
      await db.drop();
    }
  }
}
recordRows(rows, command);
