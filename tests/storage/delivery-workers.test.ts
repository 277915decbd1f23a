import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyOutboxStore } from '../../src/storage/outbox-repository';
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
    await database.drop();
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
});
