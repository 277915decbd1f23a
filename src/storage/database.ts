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
  close(): Promise<void>;
}

export interface StorageOptions {
  /** PostgreSQL connection string; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string;
  sqlitePath: string;
  /** PostgreSQL schema to use (tests isolate themselves in their own). */
  postgresSchema?: string;
}

function openSqlite(file: string): Kysely<Database> {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const database = new SqliteDatabase(file);
  // WAL lets the tab's reads proceed while a turn writes; busy_timeout rides out a writer.
  database.pragma('journal_mode = WAL');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  // Kysely's SQLite driver prepares every query it runs: reuse each SQL text's compiled statement.
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: new StatementCachingDatabase(database) }),
  });
}

function openPostgres(url: string, schema?: string): Kysely<Database> {
  const pool = new Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the database (SQLite by default, PostgreSQL with a URL) and runs pending migrations. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.postgresSchema)
    : openSqlite(options.sqlitePath);
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
  return { db, dialect, close: () => db.destroy() };
}

/** True when the database answers a trivial query (for /healthz). */
export async function isDatabaseReachable(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
