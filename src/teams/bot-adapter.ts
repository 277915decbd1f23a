import { type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { type AppConfig } from '../config';
import { type Logger } from '../logger';

const APP_TYPES = {
  MultiTenant: 'MultiTenant',
  SingleTenant: 'SingleTenant',
  UserAssignedMsi: 'UserAssignedMSI',
} as const;

// Public-cloud values for the outbound half (TEAMS-PLATFORM.md, "Bot Framework auth"): once any
// override is set, botbuilder drops every default, so the test overrides set all four together.
const PUBLIC_CLOUD_LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';
const PUBLIC_CLOUD_OAUTH_SCOPE = 'https://api.botframework.com';

/**
 * The Bot Framework adapter. Without BOT_ID, inbound requests are not authenticated (local use,
 * Agents Playground); with BOT_ID, botbuilder's own validation rejects any request without a
 * valid channel token.
 */
export function createAdapter(config: AppConfig, logger: Logger): TeamsAdapter {
  const auth: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.BOT_ID ?? '',
    MicrosoftAppPassword: config.BOT_PASSWORD ?? '',
    MicrosoftAppType: APP_TYPES[config.BOT_TYPE],
    MicrosoftAppTenantId: config.BOT_TENANT_ID ?? '',
  } as ConfigurationBotFrameworkAuthenticationOptions;
  if (config.BOT_OPENID_METADATA_URL && config.BOT_TOKEN_ISSUER) {
    Object.assign(auth, {
      ToBotFromChannelOpenIdMetadataUrl: config.BOT_OPENID_METADATA_URL,
      ToBotFromChannelTokenIssuer: config.BOT_TOKEN_ISSUER,
      ToChannelFromBotLoginUrl: PUBLIC_CLOUD_LOGIN_URL,
      ToChannelFromBotOAuthScope: PUBLIC_CLOUD_OAUTH_SCOPE,
    });
  }
  const adapter = new TeamsAdapter(auth);
  adapter.onTurnError = async (context, error) => {
    // Reached only for errors outside the features' own guards (e.g. an activity without ids).
    logger.error(
      { err: error, activityType: context.activity?.type },
      'unhandled error in turn',
    );
  };
  return adapter;
}
