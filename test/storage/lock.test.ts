/**
 * The embedded database admits one process: a second process cannot open it while the service runs, and a
 * lock left by a killed process does not block the next start.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/storage/sqlite/open.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tpp-lock-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const opener = (dbPath: string) => `
  import { openSqlite } from ${JSON.stringify(path.resolve('src/storage/sqlite/open.ts'))};
  try { const o = openSqlite(${JSON.stringify(dbPath)}); console.log('OPENED'); await o.close(); }
  catch (e) { console.log('REFUSED ' + e.message); }
`;

describe('the embedded database lock', () => {
  it('refuses a second process while the first holds the database', async () => {
    const dbPath = path.join(dir, 'a.db');
    const first = openSqlite(dbPath);
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', opener(dbPath)], {
      encoding: 'utf8',
    });
    expect(r.stdout).toContain('REFUSED');
    expect(r.stdout).toContain(`pid ${process.pid}`);
    await first.close();
    const again = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', opener(dbPath)],
      { encoding: 'utf8' },
    );
    expect(again.stdout).toContain('OPENED');
  });

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const dbPath = path.join(dir, 'b.db');
    const holder = spawn(process.execPath, [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `
      import { openSqlite } from ${JSON.stringify(path.resolve('src/storage/sqlite/open.ts'))};
      openSqlite(${JSON.stringify(dbPath)}); console.log('HOLDING'); setInterval(() => {}, 1000);`,
    ]);
    await new Promise<void>((resolve) =>
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('HOLDING') && resolve()),
    );
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(true);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    const o = openSqlite(dbPath);
    await o.close();
    expect(fs.existsSync(`${dbPath}.lock`)).toBe(false);
  });
});
