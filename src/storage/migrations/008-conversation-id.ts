import { type Kysely, type Migration, PostgresIntrospector, sql } from 'kysely';

/** The migration runs on both dialects; only the JSON functions differ between them. */
function isPostgres(db: Kysely<unknown>): boolean {
  return db.introspection instanceof PostgresIntrospector;
}

const ADDRESS_COLUMNS = [
  ['service_url', 'varchar(500)'],
  ['conversation_id', 'varchar(300)'],
  ['recipient_id', 'varchar(200)'],
] as const;

/**
 * Where to reach a learner proactively, as columns: their 1:1 chat's service URL, conversation id
 * and their Teams user id, backfilled from the Bot Framework conversation reference that used to
 * be kept as a JSON document (and that storage had to parse on every read). The document goes.
 */
export const conversationId: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    for (const [column, type] of ADDRESS_COLUMNS)
      await db.schema.alterTable('learners').addColumn(column, type).execute();
    await (
      isPostgres(db)
        ? sql`update learners set
          service_url = conversation_reference::json ->> 'serviceUrl',
          conversation_id = conversation_reference::json -> 'conversation' ->> 'id',
          recipient_id = conversation_reference::json -> 'user' ->> 'id'
        where conversation_reference is not null`
        : sql`update learners set
          service_url = json_extract(conversation_reference, '$.serviceUrl'),
          conversation_id = json_extract(conversation_reference, '$.conversation.id'),
          recipient_id = json_extract(conversation_reference, '$.user.id')
        where conversation_reference is not null`
    ).execute(db);
    await db.schema.alterTable('learners').dropColumn('conversation_reference').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('learners').addColumn('conversation_reference', 'text').execute();
    // The fields the code before this migration read from the reference.
    await (
      isPostgres(db)
        ? sql`update learners set conversation_reference = json_build_object(
          'serviceUrl', service_url, 'channelId', 'msteams',
          'conversation', json_build_object('id', conversation_id),
          'user', json_build_object('id', recipient_id))::text
        where conversation_id is not null`
        : sql`update learners set conversation_reference = json_object(
          'serviceUrl', service_url, 'channelId', 'msteams',
          'conversation', json_object('id', conversation_id),
          'user', json_object('id', recipient_id))
        where conversation_id is not null`
    ).execute(db);
    for (const [column] of [...ADDRESS_COLUMNS].reverse())
      await db.schema.alterTable('learners').dropColumn(column).execute();
  },
};
