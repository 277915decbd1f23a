import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { openStorage } from '../../src/storage/database';
import { StatementCachingDatabase } from '../../src/storage/sqlite-statement-cache';
import { tempDir } from '../support/brevet-harness';

interface Tables {
  items: { id: number; name: string; score: number };
}

describe('the SQLite statement cache under Kysely', () => {
  const tmp = tempDir();
  let file = 0;
  let raw: SqliteDatabase.Database;
  let cache: StatementCachingDatabase;
  let db: Kysely<Tables>;

  const open = async (capacity?: number) => {
    file += 1;
    raw = new SqliteDatabase(path.join(tmp.dir, `cache-${file}.sqlite`));
    raw.pragma('journal_mode = WAL');
    cache = new StatementCachingDatabase(raw, capacity);
    db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: cache }) });
    await sql`create table items (id integer primary key, name text not null unique, score integer not null)`.execute(
      db,
    );
    await db
      .insertInto('items')
      .values([
        { id: 1, name: 'a', score: 10 },
        { id: 2, name: 'b', score: 20 },
        { id: 3, name: 'c', score: 30 },
      ])
      .execute();
  };
  const byName = (name: string) =>
    db.selectFrom('items').selectAll().where('name', '=', name).executeTakeFirst();

  afterEach(async () => {
    await db.destroy();
  });
  afterAll(() => tmp.cleanup());

  it('compiles an SQL text once and binds each run’s own parameters', async () => {
    await open();
    const before = { ...cache.stats };
    expect(await byName('a')).toEqual({ id: 1, name: 'a', score: 10 });
    expect(await byName('c')).toEqual({ id: 3, name: 'c', score: 30 });
    expect(await byName('zz')).toBeUndefined();
    expect(await byName('b')).toEqual({ id: 2, name: 'b', score: 20 });
    expect(cache.stats.misses - before.misses).toBe(1);
    expect(cache.stats.hits - before.hits).toBe(3);

    // A write statement reused: changes and insert ids are those of each run.
    const insert = (id: number, name: string) =>
      db.insertInto('items').values({ id, name, score: 0 }).executeTakeFirstOrThrow();
    expect((await insert(10, 'x')).insertId).toBe(10n);
    expect((await insert(11, 'y')).insertId).toBe(11n);
    const bump = (min: number) =>
      db
        .updateTable('items')
        .set((eb) => ({ score: eb('score', '+', 1) }))
        .where('score', '>=', min)
        .executeTakeFirstOrThrow();
    expect((await bump(20)).numUpdatedRows).toBe(2n);
    expect((await bump(0)).numUpdatedRows).toBe(5n);
    expect(await db.selectFrom('items').select(['id', 'score']).orderBy('id').execute()).toEqual([
      { id: 1, score: 11 },
      { id: 2, score: 22 },
      { id: 3, score: 32 },
      { id: 10, score: 1 },
      { id: 11, score: 1 },
    ]);
  });

  it('keeps at most its capacity, dropping the least recently used statement', async () => {
    await open(3);
    const query = (n: number) => sql<{ n: number }>`select ${sql.lit(n)} as n`.execute(db);
    for (let n = 0; n < 10; n += 1) expect((await query(n)).rows).toEqual([{ n }]);
    expect(cache.size).toBe(3);

    // 7, 8, 9 are kept; using 7 makes 8 the least recently used, so 8 goes for 20.
    const misses = cache.stats.misses;
    await query(7);
    await query(20);
    expect(cache.stats.misses).toBe(misses + 1);
    await query(7);
    await query(9);
    expect(cache.stats.misses).toBe(misses + 1);
    await query(8);
    expect(cache.stats.misses).toBe(misses + 2);
    expect(cache.size).toBe(3);
  });

  it('refuses a capacity below one', () => {
    const database = new SqliteDatabase(':memory:');
    expect(() => new StatementCachingDatabase(database, 0)).toThrow(RangeError);
    database.close();
  });

  it('serves the same statement inside and outside a transaction, rollback and commit alike', async () => {
    await open();
    expect(await byName('t1')).toBeUndefined();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('items').values({ id: 20, name: 't1', score: 1 }).execute();
        // The very statement used outside: it sees the transaction's own write.
        expect(
          await trx.selectFrom('items').selectAll().where('name', '=', 't1').executeTakeFirst(),
        ).toEqual({ id: 20, name: 't1', score: 1 });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await byName('t1')).toBeUndefined();

    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 21, name: 't2', score: 2 }).execute();
      expect(
        await trx.selectFrom('items').selectAll().where('name', '=', 't2').executeTakeFirst(),
      ).toEqual({ id: 21, name: 't2', score: 2 });
    });
    expect(await byName('t2')).toEqual({ id: 21, name: 't2', score: 2 });

    // Begin, commit and rollback themselves are cached: a second round compiles nothing new.
    const misses = cache.stats.misses;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('items').values({ id: 22, name: 't3', score: 3 }).execute();
      await trx.selectFrom('items').selectAll().where('name', '=', 't3').executeTakeFirst();
    });
    expect(cache.stats.misses).toBe(misses);
    expect(await byName('t3')).toEqual({ id: 22, name: 't3', score: 3 });
  });

  it('stays usable after a statement fails on a constraint', async () => {
    await open();
    const insert = (id: number, name: string) =>
      db.insertInto('items').values({ id, name, score: 0 }).execute();
    await insert(30, 'u1');
    // Checked by code, not with toThrow: better-sqlite3's native part keeps the error class of the
    // first test file that loaded it in this worker, which is not an Error of this file's realm.
    await expect(insert(31, 'u1')).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await insert(32, 'u2');
    expect(await byName('u2')).toEqual({ id: 32, name: 'u2', score: 0 });
  });

  it('streams with a statement of its own, so a stream never leaves the shared one busy', async () => {
    await open();
    const all = () => db.selectFrom('items').selectAll().orderBy('id');
    await all().execute(); // the cached statement exists
    const streamed: number[] = [];
    for await (const row of all().stream()) streamed.push(row.id);
    expect(streamed).toEqual([1, 2, 3]);

    // A stream left early does not leave the cached statement busy.
    for await (const row of all().stream()) {
      expect(row.id).toBe(1);
      break;
    }
    expect((await all().execute()).map((r) => r.id)).toEqual([1, 2, 3]);

    // Kysely runs nothing else on the connection while it streams; the cache does not rely on it:
    // the same SQL text still runs in the middle of an iteration.
    const text = 'select id from items order by id';
    const seen: number[] = [];
    for (const row of cache.prepare(text).iterate([]) as Iterable<{ id: number }>) {
      seen.push(row.id);
      expect(cache.prepare(text).all([])).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    }
    expect(seen).toEqual([1, 2, 3]);
  });

  it('follows a schema change: a cached select * returns a column added later', async () => {
    await open();
    const everything = () => sql<Record<string, unknown>>`select * from items where id = ${1}`;
    expect((await everything().execute(db)).rows).toEqual([{ id: 1, name: 'a', score: 10 }]);
    await sql`alter table items add column note text not null default 'n'`.execute(db);
    expect((await everything().execute(db)).rows).toEqual([
      { id: 1, name: 'a', score: 10, note: 'n' },
    ]);
  });

  it('closes the database when Kysely is destroyed', async () => {
    await open();
    await db.destroy();
    expect(raw.open).toBe(false);
    expect(cache.size).toBe(0);
    // afterEach destroys again: harmless.
  });
});

describe('openStorage on SQLite', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('prepares a query once however often it runs', async () => {
    const storage = await openStorage({ sqlitePath: path.join(tmp.dir, 'open.sqlite') });
    const prepare = jest.spyOn(SqliteDatabase.prototype, 'prepare');
    try {
      const find = (userKey: string) =>
        storage.db
          .selectFrom('learners')
          .selectAll()
          .where('tenant_id', '=', 't')
          .where('user_key', '=', userKey)
          .executeTakeFirst();
      for (let i = 0; i < 5; i += 1) expect(await find(`u${i}`)).toBeUndefined();
      expect(prepare).toHaveBeenCalledTimes(1);
    } finally {
      prepare.mockRestore();
      await storage.close();
    }
  });
});
