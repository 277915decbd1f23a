import { z } from 'zod';
import type { ServiceEndpoints } from './service-endpoints';

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

/**
 * Environment variables Brevet reads (Teams Toolkit names; see README "Configuration"). Where
 * Microsoft's services are is not among them: see service-endpoints.ts.
 */
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
    CONTENT_DIR: z.string().trim().min(1).default('content'),
    // Owners of a team are its leads, looked up in Microsoft Graph with the bot's credentials.
    GRAPH_TEAM_OWNERS_ARE_LEADS: flag,
    // Set by Azure App Service for its managed identities (Brevet reads them, never sets them):
    // with BOT_TYPE UserAssignedMsi, Graph tokens come from there.
    IDENTITY_ENDPOINT: httpUrl,
    IDENTITY_HEADER: optionalText,
  })
  .superRefine((config, ctx) => {
    if (config.BOT_TYPE === 'SingleTenant' && config.BOT_ID && !config.BOT_TENANT_ID) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['BOT_TENANT_ID'],
        message: 'is required when BOT_TYPE is SingleTenant',
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
export function endpointPolicy(
  config: AppConfig,
  endpoints: ServiceEndpoints,
): { allowLoopback: boolean } {
  // Without BOT_ID nothing is authenticated and no token is ever attached (local use); a test
  // says so when its connector and files are loopback stand-ins.
  return { allowLoopback: !config.BOT_ID || endpoints.loopbackServices };
}

/** Where the server listens: every interface with authentication, loopback only without. */
export function listenHost(config: AppConfig): string | undefined {
  return config.BOT_ID ? undefined : '127.0.0.1';
}
