/**
 * Storage health: whether the database is sound (SQLite `PRAGMA quick_check`, at start-up and in readiness,
 * cached for an interval so a readiness probe never reads the whole file each time) and what a failed
 * storage call means for the client. A corrupted database fails readiness and refuses writes; any storage
 * failure reaches the client as 503, never as a bare 500.
 */
import type { Store } from './ports.js';

/** What a storage failure means for the client. */
export type StorageFailure =
  /** The file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB): refuse writes until an operator restores it. */
  | 'corrupt'
  /** The database cannot be reached or is shutting down (connection refused, pool timeout, admin shutdown). */
  | 'unavailable'
  /** A transaction lost a race (serialization failure, deadlock, SQLITE_BUSY): retrying is safe. */
  | 'contention';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
const PG_UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed|Cannot use a pool after calling end/i;

/**
 * Classifies an error thrown by a storage driver (better-sqlite3, pg) by its shape, without importing the
 * drivers: undefined when it is not a storage failure (then it is the application's own error).
 */
export function storageFailureOf(err: unknown): StorageFailure | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; severity?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code.startsWith('SQLITE_')) {
    if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return 'corrupt';
    if (/^SQLITE_(BUSY|LOCKED)/.test(code)) return 'contention';
    if (/^SQLITE_(IOERR|CANTOPEN|FULL|READONLY|PROTOCOL|NOMEM)/.test(code)) return 'unavailable';
    return undefined; // constraint and misuse errors are the application's
  }
  if (NETWORK_CODES.has(code)) return 'unavailable';
  // PostgreSQL SQLSTATE (pg's DatabaseError carries `severity`): 08 connection, 57P admin/crash shutdown,
  // 53 insufficient resources, 40001/40P01 serialization failure and deadlock.
  if (typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (/^(08|57P|53)/.test(code)) return 'unavailable';
    if (code === '40001' || code === '40P01') return 'contention';
    if (code === 'XX001' || code === 'XX002') return 'corrupt';
    return undefined;
  }
  if (PG_UNAVAILABLE_MESSAGE.test(message)) return 'unavailable';
  return undefined;
}

export interface HealthReport {
  ok: boolean;
  /** The integrity check's messages when not ok (SQLite's own words). */
  problems: string[];
  /** When the integrity verdict was last established, epoch ms. */
  checked_at_ms: number;
}

/**
 * The integrity verdict of one store, established at start-up, refreshed at most every `intervalMs` by
 * readiness, and set to "corrupt" at once when any request meets a corrupted page.
 */
export class StorageHealth {
  private problems: string[] = [];
  private checkedAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<HealthReport>;

  constructor(
    private readonly store: Pick<Store, 'integrityCheck'>,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True unless the last check (or a request) found the database damaged. */
  get sound(): boolean {
    return this.problems.length === 0;
  }

  report(): HealthReport {
    return { ok: this.sound, problems: [...this.problems], checked_at_ms: this.checkedAt };
  }

  /** Runs the integrity check when the cached verdict is older than the interval (or `force`). */
  check(force = false): Promise<HealthReport> {
    if (!force && this.now() - this.checkedAt < this.intervalMs) return Promise.resolve(this.report());
    this.inFlight ??= (async () => {
      try {
        this.problems = (await this.store.integrityCheck?.()) ?? [];
      } catch (e) {
        this.problems = [e instanceof Error ? e.message : String(e)];
      } finally {
        this.checkedAt = this.now();
        this.inFlight = undefined;
      }
      return this.report();
    })();
    return this.inFlight;
  }

  /** Records a storage failure met by a request: a corrupted page makes the store unsound at once. */
  noteFailure(err: unknown): void {
    if (storageFailureOf(err) !== 'corrupt') return;
    const message = err instanceof Error ? err.message : String(err);
    if (!this.problems.includes(message)) this.problems = [...this.problems, message];
    this.checkedAt = this.now();
  }
}
