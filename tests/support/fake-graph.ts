import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { loopbackTls } from './loopback-tls';
import { LoopbackServer, sendJson } from './loopback-server';

/** A team member as Graph's conversationMember (aadUserConversationMember) describes them. */
export interface FakeTeamMember {
  userId: string;
  roles: ('owner' | 'guest')[];
  displayName?: string;
  email?: string;
}

interface Failure {
  status: number;
  retryAfterSeconds?: number;
  /** How many more requests fail (Infinity: until `heal`). */
  remaining: number;
}

export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const OWNER_FILTER = "roles/any(r:r eq 'owner')";

// MSAL signs in over HTTPS only: the Entra stand-in serves a loopback certificate made for the
// test run (loopback-tls.ts), and the app trusts that one certificate for it.
const TLS = loopbackTls();

/**
 * A loopback stand-in for Entra ID as @azure/identity (MSAL) calls it, over HTTPS: the tenant's
 * OpenID configuration (`/{tenantId}/v2.0/.well-known/openid-configuration`) and its token
 * endpoint (`/{tenantId}/oauth2/v2.0/token`, OAuth 2.0 client credentials); for App Service's
 * managed identity endpoint; and for Microsoft Graph's "List members of team" filtered on the
 * owner role (`/v1.0/teams/{id}/members`). The token endpoints check the request (grant type,
 * client id and secret, scope; the identity header) and issue opaque tokens; Graph answers 401
 * without one of them, 400 for a role filter without $top or $skiptoken (a documented Graph
 * quirk), pages with @odata.nextLink, and can be told to fail for a team (429 with Retry-After,
 * 500, 403...). Every token and Graph request is counted.
 */
export class FakeGraph {
  /** Requests per endpoint, including refused ones. */
  tokenRequests = 0;
  graphRequests = 0;
  /** Owners per page (small, so that paging is exercised). */
  pageSize = 2;
  /** Lifetime Entra gives a token. */
  tokenLifetimeSeconds = 3599;
  /** Tokens issued so far (to check none of them is logged). */
  readonly issuedTokens: string[] = [];

  private readonly server = new LoopbackServer((req, res) => this.handle(req, res));
  private readonly entra = new LoopbackServer((req, res) => this.handleEntra(req, res), TLS);
  private readonly tokenTenants = new Map<string, string>();
  private readonly teams = new Map<string, { tenantId: string; members: FakeTeamMember[] }>();
  private readonly failures = new Map<string, Failure>();

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  get baseUrl(): string {
    return this.server.url;
  }

  /** For GRAPH_BASE_URL. */
  get graphUrl(): string {
    return `${this.baseUrl}/v1.0`;
  }

  /**
   * App Service's managed identity endpoint (IDENTITY_ENDPOINT; IDENTITY_HEADER is
   * `managedIdentityHeader`). Its tokens are the identity's (`clientId`) in `managedIdentityTenant`.
   */
  get managedIdentityEndpoint(): string {
    return `${this.baseUrl}/msi/token`;
  }
  readonly managedIdentityHeader = `identity-header-${randomBytes(6).toString('hex')}`;
  managedIdentityTenant = '';

  /** Entra's sign-in host (HTTPS, with `certificate`). */
  get authorityHost(): string {
    return this.entra.url;
  }

  /** For ENTRA_TOKEN_URL_TEMPLATE. */
  get tokenUrlTemplate(): string {
    return `${this.authorityHost}/{tenantId}/oauth2/v2.0/token`;
  }

  /** The PEM certificate Entra's stand-in serves: the one the app must trust for it. */
  readonly certificate = TLS.cert;

  async start(): Promise<this> {
    await Promise.all([this.server.start(), this.entra.start()]);
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all([this.server.stop(), this.entra.stop()]);
  }

  /** The team (by its Microsoft 365 group id) in a tenant, and its members with their roles. */
  setTeam(aadGroupId: string, tenantId: string, members: FakeTeamMember[]): void {
    this.teams.set(aadGroupId.toLowerCase(), { tenantId: tenantId.toLowerCase(), members });
  }

  /** Graph calls about this team answer `status` (the next `times` of them; default: all). */
  failTeam(
    aadGroupId: string,
    status: number,
    options: { times?: number; retryAfterSeconds?: number } = {},
  ): void {
    this.failures.set(aadGroupId.toLowerCase(), {
      status,
      retryAfterSeconds: options.retryAfterSeconds,
      remaining: options.times ?? Infinity,
    });
  }

  heal(aadGroupId: string): void {
    this.failures.delete(aadGroupId.toLowerCase());
  }

