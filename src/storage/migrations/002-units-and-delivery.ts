import { type Kysely, type Migration } from 'kysely';

/** Teams (units), their leads, assignments, the durable outbox and scheduled actions. */
export const unitsAndDelivery: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('teams')
      .addColumn('team_id', 'varchar(200)', (col) => col.primaryKey())
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('name', 'varchar(300)')
      .addColumn('service_url', 'varchar(500)', (col) => col.notNull())
      .addColumn('channel_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('time_zone', 'varchar(64)', (col) => col.notNull())
      .addColumn('installed_at', 'varchar(32)', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('team_leads')
      .addColumn('team_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('user_key', 'varchar(128)', (col) => col.notNull())
      .addColumn('added_by', 'varchar(128)', (col) => col.notNull())
      .addColumn('added_at', 'varchar(32)', (col) => col.notNull())
      .addPrimaryKeyConstraint('team_leads_pk', ['team_id', 'user_key'])
      .execute();

    await db.schema
      .createTable('assignments')
      .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('team_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('requested_by', 'varchar(128)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('total', 'integer', (col) => col.notNull())
      .addColumn('finished_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('assignments_team')
      .on('assignments')
      .columns(['team_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('seq', 'bigint', (col) => col.notNull())
      .addColumn('kind', 'varchar(32)', (col) => col.notNull())
      .addColumn('assignment_id', 'varchar(64)')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('service_url', 'varchar(500)', (col) => col.notNull())
      .addColumn('conversation_id', 'varchar(300)')
      .addColumn('recipient_id', 'varchar(200)')
      .addColumn('recipient_key', 'varchar(128)')
      .addColumn('recipient_name', 'varchar(300)')
      .addColumn('payload', 'text', (col) => col.notNull())
      .addColumn('status', 'varchar(16)', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('not_before', 'varchar(32)', (col) => col.notNull())
      .addColumn('lease_until', 'varchar(32)')
      .addColumn('claimed_by', 'varchar(64)')
      .addColumn('conversation_recreated', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('last_error', 'varchar(500)')
      .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('sent_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('outbox_due')
      .on('outbox')
      .columns(['status', 'not_before', 'seq'])
      .execute();
    await db.schema
      .createIndex('outbox_assignment')
      .on('outbox')
      .columns(['assignment_id', 'status'])
      .execute();

    await db.schema
      .createTable('schedules')
      .addColumn('id', 'varchar(16)', (col) => col.primaryKey())
      .addColumn('team_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('action', 'varchar(16)', (col) => col.notNull())
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('fire_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('local_time', 'varchar(32)', (col) => col.notNull())
      .addColumn('requested_by', 'varchar(128)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('status', 'varchar(16)', (col) => col.notNull())
      .addColumn('claimed_by', 'varchar(64)')
      .addColumn('lease_until', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (col) => col.notNull())
      .addColumn('fired_at', 'varchar(32)')
      .execute();
    await db.schema
      .createIndex('schedules_due')
      .on('schedules')
      .columns(['status', 'fire_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['schedules', 'outbox', 'assignments', 'team_leads', 'teams']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
