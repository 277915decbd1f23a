/**
 * The database goes away and comes back (PostgreSQL stopped, behind a loopback proxy that cuts
 * every connection and refuses new ones; the SQLite file locked by another process): learners get
 * a short apology in their language, /healthz answers 503, the process keeps serving, and once
 * the database is back it serves normally by itself and delivers every outbox row.
 */
import SqliteDatabase from 'better-sqlite3';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { translate } from '../../src/i18n/messages';
import { cardText, newUser, type TestUser } from '../support/activities';
import { TestClock, type RunningBrevet } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { eventually } from '../support/eventually';
import { TEST_DATABASE_URL, testDialects } from '../support/postgres';

const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };
const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';

/** A TCP proxy in front of PostgreSQL that can play "server stopped". */
class CuttableProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private down = false;

  async start(target: URL): Promise<number> {
    this.server = createServer((client) => {
      if (this.down) {
        client.destroy();
        return;
      }
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server!.address() as { port: number }).port;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.cut();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function health(app: RunningBrevet): Promise<number> {
  return (await fetch(`${app.baseUrl}/healthz`)).status;
}

type Outage = { begin(): Promise<void> | void; end(): Promise<void> | void };

describe.each(testDialects())('on %s, when the database goes away', (dialect) => {
  const proxy = new CuttableProxy();
  const admin = newUser('en-GB');
  const members = Array.from({ length: 30 }, () => newUser('nl-BE'));
  /** PostgreSQL's URL through the proxy (the schema stays the fixture's). */
  let proxied: string | undefined;
  let locker: SqliteDatabase.Database | undefined;

  beforeAll(async () => {
    if (dialect !== 'postgres') return;
    const port = await proxy.start(new URL(TEST_DATABASE_URL));
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${port}`;
    proxied = url.toString();
  });
  const chat = conversationFixture({
    dialect,
    clock: TestClock.atRealTime(),
    env: () => ({
      ...FIXTURE,
      ...(proxied ? { DATABASE_URL: proxied } : {}),
      ADMIN_AAD_OBJECT_IDS: admin.aadObjectId,
      TEAMS_GLOBAL_RPS: '20',
    }),
    options: { delivery: { idleMs: 20 } },
  });
  const { connector } = chat;
  connector.setRoster(TEAM_ID, [
    { id: `29:${admin.aadObjectId}`, aadObjectId: admin.aadObjectId, name: 'Admin' },
    ...members.map((m, i) => ({
      id: `29:${m.aadObjectId}`,
      aadObjectId: m.aadObjectId,
      name: `Member ${i}`,
    })),
  ]);
  afterAll(() => proxy.stop());

  const outage: Outage =
    dialect === 'postgres'
      ? { begin: () => proxy.cut(), end: () => proxy.restore() }
      : {
          begin: () => {
            // Another process (a backup, a tool) holds the write lock.
            locker = new SqliteDatabase(chat.database.SQLITE_PATH!);
            locker.exec('BEGIN EXCLUSIVE');
          },
          end: () => {
            locker?.exec('ROLLBACK');
            locker?.close();
          },
        };

  /** Posts a message; returns the cards sent since (the assignment's deliveries included). */
  async function say(user: TestUser, text: string, channel = false) {
    const before = connector.cards().length;
    const send = chat.send(user);
    const response = await chat.app.post(channel ? send.channelMessage(text) : send.message(text));
    return { status: response.status, cards: connector.cards().slice(before).map(cardText) };
  }

  it('apologises in the learner’s language, answers 503 on /healthz, then recovers by itself, losing no outbox row', async () => {
    const learner = chat.user('fr-BE');
    expect((await say(learner, 'next')).status).toBe(200);
    expect(await health(chat.app)).toBe(200);

    // An assignment is on its way (20 per second: it takes a while) when the database goes.
    expect((await say(admin, 'assign f1-a', true)).status).toBe(200);
    await outage.begin();
    try {
      await eventually(async () => (await health(chat.app)) === 503, '/healthz 503', 10_000);
      // A command that writes (SQLite still serves reads while another process holds the lock).
      const during = await say(learner, 'rappel 10:00');
      expect(during.status).toBe(200);
      expect(during.cards.join('\n')).toContain(translate('fr', 'error.apology'));
      const dutch = await say(members[0]!, 'herinnering 11:00');
      expect(dutch.cards.join('\n')).toContain(translate('nl', 'error.apology'));
      expect(await health(chat.app)).toBe(503);
      // The outage lasts a few heartbeats (1 s each) and claim polls: see the log check below.
      await new Promise((resolve) => setTimeout(resolve, 4500));
      expect(await health(chat.app)).toBe(503);
    } finally {
      await outage.end();
    }

    // Back by itself: healthy again, normal answers, and the assignment completes.
    await eventually(async () => (await health(chat.app)) === 200, '/healthz 200 again', 20_000);
    const after = await say(learner, 'progression');
    expect(after.cards.join('\n')).not.toContain(translate('fr', 'error.apology'));
    await eventually(
      async () => {
        const rows = await chat.app.brevet.storage.db
          .selectFrom('outbox')
          .select(['status'])
          .where('kind', '=', 'lesson')
          .execute();
        return rows.length === members.length + 1 && rows.every((r) => r.status === 'sent');
      },
      'every assigned member reached',
      30_000,
    );
    for (const member of [admin, ...members]) {
      const conversation = connector.conversationFor(`29:${member.aadObjectId}`);
      expect(conversation && (connector.sentPerConversation.get(conversation) ?? 0)).toBeTruthy();
    }
    expect(chat.app.logs.lines.filter((line) => line.msg === 'unhandled error in turn')).toEqual(
      [],
    );
    // The outage is told, not shouted: each kind of error line a few times, not once a beat.
    const errors = new Map<string, number>();
    for (const line of chat.app.logs.lines.filter((l) => Number(l.level) >= 50))
      errors.set(String(line.msg), (errors.get(String(line.msg)) ?? 0) + 1);
    expect([...errors].filter(([, n]) => n > 3)).toEqual([]);
  }, 90_000);
});