  resetCounts(): void {
    this.tokenRequests = 0;
    this.graphRequests = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      sendJson(res, status, body, headers);
    const url = new URL(req.url ?? '/', this.baseUrl);

    if (url.pathname === '/msi/token') {
      this.tokenRequests += 1;
      if (req.headers['x-identity-header'] !== this.managedIdentityHeader) {
        send(401, { error: 'unauthorized', error_description: 'X-IDENTITY-HEADER mismatch' });
        return;
      }
      if (
        req.method !== 'GET' ||
        url.searchParams.get('resource') !== 'https://graph.microsoft.com' ||
        url.searchParams.get('api-version') !== '2019-08-01' ||
        url.searchParams.get('client_id') !== this.clientId
      ) {
        send(400, { error: 'invalid_request' });
        return;
      }
      const token = `fake-msi-token-${randomBytes(12).toString('hex')}`;
      this.issuedTokens.push(token);
      this.tokenTenants.set(token, this.managedIdentityTenant.toLowerCase());
      send(200, {
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + this.tokenLifetimeSeconds),
        resource: 'https://graph.microsoft.com',
        token_type: 'Bearer',
        client_id: this.clientId,
      });
      return;
    }

    const membersPath = /^\/v1\.0\/teams\/([^/]+)\/members$/.exec(url.pathname);
    if (!membersPath || req.method !== 'GET') {
      send(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
      return;
    }
    this.graphRequests += 1;
    const aadGroupId = decodeURIComponent(membersPath[1]!).toLowerCase();
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const tokenTenant = bearer ? this.tokenTenants.get(bearer) : undefined;
    if (!tokenTenant) {
      send(401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token is empty.' },
      });
      return;
    }
    const failure = this.failures.get(aadGroupId);
    if (failure && failure.remaining > 0) {
      failure.remaining -= 1;
      send(
        failure.status,
        { error: { code: failure.status === 429 ? 'TooManyRequests' : 'Failure' } },
        failure.retryAfterSeconds === undefined
          ? {}
          : { 'Retry-After': String(failure.retryAfterSeconds) },
      );
      return;
    }
    const team = this.teams.get(aadGroupId);
    // A token of another tenant sees no team of this one.
    if (!team || team.tenantId !== tokenTenant) {
      send(404, { error: { code: 'NotFound', message: 'No team found with Group Id' } });
      return;
    }
    const skipToken = url.searchParams.get('$skiptoken');
    if (url.searchParams.get('$filter') !== OWNER_FILTER) {
      send(400, {
        error: { code: 'BadRequest', message: 'this stand-in serves the owner filter' },
      });
      return;
    }
    if (!skipToken && !url.searchParams.get('$top')) {
      send(400, { error: { code: 'BadRequest', message: 'role filter needs $top or $skiptoken' } });
      return;
    }
    const owners = team.members.filter((m) => m.roles.includes('owner'));
    const start = Number(skipToken ?? 0);
    const end = start + this.pageSize;
    const next = new URL(url.pathname, this.baseUrl);
    next.searchParams.set('$filter', OWNER_FILTER);
    next.searchParams.set('$skiptoken', String(end));
    send(200, {
      '@odata.context': `${this.graphUrl}/$metadata#teams('${aadGroupId}')/members`,
      value: owners.slice(start, end).map((m, i) => ({
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        id: Buffer.from(`${aadGroupId}##${start + i}`).toString('base64'),
        roles: m.roles,
        displayName: m.displayName ?? null,
        userId: m.userId,
        email: m.email ?? null,
        tenantId: team.tenantId,
      })),
      ...(end < owners.length ? { '@odata.nextLink': next.toString() } : {}),
    });
  }

  /** Entra ID: a tenant's OpenID configuration and its token endpoint. */
  private async handleEntra(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) => sendJson(res, status, body);
    const url = new URL(req.url ?? '/', this.authorityHost);

    // What MSAL reads before its first token request for a tenant (Entra's own document has more).
    const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(url.pathname);
    if (discovery && req.method === 'GET') {
      const tenant = `${this.authorityHost}/${discovery[1]!}`;
      send(200, {
        token_endpoint: `${tenant}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt'],
        jwks_uri: `${tenant}/discovery/v2.0/keys`,
        issuer: `${tenant}/v2.0`,
        authorization_endpoint: `${tenant}/oauth2/v2.0/authorize`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      });
      return;
    }

    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (tokenPath) {
      this.tokenRequests += 1;
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      if (
        req.method !== 'POST' ||
        !req.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ||
        form.get('grant_type') !== 'client_credentials' ||
        form.get('scope') !== GRAPH_SCOPE
      ) {
        send(400, {
          error: 'invalid_request',
          error_description: 'AADSTS900144: a parameter is missing.',
        });
        return;
      }
      if (
        form.get('client_id') !== this.clientId ||
        form.get('client_secret') !== this.clientSecret
      ) {
        send(401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        });
        return;
      }
      const token = `fake-graph-token-${randomBytes(12).toString('hex')}`;
      this.issuedTokens.push(token);
      this.tokenTenants.set(token, decodeURIComponent(tokenPath[1]!).toLowerCase());
      send(200, {
        token_type: 'Bearer',
        expires_in: this.tokenLifetimeSeconds,
        ext_expires_in: this.tokenLifetimeSeconds,
        access_token: token,
      });
      return;
    }

    send(404, { error: 'not_found' });
  }
}
