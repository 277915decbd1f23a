import SqliteDatabase from 'better-sqlite3';
import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyOutboxStore } from '../../src/storage/outbox-repository';
import { outboxOfPerson } from '../../src/storage/personal-data-repository';
import { KyselyUnitStore } from '../../src/storage/unit-repository';
import { type NewOutboxMessage } from '../../src/delivery/outbox-types';
import { tempDir, testDatabase } from '../support/brevet-harness';
import { testDialects } from '../support/postgres';
import { insertAssignment } from '../support/assignments';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-04T09:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

describe.each(testDialects())('outbox retention on %s', (dialect) => {
  const tmp = tempDir();
  const database = testDatabase(dialect, tmp.dir);
  let storage: Storage;
  let outbox: KyselyOutboxStore;
  let units: KyselyUnitStore;

  beforeAll(async () => {
    storage = await openStorage({
      databaseUrl: database.env.DATABASE_URL,
      sqlitePath: database.env.SQLITE_PATH ?? '',
      postgresSchema: database.postgresSchema,
    });
    outbox = new KyselyOutboxStore(storage.db, storage.dialect);
    units = new KyselyUnitStore(storage.db, storage.dialect);
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  const assignment = (id: string, createdAt: string) =>
    insertAssignment(storage.db, id, { teamId: 'team-1', total: 3, createdAt });
  const lesson = (assignmentId: string | undefined, name: string): NewOutboxMessage => ({
    assignmentId,
    tenantId: 't',
    serviceUrl: 'http://127.0.0.1:9/',
    conversationId: `a:${name}`,
    recipientKey: name,
    recipientName: `Name of ${name}`,
    payload: assignmentId
      ? { type: 'lesson', lessonId: 'f1-a', language: 'en' }
      : { type: 'reminder', language: 'en', lessonWaiting: true, reviewDue: 0 },
  });
  async function settleAll(status: 'sent' | 'failed' | 'blocked', names: string[]) {
    await storage.db
      .updateTable('outbox')
      .set({ status })
      .where('recipient_key', 'in', names)
      .execute();
  }
  const names = async () =>
    (await storage.db.selectFrom('outbox').select('recipient_key').orderBy('seq').execute()).map(
      (r) => r.recipient_key,
    );

  it('deletes what was settled for good before the retention, keeps counts of finished assignments', async () => {
    await assignment('old', daysAgo(40));
    await outbox.enqueue(
      [lesson('old', 'ann'), lesson('old', 'bob'), lesson('old', 'cyd')],
      daysAgo(40),
    );
    await settleAll('sent', ['ann', 'bob']);
    await settleAll('blocked', ['cyd']);
    expect(await outbox.finishAssignmentIfDone('old', daysAgo(39))).toBe(true);

    await assignment('running', daysAgo(35));
    await outbox.enqueue([lesson('running', 'dan'), lesson('running', 'eve')], daysAgo(35));
    await settleAll('sent', ['dan']); // eve still pending: the assignment is not finished

    await outbox.enqueue([lesson(undefined, 'old-reminder')], daysAgo(31));
    await settleAll('sent', ['old-reminder']);
    await outbox.enqueue([lesson(undefined, 'new-reminder')], daysAgo(2));
    await settleAll('sent', ['new-reminder']);
    await outbox.enqueue([lesson(undefined, 'waiting')], daysAgo(45));

    expect(await outbox.purgeFinished(daysAgo(30))).toBe(4);
    // Kept: a running assignment's rows, recent rows, a message still to send.
    expect(await names()).toEqual(['dan', 'eve', 'new-reminder', 'waiting']);
    expect(JSON.stringify(await storage.db.selectFrom('outbox').selectAll().execute())).not.toMatch(
      /Name of (ann|bob|cyd)/,
    );
    // The lead's deliveries still show what the old assignment achieved.
    const [old] = (await units.recentAssignments('team-1', 5)).filter((a) => a.id === 'old');
    expect(old?.counts).toEqual({ sent: 2, failed: 0, blocked: 1, pending: 0 });
    expect(old?.notReached).toEqual([]);
    // Purging again finds nothing more.
    expect(await outbox.purgeFinished(daysAgo(30))).toBe(0);
  });
});

describe('erasure on SQLite', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("finds a person's outbox rows through indexes, not a scan of the outbox", async () => {
    const storage = await openStorage({ sqlitePath: `${tmp.dir}/brevet.sqlite` });
    try {
      const person = { tenantId: 't', userKey: 'u' };
      for (const conversationId of ['a:chat', null]) {
        const query = outboxOfPerson(storage.db, person, conversationId)
          .set({ recipient_name: null })
          .compile();
        const raw = new SqliteDatabase(`${tmp.dir}/brevet.sqlite`, { readonly: true });
        const plan = raw
          .prepare(`EXPLAIN QUERY PLAN ${query.sql}`)
          .all(...(query.parameters as unknown[])) as { detail: string }[];
        raw.close();
        const details = plan.map((step) => step.detail).join(' | ');
        expect(details).not.toMatch(/SCAN outbox/);
        expect(details).toMatch(/outbox_recipient \(tenant_id=\? AND recipient_key=\?\)/);
        if (conversationId) expect(details).toMatch(/outbox_conversation \(conversation_id=\?\)/);
      }
    } finally {
      await storage.close();
    }
  });
});
