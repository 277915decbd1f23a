import teamInstall from '../fixtures/teams-activities/team-install-conversationUpdate.json';
import { newUser, type TestUser } from '../support/activities';
import { conversationFixture } from '../support/conversation';
import { type FakeMember } from '../support/fake-connector';
import { testDialects } from '../support/postgres';

// The team of tests/fixtures/teams-activities (channel-mention-message, team-install).
const TEAM_ID = teamInstall.channelData.team.id;

function member(user: TestUser): FakeMember {
  return { id: `29:${user.aadObjectId}`, aadObjectId: user.aadObjectId, name: 'Member' };
}

/*
 * The programme dashboard counts a unit's members: Brevet keeps them from the roster it reads
 * (at install, for a lead's assignment or report) and from Teams' member events.
 */
describe.each(testDialects())('on %s, the members of a unit', (dialect) => {
  const admin = newUser('en-GB');
  const people = Array.from({ length: 4 }, () => newUser('nl-BE'));
  const chat = conversationFixture({
    dialect,
    env: { CONTENT_DIR: 'tests/fixtures/content', ADMIN_AAD_OBJECT_IDS: admin.aadObjectId },
  });
  const { connector } = chat;

  const recorded = async () =>
    (
      await chat.app.brevet.storage.db
        .selectFrom('team_members')
        .select('user_key')
        .where('team_id', '=', TEAM_ID)
        .orderBy('user_key')
        .execute()
    ).map((row) => row.user_key);
  const keys = (users: TestUser[]) => users.map((u) => u.aadObjectId.toLowerCase()).sort();

  /** A conversationUpdate from the team, adding or removing people. */
  const update = (
    change: 'membersAdded' | 'membersRemoved',
    users: { id: string; aadObjectId?: string }[],
  ) => {
    // The install's own membersAdded (the bot) is replaced (undefined is not sent).
    return {
      ...teamInstall,
      membersAdded: undefined,
      serviceUrl: connector.url,
      id: `u-${Math.random()}`,
      [change]: users,
    };
  };

  it('are read from the roster when Brevet is added to the team', async () => {
    connector.setRoster(TEAM_ID, [member(admin), member(people[0]!), member(people[1]!)]);
    expect((await chat.app.post({ ...teamInstall, serviceUrl: connector.url })).status).toBe(200);
    expect(await recorded()).toEqual(keys([admin, people[0]!, people[1]!]));
  });

  it('follow the people Teams says joined or left the team', async () => {
    expect(
      (await chat.app.post(update('membersAdded', [member(people[2]!), member(people[3]!)])))
        .status,
    ).toBe(200);
    expect((await chat.app.post(update('membersRemoved', [member(people[0]!)]))).status).toBe(200);
    expect(await recorded()).toEqual(keys([admin, people[1]!, people[2]!, people[3]!]));
  });

  it('are replaced by the roster a lead’s report reads', async () => {
    connector.setRoster(TEAM_ID, [member(admin), member(people[3]!)]);
    const report = chat.send(admin).channelMessage('report');
    expect((await chat.app.post(report)).status).toBe(200);
    expect(await recorded()).toEqual(keys([admin, people[3]!]));
  });
});
