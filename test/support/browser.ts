/**
 * The one way tests get a browser: the headless Chromium shipped inside the `@sparticuz/chromium` package
 * (brotli archives in node_modules), decompressed once into a versioned cache under the temp directory and
 * launched with playwright-core. No system Chromium is needed, so `npm test` runs on a machine with Node only.
 *
 * The package itself extracts to a fixed `$TMPDIR/chromium` and trusts any file found there, so a run killed
 * mid-extraction (or two test files extracting at once) would leave a truncated binary behind. Here the
 * extraction goes to a private staging directory (the package reads `$TMPDIR` at call time) that is renamed
 * into place only when complete, under a cross-process lock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import Chromium, { inflate } from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

const require = createRequire(import.meta.url);
// The package's exports hide package.json; its build/index.js sits one folder below it.
const PACKAGE_JSON = path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..', 'package.json');
const VERSION = (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
const CACHE = path.join(os.tmpdir(), `tpp-sparticuz-chromium-${VERSION}-${uid}`);
const LOCK = `${CACHE}.lock`;
const STALE_LOCK_MS = 30_000;

let extracting: Promise<string> | undefined;

/** Path of the Chromium binary, decompressing it on first use (about 2 s, 210 MB on disk). */
export function chromiumExecutable(): Promise<string> {
  extracting ??= extractOnce();
  return extracting;
}

async function extractOnce(): Promise<string> {
  const exe = path.join(CACHE, 'chromium');
  if (fs.existsSync(exe)) return exe;
  await acquireLock();
  try {
    if (fs.existsSync(exe)) return exe;
    const stage = fs.mkdtempSync(`${CACHE}.stage-`);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = stage;
    try {
      const staged = await Chromium.executablePath();
      if (path.dirname(staged) !== stage) throw new Error(`Chromium extracted to ${staged}, not ${stage}`);
      // NSS, NSPR and expat built for Amazon Linux 2023; used only where the system has none (see below).
      await inflate(
        path.join(path.dirname(require.resolve('@sparticuz/chromium')), '..', 'bin', 'al2023.tar.br'),
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    // The package's fonts.conf names /tmp/fonts; ours names the cached fonts and keeps the system's.
    fs.writeFileSync(
      path.join(stage, 'fonts.conf'),
      [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        '<fontconfig>',
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
        `  <dir>${path.join(CACHE, 'fonts')}</dir>`,
        `  <cachedir>${path.join(CACHE, 'fonts-cache')}</cachedir>`,
        '</fontconfig>',
        '',
      ].join('\n'),
    );
    fs.renameSync(stage, CACHE);
    return exe;
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/** A lock directory holding the owner's pid; a lock whose owner is gone (a killed test run) is taken over. */
async function acquireLock(): Promise<void> {
  const until = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale()) fs.rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > until) throw new Error(`waited too long for ${LOCK}`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function lockIsStale(): boolean {
  const stat = fs.statSync(LOCK, { throwIfNoEntry: false });
  if (!stat) return false;
  let pid = 0;
  try {
    pid = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
  } catch {
    // not written yet, or the lock was just released
  }
  if (!pid) return Date.now() - stat.mtimeMs > STALE_LOCK_MS; // between mkdir and the pid write
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The bundled NSS libraries on LD_LIBRARY_PATH when the system lacks them (a bare image has no libnss3). */
function libraryPath(): Record<string, string> {
  if (process.env.TPP_TEST_BUNDLED_NSS !== '1' && systemHas('libnss3.so')) return {};
  const lib = path.join(CACHE, 'al2023', 'lib');
  return { LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}

function systemHas(soname: string): boolean {
  try {
    return execFileSync('ldconfig', ['-p'], { encoding: 'utf8' }).includes(soname);
  } catch {
    return ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'].some((d) =>
      fs.existsSync(path.join(d, soname)),
    );
  }
}

/**
 * The package's flags are for AWS Lambda: one process (the browser dies with its last context, so a second
 * test in the file finds it closed) and the web security a dashboard test must keep (CSP, same origin).
 */
const LAMBDA_ONLY = new Set([
  '--single-process',
  '--no-zygote',
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
]);

/** A headless Chromium for a test file; close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  return chromium.launch({
    executablePath,
    headless: true,
    // A C/POSIX locale makes this build report `en-US@posix`, which Intl rejects; pin a real one.
    env: {
      ...process.env,
      ...libraryPath(),
      LANG: 'en_US.UTF-8',
      LC_ALL: 'en_US.UTF-8',
      FONTCONFIG_FILE: path.join(CACHE, 'fonts.conf'),
    },
    args: [
      ...Chromium.args.filter((a) => !LAMBDA_ONLY.has(a)),
      '--no-sandbox',
      '--lang=en-US',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
