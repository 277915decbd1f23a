import {
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';
import {
  type AuthenticateRequestResult,
  BotFrameworkAuthentication,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { LRUCache } from 'lru-cache';
import { type AppConfig } from '../config';
import { type Logger } from '../logger';
import { MICROSOFT_ENDPOINTS, type ServiceEndpoints } from '../service-endpoints';

const APP_TYPES = {
  MultiTenant: 'MultiTenant',
  SingleTenant: 'SingleTenant',
  UserAssignedMsi: 'UserAssignedMSI',
} as const;

// Public-cloud values for the outbound half (botframework-connector's AuthenticationConstants):
// once any override is set, BotFrameworkAuthenticationFactory.create drops every default, so the
// test overrides set all four together.
const PUBLIC_CLOUD_LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';
const PUBLIC_CLOUD_OAUTH_SCOPE = 'https://api.botframework.com';

/** What the HTTP layer answers for one activity. */
export interface TurnOutcome {
  status: number;
  body?: unknown;
  /** Why a request was refused (for the logs, never for the caller). */
  refusal?: string;
}

// Token-library errors that mean "not authenticated" but that botbuilder lets through as 500
// (a forged signature, a token not yet valid).
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

function isAuthenticationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 401 || status === 403 || TOKEN_ERRORS.has(error.name);
}

/** ISO strings to Dates for the activity's times, as botbuilder's own `process` does. */
function withDates(activity: Activity): Activity {
  for (const key of ['timestamp', 'localTimestamp', 'expiration'] as const) {
    const value = activity[key] as unknown;
    if (typeof value === 'string')
      (activity as unknown as Record<string, unknown>)[key] = new Date(value);
  }
  return activity;
}

/**
 * botbuilder's authentication, except that the clients a turn replies through are built once
 * and kept. CloudAdapter builds a new ConnectorClient and UserTokenClient (an HTTP pipeline each)
 * for every turn: about a tenth of a turn's CPU here. They hold nothing of the turn (the
 * credentials cache their own tokens), so one per app id, service URL and audience serves every
 * turn. Authentication itself is unchanged: every request is still checked by `inner`.
 */
export class ClientReusingAuthentication extends BotFrameworkAuthentication {
  private readonly connectors = new LRUCache<string, Promise<ConnectorClient>>({ max: 64 });
  private readonly userTokens = new LRUCache<string, Promise<UserTokenClient>>({ max: 16 });

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(activity: Activity, authHeader: string) {
    return this.withReusedConnectors(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(authHeader: string, channelIdHeader: string) {
    return this.withReusedConnectors(
      await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader),
    );
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(claimsIdentity, this.inner.createConnectorFactory(claimsIdentity));
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.kept(this.userTokens, appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient() {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private withReusedConnectors(result: AuthenticateRequestResult): AuthenticateRequestResult {
    return result.connectorFactory
      ? {
          ...result,
          connectorFactory: this.reusing(result.claimsIdentity, result.connectorFactory),
        }
      : result;
  }

  private reusing(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.kept(this.connectors, `${appId} ${serviceUrl} ${audience ?? ''}`, () =>
          factory.create(serviceUrl, audience),
        ),
    };
  }

  /** The kept value for `key`, made by `make` once; a failure is not kept. */
  private kept<T extends object>(
    cache: LRUCache<string, Promise<T>>,
    key: string,
    make: () => Promise<T>,
  ): Promise<T> {
    const found = cache.get(key);
    if (found) return found;
    const made = make();
    cache.set(key, made);
    made.catch(() => cache.delete(key));
    return made;
  }
}

/** The bot the request was addressed to (the token's audience; empty without authentication). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? '';
}

/**
 * TeamsAdapter with one entry point for the HTTP layer: every authentication failure is a 401
 * with no detail (botbuilder's `process` answers some with 500 and echoes the error text); the
 * clients each turn replies through are kept between turns (ClientReusingAuthentication).
 */
export class BrevetAdapter extends TeamsAdapter {
  constructor(auth: ConfigurationBotFrameworkAuthenticationOptions) {
    super(auth);
    // CloudAdapterBase reads its authentication from this field on every turn.
    const self = this as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication };
    self.botFrameworkAuthentication = new ClientReusingAuthentication(
      self.botFrameworkAuthentication,
    );
  }

  async receive(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<TurnOutcome> {
    try {
      const invokeResponse = await this.processActivity(authHeader, withDates(activity), logic);
      return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
    } catch (error) {
      if (isAuthenticationFailure(error))
        return { status: 401, body: { error: 'unauthorized' }, refusal: (error as Error).message };
      throw error;
    }
  }
}

/**
 * The Bot Framework adapter. Without BOT_ID, inbound requests are not authenticated (local use,
 * Agents Playground); with BOT_ID, botbuilder's own validation rejects any request without a
 * valid channel token.
 */
export function createAdapter(
  config: AppConfig,
  logger: Logger,
  endpoints: ServiceEndpoints = MICROSOFT_ENDPOINTS,
): BrevetAdapter {
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: APP_TYPES[config.BOT_TYPE],
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions;
  if (endpoints.botFrameworkKeys) {
    Object.assign(auth, {
      ToBotFromChannelOpenIdMetadataUrl: endpoints.botFrameworkKeys.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: endpoints.botFrameworkKeys.tokenIssuer,
      ToChannelFromBotLoginUrl: PUBLIC_CLOUD_LOGIN_URL,
      ToChannelFromBotOAuthScope: PUBLIC_CLOUD_OAUTH_SCOPE,
    });
  }
  const adapter = new BrevetAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    // Reached only for errors outside the features' own guards (e.g. an activity without ids).
    logger.error({ err: error, activityType: context.activity?.type }, 'unhandled error in turn');
  };
  return adapter;
}
