import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** The signed-in user of the tab, from a verified Teams SSO token. */
export interface SsoIdentity {
  /** Entra object id of the user. */
  oid: string;
  /** Tenant id, lower case. */
  tid: string;
}

/** Why a token was refused; logged, never returned to the caller. */
export class SsoTokenError extends Error {}

export interface SsoVerifierOptions {
  clientId: string;
  tenantId: string;
  /** Lower-case tenant ids; empty means any tenant the issuer check accepts. */
  allowedTenantIds: readonly string[];
  /** Test-only override of the Entra OpenID metadata document. */
  metadataUrl?: string;
}

const REQUIRED_SCOPE = 'access_as_user';
const CLOCK_TOLERANCE_SECONDS = 60;
const VERIFIED_CACHE_SIZE = 10_000;

function audienceMatches(aud: JWTPayload['aud'], clientId: string): boolean {
  const audiences = Array.isArray(aud) ? aud : aud ? [aud] : [];
  // v2 tokens carry the client id; v1 tokens the Application ID URI api://<domain>/<client id>.
  return audiences.some(
    (value) => value === clientId || (value.startsWith('api://') && value.endsWith(`/${clientId}`)),
  );
}

/**
 * Verifies Teams tab SSO tokens: signature against the tenant's JWKS, exp/nbf, audience, v1 or v2
 * issuer of the tenant, `scp` with access_as_user, tenant allowed
 * (https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code).
 * The identity is the token's oid + tid; nothing else in a request can name a learner.
 */
export function createSsoVerifier(options: SsoVerifierOptions) {
  const tenantId = options.tenantId.toLowerCase();
  const metadataUrl =
    options.metadataUrl ??
    `https://login.microsoftonline.com/${tenantId}/v2.0/.well-known/openid-configuration`;
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;

  async function keySet() {
    if (!keys) {
      const response = await fetch(metadataUrl, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`OpenID metadata answered ${response.status}`);
      const metadata = (await response.json()) as { jwks_uri?: string };
      if (!metadata.jwks_uri) throw new Error('OpenID metadata has no jwks_uri');
      keys = createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: 5000 });
    }
    return keys;
  }

  // A tab sends the same token (valid about an hour) on every call: remember the tokens already
  // verified, until they expire (at most five minutes), so each is checked with RSA once.
  const verified = new Map<string, { identity: SsoIdentity; until: number }>();

  return async function verify(token: string): Promise<SsoIdentity> {
    const known = verified.get(token);
    if (known && known.until > Date.now()) return known.identity;
    if (known) verified.delete(token);
    const identity = await check(token);
    if (verified.size >= VERIFIED_CACHE_SIZE)
      verified.delete(verified.keys().next().value as string);
    verified.set(token, {
      identity: identity.identity,
      until: Math.min(identity.expiresAt, Date.now() + 5 * 60_000),
    });
    return identity.identity;
  };

  async function check(token: string): Promise<{ identity: SsoIdentity; expiresAt: number }> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await keySet(), {
        algorithms: ['RS256'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iss', 'aud', 'tid', 'oid'],
      }));
    } catch (error) {
      throw new SsoTokenError(`token rejected: ${(error as Error).message}`);
    }
    const tid = String(payload.tid).toLowerCase();
    const issuers = [
      `https://login.microsoftonline.com/${tid}/v2.0`,
      `https://sts.windows.net/${tid}/`,
    ];
    if (!audienceMatches(payload.aud, options.clientId)) throw new SsoTokenError('wrong audience');
    if (!issuers.includes(String(payload.iss))) throw new SsoTokenError('wrong issuer');
    if (tid !== tenantId && !['common', 'organizations'].includes(tenantId))
      throw new SsoTokenError('token from another tenant than the app');
    if (options.allowedTenantIds.length > 0 && !options.allowedTenantIds.includes(tid))
      throw new SsoTokenError('tenant not allowed');
    const scopes = String(payload.scp ?? '').split(' ');
    if (!scopes.includes(REQUIRED_SCOPE)) throw new SsoTokenError('scope access_as_user missing');
    return {
      identity: { oid: String(payload.oid).toLowerCase(), tid },
      expiresAt: Number(payload.exp) * 1000,
    };
  }
}

export type SsoVerifier = ReturnType<typeof createSsoVerifier>;
