import { randomUUID } from 'node:crypto';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { createLogger } from '../../src/logger';
import { projectPath } from '../../src/project-paths';
import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyUnitStore } from '../../src/storage/unit-repository';
import { type OwnedTeam, type TeamOwnerDirectory } from '../../src/units/team-owner-directory';
import { UnitService } from '../../src/units/unit-service';
import { type Team } from '../../src/units/unit-store';
import { LogCapture, tempDir } from '../support/brevet-harness';

const programme = loadProgramme(projectPath('tests/fixtures/content'));

/** A directory that knows one team's owners, records every question, and can be made to fail. */
class StubDirectory implements TeamOwnerDirectory {
  readonly asked: { team: OwnedTeam; userKey: string }[] = [];
  failure: Error | undefined;
  constructor(private readonly owners: Map<string, string[]>) {}
  async isOwner(team: OwnedTeam, userKey: string): Promise<boolean> {
    this.asked.push({ team, userKey });
    if (this.failure) throw this.failure;
    return (this.owners.get(team.aadGroupId) ?? []).includes(userKey);
  }
}

describe('who is a lead of a unit', () => {
  const tmp = tempDir();
  let storage: Storage;
  const admin = randomUUID();
  const namedLead = randomUUID();
  const teamOwner = randomUUID();
  const aadGroupId = randomUUID();
  const team: Team = {
    teamId: '19:unit@thread.tacv2',
    tenantId: randomUUID(),
    name: 'Unit Alpha',
    serviceUrl: 'http://127.0.0.1:9/',
    channelId: '19:unit@thread.tacv2',
    timeZone: 'Europe/Brussels',
    aadGroupId,
  };
  const directory = new StubDirectory(new Map([[aadGroupId, [teamOwner]]]));
  const logs = new LogCapture();
  const service = (owners?: TeamOwnerDirectory) =>
    new UnitService(
      programme,
      new KyselyUnitStore(storage.db, storage.dialect),
      [admin],
      undefined,
      owners && { directory: owners, logger: createLogger('info', logs) },
    );

  beforeAll(async () => {
    storage = await openStorage({ sqlitePath: `${tmp.dir}/roles.sqlite` });
    const units = service();
    await units.saveTeam(team);
    await units.addLead(team.teamId, namedLead.toUpperCase(), admin);
  });
  beforeEach(() => {
    directory.asked.length = 0;
    directory.failure = undefined;
    logs.lines.length = 0;
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  it('without a directory: admins, named leads, and everyone else a member', async () => {
    const units = service();
    expect(await units.roleOf(team, admin.toUpperCase())).toBe('admin');
    expect(await units.roleOf(team, namedLead)).toBe('lead');
    expect(await units.roleOf(team, teamOwner)).toBe('member');
  });

  it("with a directory: the team's owners are leads too, whatever the id's case", async () => {
    const units = service(directory);
    expect(await units.roleOf(team, teamOwner.toUpperCase())).toBe('lead');
    expect(await units.roleOf(team, randomUUID())).toBe('member');
    expect(directory.asked[0]).toEqual({
      team: { tenantId: team.tenantId, aadGroupId },
      userKey: teamOwner,
    });
  });

  it('asks the directory only when admins and named leads do not settle it', async () => {
    const units = service(directory);
    expect(await units.roleOf(team, admin)).toBe('admin');
    expect(await units.roleOf(team, namedLead)).toBe('lead');
    expect(directory.asked).toEqual([]);
  });

  it('does not ask about a team whose group id is unknown, or a sender without an id', async () => {
    const units = service(directory);
    expect(await units.roleOf({ ...team, aadGroupId: null }, teamOwner)).toBe('member');
    expect(await units.roleOf({ ...team, aadGroupId: undefined }, teamOwner)).toBe('member');
    expect(await units.roleOf(team, '')).toBe('member');
    expect(directory.asked).toEqual([]);
  });

  it('fails closed: when the directory fails, an owner is a member, and a warning names no one', async () => {
    const units = service(directory);
    directory.failure = new Error('Graph team members: HTTP 500');

    expect(await units.roleOf(team, teamOwner)).toBe('member');
    expect(await units.roleOf(team, namedLead)).toBe('lead');
    expect(await units.roleOf(team, admin)).toBe('admin');

    const warnings = logs.lines.filter((line) => line.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      teamId: team.teamId,
      msg: expect.stringContaining('owner'),
    });
    expect(JSON.stringify(logs.lines)).not.toContain(teamOwner);
  });
});
