import { type Database as BetterSqliteDatabase, type Statement } from 'better-sqlite3';
import { type SqliteDatabase, type SqliteStatement } from 'kysely';

/** Distinct SQL texts kept compiled; the app has a few dozen, bulk inserts of varying size add more. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

/** A statement of the cache, as Kysely's SQLite driver uses it (`reader`, `all`, `run`, `iterate`). */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;

  constructor(
    private readonly database: BetterSqliteDatabase,
    private readonly sql: string,
    private readonly statement: Statement<unknown[]>,
  ) {
    this.reader = statement.reader;
  }

  // Kysely passes its parameters as one array: better-sqlite3 binds an array's elements in order.
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.statement.all(parameters);
  }

  run(parameters: ReadonlyArray<unknown>): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  } {
    return this.statement.run(parameters);
  }

  /**
   * A stream (Kysely's `stream()`) gets a statement of its own: an iterating statement stays busy
   * until the iteration ends, and an unfinished one would make the shared statement unusable.
   */
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.database.prepare(this.sql).iterate(parameters);
  }
}

/**
 * better-sqlite3's database as Kysely's SQLite dialect sees it, with one difference: `prepare`
 * reuses the compiled statement of an SQL text seen before instead of compiling it again on
 * every query (Kysely's driver calls `prepare` for each query it runs). Parameters are bound at
 * each run, so results are those of a fresh statement. At most `capacity` statements are kept;
 * the least recently used one is dropped first.
 *
 * `all` and `run` finish before they return (SQLite resets the statement), so one statement can
 * serve every query with its text, in a transaction or not; streams use a statement of their own.
 */
export class StatementCachingDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, CachedStatement>();
  /** Queries answered with a statement already compiled, and statements compiled (for tests). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    readonly database: BetterSqliteDatabase,
    readonly capacity: number = DEFAULT_STATEMENT_CACHE_SIZE,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`statement cache capacity must be a positive integer (got ${capacity})`);
  }

  /** How many compiled statements are kept now. */
  get size(): number {
    return this.statements.size;
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached) {
      this.stats.hits += 1;
      // Most recently used last: a Map iterates in insertion order, so the first key is the LRU.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    // A statement that does not compile throws here and is not cached.
    const statement = new CachedStatement(this.database, sql, this.database.prepare(sql));
    this.stats.misses += 1;
    if (this.statements.size >= this.capacity) {
      const oldest = this.statements.keys().next().value as string;
      this.statements.delete(oldest);
    }
    this.statements.set(sql, statement);
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.database.close();
  }
}
