/**
 * The embedded database: SQLite through better-sqlite3, WAL journal, `synchronous=FULL` (a committed
 * transaction survives power loss), one process at a time. Two guards keep a second process out:
 * a lock file holding our PID (a clear message, stale locks of dead processes are taken over) and SQLite's
 * own exclusive locking mode, which the OS releases when the process dies.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../schema.js';

export class DatabaseLockedError extends Error {
  constructor(
    readonly dbPath: string,
    readonly holderPid: number | null,
  ) {
    super(
      `The embedded database ${dbPath} is in use by another tpp process${holderPid ? ` (pid ${holderPid})` : ''}; ` +
        'stop it first, or point TPP_DB_PATH at another file',
    );
    this.name = 'DatabaseLockedError';
  }
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquireLockFile(lockPath: string, dbPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isFinite(holder) && processAlive(holder)) throw new DatabaseLockedError(dbPath, holder);
      fs.rmSync(lockPath, { force: true }); // stale: its process is gone (e.g. killed with SIGKILL)
    }
  }
  throw new DatabaseLockedError(dbPath, null);
}

export interface OpenedSqlite {
  db: Kysely<Database>;
  /** `PRAGMA quick_check` (at most 20 problems): [] when the file is sound, else SQLite's messages. */
  quickCheck: () => string[];
  close: () => Promise<void>;
  /** Advances whenever the database may have changed (this process is its only writer). */
  changes: ChangeCounter;
}

/** A generation number that advances at every statement that may write and at every transaction end. */
export interface ChangeCounter {
  readonly generation: number;
}

const TRANSACTION_END = /^\s*(commit|rollback|end|release)\b/i;

/** Opens (creating if needed) the SQLite database at `dbPath`; `:memory:` skips the lock file. */
export function openSqlite(dbPath: string): OpenedSqlite {
  const inMemory = dbPath === ':memory:';
  let release = (): void => {};
  if (!inMemory) {
    fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    release = acquireLockFile(`${dbPath}.lock`, dbPath);
  }
  let sqlite: BetterSqlite3.Database | undefined;
  /** Set when the file is too damaged to even set up the connection: every check then reports it. */
  let openProblem: string | undefined;
  try {
    sqlite = new BetterSqlite3(dbPath, { timeout: 100 });
    sqlite.pragma('locking_mode = EXCLUSIVE');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Take the exclusive lock now, not at the first write.
    sqlite.exec('BEGIN IMMEDIATE; COMMIT;');
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    // A damaged file (its schema pages unreadable) stays open so the service can report it (storage health);
    // every statement on it fails with SQLITE_CORRUPT and answers 503.
    if (sqlite?.open && /^SQLITE_(CORRUPT|NOTADB)/.test(code))
      openProblem = `${code}: ${(e as Error).message}`;
    else {
      if (sqlite?.open) sqlite.close();
      release();
      if (code === 'SQLITE_BUSY') throw new DatabaseLockedError(dbPath, null);
      throw e;
    }
  }
  // Kysely prepares every query afresh; better-sqlite3 statements are reusable, so cache them by SQL text.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const handle = sqlite;
  // This process is the database's only writer (exclusive lock): every statement that may change it, and
  // every transaction end, advances `changes.generation`, so readers may memoise results per generation.
  const changes = { generation: 0 };
  const cached = {
    close: () => handle.close(),
    prepare: (sql: string) => {
      let st = statements.get(sql);
      if (!st) {
        st = handle.prepare(sql);
        if (statements.size < 2_000) statements.set(sql, st);
      }
      if (!st.readonly || TRANSACTION_END.test(sql)) changes.generation++;
      return st;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) });
  const quickCheck = (): string[] => {
    if (openProblem) return [openProblem];
    try {
      const rows = handle.pragma('quick_check(20)') as { quick_check: string }[];
      const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
      return problems;
    } catch (e) {
      return [`${(e as { code?: string }).code ?? 'error'}: ${(e as Error).message}`];
    }
  };
  return {
    db,
    quickCheck,
    changes,
    close: async () => {
      await db.destroy();
      // Kysely opens its driver lazily; close the handle ourselves so the exclusive lock is always released.
      if (sqlite.open) sqlite.close();
      release();
    },
  };
}
