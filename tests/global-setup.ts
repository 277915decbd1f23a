import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from './support/postgres';

/**
 * Tells the test files whether PostgreSQL answers. Tests run on SQLite always and on PostgreSQL
 * when it is reachable; with BREVET_REQUIRE_POSTGRES=1 (CI) an unreachable server fails the run.
 */
export default async function globalSetup(): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    process.env.BREVET_POSTGRES_AVAILABLE = '1';
    // The run's name: its PostgreSQL schemas carry it, and global teardown drops them.
    process.env.BREVET_TEST_RUN = randomBytes(4).toString('hex');
  } catch (error) {
    if (process.env.BREVET_REQUIRE_POSTGRES === '1')
      throw new Error(
        `PostgreSQL is required (BREVET_REQUIRE_POSTGRES=1) but ${TEST_DATABASE_URL} does not answer: ${String(error)}`,
      );
    process.env.BREVET_POSTGRES_AVAILABLE = '0';
    console.warn(
      `PostgreSQL at ${TEST_DATABASE_URL} does not answer: PostgreSQL variants will not run.`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
