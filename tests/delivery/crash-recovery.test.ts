/**
 * kill -9 in the middle of an assignment, with the production lease (60 s) and heartbeat (1 s):
 * the rows the dead worker held are taken over as soon as it is counted out of the registry, not
 * when their lease ends. On SQLite by a restart on the same file; on PostgreSQL by the other
 * instance, without a restart.
 *
 * The members already have their 1:1 chat with Brevet (the app pre-installed for everyone, as a
 * training office would do): one request per message. A member Brevet has never reached needs a
 * second request to create the chat, so 1,000 of them at 100 requests per second take 20 s
 * whatever the recovery does.
 */
import SqliteDatabase from 'better-sqlite3';
import { Client } from 'pg';
import { activitiesFor, newUser, type TestUser } from '../support/activities';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { eventually } from '../support/eventually';
import { tempDir } from '../support/brevet-harness';
import { FakeConnector } from '../support/fake-connector';
import { TEST_DATABASE_URL, testDialects, uniqueSchema } from '../support/postgres';

const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const MEMBERS = 1000;
const RPS = '100';
/** What the issue asks: every member reached within 15 s of the restart (or of the kill). */
const RECOVERY_LIMIT_MS = 15_000;

function team(): { lead: TestUser; members: TestUser[] } {
  return {
    lead: newUser('en-US'),
    members: Array.from({ length: MEMBERS }, () => newUser('en-US')),
  };
}

/** Every member installs Brevet (their chat is known), eight at a time. */
async function install(app: AppProcess, connector: FakeConnector, members: TestUser[]) {
  const queue = [...members];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let member = queue.pop(); member; member = queue.pop())
        expect(await app.post(activitiesFor(member, connector.url).install())).toBe(200);
    }),
  );
  connector.clear();
}

function perMember(connector: FakeConnector, members: TestUser[]): number[] {
  return members.map((m) => connector.sentPerConversation.get(`a:${m.aadObjectId}`) ?? 0);
}

describe('a worker killed with kill -9 in the middle of a 1,000-member assignment', () => {
  const connector = new FakeConnector();
  const tmp = tempDir();
  const { lead, members } = team();
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    await connector.start();
    connector.record = false;
    connector.setRoster(
      TEAM_ID,
      members.map((m, i) => ({
        id: `29:${m.aadObjectId}`,
        aadObjectId: m.aadObjectId,
        name: `Member ${i}`,
      })),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await connector.stop();
    tmp.cleanup();
  });

  it('on SQLite, a restart reaches every member within 15 s; duplicates at most the rows in flight', async () => {
    const env = {
      SQLITE_PATH: `${tmp.dir}/brevet.sqlite`,
      CONTENT_DIR: 'tests/fixtures/content',
      ADMIN_AAD_OBJECT_IDS: lead.aadObjectId,
      TEAMS_GLOBAL_RPS: RPS,
    };
    const first = await startAppProcess(env, { delivery: { idleMs: 20 } });
    apps.push(first);
    await install(first, connector, members);
    expect(await first.post(activitiesFor(lead, connector.url).channelMessage('assign f1-a'))).toBe(
      200,
    );
    await eventually(() => connector.sentCount >= 150, 'the first sends', 30_000);
    await first.crash();
    const sentAtCrash = connector.sentCount;
    await expect(fetch(`${first.baseUrl}/healthz`)).rejects.toThrow();

    const db = new SqliteDatabase(`${tmp.dir}/brevet.sqlite`, { readonly: true });
    const inFlight = (
      db.prepare(`select count(*) n from outbox where status = 'sending'`).get() as { n: number }
    ).n;
    db.close();
    expect(sentAtCrash).toBeLessThan(MEMBERS);
    expect(inFlight).toBeGreaterThan(0);

    const second = await startAppProcess(env, { delivery: { idleMs: 20 } });
    apps.push(second);
    const restarted = Date.now();
    await eventually(
      () => perMember(connector, members).every((n) => n > 0),
      'every member',
      RECOVERY_LIMIT_MS + 45_000,
    );
    const recoveryMs = Date.now() - restarted;
    const counts = perMember(connector, members);
    const duplicates = counts.filter((n) => n > 1).length;
    console.log(
      `SQLite: kill -9 after ${sentAtCrash} sends (${inFlight} rows in flight); every member ` +
        `reached ${(recoveryMs / 1000).toFixed(1)} s after the restart; ${duplicates} duplicates`,
    );
    expect(counts.every((n) => n <= 2)).toBe(true);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
  }, 180_000);
});

const describeOnPostgres = testDialects().includes('postgres') ? describe : describe.skip;

describeOnPostgres('two instances on PostgreSQL, one killed with kill -9 mid-assignment', () => {
  const connector = new FakeConnector();
  const schema = uniqueSchema();
  const { lead, members } = team();
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    await connector.start();
    connector.record = false;
    connector.setRoster(
      TEAM_ID,
      members.map((m, i) => ({
        id: `29:${m.aadObjectId}`,
        aadObjectId: m.aadObjectId,
        name: `Member ${i}`,
      })),
    );
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await connector.stop();
  });

  it('the other instance takes over within seconds, without a restart', async () => {
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      CONTENT_DIR: 'tests/fixtures/content',
      ADMIN_AAD_OBJECT_IDS: lead.aadObjectId,
      TEAMS_GLOBAL_RPS: RPS,
    };
    const options = { postgresSchema: schema, delivery: { idleMs: 20 } };
    const victim = await startAppProcess(env, options);
    const survivor = await startAppProcess(env, options);
    apps.push(victim, survivor);
    await install(victim, connector, members);
    expect(
      await victim.post(activitiesFor(lead, connector.url).channelMessage('assign f1-a')),
    ).toBe(200);
    await eventually(() => connector.sentCount >= 150, 'the first sends', 30_000);
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await victim.crash();
      const killed = Date.now();
      const inFlight = Number(
        (
          await client.query(
            `select count(*) as n from "${schema}".outbox where status = 'sending'`,
          )
        ).rows[0].n,
      );
      await eventually(
        () => perMember(connector, members).every((n) => n > 0),
        'every member',
        RECOVERY_LIMIT_MS + 45_000,
      );
      const recoveryMs = Date.now() - killed;
      const counts = perMember(connector, members);
      const duplicates = counts.filter((n) => n > 1).length;
      console.log(
        `PostgreSQL: one of two instances killed (${inFlight} rows in flight); every member ` +
          `reached ${(recoveryMs / 1000).toFixed(1)} s after the kill; ${duplicates} duplicates`,
      );
      expect(counts.every((n) => n <= 2)).toBe(true);
      expect(duplicates).toBeLessThanOrEqual(inFlight);
      expect(recoveryMs).toBeLessThan(RECOVERY_LIMIT_MS);
    } finally {
      await client.end();
    }
  }, 180_000);
});
