/**
 * `npm start` as a user runs it (npm → scripts/start.js, no tsx): the server runs inside the launcher's own
 * process, so a stop signal to npm ends the whole process tree, frees the port and the database lock within a
 * second; a second start with unchanged sources does not build.
 *
 * The first start builds dist/ when the sources changed since the last build (a fresh clone: always), which
 * takes 15 s on an idle 2-core machine and much longer on a loaded one: hence the long timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string | undefined;
const started: ChildProcess[] = [];

afterAll(() => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port (we can bind it ourselves). */
async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Every descendant pid of a process (Linux /proc). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses: split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, parent] of parentOf)
      if (parent === p) {
        out.push(child);
        walk(child);
      }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) holds no port and runs nothing.
  try {
    return !/^\S+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

interface Started {
  proc: ChildProcess;
  port: number;
  output: () => string;
}

async function start(dbDir: string): Promise<Started> {
  const port = await freePort();
  const proc = spawn(npm, ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TPP_DB_PATH: path.join(dbDir, 'tpp.db'),
      TPP_BOOTSTRAP_KEY_FILE: path.join(dbDir, 'key.txt'),
      TPP_SEED: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const until = Date.now() + 280_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (proc.exitCode !== null) throw new Error(`npm start exited with ${proc.exitCode}: ${log}`);
    if (Date.now() > until) throw new Error(`npm start not ready: ${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, port, output: () => log };
}

/** Sends the signal to npm and measures until npm, every descendant and the port are gone. */
async function stop(s: Started, signal: NodeJS.Signals): Promise<number> {
  const tree = [s.proc.pid!, ...descendants(s.proc.pid!)];
  const t0 = performance.now();
  s.proc.kill(signal);
  for (;;) {
    if (!tree.some(alive) && (await portFree(s.port))) return performance.now() - t0;
    if (performance.now() - t0 > 10_000)
      throw new Error(`still running 10 s after ${signal}: ${tree.filter(alive).join(' ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('npm start', () => {
  it('is one server process that a stop signal ends within a second, and does not build again with unchanged sources', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-start-'));

    const first = await start(dir);
    // npm runs the launcher through `exec`: npm's only descendant is the node process serving the port.
    const tree = descendants(first.proc.pid!);
    expect(tree).toHaveLength(1);
    expect(fs.readFileSync(`/proc/${tree[0]}/cmdline`, 'utf8').split('\0')).toContain('scripts/start.js');
    const termMs = await stop(first, 'SIGTERM');
    console.log(`npm start: SIGTERM → process tree gone and port free in ${termMs.toFixed(0)} ms`);
    expect(termMs).toBeLessThan(1000);
    // The database lock was released: its file is gone.
    expect(fs.existsSync(path.join(dir, 'tpp.db.lock'))).toBe(false);

    const second = await start(dir);
    expect(second.output()).not.toContain('building dist');
    const intMs = await stop(second, 'SIGINT');
    console.log(`npm start (no build): SIGINT → process tree gone and port free in ${intMs.toFixed(0)} ms`);
    expect(intMs).toBeLessThan(1000);
  }, 600_000);
});
