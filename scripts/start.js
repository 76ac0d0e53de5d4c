#!/usr/bin/env node
/**
 * `npm start`: one process. Builds dist/ only when the sources changed since the last build, then runs the
 * server inside this same process, so SIGTERM/SIGINT reach the server itself (no wrapper left holding the
 * port and the database lock).
 *
 * "Changed" is a fingerprint of every build input (path, size, modification time) written to
 * dist/.build-fingerprint after a successful build: an edit, a new or deleted file, or a checkout changes it.
 * Plain JavaScript on purpose: it runs before anything is compiled.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const ENTRY = path.join(DIST, 'src', 'server.js');
const STAMP = path.join(DIST, '.build-fingerprint');
const INPUTS = [
  'src',
  'schemas',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

/** Every build input as `path size mtime`, sorted, hashed. */
export function fingerprint(root = ROOT) {
  const lines = [];
  const visit = (rel) => {
    const abs = path.join(root, rel);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isDirectory()) {
      for (const name of fs.readdirSync(abs)) visit(path.join(rel, name));
    } else {
      lines.push(`${rel} ${st.size} ${Math.trunc(st.mtimeMs)}`);
    }
  };
  for (const input of INPUTS) visit(input);
  return crypto.createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}

/** Runs tsc as a child, forwarding a stop signal to it, so an interrupted build leaves nothing running. */
function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.on('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      resolve(signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : (code ?? 1));
    });
  });
}

async function main() {
  const wanted = fingerprint();
  const built = fs.existsSync(ENTRY) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === wanted;
  if (!built) {
    console.error('tpp: the sources changed since the last build; building dist/ …');
    fs.rmSync(DIST, { recursive: true, force: true });
    const code = await build();
    if (code !== 0) process.exit(code);
    fs.writeFileSync(STAMP, wanted);
  }
  await import(pathToFileURL(ENTRY).href);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
