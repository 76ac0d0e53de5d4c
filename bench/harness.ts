/**
 * Benchmark harness: starts the real service and a bare Fastify baseline as child processes on loopback,
 * drives both with autocannon for the same duration and connections, and reports req/s as a ratio of the
 * baseline measured in the same run. Bounded in time and count; only 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const BENCH_KEY = 'tpp_bench_engineer_key_0123456789abcdef';

export interface Started {
  url: string;
  proc: ChildProcess;
  stop: () => Promise<void>;
}

async function waitReady(proc: ChildProcess, url: string, probe: string, ms = 60_000): Promise<void> {
  const t0 = Date.now();
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  while (Date.now() - t0 < ms) {
    if (proc.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const r = await fetch(url + probe);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not start in ${ms} ms: ${stderr}`);
}

function stopper(proc: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
    });
}

let built = false;
/** Compiles the service once per benchmark process (`npm run build`). */
function buildOnce(): void {
  if (built) return;
  const r = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
  built = true;
}

export async function startTpp(
  port: number,
  env: Record<string, string> = {},
  options: { nodeArgs?: string[] } = {},
): Promise<Started & { dbDir: string }> {
  const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-bench-'));
  buildOnce();
  // The production entry point (compiled JavaScript), as `npm start` runs it: tsx's loader costs ~30 %.
  const proc = spawn(process.execPath, [...(options.nodeArgs ?? []), 'dist/src/server.js'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TPP_DB_PATH: path.join(dbDir, 'tpp.db'),
      TPP_BOOTSTRAP_API_KEY: BENCH_KEY,
      // The reference file as it is (not the live seed with its applications): figures stay comparable.
      TPP_SEED_LIVE: '0',
      TPP_RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(proc, url, '/health/ready');
  const stop = stopper(proc);
  return {
    url,
    proc,
    dbDir,
    stop: async () => {
      await stop();
      fs.rmSync(dbDir, { recursive: true, force: true });
    },
  };
}

export async function startBare(port: number, bodyFile: string): Promise<Started> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
    env: { ...process.env, PORT: String(port), BARE_BODY_FILE: bodyFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady(proc, url, '/bare');
  return { url, proc, stop: stopper(proc) };
}

export interface LoadOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  durationS?: number;
  connections?: number;
  /** Per-request overrides, e.g. a `setupRequest` giving each request its own path or body. */
  requests?: autocannon.Request[];
}

export async function load(
  url: string,
  opts: LoadOptions = {},
): Promise<{ rps: number; p99_ms: number; non2xx: number; errors: number }> {
  const result = await autocannon({
    url,
    method: opts.method ?? 'GET',
    headers: opts.headers,
    body: opts.body,
    duration: opts.durationS ?? 5,
    connections: opts.connections ?? 10,
    pipelining: 1,
    ...(opts.requests ? { requests: opts.requests } : {}),
  });
  return {
    rps: result.requests.average,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export interface Row {
  name: string;
  api_rps: number;
  bare_rps: number;
  ratio: number;
  p99_ms: number;
  note?: string;
}

/** Replaces (by name) or appends rows in the results table of BENCHMARKS.md. */
export function recordRows(rows: Row[], command: string, file = 'BENCHMARKS.md'): void {
  const header =
    '| benchmark | tpp req/s | bare Fastify req/s | ratio | p99 ms | command | date | note |\n|---|---|---|---|---|---|---|---|';
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  if (!text.includes(start)) text += `\n## Results\n\n${start}\n${header}\n${end}\n`;
  const [before, rest] = text.split(start) as [string, string];
  const [table, after] = rest.split(end) as [string, string];
  const lines = table
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark') && !l.startsWith('|---'));
  const date = new Date().toISOString().slice(0, 10);
  for (const r of rows) {
    const line = `| ${r.name} | ${r.api_rps.toFixed(0)} | ${r.bare_rps.toFixed(0)} | ${(r.ratio * 100).toFixed(1)} % | ${r.p99_ms} | \`${command}\` | ${date} | ${r.note ?? ''} |`;
    const i = lines.findIndex((l) => l.startsWith(`| ${r.name} |`));
    if (i >= 0) lines[i] = line;
    else lines.push(line);
  }
  fs.writeFileSync(file, `${before}${start}\n${header}\n${lines.join('\n')}\n${end}${after}`);
}
