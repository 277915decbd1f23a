import { CONFIG_VARIABLES, ConfigError, endpointPolicy, loadConfig } from '../src/config';
import { MICROSOFT_ENDPOINTS, TEST_ENDPOINT_VARIABLES } from '../src/service-endpoints';

describe('configuration', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.SQLITE_PATH).toBe('data/brevet.sqlite');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.BOT_ID).toBeUndefined();
    expect(config.TEAMS_GLOBAL_RPS).toBe(50);
    expect(config.ALLOWED_TENANT_IDS).toEqual([]);
    expect(config.GRAPH_TEAM_OWNERS_ARE_LEADS).toBe(false);
  });

  it('takes team owners as leads only when asked, with the bot credentials', () => {
    const bot = { BOT_ID: 'bot', BOT_PASSWORD: 'secret' };
    expect(
      loadConfig({ ...bot, GRAPH_TEAM_OWNERS_ARE_LEADS: 'true' }).GRAPH_TEAM_OWNERS_ARE_LEADS,
    ).toBe(true);
    expect(loadConfig({ GRAPH_TEAM_OWNERS_ARE_LEADS: 'false' }).GRAPH_TEAM_OWNERS_ARE_LEADS).toBe(
      false,
    );
    expect(loadConfig({ GRAPH_TEAM_OWNERS_ARE_LEADS: '' }).GRAPH_TEAM_OWNERS_ARE_LEADS).toBe(false);
  });

  it('takes team owners as leads with a managed identity bot, from App Service’s endpoint', () => {
    const config = loadConfig({
      GRAPH_TEAM_OWNERS_ARE_LEADS: 'true',
      BOT_ID: 'msi-client-id',
      BOT_TYPE: 'UserAssignedMsi',
      IDENTITY_ENDPOINT: 'http://127.0.0.1:41234/msi/token',
      IDENTITY_HEADER: 'secret-header',
    });
    expect(config.GRAPH_TEAM_OWNERS_ARE_LEADS).toBe(true);
    expect(config.BOT_PASSWORD).toBeUndefined();
  });

  it('lets loopback stand-ins receive the token only without BOT_ID or when a test says so', () => {
    const test = { ...MICROSOFT_ENDPOINTS, loopbackServices: true };
    expect(endpointPolicy(loadConfig({}), MICROSOFT_ENDPOINTS).allowLoopback).toBe(true);
    expect(endpointPolicy(loadConfig({ BOT_ID: 'bot' }), MICROSOFT_ENDPOINTS).allowLoopback).toBe(
      false,
    );
    expect(endpointPolicy(loadConfig({ BOT_ID: 'bot' }), test).allowLoopback).toBe(true);
  });

  it('has no setting that moves a Microsoft service (those are the test-only variables)', () => {
    for (const name of TEST_ENDPOINT_VARIABLES) expect(CONFIG_VARIABLES).not.toContain(name);
    // Set in the environment, they change nothing in the configuration.
    expect(
      loadConfig({ BOT_ID: 'bot', BOT_OPENID_METADATA_URL: 'https://keys.example.net' }),
    ).toEqual(loadConfig({ BOT_ID: 'bot' }));
  });

  it('splits and lower-cases id lists', () => {
    const config = loadConfig({ ALLOWED_TENANT_IDS: 'AAA, bbb,,', ADMIN_AAD_OBJECT_IDS: 'X' });
    expect(config.ALLOWED_TENANT_IDS).toEqual(['aaa', 'bbb']);
    expect(config.ADMIN_AAD_OBJECT_IDS).toEqual(['x']);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ BOT_TYPE: 'Whatever' }, 'BOT_TYPE'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ TEAMS_GLOBAL_RPS: '-1' }, 'TEAMS_GLOBAL_RPS'],
    [{ BOT_ID: 'x', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID'],
    [{ GRAPH_TEAM_OWNERS_ARE_LEADS: 'yes' }, 'GRAPH_TEAM_OWNERS_ARE_LEADS'],
    [{ GRAPH_TEAM_OWNERS_ARE_LEADS: 'true', BOT_PASSWORD: 'secret' }, 'BOT_ID'],
    [{ GRAPH_TEAM_OWNERS_ARE_LEADS: 'true', BOT_ID: 'bot' }, 'BOT_PASSWORD'],
    [
      { GRAPH_TEAM_OWNERS_ARE_LEADS: 'true', BOT_ID: 'bot', BOT_TYPE: 'UserAssignedMsi' },
      'IDENTITY_ENDPOINT',
    ],
    [
      {
        GRAPH_TEAM_OWNERS_ARE_LEADS: 'true',
        BOT_ID: 'bot',
        BOT_TYPE: 'UserAssignedMsi',
        IDENTITY_ENDPOINT: 'http://127.0.0.1:41234/msi/token',
      },
      'IDENTITY_HEADER',
    ],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      new RegExp(`^Invalid configuration:[\\s\\S]*${variable}:`),
    );
  });
});
