import { z } from 'zod';
import { ConfigError } from './config';

/**
 * Where Microsoft's services are for the app: Microsoft's own in production (the default, and
 * nothing in the production configuration can change it). Tests point them at loopback
 * stand-ins through createBrevet's options; a whole process under test (an outside acceptance
 * test, tests/support/app-main.ts) through the test-only variables read by `testEndpointsFromEnv`.
 */
export interface ServiceEndpoints {
  /** Where inbound Bot Framework channel tokens are checked (Microsoft's when absent). */
  botFrameworkKeys?: { openIdMetadataUrl: string; tokenIssuer: string };
  /** Where tab SSO tokens' keys come from (Entra's, per tenant, when absent). */
  entraOpenIdMetadataUrl?: string;
  /** Microsoft Graph. */
  graphBaseUrl: string;
  /** Entra ID's sign-in host (app-only Graph tokens, over HTTPS). */
  entraAuthorityHost: string;
  /** Loopback stand-ins may receive the bot's token and exported files (tests only). */
  loopbackServices: boolean;
}

export const MICROSOFT_ENDPOINTS: ServiceEndpoints = Object.freeze({
  graphBaseUrl: 'https://graph.microsoft.com/v1.0',
  entraAuthorityHost: 'https://login.microsoftonline.com',
  loopbackServices: false,
});

/** Where Entra's token endpoint is on its host (ENTRA_TOKEN_URL_TEMPLATE). */
export const ENTRA_TOKEN_PATH = '/{tenantId}/oauth2/v2.0/token';

/**
 * The test-only variables (README "Configuration": explicit variables production never
 * sets). BREVET_TEST_MODE=true accepts them whatever they point at; without it they are
 * accepted only when they point at a loopback stand-in (only a test runs one there).
 */
export const TEST_ENDPOINT_VARIABLES = [
  'BREVET_TEST_MODE',
  'BOT_OPENID_METADATA_URL',
  'BOT_TOKEN_ISSUER',
  'AAD_OPENID_METADATA_URL',
  'GRAPH_BASE_URL',
  'ENTRA_TOKEN_URL_TEMPLATE',
] as const;

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.string().url().optional())
  .optional();

const testSchema = z
  .object({
    BREVET_TEST_MODE: z
      .enum(['true', 'false', ''])
      .optional()
      .transform((value) => value === 'true'),
    BOT_OPENID_METADATA_URL: optionalUrl,
    BOT_TOKEN_ISSUER: z
      .string()
      .trim()
      .transform((value) => (value === '' ? undefined : value))
      .optional(),
    AAD_OPENID_METADATA_URL: optionalUrl,
    GRAPH_BASE_URL: optionalUrl,
    ENTRA_TOKEN_URL_TEMPLATE: optionalUrl.pipe(
      z
        .string()
        // @azure/identity takes the host and signs in at this path of it, over HTTPS only.
        .refine(
          (value) => value.startsWith('https://') && value.endsWith(ENTRA_TOKEN_PATH),
          `must be https://<host>${ENTRA_TOKEN_PATH}`,
        )
        .optional(),
    ),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.BOT_OPENID_METADATA_URL) !== Boolean(env.BOT_TOKEN_ISSUER))
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [env.BOT_OPENID_METADATA_URL ? 'BOT_TOKEN_ISSUER' : 'BOT_OPENID_METADATA_URL'],
        message: 'BOT_OPENID_METADATA_URL and BOT_TOKEN_ISSUER are set together or not at all',
      });
    if (env.BREVET_TEST_MODE) return;
    for (const name of TEST_ENDPOINT_VARIABLES) {
      if (name === 'BREVET_TEST_MODE' || !env[name]) continue;
      // The issuer goes with the Bot Framework metadata URL: it is judged by that URL.
      const url = name === 'BOT_TOKEN_ISSUER' ? env.BOT_OPENID_METADATA_URL : env[name];
      if (!isLoopbackUrl(url))
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: [name],
          message:
            'is test-only (it replaces a Microsoft service): only a loopback stand-in, or set BREVET_TEST_MODE=true',
        });
    }
  });

/**
 * The endpoints the test-only variables name, or undefined when none is set (production).
 * Throws a ConfigError naming each bad variable.
 */
export function testEndpointsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ServiceEndpoints | undefined {
  if (!TEST_ENDPOINT_VARIABLES.some((name) => env[name]?.trim())) return undefined;
  const result = testSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const vars = result.data;
  return {
    botFrameworkKeys:
      vars.BOT_OPENID_METADATA_URL && vars.BOT_TOKEN_ISSUER
        ? { openIdMetadataUrl: vars.BOT_OPENID_METADATA_URL, tokenIssuer: vars.BOT_TOKEN_ISSUER }
        : undefined,
    entraOpenIdMetadataUrl: vars.AAD_OPENID_METADATA_URL,
    graphBaseUrl: vars.GRAPH_BASE_URL ?? MICROSOFT_ENDPOINTS.graphBaseUrl,
    entraAuthorityHost: vars.ENTRA_TOKEN_URL_TEMPLATE
      ? vars.ENTRA_TOKEN_URL_TEMPLATE.slice(0, -ENTRA_TOKEN_PATH.length)
      : MICROSOFT_ENDPOINTS.entraAuthorityHost,
    // Signed in against a stand-in, the app is under test: its connector is local too.
    loopbackServices: vars.BREVET_TEST_MODE || isLoopbackUrl(vars.BOT_OPENID_METADATA_URL),
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
