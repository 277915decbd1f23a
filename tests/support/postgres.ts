import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDialect = 'sqlite' | 'postgres';

/** The dialects this run tests: SQLite always, PostgreSQL when global setup reached it. */
export function testDialects(): TestDialect[] {
  return process.env.BREVET_POSTGRES_AVAILABLE === '1' ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh schema name, so parallel test files never see each other's rows. */
export function uniqueSchema(): string {
  return `brevet_test_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
