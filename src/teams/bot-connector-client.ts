import { type SendOutcome } from '../delivery/outbox-types';
import { type EndpointPolicy, isBotFrameworkServiceUrl } from '../http/trusted-endpoints';

export interface BotConnectorOptions {
  botId: string;
  /** Bearer token for the Bot Connector; undefined without BOT_ID (local use, tests). */
  getToken: () => Promise<string | undefined>;
  /** The token goes only to Bot Framework service URLs (loopback allowed in tests). */
  endpointPolicy: EndpointPolicy;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Seconds or an HTTP date, as Retry-After may say. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorCode(body: unknown): string {
  const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return [error?.code, error?.message].filter(Boolean).join(': ');
}

/**
 * What a Bot Connector answer means for the outbox
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 */
export function classify(answer: HttpAnswer, conversationId: string): SendOutcome {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: 'sent', conversationId };
  if (status === 429)
    return { kind: 'throttled', retryAfterMs: retryAfterMs(answer.headers.get('retry-after')) };
  // 403 MessageWritesBlocked: the user blocked or uninstalled the bot. Never retried.
  if (status === 403)
    return { kind: 'blocked', reason: `403 ${errorCode(answer.body) || 'Forbidden'}` };
  if (status === 404) return { kind: 'conversationNotFound' };
  if (status === 413)
    return { kind: 'failed', reason: `413 ${errorCode(answer.body) || 'MessageSizeTooBig'}` };
  if ([412, 500, 502, 503, 504].includes(status)) return { kind: 'transient', status };
  return { kind: 'failed', reason: `${status} ${errorCode(answer.body)}`.trim() };
}

/**
 * A small client of the Bot Connector REST API for proactive sends. Brevet calls it directly
 * (rather than through botbuilder's ConnectorClient, whose pipeline retries on its own) so that
 * the outbox alone decides about 429 Retry-After, backoff, 403 and 404.
 */
export class BotConnectorClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: BotConnectorOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private async call(method: 'POST', url: string, body: unknown): Promise<HttpAnswer> {
    const token = await this.options.getToken();
    const response = await this.fetch(url, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  /** A stored serviceUrl Brevet will not send its token (or anything) to: never retried. */
  private untrusted(serviceUrl: string): SendOutcome | undefined {
    return isBotFrameworkServiceUrl(serviceUrl, this.options.endpointPolicy)
      ? undefined
      : { kind: 'failed', reason: 'serviceUrl is not a Bot Framework service URL' };
  }

  private base(serviceUrl: string): string {
    return serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
  }

  /** Creates (or finds) the 1:1 conversation with a user; Teams answers with its id. */
  async createPersonalConversation(
    serviceUrl: string,
    tenantId: string,
    userId: string,
  ): Promise<{ conversationId: string } | { outcome: SendOutcome }> {
    const refused = this.untrusted(serviceUrl);
    if (refused) return { outcome: refused };
    const answer = await this.call('POST', `${this.base(serviceUrl)}v3/conversations`, {
      isGroup: false,
      bot: { id: `28:${this.options.botId}` },
      members: [{ id: userId }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    });
    const id = (answer.body as { id?: string } | undefined)?.id;
    if (answer.status >= 200 && answer.status < 300 && id) return { conversationId: id };
    const outcome = classify(answer, '');
    // A 404 here is not a lost chat: the user is unknown to Teams.
    return {
      outcome:
        outcome.kind === 'conversationNotFound'
          ? { kind: 'failed', reason: '404 user not found' }
          : outcome,
    };
  }

  async sendToConversation(
    serviceUrl: string,
    conversationId: string,
    activity: object,
  ): Promise<SendOutcome> {
    const refused = this.untrusted(serviceUrl);
    if (refused) return refused;
    const answer = await this.call(
      'POST',
      `${this.base(serviceUrl)}v3/conversations/${encodeURIComponent(conversationId)}/activities`,
      activity,
    );
    return classify(answer, conversationId);
  }
}
