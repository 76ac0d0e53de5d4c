/**
 * Memory after bursts (issue 14, item 9): RSS of one tpp instance (compiled, embedded SQLite, reference site)
 * at a warm baseline, right after 20,000 mixed requests (8 concurrent clients: utilisation over random ranges
 * and resolutions, point timelines, capacity checks, application submissions, lists, statistics, /metrics)
 * and after 5 s idle. 127.0.0.1 only; bounded in count and time. Run: `npx tsx bench/memory.ts [requests]`.
 */
import fs from 'node:fs';
import { BENCH_KEY, startTpp } from './harness.js';

const TOTAL = Number(process.argv[2] ?? 20_000);
const SITE = 'jinshan-ev-plant';
const auth = { authorization: `Bearer ${BENCH_KEY}`, 'content-type': 'application/json' };

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

let seed = 7;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const day = (offset: number): string =>
  new Date(Date.UTC(2025, 6, 1) + offset * 86_400_000).toISOString().slice(0, 10);

function nextRequest(i: number): { method: string; path: string; body?: unknown } {
  const k = i % 10;
  const from = Math.floor(rnd() * 600);
  if (k < 3) {
    const resolution = pick(['day', 'week', 'hour'] as const);
    const len = resolution === 'hour' ? 1 + Math.floor(rnd() * 60) : 1 + Math.floor(rnd() * 100);
    return {
      method: 'GET',
      path: `/v1/sites/${SITE}/utilisation?from=${day(from)}&to=${day(from + len)}&resolution=${resolution}`,
    };
  }
  if (k === 3)
    return {
      method: 'GET',
      path: `/v1/sites/${SITE}/supply-points/SP-0${1 + (i % 9)}/timeline?from=${day(from)}&to=${day(from + 30)}`,
    };
  if (k === 4)
    return {
      method: 'POST',
      path: `/v1/sites/${SITE}/capacity-check`,
      body: {
        load: { apparent_power_kva: 20 + Math.floor(rnd() * 80), power_factor: 0.85 },
        profile: 'day_shift',
        window: { start: day(from), end: day(from + 60) },
        position_m: { x: 600, y: 400 },
      },
    };
  if (k === 5)
    return {
      method: 'POST',
      path: `/v1/sites/${SITE}/applications`,
      body: {
        reference: `M-${i}`,
        organisation: 'Memory Bench Co.',
        zone: 'Assembly hall',
        position_m: { x: 600, y: 400 },
        window: { start: day(from), end: day(from + 30) },
        profile: 'day_shift',
        equipment: [{ type: 'water_pump', quantity: 1, rated_power_kw: 4 }],
      },
    };
  if (k === 6) return { method: 'GET', path: `/v1/sites/${SITE}/applications?state=accepted` };
  if (k === 7) return { method: 'GET', path: `/v1/sites/${SITE}/applications/stats` };
  if (k === 8) return { method: 'GET', path: '/metrics' };
  return { method: 'GET', path: `/v1/sites/${SITE}/supply-points` };
}

async function burst(url: string, count: number, concurrency = 8): Promise<Record<string, number>> {
  let next = 0;
  const statuses: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const r = nextRequest(i);
        const res = await fetch(url + r.path, {
          method: r.method,
          headers: auth,
          ...(r.body ? { body: JSON.stringify(r.body) } : {}),
        });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  return statuses;
}

const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tpp = await startTpp(3917, { TPP_SEED: '1' });
try {
  const pid = tpp.proc.pid!;
  await burst(tpp.url, 500);
  await idle(3000);
  const warm = rssMb(pid);
  const t0 = Date.now();
  const statuses = await burst(tpp.url, TOTAL);
  const seconds = (Date.now() - t0) / 1000;
  const after = rssMb(pid);
  await idle(5000);
  const settled = rssMb(pid);
  console.log(
    JSON.stringify({
      requests: TOTAL,
      seconds,
      statuses,
      rss_mb: { warm, after_burst: after, after_5s_idle: settled },
    }),
  );
  console.log(
    `| ${TOTAL} mixed requests, 8 clients | ${warm} MB | ${after} MB | ${settled} MB | ${Math.round(((settled - warm) / warm) * 100)} % | ${seconds.toFixed(0)} s |`,
  );
} finally {
  await tpp.stop();
}
