import { dropRunSchemas } from './support/postgres';

/** Drops the PostgreSQL schemas this run's test files made (see `runSchemaPrefix`). */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.BREVET_TEST_RUN;
  if (process.env.BREVET_POSTGRES_AVAILABLE === '1' && run) await dropRunSchemas(run);
}
