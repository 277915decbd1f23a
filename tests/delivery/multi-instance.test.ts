import { Client } from 'pg';
import { randomUUID } from 'node:crypto';
import { activitiesFor, newUser } from '../support/activities';
import { startAppProcess, type AppProcess } from '../support/app-process';
import { ConnectorProcess } from '../support/connector-process';
import { TEST_DATABASE_URL, testDialects, uniqueSchema } from '../support/postgres';

const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const MEMBERS = 2000;
const describeOnPostgres = testDialects().includes('postgres') ? describe : describe.skip;

describeOnPostgres('two app instances on one PostgreSQL database', () => {
  // The stand-in runs in its own process, as Teams counts on its own machines: counted inside
  // this busy test runner, a second's requests arrive late, bunched into the next second.
  let connector: ConnectorProcess;
  const schema = uniqueSchema();
  const lead = newUser('en-US');
  const members = Array.from({ length: MEMBERS }, (_, i) => ({
    id: `29:${randomUUID()}`,
    aadObjectId: randomUUID(),
    name: `Member ${i}`,
  }));
  const instances: AppProcess[] = [];

  beforeAll(async () => {
    connector = await ConnectorProcess.start();
    await connector.setRecord(false);
    await connector.setRoster(TEAM_ID, members);
  });
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await connector?.stop();
  });

  it('share one assignment of 2,000 members and the rate limit: every member gets exactly one message', async () => {
    const env = {
      DATABASE_URL: TEST_DATABASE_URL,
      CONTENT_DIR: 'tests/fixtures/content',
      ADMIN_AAD_OBJECT_IDS: lead.aadObjectId,
      TEAMS_GLOBAL_RPS: '250',
    };
    // The production heartbeat (1 s): a busy test machine must not count a live instance out.
    const options = { postgresSchema: schema, delivery: { idleMs: 20 } };
    instances.push(await startAppProcess(env, options));
    instances.push(await startAppProcess(env, options));
    // The stand-in answers 429 above the app's limit, as Teams does: the two instances share it.
    await connector.throttleAbove(250);
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const workers = async () =>
      Number(
        (await client.query(`select count(*) as n from "${schema}".delivery_workers`)).rows[0].n,
      );
    const registered = Date.now() + 30_000;
    while ((await workers()) < 2 && Date.now() < registered)
      await new Promise((r) => setTimeout(r, 50));
    expect(await workers()).toBe(2);
    // One more beat, so that each has seen the other.
    await new Promise((r) => setTimeout(r, 1200));
    const started = Date.now();
    expect(
      await instances[0]!.post(activitiesFor(lead, connector.url).channelMessage('assign f1-a')),
    ).toBe(200);

    const end = Date.now() + 120_000;
    // Every member, plus the reply to the lead's command and the summary card.
    while ((await connector.sentCount()) < MEMBERS + 2 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 50));
    // A fixed second more on purpose: a duplicate send would arrive now. The instances are other
    // processes, so there is no in-process idle signal to await instead.
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const counts = await connector.counts();
    const perMember = members.map(
      (m) => counts.sentPerConversation[counts.conversationOf[m.id] ?? ''] ?? 0,
    );
    expect(perMember.filter((n) => n !== 1)).toEqual([]);
    const memberConversations = new Set(members.map((m) => counts.conversationOf[m.id]));
    const others = Object.entries(counts.sentPerConversation).filter(
      ([id]) => !memberConversations.has(id),
    );
    // The reply to the command in its thread, and one summary card in the channel.
    expect(others.map(([, n]) => n)).toEqual([1, 1]);
    expect(counts.sentCount).toBe(MEMBERS + 2);

    try {
      const { rows } = await client.query(
        `select count(distinct claimed_by) as workers from "${schema}".outbox where status = 'sent'`,
      );
      expect(Number(rows[0].workers)).toBe(2);
    } finally {
      await client.end();
    }
    // Together they kept under the limit: no 429, and 4,000 requests (a chat, then the message,
    // per member) took at least 4,000 / 250 s.
    expect(counts.throttledCount).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual((2 * MEMBERS * 1000) / 250);
  }, 240_000);
});
