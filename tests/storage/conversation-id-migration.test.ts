import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { migrationProvider } from '../../src/storage/migrations';
import { tempDir } from '../support/brevet-harness';
import { TEST_DATABASE_URL, testDialects, uniqueSchema } from '../support/postgres';

const at = '2026-11-29T09:00:00.000Z';

/** A Bot Framework conversation reference as the app stored it before migration 008. */
const reference = (n: number) =>
  JSON.stringify({
    activityId: `act-${n}`,
    user: { id: `29:user-${n}`, name: `Learner ${n}`, aadObjectId: `oid-${n}` },
    bot: { id: '28:bot', name: 'Brevet' },
    conversation: { id: `a:chat-${n}`, conversationType: 'personal', tenantId: 't' },
    channelId: 'msteams',
    locale: 'fr-BE',
    serviceUrl: `https://smba.example/${n}/`,
  });

describe.each(testDialects())(
  'migration 008 (the conversation id as a column) on %s',
  (dialect) => {
    const tmp = tempDir();
    const schema = uniqueSchema();
    let db: Kysely<unknown>;
    let migrator: Migrator;

    beforeAll(async () => {
      db =
        dialect === 'sqlite'
          ? new Kysely({
              dialect: new SqliteDialect({ database: new SqliteDatabase(`${tmp.dir}/old.sqlite`) }),
            })
          : new Kysely({
              dialect: new PostgresDialect({
                pool: new Pool({
                  connectionString: TEST_DATABASE_URL,
                  options: `-c search_path=${schema}`,
                }),
              }),
            });
      if (dialect === 'postgres') await sql`create schema ${sql.id(schema)}`.execute(db);
      migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(dialect === 'postgres' ? { migrationTableSchema: schema } : {}),
      });
      const { error } = await migrator.migrateTo('006-retention');
      if (error) throw error;
      // Rows as the app before migration 008 wrote them.
      await sql`insert into learners (id, tenant_id, user_key, language, track_id, conversation_reference, created_at, updated_at)
      values
        ('l1', 't', 'oid-1', 'fr', null, ${reference(1)}, ${at}, ${at}),
        ('l2', 't', 'oid-2', 'nl', null, ${reference(2)}, ${at}, ${at}),
        ('l3', 't', 'oid-3', 'de', null, null, ${at}, ${at}),
        ('l4', 't', 'oid-4', 'en', null, ${JSON.stringify({
          serviceUrl: 'https://smba.example/4/',
          conversation: { id: 'a:chat-4' },
        })}, ${at}, ${at})`.execute(db);
    });
    afterAll(async () => {
      await db.destroy();
      tmp.cleanup();
    });

    const learners = async () =>
      (await sql<Record<string, unknown>>`select * from learners order by id`.execute(db)).rows;

    it('moves each learner’s chat address out of the JSON reference into columns', async () => {
      const { error } = await migrator.migrateTo('008-conversation-id');
      expect(error).toBeUndefined();

      const rows = await learners();
      expect(
        rows.map(({ id, service_url, conversation_id, recipient_id }) => ({
          id,
          service_url,
          conversation_id,
          recipient_id,
        })),
      ).toEqual([
        {
          id: 'l1',
          service_url: 'https://smba.example/1/',
          conversation_id: 'a:chat-1',
          recipient_id: '29:user-1',
        },
        {
          id: 'l2',
          service_url: 'https://smba.example/2/',
          conversation_id: 'a:chat-2',
          recipient_id: '29:user-2',
        },
        { id: 'l3', service_url: null, conversation_id: null, recipient_id: null },
        {
          id: 'l4',
          service_url: 'https://smba.example/4/',
          conversation_id: 'a:chat-4',
          recipient_id: null,
        },
      ]);
      expect(rows[0]).not.toHaveProperty('conversation_reference');
    });

    it('when rolled back, gives the code before it the reference fields it read', async () => {
      const { error } = await migrator.migrateTo('006-retention');
      expect(error).toBeUndefined();

      const rows = await learners();
      const parsed = rows.map((row) =>
        row.conversation_reference === null ? null : JSON.parse(String(row.conversation_reference)),
      );
      expect(parsed[0]).toMatchObject({
        serviceUrl: 'https://smba.example/1/',
        conversation: { id: 'a:chat-1' },
        user: { id: '29:user-1' },
      });
      expect(parsed[2]).toBeNull();
      expect(parsed[3]).toMatchObject({ conversation: { id: 'a:chat-4' }, user: { id: null } });
      expect(rows[0]).not.toHaveProperty('conversation_id');
    });
  },
);
