import { type Kysely, type Migration, sql } from 'kysely';

/** Reminder settings per learner, and the days each learner was active (streaks, 20-hour rule). */
export const reminders: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .alterTable('learners')
      .addColumn('reminders_enabled', 'integer', (col) => col.notNull().defaultTo(1))
      .execute();
    await db.schema
      .alterTable('learners')
      .addColumn('remind_at', 'varchar(5)', (col) => col.notNull().defaultTo(sql`'09:30'`))
      .execute();
    await db.schema
      .alterTable('learners')
      .addColumn('time_zone', 'varchar(64)', (col) =>
        col.notNull().defaultTo(sql`'Europe/Brussels'`),
      )
      .execute();
    await db.schema.alterTable('learners').addColumn('last_reminded_on', 'varchar(10)').execute();
    await db.schema
      .createTable('learner_activity')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('day', 'varchar(10)', (col) => col.notNull())
      .addColumn('last_at', 'varchar(32)', (col) => col.notNull())
      .addPrimaryKeyConstraint('learner_activity_pk', ['learner_id', 'day'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('learner_activity').ifExists().execute();
  },
};
