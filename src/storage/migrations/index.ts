import { type Migration, type MigrationProvider } from 'kysely';
import { learningTables } from './001-learning';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const migrations: Record<string, Migration> = {
  '001-learning': learningTables,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
