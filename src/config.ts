import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const idList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter((item) => item !== ''),
  );

const httpUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.string().url().optional())
  .optional();

/** "true" or "false" (unset: false). */
const flag = optionalText
  .pipe(z.enum(['true', 'false']).default('false'))
  .transform((value) => value === 'true');

/** Where Entra's token endpoint is on its host (ENTRA_TOKEN_URL_TEMPLATE). */
export const ENTRA_TOKEN_PATH = '/{tenantId}/oauth2/v2.0/token';

/**
 * Variables that point sign-in checks at stand-ins: refused unless they point at a loopback
 * stand-in (http://127.0.0.1, localhost, [::1]: only a test runs one there) or BREVET_TEST_MODE
 * is true. A production configuration can never take its keys from a foreign host.
 */
export const TEST_ONLY_VARIABLES = [
  'BOT_OPENID_METADATA_URL',
  'BOT_TOKEN_ISSUER',
  'AAD_OPENID_METADATA_URL',
] as const;

/** Environment variables Brevet reads (Teams Toolkit names; see README "Configuration"). */
const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    BOT_ID: optionalText,
    BOT_PASSWORD: optionalText,
    BOT_TENANT_ID: optionalText,
    BOT_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMsi']).default('MultiTenant'),
    // Test mode: the test-only variables below are accepted, and loopback stand-ins of Microsoft's
    // services (http://127.0.0.1) may receive the bot's token and files. Never in production.
    BREVET_TEST_MODE: flag,
    // Test-only: where inbound Bot Framework tokens are checked. Production never sets these.
    BOT_OPENID_METADATA_URL: httpUrl,
    BOT_TOKEN_ISSUER: optionalText,
    SQLITE_PATH: z.string().trim().min(1).default('data/brevet.sqlite'),
    DATABASE_URL: optionalText.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
    ALLOWED_TENANT_IDS: idList,
    TEAMS_GLOBAL_RPS: z.coerce.number().positive().max(10000).default(50),
    // Days a message settled for good (with the member's display name) stays in the outbox.
    OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    ADMIN_AAD_OBJECT_IDS: idList,
    // The people the training office expects to train (the dashboard's population); optional.
    PROGRAMME_POPULATION: optionalText.pipe(
      z.coerce.number().int().min(1).max(10_000_000).optional(),
    ),
    AAD_APP_CLIENT_ID: optionalText,
    AAD_APP_TENANT_ID: optionalText,
    // Test-only: where tab SSO keys come from. Production never sets it.
    AAD_OPENID_METADATA_URL: httpUrl,
    CONTENT_DIR: z.string().trim().min(1).default('content'),
    // Owners of a team are its leads, looked up in Microsoft Graph with the bot's credentials.
    GRAPH_TEAM_OWNERS_ARE_LEADS: flag,
    // Set by Azure App Service for its managed identities (Brevet reads them, never sets them):
    // with BOT_TYPE UserAssignedMsi, Graph tokens come from there.
    IDENTITY_ENDPOINT: httpUrl,
    IDENTITY_HEADER: optionalText,
    // Test-only: where Microsoft Graph and the Entra token endpoint (per tenant) are. Production
    // never sets them.
    GRAPH_BASE_URL: httpUrl.pipe(z.string().default('https://graph.microsoft.com/v1.0')),
    ENTRA_TOKEN_URL_TEMPLATE: optionalText.pipe(
      z
        .string()
        .includes('{tenantId}', { message: 'must contain {tenantId}' })
        .refine((value) => URL.canParse(value.replace('{tenantId}', 'tenant')), 'must be a URL')
        // @azure/identity takes the host and signs in at this path of it, over HTTPS only.
        .refine(
          (value) => value.startsWith('https://') && value.endsWith(ENTRA_TOKEN_PATH),
          `must be https://<host>${ENTRA_TOKEN_PATH}`,
        )
        .default(`https://login.microsoftonline.com${ENTRA_TOKEN_PATH}`),
    ),
  })
  .superRefine((config, ctx) => {
    if (config.BOT_TYPE === 'SingleTenant' && config.BOT_ID && !config.BOT_TENANT_ID) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['BOT_TENANT_ID'],
        message: 'is required when BOT_TYPE is SingleTenant',
      });
    }
    if (Boolean(config.BOT_OPENID_METADATA_URL) !== Boolean(config.BOT_TOKEN_ISSUER)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [config.BOT_OPENID_METADATA_URL ? 'BOT_TOKEN_ISSUER' : 'BOT_OPENID_METADATA_URL'],
        message: 'BOT_OPENID_METADATA_URL and BOT_TOKEN_ISSUER are set together or not at all',
      });
    }
    if (!config.BREVET_TEST_MODE)
      for (const name of TEST_ONLY_VARIABLES) {
        // The issuer goes with the Bot Framework metadata URL: it is judged by that URL.
        const url = name === 'BOT_TOKEN_ISSUER' ? config.BOT_OPENID_METADATA_URL : config[name];
        if (config[name] && !isLoopbackUrl(url))
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [name],
            message:
              'is test-only (it replaces Microsoft sign-in keys): only a loopback stand-in, or set BREVET_TEST_MODE=true',
          });
      }
    if (config.GRAPH_TEAM_OWNERS_ARE_LEADS) {
      // App-only Graph tokens: by client credentials (the bot's app id and its secret), or from
      // App Service's managed identity endpoint for a bot that is a user-assigned identity.
      const needed =
        config.BOT_TYPE === 'UserAssignedMsi'
          ? (['BOT_ID', 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER'] as const)
          : (['BOT_ID', 'BOT_PASSWORD'] as const);
      for (const name of needed)
        if (!config[name])
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [name],
            message: 'is required when GRAPH_TEAM_OWNERS_ARE_LEADS is true',
          });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;

/** Thrown when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {}

/** Reads and validates the configuration; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return result.data;
}

/** The variable names the configuration accepts (compared with env files and infra by tests). */
export const CONFIG_VARIABLES = Object.keys(configSchema.innerType().shape);

/** Where the bot's token and exported files may go (trusted-endpoints.ts). */
export function endpointPolicy(config: AppConfig): { allowLoopback: boolean } {
  // Without BOT_ID nothing is authenticated and no token is ever attached (local use); with its
  // sign-in keys from a loopback stand-in, the app is under test and its connector is local too.
  return {
    allowLoopback:
      config.BREVET_TEST_MODE || !config.BOT_ID || isLoopbackUrl(config.BOT_OPENID_METADATA_URL),
  };
}

/** An http(s) URL on this machine's loopback (127.0.0.0/8, localhost, [::1]). */
export function isLoopbackUrl(value: string | undefined): boolean {
  if (!value) return false;
  try {
    const { protocol, hostname } = new URL(value);
    if (protocol !== 'http:' && protocol !== 'https:') return false;
    return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
  } catch {
    return false;
  }
}

/** Where the server listens: every interface with authentication, loopback only without. */
export function listenHost(config: AppConfig): string | undefined {
  return config.BOT_ID ? undefined : '127.0.0.1';
}
