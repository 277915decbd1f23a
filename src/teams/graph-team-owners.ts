import { AsyncLocalStorage } from 'node:async_hooks';
import {
  ClientSecretCredential,
  ManagedIdentityCredential,
  type ClientSecretCredentialOptions,
} from '@azure/identity';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { type AppConfig } from '../config';
import { type ServiceEndpoints } from '../service-endpoints';
import { type OwnedTeam, type TeamOwnerDirectory } from '../units/team-owner-directory';
import { retryAfterMs } from './bot-connector-client';

/** App-only access to Microsoft Graph: whatever application permissions the app was granted. */
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

// "List members of team", filtered on the owner role:
// https://learn.microsoft.com/en-us/graph/api/team-list-members?view=graph-rest-1.0
// Needs the application permission TeamMember.Read.All on the bot's app. (TeamMember.Read.Group,
// by resource-specific consent, is granted to the manifest's webApplicationInfo app: in Brevet the
// tab's SSO app, not the bot whose credentials sign in here.) Pages hold at most 999 members; a
// role filter needs $top or a skip token (https://learn.microsoft.com/en-us/graph/known-issues,
// "Requests to filter team members by role require a parameter"); next pages come as
// @odata.nextLink.
const OWNER_FILTER = "roles/any(r:r eq 'owner')";
const PAGE_SIZE = 999;
/** A team has at most 100 owners: more pages than this is a loop, not a team. */
const MAX_PAGES = 10;
/** Wait for a 429/503 without Retry-After. */
const DEFAULT_RETRY_MS = 500;

/**
 * The status of Entra's last answer during one token request: @azure/identity's client secret
 * errors keep only MSAL's message, not the HTTP status.
 */
const entraAnswer = new AsyncLocalStorage<{ status?: number }>();

type PipelinePolicyConfig = NonNullable<
  ClientSecretCredentialOptions['additionalPolicies']
>[number];

/** On every request to Entra (each retry too): a time limit, and the answer's status noted. */
function entraRequests(timeoutMs: number): PipelinePolicyConfig {
  return {
    position: 'perRetry',
    policy: {
      name: 'brevetEntraRequests',
      async sendRequest(request, next) {
        request.timeout = timeoutMs;
        const response = await next(request);
        const answer = entraAnswer.getStore();
        if (answer) answer.status = response.status;
        return response;
      },
    },
  };
}

/** An HTTP status of a failed answer, if the error (or MSAL's error under it) carries one. */
function failedStatus(error: unknown, noted?: number): number | undefined {
  if (noted !== undefined && noted >= 400) return noted;
  const status = (error as { cause?: { status?: unknown } } | undefined)?.cause?.status;
  return typeof status === 'number' && status >= 400 ? status : undefined;
}

const MEMBERS_PAGE = z.object({
  value: z.array(z.object({ userId: z.string().nullish(), roles: z.array(z.string()).nullish() })),
  '@odata.nextLink': z.string().optional(),
});

/** Graph or Entra could not say who owns a team: the caller fails closed. */
export class TeamOwnersUnavailable extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'TeamOwnersUnavailable';
  }
}

export interface GraphTeamOwnersOptions {
  /** The bot's Entra app (BOT_ID), or the client id of its user-assigned managed identity. */
  clientId: string;
  /**
   * The app's secret (BOT_PASSWORD): tokens by client credentials in the team's tenant. Without
   * it, tokens of the user-assigned managed identity `clientId`, in its own tenant, from Azure App
   * Service's endpoint, which @azure/identity finds in IDENTITY_ENDPOINT and IDENTITY_HEADER.
   */
  clientSecret?: string;
  /** Entra's sign-in host (default https://login.microsoftonline.com; tests: an HTTPS stand-in). */
  authorityHost?: string;
  /** Tests: the Entra stand-in's PEM certificate, then the only one its TLS is checked against. */
  entraCertificate?: string;
  /** Default https://graph.microsoft.com/v1.0 (tests: a loopback stand-in). */
  graphBaseUrl?: string;
  /** How long a team's owners are trusted (default 5 minutes). */
  ownersTtlMs?: number;
  /** How many teams' owners are kept (default 1,000; the least recently asked about go first). */
  maxTeams?: number;
  /** Per HTTP request (default 5 s: a lead's command waits for it). */
  timeoutMs?: number;
  /** The longest Retry-After worth one retry (default 2 s); longer fails at once. */
  maxRetryWaitMs?: number;
  /** The owners cache's clock in ms (tests move it; default `performance.now`). */
  now?: () => number;
}

