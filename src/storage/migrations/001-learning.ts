import { type Kysely, type Migration } from 'kysely';

/** Learners, their lesson progress, first answers to quiz questions, and brevets. */
export const learningTables: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('learners')
      .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('user_key', 'varchar(128)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('track_id', 'varchar(64)')
      .addColumn('conversation_reference', 'text')
      .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('updated_at', 'varchar(32)', (col) => col.notNull())
      .addUniqueConstraint('learners_identity', ['tenant_id', 'user_key'])
      .execute();

    await db.schema
      .createTable('lesson_progress')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('opened_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('completed_at', 'varchar(32)')
      .addColumn('correct_count', 'integer')
      .addColumn('question_count', 'integer')
      .addPrimaryKeyConstraint('lesson_progress_pk', ['learner_id', 'lesson_id'])
      .execute();

    await db.schema
      .createTable('quiz_answers')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('question_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('choice_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('correct', 'integer', (col) => col.notNull())
      .addColumn('answered_at', 'varchar(32)', (col) => col.notNull())
      .addPrimaryKeyConstraint('quiz_answers_pk', ['learner_id', 'lesson_id', 'question_id'])
      .execute();

    await db.schema
      .createTable('brevets')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('earned_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('score', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('brevets_pk', ['learner_id', 'phase_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['brevets', 'quiz_answers', 'lesson_progress', 'learners']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
