import { type Kysely, type Migration } from 'kysely';

/**
 * Settings: the team-level leaderboard an admin turns on (off by default), the team's Graph id,
 * and whether a
 * learner's language is their own (0 for learners created by an assignment in the lead's
 * language, until their own Teams client tells); and the delivery workers alive, which share
 * the app's send rate.
 */
export const settings: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('teams')
      .addColumn('leaderboard_enabled', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    // Microsoft Graph's id of the team, for owner look-ups outside the team's own activities.
    await db.schema.alterTable('teams').addColumn('aad_group_id', 'varchar(64)').execute();
    await db.schema
      .alterTable('learners')
      .addColumn('language_confirmed', 'integer', (col) => col.notNull().defaultTo(1))
      .execute();
    // The delivery workers alive now: each sends its share of the app's rate limit.
    await db.schema
      .createTable('delivery_workers')
      .addColumn('worker_id', 'varchar(128)', (col) => col.primaryKey())
      .addColumn('seen_at', 'varchar(32)', (col) => col.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('delivery_workers').ifExists().execute();
    await db.schema.alterTable('learners').dropColumn('language_confirmed').execute();
    await db.schema.alterTable('teams').dropColumn('aad_group_id').execute();
    await db.schema.alterTable('teams').dropColumn('leaderboard_enabled').execute();
  },
};