/**
 * Team owners from Microsoft Graph, with an app-only token per tenant from @azure/identity (OAuth
 * 2.0 client credentials, or the managed identity), which caches and renews it. A team's owner set
 * is cached for a few minutes (lru-cache) and concurrent look-ups share one request, so a burst of
 * commands costs one Graph call. Only owners' object ids are kept (names and e-mails are dropped
 * as pages are read); errors carry HTTP statuses, never a token.
 */
export class GraphTeamOwners implements TeamOwnerDirectory {
  private readonly graphBaseUrl: string;
  private readonly timeoutMs: number;
  private readonly maxRetryWaitMs: number;
  private credential: ClientSecretCredential | ManagedIdentityCredential;
  /** Owner ids per team: `fetch` runs one look-up for concurrent callers and keeps no failure. */
  private readonly owners: LRUCache<string, ReadonlySet<string>, OwnedTeam>;

  constructor(private readonly options: GraphTeamOwnersOptions) {
    this.graphBaseUrl = (options.graphBaseUrl ?? 'https://graph.microsoft.com/v1.0').replace(
      /\/+$/,
      '',
    );
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 2000;
    this.credential = this.createCredential();
    this.owners = new LRUCache({
      max: options.maxTeams ?? 1000,
      ttl: options.ownersTtlMs ?? 5 * 60_000,
      ...(options.now && { perf: { now: options.now } }),
      // Read the clock at every look-up (by default it is reused for 1 ms).
      ttlResolution: 0,
      // A team pushed out while its look-up runs still answers the callers waiting for it.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => this.listOwners(context),
    });
  }

  async isOwner(team: OwnedTeam, userKey: string): Promise<boolean> {
    const owners = await this.owners.fetch(`${team.tenantId}/${team.aadGroupId}`.toLowerCase(), {
      context: team,
    });
    return owners?.has(userKey.toLowerCase()) === true;
  }

  private createCredential(): ClientSecretCredential | ManagedIdentityCredential {
    // One retry, as for Graph; MSAL renews a token 5 minutes before it expires.
    const retryOptions = { maxRetries: 1, maxRetryDelayInMs: this.maxRetryWaitMs };
    const { clientId, clientSecret, entraCertificate } = this.options;
    if (!clientSecret) return new ManagedIdentityCredential({ clientId, retryOptions });
    // Every request names the team's tenant ('*': any tenant); the first argument is never used.
    return new ClientSecretCredential('organizations', clientId, clientSecret, {
      authorityHost: this.options.authorityHost,
      additionallyAllowedTenants: ['*'],
      // Entra's hosts are known to MSAL; a stand-in is not to be looked up at Microsoft.
      disableInstanceDiscovery: true,
      retryOptions,
      additionalPolicies: [entraRequests(this.timeoutMs)],
      ...(entraCertificate && { tlsOptions: { ca: entraCertificate } }),
    });
  }

  private async token(tenantId: string): Promise<string> {
    const answer: { status?: number } = {};
    try {
      const accessToken = await entraAnswer.run(answer, () =>
        this.credential.getToken(GRAPH_SCOPE, { tenantId }),
      );
      return accessToken.token;
    } catch (error) {
      const what = this.options.clientSecret ? 'Entra token' : 'managed identity token';
      const status = failedStatus(error, answer.status);
      throw new TeamOwnersUnavailable(
        `${what}: ${status ? `HTTP ${status}` : (error as Error).name}`,
        status,
        { cause: error },
      );
    }
  }

