import { type Migration, type MigrationProvider } from 'kysely';
import { learningTables } from './001-learning';
import { unitsAndDelivery } from './002-units-and-delivery';
import { reviewItems } from './003-review';
import { reminders } from './004-reminders';
import { settings } from './005-settings';
import { retention } from './006-retention';
import { dashboard } from './007-dashboard';
import { conversationId } from './008-conversation-id';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
const migrations: Record<string, Migration> = {
  '001-learning': learningTables,
  '002-units-and-delivery': unitsAndDelivery,
  '003-review': reviewItems,
  '004-reminders': reminders,
  '005-settings': settings,
  '006-retention': retention,
  '007-dashboard': dashboard,
  '008-conversation-id': conversationId,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
