import { ConfigError, endpointPolicy, loadConfig } from '../src/config';

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
    expect(config.GRAPH_BASE_URL).toBe('https://graph.microsoft.com/v1.0');
    expect(config.ENTRA_TOKEN_URL_TEMPLATE).toBe(
      'https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token',
    );
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
    const test = loadConfig({
      GRAPH_BASE_URL: 'http://127.0.0.1:4000/v1.0',
      ENTRA_TOKEN_URL_TEMPLATE: 'https://127.0.0.1:4001/{tenantId}/oauth2/v2.0/token',
    });
    expect(test.GRAPH_BASE_URL).toBe('http://127.0.0.1:4000/v1.0');
    expect(test.ENTRA_TOKEN_URL_TEMPLATE).toBe(
      'https://127.0.0.1:4001/{tenantId}/oauth2/v2.0/token',
    );
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

  it.each(['BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER', 'AAD_OPENID_METADATA_URL'])(
    'refuses the test-only %s pointing at a foreign host outside test mode, and names it',
    (name) => {
      const env = {
        BOT_ID: 'bot',
        BOT_OPENID_METADATA_URL: 'https://keys.example.net/metadata',
        BOT_TOKEN_ISSUER: 'https://issuer.test',
        AAD_OPENID_METADATA_URL: 'https://keys.example.net/aad',
      };
      expect(() => loadConfig(env)).toThrow(new RegExp(`${name}: is test-only`));
      expect(() => loadConfig({ ...env, BREVET_TEST_MODE: 'false' })).toThrow(name);
      expect(loadConfig({ ...env, BREVET_TEST_MODE: 'true' }).BREVET_TEST_MODE).toBe(true);
    },
  );

  it('accepts the test-only variables when they point at a loopback stand-in (a test)', () => {
    for (const host of ['127.0.0.1:4000', 'localhost:4000', '[::1]:4000']) {
      const config = loadConfig({
        BOT_ID: 'bot',
        BOT_OPENID_METADATA_URL: `http://${host}/metadata`,
        BOT_TOKEN_ISSUER: 'https://issuer.test',
        AAD_OPENID_METADATA_URL: `http://${host}/aad`,
      });
      expect(config.BOT_OPENID_METADATA_URL).toBe(`http://${host}/metadata`);
      // Its connector is a loopback stand-in too.
      expect(endpointPolicy(config).allowLoopback).toBe(true);
    }
    // A host that only starts like loopback is not.
    expect(() =>
      loadConfig({ AAD_OPENID_METADATA_URL: 'http://127.0.0.1.example.net/aad' }),
    ).toThrow(/AAD_OPENID_METADATA_URL: is test-only/);
  });

  it('lets loopback stand-ins receive the token only without BOT_ID or in test mode', () => {
    expect(endpointPolicy(loadConfig({})).allowLoopback).toBe(true);
    expect(endpointPolicy(loadConfig({ BOT_ID: 'bot' })).allowLoopback).toBe(false);
    expect(
      endpointPolicy(loadConfig({ BOT_ID: 'bot', BREVET_TEST_MODE: 'true' })).allowLoopback,
    ).toBe(true);
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
    [
      { BOT_OPENID_METADATA_URL: 'http://127.0.0.1/x', BREVET_TEST_MODE: 'true' },
      'BOT_TOKEN_ISSUER',
    ],
    [{ BOT_ID: 'x', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID'],
    [{ AAD_OPENID_METADATA_URL: 'not a url', BREVET_TEST_MODE: 'true' }, 'AAD_OPENID_METADATA_URL'],
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
    [{ GRAPH_BASE_URL: 'not a url' }, 'GRAPH_BASE_URL'],
    [{ ENTRA_TOKEN_URL_TEMPLATE: 'https://login.example/token' }, 'ENTRA_TOKEN_URL_TEMPLATE'],
    // @azure/identity signs in over HTTPS only, at {host}/{tenantId}/oauth2/v2.0/token.
    [
      { ENTRA_TOKEN_URL_TEMPLATE: 'http://127.0.0.1:4000/{tenantId}/oauth2/v2.0/token' },
      'ENTRA_TOKEN_URL_TEMPLATE',
    ],
    [
      { ENTRA_TOKEN_URL_TEMPLATE: 'https://login.example/{tenantId}/token' },
      'ENTRA_TOKEN_URL_TEMPLATE',
    ],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      new RegExp(`^Invalid configuration:[\\s\\S]*${variable}:`),
    );
  });
});