  private async listOwners(team: OwnedTeam): Promise<ReadonlySet<string>> {
    const token = await this.token(team.tenantId);
    const owners = new Set<string>();
    const origin = new URL(this.graphBaseUrl).origin;
    let url: string | undefined =
      `${this.graphBaseUrl}/teams/${encodeURIComponent(team.aadGroupId)}/members` +
      `?$filter=${encodeURIComponent(OWNER_FILTER)}&$top=${PAGE_SIZE}`;
    for (let page = 0; url; page += 1) {
      if (page === MAX_PAGES) throw new TeamOwnersUnavailable('Graph team members: too many pages');
      // The bearer token goes to Graph only, whatever a next link says.
      if (new URL(url).origin !== origin)
        throw new TeamOwnersUnavailable('Graph team members: next page on another host');
      let body: unknown;
      try {
        body = await this.request('Graph team members', url, {
          headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        });
      } catch (error) {
        // A token Graph no longer accepts is not reused: a new credential has an empty cache.
        // (MSAL keeps a managed identity's tokens for the whole process, until they expire.)
        if (
          error instanceof TeamOwnersUnavailable &&
          error.status === 401 &&
          this.options.clientSecret
        )
          this.credential = this.createCredential();
        throw error;
      }
      const parsed = MEMBERS_PAGE.safeParse(body);
      if (!parsed.success) throw new TeamOwnersUnavailable('Graph team members: unexpected answer');
      for (const member of parsed.data.value)
        if (member.userId && member.roles?.some((role) => role.toLowerCase() === 'owner'))
          owners.add(member.userId.toLowerCase());
      url = parsed.data['@odata.nextLink'];
    }
    return owners;
  }

  /** One HTTP call, with one short retry on 429/503 (Retry-After); any other failure throws. */
  private async request(what: string, url: string, init: RequestInit): Promise<unknown> {
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (error) {
        throw new TeamOwnersUnavailable(`${what}: ${(error as Error).name}`, undefined, {
          cause: error,
        });
      }
      if (response.ok) {
        try {
          return await response.json();
        } catch (error) {
          throw new TeamOwnersUnavailable(`${what}: unreadable answer`, response.status, {
            cause: error,
          });
        }
      }
      await response.body?.cancel();
      const waitMs = retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RETRY_MS;
      const retriable = response.status === 429 || response.status === 503;
      if (!retriable || attempt > 0 || waitMs > this.maxRetryWaitMs)
        throw new TeamOwnersUnavailable(`${what}: HTTP ${response.status}`, response.status);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** The owner directory the configuration asks for, if any (GRAPH_TEAM_OWNERS_ARE_LEADS). */
export function createTeamOwnerDirectory(
  config: AppConfig,
  endpoints: ServiceEndpoints,
  entraCertificate?: string,
): TeamOwnerDirectory | undefined {
  if (!config.GRAPH_TEAM_OWNERS_ARE_LEADS || !config.BOT_ID) return undefined;
  const shared = {
    clientId: config.BOT_ID,
    graphBaseUrl: endpoints.graphBaseUrl,
    authorityHost: endpoints.entraAuthorityHost,
    entraCertificate,
  };
  // @azure/identity reads IDENTITY_ENDPOINT and IDENTITY_HEADER from the environment itself: the
  // configuration only checks that App Service has set them.
  if (config.BOT_TYPE === 'UserAssignedMsi')
    return config.IDENTITY_ENDPOINT && config.IDENTITY_HEADER
      ? new GraphTeamOwners(shared)
      : undefined;
  if (!config.BOT_PASSWORD) return undefined;
  return new GraphTeamOwners({ ...shared, clientSecret: config.BOT_PASSWORD });
}
