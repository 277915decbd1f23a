import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialects this run tests: SQLite always, PostgreSQL when global setup reached it. */
export function testDialects(): TestDialect[] {
  return process.env.BREVET_POSTGRES_AVAILABLE === '1' ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * This run's schemas start with this: global setup names the run, global teardown drops them.
 * Not one is dropped while the run goes on: PostgreSQL's catalog is shared by the parallel test
 * files, and Kysely's migrator introspects every schema in it (`has_schema_privilege` by name),
 * so a schema dropped by one file's teardown made another file's migration fail with "schema
 * … does not exist".
 */
export function runSchemaPrefix(run = process.env.BREVET_TEST_RUN ?? 'solo'): string {
  return `brevet_test_${run}_`;
}

/** A fresh schema name, so parallel test files never see each other's rows. */
export function uniqueSchema(): string {
  return `${runSchemaPrefix()}${randomBytes(6).toString('hex')}`;
}

/** Drops the schemas of a run (global teardown, when no test file runs any more). */
export async function dropRunSchemas(run: string): Promise<number> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `select nspname as name from pg_namespace where starts_with(nspname, $1)`,
      [runSchemaPrefix(run)],
    );
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
    return rows.length;
  } finally {
    await client.end();
  }
}
