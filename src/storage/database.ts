import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrationProvider } from './migrations';
import { type Database } from './schema';
import { StatementCachingDatabase } from './sqlite-statement-cache';

export type Dialect = 'sqlite' | 'postgres';

/** The application's database handle and which dialect it speaks. */
export interface Storage {
  db: Kysely<Database>;
  dialect: Dialect;
  /**
   * True when the database takes writes now (for /healthz): PostgreSQL answers a query; the
   * SQLite file is not locked by another process.
   */
  isWritable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** PostgreSQL connection string; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** PostgreSQL schema to use (tests isolate themselves in their own). */
  postgresSchema?: string;
}

/**
 * How long a write waits for another process's lock. better-sqlite3 waits synchronously (the
 * event loop stops meanwhile), and in WAL mode only another writer blocks a write: Brevet is the
 * file's only writer, so a lock is a tool's (a manual edit), and failing fast keeps the process
 * answering (an apology) instead of freezing on every write.
 */
const SQLITE_BUSY_TIMEOUT_MS = 250;

function openSqlite(file: string): { db: Kysely<Database>; isWritable: () => Promise<boolean> } {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets reads proceed while something writes; busy_timeout rides out a very short writer.
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  // Kysely's SQLite driver prepares every query it runs: reuse each SQL text's compiled statement.
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new StatementCachingDatabase(database) }),
  });
  const begin = database.prepare('BEGIN IMMEDIATE');
  const rollback = database.prepare('ROLLBACK');
  const isWritable = async () => {
    if (!database.open) return false;
    // A transaction of ours is open: the file is ours to write.
    if (database.inTransaction) return true;
    // Take the write lock and give it back at once, synchronously (nothing else runs between),
    // without waiting: another process holding the lock means writes fail now.
    try {
      database.pragma('busy_timeout = 0');
      begin.run();
      rollback.run();
      return true;
    } catch {
      return false;
    } finally {
      if (database.open) database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    }
  };
  return { db, isWritable };
}

function openPostgres(
  url: string,
  schema?: string,
): { db: Kysely<Database>; isWritable: () => Promise<boolean> } {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // A client losing its connection (the server restarting) must not crash the process: the pool
  // replaces an idle one; one checked out fails its query, and is discarded when released.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, isWritable: () => isDatabaseReachable(db) };
}

/** Opens the database (SQLite by default, PostgreSQL with a URL) and runs pending migrations. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const opened = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.postgresSchema)
    : openSqlite(options.sqlitePath);
  const { db } = opened;
  try {
    if (options.databaseUrl && options.postgresSchema) {
      await sql`create schema if not exists ${sql.id(options.postgresSchema)}`.execute(db);
    }
    const migrator = new Migrator({
      db,
      provider: migrationProvider,
      // Kysely looks for its own tables in every schema unless told which one: name it, or
      // another schema's migration tables (another app, a parallel test) would be taken for ours.
      ...(dialect === 'postgres'
        ? { migrationTableSchema: options.postgresSchema ?? 'public' }
        : {}),
    });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((result) => result.status === 'Error');
    if (error || failed) {
      throw new Error(
        `database migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`,
      );
    }
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, dialect, isWritable: opened.isWritable, close: () => db.destroy() };
}

/** True when PostgreSQL answers a trivial query. */
async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
