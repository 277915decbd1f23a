import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyOutboxStore } from '../../src/storage/outbox-repository';
import { insertAssignment, lessonMessages } from '../support/assignments';
import { tempDir, testDatabase } from '../support/brevet-harness';
import { testDialects } from '../support/postgres';

describe.each(testDialects())('the delivery workers registry on %s', (dialect) => {
  const tmp = tempDir();
  const database = testDatabase(dialect, tmp.dir);
  let storage: Storage;
  let store: KyselyOutboxStore;

  beforeAll(async () => {
    storage = await openStorage({
      databaseUrl: database.env.DATABASE_URL,
      sqlitePath: database.env.SQLITE_PATH ?? '',
      postgresSchema: database.postgresSchema,
    });
    store = new KyselyOutboxStore(storage.db, storage.dialect);
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  it('counts the workers alive, forgets silent ones, and lets one leave', async () => {
    expect(await store.heartbeat('a', '2026-11-29T09:00:00.000Z', '2026-11-29T08:59:54.000Z')).toBe(
      1,
    );
    expect(await store.heartbeat('b', '2026-11-29T09:00:01.000Z', '2026-11-29T08:59:55.000Z')).toBe(
      2,
    );
    // a beats again: still two.
    expect(await store.heartbeat('a', '2026-11-29T09:00:02.000Z', '2026-11-29T08:59:56.000Z')).toBe(
      2,
    );
    // b falls silent (killed): six seconds later it is counted out.
    expect(await store.heartbeat('a', '2026-11-29T09:00:08.000Z', '2026-11-29T09:00:02.000Z')).toBe(
      1,
    );
    await store.heartbeat('c', '2026-11-29T09:00:09.000Z', '2026-11-29T09:00:03.000Z');
    await store.leave('c');
    expect(await store.heartbeat('a', '2026-11-29T09:00:10.000Z', '2026-11-29T09:00:04.000Z')).toBe(
      1,
    );
  });

  describe('claims and leases', () => {
    const T0 = '2026-11-29T10:00:00.000Z';
    const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
    const leaseOf = async (id: string) =>
      (
        await storage.db
          .selectFrom('outbox')
          .select(['lease_until', 'claimed_by', 'status'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).lease_until;

    beforeEach(async () => {
      await storage.db.deleteFrom('outbox').execute();
      await storage.db.deleteFrom('delivery_workers').execute();
      await store.enqueue(
        Array.from({ length: 4 }, (_, i) => ({
          tenantId: 't',
          serviceUrl: 'http://127.0.0.1:9/',
          conversationId: `a:${i}`,
          payload: { type: 'reminder', language: 'en', lessonWaiting: true, reviewDue: 0 },
        })),
        T0,
      );
    });

    it("takes over at once what a worker counted out held, but never a live worker's rows", async () => {
      await store.heartbeat('dead', at(0), at(-6));
      await store.heartbeat('live', at(0), at(-6));
      await store.heartbeat('other', at(0), at(-6));
      const held = await store.claim('dead', 2, at(1), at(61));
      expect(held).toHaveLength(2);
      // While 'dead' is registered its rows are not claimable by another, lease or not.
      expect((await store.claim('other', 10, at(2), at(62))).map((m) => m.id)).not.toEqual(
        expect.arrayContaining(held.map((m) => m.id)),
      );
      // 'dead' falls silent: the next beat of 'live' counts it out, and its rows come back long
      // before their lease (at(61)) ends; 'other' beats on, and keeps its rows.
      await store.heartbeat('other', at(8), at(2));
      await store.heartbeat('live', at(8), at(2));
      const taken = await store.claim('live', 10, at(9), at(69));
      expect(taken.map((m) => m.id).sort()).toEqual(held.map((m) => m.id).sort());
      expect(await leaseOf(held[0]!.id)).toBe(at(69));
    });

    it("gives a worker back its own rows left sending (a claim whose answer was lost) at its next claim, not a live worker's", async () => {
      await store.heartbeat('w', at(0), at(-6));
      await store.heartbeat('x', at(0), at(-6));
      const lost = await store.claim('w', 2, at(1), at(61));
      const others = await store.claim('x', 2, at(1), at(61));
      const again = await store.claim('w', 10, at(2), at(62));
      expect(again.map((m) => m.id).sort()).toEqual(lost.map((m) => m.id).sort());
      expect(again.map((m) => m.id)).not.toEqual(expect.arrayContaining(others.map((m) => m.id)));
    });

    it('renews only the leases of the rows the worker names', async () => {
      await store.heartbeat('w', at(0), at(-6));
      const [first, second] = await store.claim('w', 2, at(1), at(61));
      await store.renewLeases('w', [first!.id], at(90));
      expect(await leaseOf(first!.id)).toBe(at(90));
      expect(await leaseOf(second!.id)).toBe(at(61));
      // Another worker's name renews nothing.
      await store.renewLeases('other', [second!.id], at(120));
      expect(await leaseOf(second!.id)).toBe(at(61));
      // The row not renewed comes back when its lease ends.
      await store.heartbeat('w', at(62), at(56));
      expect((await store.claim('w', 10, at(62), at(122))).map((m) => m.id)).toContain(second!.id);
    });
  });

  it('lists the assignments left unfinished with nothing pending or sending, oldest first', async () => {
    await insertAssignment(storage.db, 'done-late', { createdAt: '2026-11-29T10:00:00.000Z' });
    await insertAssignment(storage.db, 'done-early', { createdAt: '2026-11-29T08:00:00.000Z' });
    await insertAssignment(storage.db, 'pending', { createdAt: '2026-11-29T07:00:00.000Z' });
    await insertAssignment(storage.db, 'finished', {
      createdAt: '2026-11-29T06:00:00.000Z',
      finishedAt: '2026-11-29T06:30:00.000Z',
    });
    for (const id of ['done-late', 'done-early', 'pending', 'finished'])
      await store.enqueue(lessonMessages(id, 1), '2026-11-29T09:00:00.000Z');
    await storage.db
      .updateTable('outbox')
      .set({ status: 'sent' })
      .where('assignment_id', '!=', 'pending')
      .execute();
    expect(await store.unfinishedButDone(10)).toEqual(['done-early', 'done-late']);
    expect(await store.unfinishedButDone(1)).toEqual(['done-early']);
    await storage.db.deleteFrom('outbox').execute();
    await storage.db.deleteFrom('assignments').execute();
  });
});
