import { activitiesFor, invokeCard, newUser, type TestUser } from './activities';
import {
  startBrevet,
  tempDir,
  testDatabase,
  TestClock,
  type RunningBrevet,
  type StartOptions,
} from './brevet-harness';
import { FakeConnector } from './fake-connector';

type Env = Record<string, string | undefined>;

export interface ConversationSettings {
  /** Storage: a SQLite file in a temporary directory (the default) or a fresh PostgreSQL schema. */
  dialect?: 'sqlite' | 'postgres';
  /**
   * App settings on top of the database's (so they may replace them, e.g. a DATABASE_URL through
   * a proxy; the schema stays the fixture's); a function when they name something started first.
   */
  env?: Env | (() => Env);
  /** The app's clock: by default a TestClock at 2026-11-29T09:00Z (`TestClock.atRealTime()`: now). */
  clock?: TestClock;
  /**
   * A connector the file starts and stops itself (one shared by two fixtures, say); by default
   * the fixture makes its own and starts and stops it with the app.
   */
  connector?: FakeConnector;
  /** Start options other than the clock and the database schema (delivery, certificate). */
  options?: Omit<StartOptions, 'clock' | 'postgresSchema'>;
}

/** One conversation test's world: the real app, a Bot Connector stand-in, users, turns. */
export interface Conversation {
  readonly connector: FakeConnector;
  readonly clock: TestClock;
  /** The running app (from `beforeAll` on). */
  readonly app: RunningBrevet;
  /** The settings of the fixture's database (from `beforeAll` on): for a second app on it. */
  readonly database: Env;
  /** A new Teams user (of the default tenant unless told). */
  user(locale?: string, tenantId?: string): TestUser;
  /** The Teams activities of a user, addressed to the connector stand-in. */
  send(user: TestUser): ReturnType<typeof activitiesFor>;
  /** Clears the connector, posts a 1:1 message (answered 200), returns the cards sent back. */
  say(user: TestUser, text: string): Promise<Record<string, unknown>[]>;
  /** Posts a card button's Action.Execute (answered 200), returns the card of the response. */
  click(user: TestUser, verb: string, data: object): Promise<Record<string, any>>;
  /** Adaptive Cards the connector received (newest last), to one conversation if given. */
  cards(conversationId?: string): Record<string, unknown>[];
  /** Stops the app and starts it again on the same database (state read back from storage). */
  restart(): Promise<void>;
}

/**
 * Registers `beforeAll`/`afterAll` that start and stop the app on a temporary database with a
 * loopback Bot Connector, and returns the handles a conversation test drives it with.
 */
export function conversationFixture(settings: ConversationSettings = {}): Conversation {
  const ownConnector = !settings.connector;
  const connector = settings.connector ?? new FakeConnector();
  const clock = settings.clock ?? new TestClock();
  let tmp: ReturnType<typeof tempDir> | undefined;
  let database: ReturnType<typeof testDatabase> | undefined;
  let running: RunningBrevet | undefined;

  const start = async () => {
    if (!tmp || !database) throw new Error('conversation fixture not set up');
    const env = typeof settings.env === 'function' ? settings.env() : (settings.env ?? {});
    running = await startBrevet(
      { ...database.env, ...env },
      { ...settings.options, clock, postgresSchema: database.postgresSchema },
    );
  };

  beforeAll(async () => {
    tmp = tempDir();
    database = testDatabase(settings.dialect ?? 'sqlite', tmp.dir);
    if (ownConnector) await connector.start();
    await start();
  });
  afterAll(async () => {
    await running?.stop();
    if (ownConnector) await connector.stop();
    tmp?.cleanup();
  });

  const chat: Conversation = {
    connector,
    clock,
    get app() {
      if (!running) throw new Error('the app is not started (use it inside a test or hook)');
      return running;
    },
    get database() {
      if (!database) throw new Error('conversation fixture not set up');
      return database.env;
    },
    user: (locale, tenantId) => newUser(locale, tenantId),
    send: (user) => activitiesFor(user, connector.url),
    async say(user, text) {
      connector.clear();
      expect((await chat.app.post(chat.send(user).message(text))).status).toBe(200);
      return connector.cards();
    },
    async click(user, verb, data) {
      const response = await chat.app.post(chat.send(user).execute(verb, data));
      expect(response.status).toBe(200);
      return invokeCard(response.body);
    },
    cards: (conversationId) => connector.cards(conversationId),
    async restart() {
      await running?.stop();
      running = undefined;
      await start();
    },
  };
  return chat;
}
