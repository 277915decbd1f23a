import { randomUUID } from 'node:crypto';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { translate } from '../../src/i18n/messages';
import { projectPath } from '../../src/project-paths';
import { KyselyUnitStore } from '../../src/storage/unit-repository';
import { UnitService } from '../../src/units/unit-service';
import { cardText, invokeCard, newUser, TENANT, type TestUser } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture, type Conversation } from '../support/conversation';
import { FakeConnector } from '../support/fake-connector';
import { FakeGraph, type FakeTeamMember } from '../support/fake-graph';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import channelMention from '../fixtures/teams-activities/channel-mention-message.json';

/*
 * Owners of a team are its leads when GRAPH_TEAM_OWNERS_ARE_LEADS is on: real turns over HTTP,
 * Microsoft Graph and Entra played by a loopback stand-in. Graph needs the bot's credentials, so
 * BOT_ID is set and every activity carries a channel token (as in bot-auth.test.ts). Outbound
 * replies would then need a Bot Framework token from the public cloud, so the lead commands are
 * the picker card's buttons, answered in the invoke's HTTP response, through the same role check
 * as typed commands.
 */

const BOT_ID = randomUUID();
const BOT_PASSWORD = 'bot-secret-for-tests';
const TEAMS_KEY = 'channel-key-teams';
const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };
const programme = loadProgramme(projectPath(FIXTURE.CONTENT_DIR));

/** The team of the channel-mention fixture, and a second one for the failure cases. */
const UNIT_ALPHA = {
  id: channelMention.channelData.team.id,
  name: channelMention.channelData.team.name,
  aadGroupId: channelMention.channelData.team.aadGroupId,
};
const UNIT_BRAVO = { id: '19:bravo@thread.tacv2', name: 'Unit Bravo', aadGroupId: randomUUID() };
type Unit = typeof UNIT_ALPHA;

const SCHEDULE = { lessonId: 'f1-b', action: 'assign', date: '2027-01-04', time: '10:15' };

const graphMember = (user: TestUser, name: string, owner: boolean): FakeTeamMember => ({
  userId: user.aadObjectId,
  roles: owner ? ['owner'] : [],
  displayName: name,
  email: `${name.toLowerCase().replace(' ', '.')}@defence.example`,
});

