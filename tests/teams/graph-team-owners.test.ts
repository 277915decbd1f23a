import { randomUUID } from 'node:crypto';
import {
  GraphTeamOwners,
  TeamOwnersUnavailable,
  type GraphTeamOwnersOptions,
} from '../../src/teams/graph-team-owners';
import { FakeGraph, type FakeTeamMember } from '../support/fake-graph';

const CLIENT_ID = randomUUID();
const SECRET = 'bot-secret';
const TENANT = randomUUID();
const OTHER_TENANT = randomUUID();

const owner = (name: string): FakeTeamMember => ({
  userId: randomUUID(),
  roles: ['owner'],
  displayName: name,
  email: `${name.toLowerCase()}@defence.example`,
});
const member = (name: string): FakeTeamMember => ({ ...owner(name), roles: [] });

/** Every timer API but Date stays real (network, timeouts, Retry-After waits). */
const NOT_DATE: FakeTimersConfig['doNotFake'] = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
];

describe('team owners from Microsoft Graph', () => {
  const graph = new FakeGraph(CLIENT_ID, SECRET);
  let offsetMs = 0;

  /** Options of a directory on the fake, on a clock the test can move. */
  const onFake = (options: Partial<GraphTeamOwnersOptions> = {}): GraphTeamOwnersOptions => ({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    graphBaseUrl: graph.graphUrl,
    authorityHost: graph.authorityHost,
    entraCertificate: graph.certificate,
    now: () => Date.now() + offsetMs,
    ...options,
  });
  /** A fresh directory (empty caches) on the fake. */
  const directory = (options: Partial<GraphTeamOwnersOptions> = {}) =>
    new GraphTeamOwners(onFake(options));
  /** A team in the fake with the given members; its group id. */
  const team = (members: FakeTeamMember[], tenantId = TENANT) => {
    const aadGroupId = randomUUID();
    graph.setTeam(aadGroupId, tenantId, members);
    return { tenantId, aadGroupId };
  };

  beforeAll(() => graph.start());
  afterAll(() => graph.stop());
  beforeEach(() => {
    graph.resetCounts();
    offsetMs = 0;
  });
  afterEach(() => {
    jest.useRealTimers();
    delete process.env.IDENTITY_ENDPOINT;
    delete process.env.IDENTITY_HEADER;
  });

  it('says yes for an owner and no for a member, a guest or a stranger', async () => {
    const [alice, bob] = [owner('Alice'), member('Bob')];
    const guest: FakeTeamMember = { ...owner('Guest'), roles: ['guest'] };
    const unit = team([alice, bob, guest]);
    const owners = directory();

    expect(await owners.isOwner(unit, alice.userId)).toBe(true);
    expect(await owners.isOwner(unit, bob.userId)).toBe(false);
    expect(await owners.isOwner(unit, guest.userId)).toBe(false);
    expect(await owners.isOwner(unit, randomUUID())).toBe(false);
  });

  it('compares ids whatever their case', async () => {
    const alice = { ...owner('Alice'), userId: randomUUID().toUpperCase() };
    const unit = team([alice]);
    const owners = directory();

    expect(await owners.isOwner(unit, alice.userId.toLowerCase())).toBe(true);
    expect(
      await owners.isOwner({ ...unit, aadGroupId: unit.aadGroupId.toUpperCase() }, alice.userId),
    ).toBe(true);
  });

  it('follows @odata.nextLink through every page of owners', async () => {
    const many = Array.from({ length: 5 }, (_, i) => owner(`Owner${i}`));
    const unit = team([member('Bob'), ...many]);

    expect(await directory().isOwner(unit, many[4]!.userId)).toBe(true);
    // 2 owners a page: 3 pages.
    expect(graph.graphRequests).toBe(3);
  });

  it('gets one token per tenant and reuses it until shortly before it expires', async () => {
    // @azure/identity keeps the tokens on the system clock: this test moves Date itself.
    const start = Date.now();
    jest.useFakeTimers({ doNotFake: NOT_DATE, now: start });
    const alice = owner('Alice');
    const units = [team([alice]), team([alice]), team([alice])];
    const elsewhere = team([alice], OTHER_TENANT);
    const owners = directory();

    for (const unit of units) expect(await owners.isOwner(unit, alice.userId)).toBe(true);
    expect(graph.tokenRequests).toBe(1);
    expect(await owners.isOwner(elsewhere, alice.userId)).toBe(true);
    expect(graph.tokenRequests).toBe(2);

    // Tokens live an hour: 50 minutes later the owners are stale but the token is still good...
    jest.setSystemTime(start + 50 * 60_000);
    expect(await owners.isOwner(units[1]!, alice.userId)).toBe(true);
    expect(graph.tokenRequests).toBe(2);
    // ...and within 5 minutes of its expiry it is renewed.
    jest.setSystemTime(start + 56 * 60_000);
    expect(await owners.isOwner(units[0]!, alice.userId)).toBe(true);
    expect(graph.tokenRequests).toBe(3);
  });

  it('asks Graph once for a burst of look-ups, and again when the owners are stale', async () => {
    const alice = owner('Alice');
    const unit = team([alice, member('Bob')]);
    const owners = directory({ ownersTtlMs: 60_000 });

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => owners.isOwner(unit, i ? randomUUID() : alice.userId)),
    );
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await owners.isOwner(unit, alice.userId)).toBe(true);
    expect(graph.graphRequests).toBe(1);
    expect(graph.tokenRequests).toBe(1);

    offsetMs = 61_000;
    expect(await owners.isOwner(unit, alice.userId)).toBe(true);
    expect(graph.graphRequests).toBe(2);
  });

  it('keeps a bounded number of teams: the oldest is asked for again', async () => {
    const alice = owner('Alice');
    const [first, second, third] = [team([alice]), team([alice]), team([alice])];
    const owners = directory({ maxTeams: 2 });

    for (const unit of [first, second, third]) await owners.isOwner(unit, alice.userId);
    expect(graph.graphRequests).toBe(3);
    await owners.isOwner(third, alice.userId);
    expect(graph.graphRequests).toBe(3);
    await owners.isOwner(first, alice.userId);
    expect(graph.graphRequests).toBe(4);
  });

  it('waits for Retry-After once on 429, then answers', async () => {
    const alice = owner('Alice');
    const unit = team([alice]);
    graph.failTeam(unit.aadGroupId, 429, { times: 1, retryAfterSeconds: 1 });
    const started = Date.now();

    expect(await directory().isOwner(unit, alice.userId)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(graph.graphRequests).toBe(2);
  });

  it('retries a 503 once only, and not at all when Retry-After is long', async () => {
    const alice = owner('Alice');
    const unit = team([alice]);
    graph.failTeam(unit.aadGroupId, 503, { retryAfterSeconds: 0 });
    await expect(directory().isOwner(unit, alice.userId)).rejects.toThrow('HTTP 503');
    expect(graph.graphRequests).toBe(2);

    graph.resetCounts();
    graph.failTeam(unit.aadGroupId, 429, { retryAfterSeconds: 30 });
    const started = Date.now();
    await expect(directory().isOwner(unit, alice.userId)).rejects.toThrow('HTTP 429');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(graph.graphRequests).toBe(1);
  });

  it.each([403, 404, 500])(
    'throws on %i (the caller fails closed), without retrying or caching the failure',
    async (status) => {
      const alice = owner('Alice');
      const unit = team([alice]);
      graph.failTeam(unit.aadGroupId, status);
      const owners = directory();

      const failure = await owners.isOwner(unit, alice.userId).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TeamOwnersUnavailable);
      expect((failure as TeamOwnersUnavailable).status).toBe(status);
      expect(graph.graphRequests).toBe(1);

      graph.heal(unit.aadGroupId);
      expect(await owners.isOwner(unit, alice.userId)).toBe(true);
    },
  );

  it('signs in with App Service’s managed identity when the bot is one (no secret)', async () => {
    graph.managedIdentityTenant = TENANT;
    const boss = owner('Boss');
    const unit = team([boss, member('Jan')]);
    // App Service sets these; @azure/identity reads them from the environment.
    process.env.IDENTITY_ENDPOINT = graph.managedIdentityEndpoint;
    process.env.IDENTITY_HEADER = graph.managedIdentityHeader;
    const managed = directory({ clientSecret: undefined });
    expect(await managed.isOwner(unit, boss.userId)).toBe(true);
    expect(await managed.isOwner(team([boss]), boss.userId)).toBe(true);
    expect(graph.tokenRequests).toBe(1);

    // MSAL keeps one managed identity endpoint and token cache per process: a wrong header is
    // tried on a fresh copy of the modules, as a freshly started process would.
    process.env.IDENTITY_HEADER = 'guess';
    await jest.isolateModulesAsync(async () => {
      const fresh = await import('../../src/teams/graph-team-owners');
      const wrongHeader = new fresh.GraphTeamOwners(onFake({ clientSecret: undefined }));
      await expect(wrongHeader.isOwner(unit, boss.userId)).rejects.toBeInstanceOf(
        fresh.TeamOwnersUnavailable,
      );
    });
  });

  it('throws when Entra refuses the credentials, and never reaches Graph', async () => {
    const unit = team([owner('Alice')]);
    await expect(directory({ clientSecret: 'wrong' }).isOwner(unit, randomUUID())).rejects.toThrow(
      'Entra token: HTTP 401',
    );
    expect(graph.graphRequests).toBe(0);
  });

  it('throws when Graph cannot be reached', async () => {
    const unit = team([owner('Alice')]);
    const unreachable = directory({ graphBaseUrl: 'http://127.0.0.1:9/v1.0', timeoutMs: 1000 });
    await expect(unreachable.isOwner(unit, randomUUID())).rejects.toBeInstanceOf(
      TeamOwnersUnavailable,
    );
  });
});
