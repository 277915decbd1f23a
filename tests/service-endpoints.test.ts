import { ConfigError } from '../src/config';
import { isLoopbackUrl, MICROSOFT_ENDPOINTS, testEndpointsFromEnv } from '../src/service-endpoints';

describe("where Microsoft's services are", () => {
  it("is Microsoft's when no test-only variable is set", () => {
    expect(testEndpointsFromEnv({})).toBeUndefined();
    expect(testEndpointsFromEnv({ BOT_ID: 'bot', BREVET_TEST_MODE: '' })).toBeUndefined();
    expect(MICROSOFT_ENDPOINTS).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com/v1.0',
      entraAuthorityHost: 'https://login.microsoftonline.com',
      loopbackServices: false,
    });
  });

  it.each(['BOT_OPENID_METADATA_URL', 'BOT_TOKEN_ISSUER', 'AAD_OPENID_METADATA_URL'])(
    'refuses the test-only %s pointing at a foreign host outside test mode, and names it',
    (name) => {
      const env = {
        BOT_OPENID_METADATA_URL: 'https://keys.example.net/metadata',
        BOT_TOKEN_ISSUER: 'https://issuer.test',
        AAD_OPENID_METADATA_URL: 'https://keys.example.net/aad',
      };
      expect(() => testEndpointsFromEnv(env)).toThrow(ConfigError);
      expect(() => testEndpointsFromEnv(env)).toThrow(new RegExp(`${name}: is test-only`));
      expect(() => testEndpointsFromEnv({ ...env, BREVET_TEST_MODE: 'false' })).toThrow(name);
      expect(testEndpointsFromEnv({ ...env, BREVET_TEST_MODE: 'true' })).toMatchObject({
        botFrameworkKeys: {
          openIdMetadataUrl: 'https://keys.example.net/metadata',
          tokenIssuer: 'https://issuer.test',
        },
        entraOpenIdMetadataUrl: 'https://keys.example.net/aad',
        loopbackServices: true,
      });
    },
  );

  it('accepts them when they point at a loopback stand-in (a test), whose connector is local too', () => {
    for (const host of ['127.0.0.1:4000', 'localhost:4000', '[::1]:4000']) {
      const endpoints = testEndpointsFromEnv({
        BOT_OPENID_METADATA_URL: `http://${host}/metadata`,
        BOT_TOKEN_ISSUER: 'https://issuer.test',
        AAD_OPENID_METADATA_URL: `http://${host}/aad`,
      });
      expect(endpoints).toEqual({
        botFrameworkKeys: {
          openIdMetadataUrl: `http://${host}/metadata`,
          tokenIssuer: 'https://issuer.test',
        },
        entraOpenIdMetadataUrl: `http://${host}/aad`,
        graphBaseUrl: 'https://graph.microsoft.com/v1.0',
        entraAuthorityHost: 'https://login.microsoftonline.com',
        loopbackServices: true,
      });
    }
    // Tab SSO keys alone from a stand-in: the bot's connector is not trusted on loopback.
    expect(
      testEndpointsFromEnv({ AAD_OPENID_METADATA_URL: 'http://127.0.0.1:4000/aad' })
        ?.loopbackServices,
    ).toBe(false);
    // A host that only starts like loopback is not.
    expect(() =>
      testEndpointsFromEnv({ AAD_OPENID_METADATA_URL: 'http://127.0.0.1.example.net/aad' }),
    ).toThrow(/AAD_OPENID_METADATA_URL: is test-only/);
  });

  it('takes Graph and the Entra sign-in host from their stand-ins', () => {
    expect(
      testEndpointsFromEnv({
        GRAPH_BASE_URL: 'http://127.0.0.1:4000/v1.0',
        ENTRA_TOKEN_URL_TEMPLATE: 'https://127.0.0.1:4001/{tenantId}/oauth2/v2.0/token',
      }),
    ).toMatchObject({
      graphBaseUrl: 'http://127.0.0.1:4000/v1.0',
      entraAuthorityHost: 'https://127.0.0.1:4001',
    });
    expect(() =>
      testEndpointsFromEnv({ GRAPH_BASE_URL: 'https://graph.example.net/v1.0' }),
    ).toThrow(/GRAPH_BASE_URL: is test-only/);
  });

  it.each([
    [
      { BOT_OPENID_METADATA_URL: 'http://127.0.0.1/x', BREVET_TEST_MODE: 'true' },
      'BOT_TOKEN_ISSUER',
    ],
    [
      { BOT_TOKEN_ISSUER: 'https://issuer.test', BREVET_TEST_MODE: 'true' },
      'BOT_OPENID_METADATA_URL',
    ],
    [{ AAD_OPENID_METADATA_URL: 'not a url', BREVET_TEST_MODE: 'true' }, 'AAD_OPENID_METADATA_URL'],
    [{ GRAPH_BASE_URL: 'not a url', BREVET_TEST_MODE: 'true' }, 'GRAPH_BASE_URL'],
    [{ BREVET_TEST_MODE: 'yes' }, 'BREVET_TEST_MODE'],
    [{ ENTRA_TOKEN_URL_TEMPLATE: 'https://login.example/token' }, 'ENTRA_TOKEN_URL_TEMPLATE'],
    // @azure/identity signs in over HTTPS only, at {host}/{tenantId}/oauth2/v2.0/token.
    [
      { ENTRA_TOKEN_URL_TEMPLATE: 'http://127.0.0.1:4000/{tenantId}/oauth2/v2.0/token' },
      'ENTRA_TOKEN_URL_TEMPLATE',
    ],
    [
      { ENTRA_TOKEN_URL_TEMPLATE: 'https://127.0.0.1:4000/{tenantId}/token' },
      'ENTRA_TOKEN_URL_TEMPLATE',
    ],
  ])('stops on %j with a message naming %s', (env, variable) => {
    expect(() => testEndpointsFromEnv(env)).toThrow(ConfigError);
    expect(() => testEndpointsFromEnv(env)).toThrow(
      new RegExp(`^Invalid configuration:[\\s\\S]*${variable}:`),
    );
  });

  it('knows loopback URLs', () => {
    expect(isLoopbackUrl('http://127.0.0.1:3978/x')).toBe(true);
    expect(isLoopbackUrl('https://127.1.2.3')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:80')).toBe(true);
    expect(isLoopbackUrl('http://localhost')).toBe(true);
    expect(isLoopbackUrl('ftp://127.0.0.1')).toBe(false);
    expect(isLoopbackUrl('http://127.0.0.1.example.net')).toBe(false);
    expect(isLoopbackUrl('http://10.0.0.1')).toBe(false);
    expect(isLoopbackUrl(undefined)).toBe(false);
  });
});