describe('team owners as unit leads (Microsoft Graph)', () => {
  // One connector and one clock for the two apps: with Graph, and without.
  const connector = new FakeConnector();
  const graph = new FakeGraph(BOT_ID, BOT_PASSWORD);
  const clock = new TestClock();
  let issuer: TokenIssuer;

  const owner = newUser('nl-BE');
  const member = newUser('de-DE');
  const namedLead = newUser('fr-BE');

  beforeAll(async () => {
    await Promise.all([connector.start(), graph.start()]);
    issuer = await startTokenIssuer({ keys: [{ kid: TEAMS_KEY, endorsements: ['msteams'] }] });
  });
  const common = () => ({
    ...FIXTURE,
    LOG_LEVEL: 'info',
    BOT_ID,
    BOT_PASSWORD,
    BOT_OPENID_METADATA_URL: issuer.metadataUrl,
    BOT_TOKEN_ISSUER: issuer.issuer,
  });
  const withGraph = conversationFixture({
    connector,
    clock,
    env: () => ({
      ...common(),
      GRAPH_TEAM_OWNERS_ARE_LEADS: 'true',
      GRAPH_BASE_URL: graph.graphUrl,
      ENTRA_TOKEN_URL_TEMPLATE: graph.tokenUrlTemplate,
    }),
    options: { entraCertificate: graph.certificate },
  });
  const withoutGraph = conversationFixture({ connector, clock, env: common });
  beforeAll(async () => {
    for (const unit of [UNIT_ALPHA, UNIT_BRAVO])
      graph.setTeam(unit.aadGroupId, TENANT, [
        graphMember(owner, 'Sofie Claes', true),
        graphMember(member, 'Jonas Weber', false),
        graphMember(namedLead, 'Camille Dubois', false),
      ]);
    // The training office named this lead for Unit Bravo (`lead add`), in the Graph app's database.
    const { storage } = withGraph.app.brevet;
    await new UnitService(programme, new KyselyUnitStore(storage.db, storage.dialect), []).addLead(
      UNIT_BRAVO.id,
      namedLead.aadObjectId,
      randomUUID(),
    );
  });
  afterAll(async () => {
    await issuer?.stop();
    await Promise.all([connector.stop(), graph.stop()]);
  });

  /** A click on the lead picker card in the unit's channel, signed as Teams would. */
  const click = async (
    chat: Conversation,
    user: TestUser,
    unit: Unit,
    verb: string,
    data: object,
  ) => {
    const activity = chat.send(user).execute(verb, data);
    activity.conversation = {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
      id: `${unit.id};messageid=1`,
    };
    activity.channelData = {
      ...activity.channelData,
      team: { id: unit.id, name: unit.name, aadGroupId: unit.aadGroupId },
      channel: { id: unit.id },
    };
    const token = await issuer.sign({ aud: BOT_ID, serviceurl: activity.serviceUrl });
    const response = await chat.app.post(activity, { Authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    return cardText(invokeCard(response.body));
  };
  const count = async (chat: Conversation, table: 'schedules' | 'outbox') =>
    Number(
      (
        await chat.app.brevet.storage.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeEach(() => graph.resetCounts());

  it('lets an owner who was never named lead run lead commands, for one Graph call per burst', async () => {
    expect(await click(withGraph, owner, UNIT_ALPHA, 'lead.schedule', SCHEDULE)).toContain(
      '2027-01-04 10:15',
    );
    expect(
      await click(withGraph, owner, UNIT_ALPHA, 'lead.schedule', { ...SCHEDULE, time: '11:30' }),
    ).toContain('2027-01-04 11:30');

    expect(await count(withGraph, 'schedules')).toBe(2);
    expect([graph.tokenRequests, graph.graphRequests]).toEqual([1, 1]);
    expect(connector.calls).toEqual([]);
  });

  it('refuses a member who is not an owner, politely, and stores and sends nothing', async () => {
    const before = await count(withGraph, 'schedules');

    expect(await click(withGraph, member, UNIT_ALPHA, 'lead.push', { lessonId: 'f1-a' })).toContain(
      translate('de', 'lead.notAllowed'),
    );
    expect(await click(withGraph, member, UNIT_ALPHA, 'lead.schedule', SCHEDULE)).toContain(
      translate('de', 'lead.notAllowed'),
    );

    expect(await count(withGraph, 'outbox')).toBe(0);
    expect(await count(withGraph, 'schedules')).toBe(before);
    expect(connector.calls).toEqual([]);
  });

  it('when Graph fails, refuses the owner but serves the named lead, and logs no one', async () => {
    graph.failTeam(UNIT_BRAVO.aadGroupId, 500);

    expect(await click(withGraph, owner, UNIT_BRAVO, 'lead.push', { lessonId: 'f1-a' })).toContain(
      translate('nl', 'lead.notAllowed'),
    );
    expect(await click(withGraph, namedLead, UNIT_BRAVO, 'lead.schedule', SCHEDULE)).toContain(
      '2027-01-04 10:15',
    );
    expect(await count(withGraph, 'outbox')).toBe(0);

    const warning = withGraph.app.logs.lines.find((line) => line.level === 40);
    expect(warning).toMatchObject({ teamId: UNIT_BRAVO.id });
    const logged = JSON.stringify(withGraph.app.logs.lines);
    for (const secret of [
      owner.aadObjectId,
      member.aadObjectId,
      namedLead.aadObjectId,
      'Sofie Claes',
      'sofie.claes@defence.example',
      BOT_PASSWORD,
      ...graph.issuedTokens,
    ])
      expect([secret, logged.includes(secret)]).toEqual([secret, false]);
    graph.heal(UNIT_BRAVO.aadGroupId);
  });

  it('with GRAPH_TEAM_OWNERS_ARE_LEADS off, refuses the owner and never asks Graph', async () => {
    expect(await click(withoutGraph, owner, UNIT_ALPHA, 'lead.schedule', SCHEDULE)).toContain(
      translate('nl', 'lead.notAllowed'),
    );
    expect(await count(withoutGraph, 'schedules')).toBe(0);
    expect([graph.tokenRequests, graph.graphRequests]).toEqual([0, 0]);
  });
});
