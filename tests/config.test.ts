import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3978);
    expect(config.SQLITE_PATH).toBe('data/brevet.sqlite');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.BOT_ID).toBeUndefined();
    expect(config.TEAMS_GLOBAL_RPS).toBe(50);
    expect(config.ALLOWED_TENANT_IDS).toEqual([]);
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
    [{ BOT_OPENID_METADATA_URL: 'http://127.0.0.1/x' }, 'BOT_TOKEN_ISSUER'],
    [{ BOT_ID: 'x', BOT_TYPE: 'SingleTenant' }, 'BOT_TENANT_ID'],
    [{ AAD_OPENID_METADATA_URL: 'not a url' }, 'AAD_OPENID_METADATA_URL'],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(
      new RegExp(`^Invalid configuration:[\\s\\S]*${variable}:`),
    );
  });
});
