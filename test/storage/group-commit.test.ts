/**
 * Group commit on the single SQLite connection: concurrent transactions share one COMMIT, a failing one is
 * rolled back alone, and no caller hears of success before the COMMIT.
 */
import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { GroupCommit, KyselyStore } from '../../src/storage/kysely-store.js';
import type { Database } from '../../src/storage/schema.js';
import type { Store } from '../../src/app/ports.js';

function setup(options: { failCommit?: () => boolean } = {}) {
  const statements: string[] = [];
  const raw = new BetterSqlite3(':memory:');
  raw.exec('create table t (k text primary key, v integer not null)');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: {
        close: () => raw.close(),
        prepare: (text: string) => {
          statements.push(text);
          if (/^commit/i.test(text) && options.failCommit?.()) throw new Error('disk I/O error');
          return raw.prepare(text);
        },
      },
    }),
  });
  const group = new GroupCommit(db, (trx) => new KyselyStore(trx, 'sqlite'));
  const put = (k: string, v: number) => async (tx: Store) => {
    const k2 = (tx as KyselyStore).kysely;
    await sql`insert into t (k, v) values (${k}, ${v})`.execute(k2);
    return k;
  };
  const rows = () => raw.prepare('select k, v from t order by k').all() as { k: string; v: number }[];
  const commits = () => statements.filter((s) => /^commit/i.test(s)).length;
  return { db, group, put, rows, commits, raw };
}

describe('GroupCommit', () => {
  it('when 20 transactions arrive together, then all commit with far fewer COMMITs than transactions', async () => {
    const g = setup();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => g.group.run(g.put(`k${i}`, i))));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(g.rows()).toHaveLength(20);
    expect(g.commits()).toBe(1); // they arrived in one event-loop turn: one group, one COMMIT
    await g.db.destroy();
  });

  it('when one member of a group fails, then only its writes are undone and only its caller gets the error', async () => {
    const g = setup();
    const failing = async (tx: Store) => {
      await g.put('bad', 1)(tx);
      throw new Error('capacity exceeded');
    };
    const outcomes = await Promise.allSettled([
      g.group.run(g.put('a', 1)),
      g.group.run(g.put('b', 2)),
      g.group.run(failing),
      g.group.run(g.put('c', 3)),
      g.group.run(g.put('a', 9)), // duplicate key: the statement fails, its member is rolled back
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect(g.rows()).toEqual([
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'c', v: 3 },
    ]);
    await g.db.destroy();
  });

  it('when the COMMIT fails, then every member of the group is told and nothing is written', async () => {
    let fail = false;
    const g = setup({ failCommit: () => fail });
    await g.group.run(g.put('first', 0)); // a group of one, committed
    fail = true;
    const outcomes = await Promise.allSettled(['x', 'y', 'z'].map((k) => g.group.run(g.put(k, 1))));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(g.rows()).toEqual([{ k: 'first', v: 0 }]);
    fail = false;
    await g.group.run(g.put('after', 2)); // the group commit keeps working
    expect(g.rows().map((r) => r.k)).toEqual(['after', 'first']);
    await g.db.destroy();
  });

  it('resolves a member only after the COMMIT has run', async () => {
    const g = setup();
    const order: string[] = [];
    const p = g.group.run(async (tx) => {
      await g.put('k', 1)(tx);
      order.push('body done');
      return 'k';
    });
    await p.then(() => order.push(`resolved, committed=${g.commits()}`));
    expect(order).toEqual(['body done', 'resolved, committed=1']);
    await g.db.destroy();
  });
});
