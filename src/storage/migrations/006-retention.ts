import { type Kysely, type Migration } from 'kysely';

/**
 * Retention and erasure: a finished assignment keeps its final counts on itself, so that its
 * outbox rows (with the members' display names) can be purged after the retention period; and
 * the indexes erasure and the purge look rows up with.
 */
export const retention: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const column of ['final_sent', 'final_failed', 'final_blocked'])
      await db.schema.alterTable('assignments').addColumn(column, 'integer').execute();
    // Erasure finds a person's messages by recipient or by their 1:1 chat.
    await db.schema
      .createIndex('outbox_recipient')
      .on('outbox')
      .columns(['tenant_id', 'recipient_key'])
      .execute();
    await db.schema
      .createIndex('outbox_conversation')
      .on('outbox')
      .column('conversation_id')
      .execute();
    // The purge takes finished rows by age.
    await db.schema
      .createIndex('outbox_age')
      .on('outbox')
      .columns(['status', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const index of ['outbox_age', 'outbox_conversation', 'outbox_recipient'])
      await db.schema.dropIndex(index).ifExists().execute();
    for (const column of ['final_blocked', 'final_failed', 'final_sent'])
      await db.schema.alterTable('assignments').dropColumn(column).execute();
  },
};
