import { type Kysely, type Migration } from 'kysely';

/** One FSRS card per quiz question a learner has answered (spaced review). */
export const reviewItems: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('review_items')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('question_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('due', 'varchar(32)', (col) => col.notNull())
      .addColumn('stability', 'double precision', (col) => col.notNull())
      .addColumn('difficulty', 'double precision', (col) => col.notNull())
      .addColumn('elapsed_days', 'integer', (col) => col.notNull())
      .addColumn('scheduled_days', 'integer', (col) => col.notNull())
      .addColumn('learning_steps', 'integer', (col) => col.notNull())
      .addColumn('reps', 'integer', (col) => col.notNull())
      .addColumn('lapses', 'integer', (col) => col.notNull())
      .addColumn('state', 'integer', (col) => col.notNull())
      .addColumn('last_review', 'varchar(32)')
      .addColumn('reviews', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('reviews_right', 'integer', (col) => col.notNull().defaultTo(0))
      .addPrimaryKeyConstraint('review_items_pk', ['learner_id', 'lesson_id', 'question_id'])
      .execute();
    await db.schema
      .createIndex('review_items_due')
      .on('review_items')
      .columns(['learner_id', 'due'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('review_items').ifExists().execute();
  },
};
