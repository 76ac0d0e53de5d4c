/**
 * Capacity benchmarks (issue: timelines): capacity-check and the utilisation read (day resolution, whole
 * horizon) on the reference site with 1,000 reserved loads, as ratios of a bare Fastify route answering the
 * same bytes; and the time to rebuild all timelines from storage for 10,000 loads (in-process).
 *
 *   npx tsx bench/capacity.ts [--duration 5]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/storage/index.js';
import { importScenarioFile, systemClock, uuidIds } from '../src/compose.js';
import type { Deps, ReservationRecord } from '../src/app/ports.js';
import { PRESET_SHAPES } from '../src/domain/profile/profile.js';
import { mulberry32 } from '../src/domain/plan/synthetic.js';
import { addDays } from '../src/domain/profile/calendar.js';
import { TimelineService } from '../src/app/timelines.js';
import { BENCH_KEY, load, recordRows, startBare, startTpp, type Row } from './harness.js';

const args = process.argv.slice(2);
const durationS = args.includes('--duration') ? Number(args[args.indexOf('--duration') + 1]) : 5;
const command = `npx tsx bench/capacity.ts${args.length ? ' ' + args.join(' ') : ''}`;
const SITE = 'jinshan-ev-plant';

/** Seeds `n` reserved loads (seeded, reproducible) spread over the reference site's ten points. */
async function seedReservations(deps: Deps, n: number, seed: number): Promise<void> {
  const rnd = mulberry32(seed);
  const points = await deps.store.points.list(SITE);
  const shapes = Object.values(PRESET_SHAPES);
  await deps.store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) {
      const start = addDays('2025-07-15', Math.floor(rnd() * 600));
      const r: ReservationRecord = {
        id: `bench-${i}`,
        site_id: SITE,
        point_id: points[i % points.length]!.id,
        source: 'manual',
        source_id: `bench-${i}`,
        state: 'reserved',
        demand_kva: 1 + rnd() * 4,
        window: { start, end: addDays(start, 30 + Math.floor(rnd() * 90)) },
        shape: shapes[i % shapes.length]!,
        created_at: new Date().toISOString(),
        released_at: null,
      };
      await tx.reservations.insert(r);
    }
    for (const p of points) await tx.points.bumpVersion(SITE, p.id);
  });
}

async function preparedDb(n: number): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-capbench-'));
  const file = path.join(dir, 'tpp.db');
  const store = await openStore({ kind: 'sqlite', path: file });
  const deps: Deps = { store, clock: systemClock, ids: uuidIds };
  await importScenarioFile(deps, 'examples/jinshan-ev-plant.json');
  await seedReservations(deps, n, 7);
  await store.close();
  return file;
}

// 1. Rebuild time for 10,000 loads (median of 5 rebuilds from storage).
{
  const file = await preparedDb(10_000);
  const store = await openStore({ kind: 'sqlite', path: file });
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const svc = new TimelineService();
    const t0 = performance.now();
    await svc.get(store, SITE);
    times.push(performance.now() - t0);
  }
  await store.close();
  times.sort((a, b) => a - b);
  const median = times[2]!;
  console.log(
    `timeline rebuild, 10,000 reserved loads: median ${median.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`,
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  recordRows(
    [
      {
        name: 'timeline rebuild from storage, 10,000 loads (ms, goal ≤ 2000)',
        api_rps: median,
        bare_rps: 2000,
        ratio: median / 2000,
        p99_ms: Math.round(times[4]!),
        note: 'in-process; columns: median ms, goal ms, median/goal, worst ms',
      },
    ],
    command,
  );
}

// 2. HTTP: capacity-check and utilisation read with 1,000 reserved loads.
const file = await preparedDb(1_000);
const tpp = await startTpp(38_311, { TPP_DB_PATH: file });
const auth = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };
const cases: { name: string; method: 'GET' | 'POST'; path: string; body?: string; note: string }[] = [
  {
    name: 'POST /v1/sites/{id}/capacity-check (1,000 reserved loads)',
    method: 'POST',
    path: `/v1/sites/${SITE}/capacity-check`,
    body: JSON.stringify({
      load: { apparent_power_kva: '120 kVA', power_factor: 0.8 },
      profile: 'day_shift',
      window: { start: '2026-02-01', end: '2026-05-01' },
      position_m: { x: 560, y: 700 },
    }),
    note: 'goal ≥ 50 %; 10 points, per-point headroom over the window, feeder estimate, earliest fit',
  },
  {
    name: 'GET /v1/sites/{id}/utilisation?resolution=day (1,000 reserved loads)',
    method: 'GET',
    path: `/v1/sites/${SITE}/utilisation?resolution=day`,
    note: 'whole 2-year horizon, 10 points, day buckets',
  },
];
const rows: Row[] = [];
try {
  for (const c of cases) {
    const sample = await fetch(tpp.url + c.path, { method: c.method, headers: auth, body: c.body });
    const bytes = Buffer.from(await sample.arrayBuffer());
    if (sample.status >= 400) throw new Error(`${c.name}: ${sample.status} ${bytes.toString()}`);
    const bodyFile = path.join(os.tmpdir(), `tpp-bench-cap-${rows.length}.json`);
    fs.writeFileSync(bodyFile, bytes);
    const bare = await startBare(38_312, bodyFile);
    try {
      const opts = { method: c.method, headers: auth, body: c.body };
      await load(`${bare.url}/bare`, { ...opts, durationS: 1 });
      const b = await load(`${bare.url}/bare`, { ...opts, durationS });
      await load(tpp.url + c.path, { ...opts, durationS: 1 });
      const a = await load(tpp.url + c.path, { ...opts, durationS });
      if (a.non2xx > 0 || a.errors > 0) console.warn(`${c.name}: ${a.non2xx} non-2xx, ${a.errors} errors`);
      rows.push({
        name: c.name,
        api_rps: a.rps,
        bare_rps: b.rps,
        ratio: a.rps / b.rps,
        p99_ms: a.p99_ms,
        note: c.note,
      });
      console.log(
        `${c.name}: ${a.rps.toFixed(0)} req/s vs bare ${b.rps.toFixed(0)} → ${((a.rps / b.rps) * 100).toFixed(1)} %`,
      );
    } finally {
      await bare.stop();
    }
  }
} finally {
  await tpp.stop();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}
recordRows(rows, command);
