import SqliteDatabase from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { activitiesFor, newUser } from '../support/activities';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { tempDir } from '../support/brevet-harness';
import { FakeConnector } from '../support/fake-connector';

const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const MEMBERS = 600;

async function until(probe: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('a worker killed with kill -9 in the middle of an assignment', () => {
  const connector = new FakeConnector();
  const tmp = tempDir();
  const lead = newUser('en-US');
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `29:${randomUUID()}`,
    aadObjectId: randomUUID(),
    name: `Member ${i}`,
  }));
  let first: AppProcess | undefined;
  let second: AppProcess | undefined;

  beforeAll(async () => {
    await connector.start();
    connector.record = false;
    connector.setRoster(TEAM_ID, members);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await connector.stop();
    tmp.cleanup();
  });

  it('loses nothing: after a restart every member gets the lesson, duplicates at most the in-flight rows', async () => {
    const env = {
      SQLITE_PATH: `${tmp.dir}/brevet.sqlite`,
      CONTENT_DIR: 'tests/fixtures/content',
      ADMIN_AAD_OBJECT_IDS: lead.aadObjectId,
      TEAMS_GLOBAL_RPS: '150',
    };
    first = await startAppProcess(env, { delivery: { leaseMs: 1500, idleMs: 20 } });
    expect(await first.post(activitiesFor(lead, connector.url).channelMessage('assign f1-a'))).toBe(
      200,
    );
    await until(() => connector.sentCount >= MEMBERS / 4, 'a quarter of the sends', 30_000);
    await first.crash();
    const sentAtCrash = connector.sentCount;
    // The app itself is gone (not just a wrapper process): its port no longer answers.
    await expect(fetch(`${first.baseUrl}/healthz`)).rejects.toThrow();

    const db = new SqliteDatabase(`${tmp.dir}/brevet.sqlite`, { readonly: true });
    const states = db.prepare('select status, count(*) n from outbox group by status').all() as {
      status: string;
      n: number;
    }[];
    db.close();
    const inFlight = states.find((s) => s.status === 'sending')?.n ?? 0;
    expect(sentAtCrash).toBeLessThan(MEMBERS);

    second = await startAppProcess(env, { delivery: { leaseMs: 1500, idleMs: 20 } });
    await until(
      () => connector.sentCount >= MEMBERS + 2,
      'every member, the reply and the summary',
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));

    const perMember = members.map(
      (m) => connector.sentPerConversation.get(connector.conversationFor(m.id) ?? '') ?? 0,
    );
    const duplicates = perMember.filter((n) => n > 1).length;
    expect(perMember.filter((n) => n === 0)).toEqual([]);
    expect(perMember.every((n) => n <= 2)).toBe(true);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    console.log(
      `kill -9 after ${sentAtCrash} sends: ${inFlight} rows in flight, ${duplicates} members got the lesson twice`,
    );
  }, 300_000);
});
