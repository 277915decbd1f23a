import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { type Activity } from 'botbuilder';
import { ClientReusingAuthentication } from '../../src/teams/bot-adapter';

/** An authentication that counts what it builds and checks every request itself. */
class CountingAuthentication extends BotFrameworkAuthentication {
  connectorsMade = 0;
  userTokenClientsMade = 0;
  authenticated = 0;
  failNextConnector = false;

  authenticateRequest(_activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    this.authenticated += 1;
    if (authHeader !== 'Bearer good') return Promise.reject(new Error('unauthorized'));
    const claimsIdentity = new ClaimsIdentity([{ type: 'aud', value: 'bot-app-id' }], true);
    return Promise.resolve({
      claimsIdentity,
      audience: 'https://api.botframework.com',
      callerId: 'urn:botframework:azure',
      connectorFactory: this.createConnectorFactory(),
    });
  }

  authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    return Promise.reject(new Error('not used'));
  }

  createConnectorFactory(): ConnectorFactory {
    return {
      create: (serviceUrl: string) => {
        if (this.failNextConnector) {
          this.failNextConnector = false;
          return Promise.reject(new Error('token endpoint down'));
        }
        this.connectorsMade += 1;
        return Promise.resolve({
          serviceUrl,
          n: this.connectorsMade,
        } as unknown as ConnectorClient);
      },
    };
  }

  createUserTokenClient(): Promise<UserTokenClient> {
    this.userTokenClientsMade += 1;
    return Promise.resolve({ n: this.userTokenClientsMade } as unknown as UserTokenClient);
  }
}

const activity = { type: 'message' } as Activity;
const TEAMS = 'https://smba.trafficmanager.net/emea/';

describe('clients kept between turns', () => {
  it('checks every request but builds one connector per service URL and one token client', async () => {
    const inner = new CountingAuthentication();
    const auth = new ClientReusingAuthentication(inner);
    const turn = async (serviceUrl: string) => {
      const result = await auth.authenticateRequest(activity, 'Bearer good');
      return {
        connector: await result.connectorFactory!.create(serviceUrl, result.audience),
        userTokens: await auth.createUserTokenClient(result.claimsIdentity),
      };
    };

    const first = await turn(TEAMS);
    const second = await turn(TEAMS);
    const other = await turn('https://smba.trafficmanager.net/amer/');

    expect(inner.authenticated).toBe(3);
    expect(second.connector).toBe(first.connector);
    expect(other.connector).not.toBe(first.connector);
    expect(inner.connectorsMade).toBe(2);
    expect(second.userTokens).toBe(first.userTokens);
    expect(inner.userTokenClientsMade).toBe(1);
  });

  it('still refuses a request its authentication refuses', async () => {
    const auth = new ClientReusingAuthentication(new CountingAuthentication());
    await auth.authenticateRequest(activity, 'Bearer good');
    await expect(auth.authenticateRequest(activity, 'Bearer forged')).rejects.toThrow(
      'unauthorized',
    );
  });

  it('does not keep a connector that failed to build: the next turn builds it again', async () => {
    const inner = new CountingAuthentication();
    const auth = new ClientReusingAuthentication(inner);
    inner.failNextConnector = true;
    const result = await auth.authenticateRequest(activity, 'Bearer good');
    await expect(result.connectorFactory!.create(TEAMS, result.audience)).rejects.toThrow(
      'token endpoint down',
    );
    const again = await auth.authenticateRequest(activity, 'Bearer good');
    await expect(again.connectorFactory!.create(TEAMS, again.audience)).resolves.toMatchObject({
      serviceUrl: TEAMS,
    });
    expect(inner.connectorsMade).toBe(1);
  });
});
