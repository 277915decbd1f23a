import { type IncomingMessage, type ServerResponse } from 'node:http';
import { LoopbackServer, sendJson } from './loopback-server';

/** An activity the bot sent (or updated) through the connector. */
export interface ConnectorCall {
  method: 'POST' | 'PUT';
  conversationId: string;
  /** The activity id being replied to or updated, if any. */
  activityId?: string;
  activity: {
    type: string;
    text?: string;
    attachments?: { contentType: string; content: Record<string, unknown> }[];
    [key: string]: unknown;
  };
}

/** What one conversation received since `take` last asked (see `keepLast`). */
export interface Received {
  /** Activities sent or updated. */
  count: number;
  /** The raw JSON of the last one, to check a reply without parsing every one. */
  last: string;
}

/** A roster entry as Teams returns it from pagedmembers. */
export interface FakeMember {
  id: string;
  aadObjectId: string;
  name: string;
  userPrincipalName?: string;
}

/** What the stand-in has counted, as plain data (read across a process boundary). */
export interface ConnectorCounts {
  sentCount: number;
  throttledCount: number;
  createdConversations: number;
  /** Message activities sent, per conversation id. */
  sentPerConversation: Record<string, number>;
  /** The 1:1 conversation created for each user id. */
  conversationOf: Record<string, string>;
}

/**
 * A loopback stand-in for the Teams Bot Connector (the activity's serviceUrl). It answers like
 * the documented service: send/reply/update activities, create 1:1 conversations, team roster
 * (pagedmembers, 500 a page with a continuation token) and single members. It can be told to
 * throttle (429 with Retry-After above a rate), fail (5xx), block chosen users (403
 * MessageWritesBlocked), lose a conversation (404 ConversationNotFound), refuse big messages
 * (413) or fail member look-ups, and records every call (or only counts them, for benchmarks).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Message activities successfully sent, per conversation id. */
  readonly sentPerConversation = new Map<string, number>();
  sentCount = 0;
  createdConversations = 0;
  throttledCount = 0;
  /** Record full activities (off for benchmarks: counts only). */
  record = true;
  /** Keep, per conversation, a count and the last activity's JSON until `take` (a load driver). */
  keepLast = false;

  private readonly server = new LoopbackServer((req, res) => this.handle(req, res));
  private failures: { status: number; body: unknown }[] = [];
  private memberLookupFailures: { status: number; body: unknown }[] = [];
  private nextId = 1;
  private readonly rosters = new Map<string, FakeMember[]>();
  private readonly conversationOf = new Map<string, string>();
  private readonly userOf = new Map<string, string>();
  private readonly blocked = new Set<string>();
  private readonly lost = new Set<string>();
  private readonly arrivals = new Map<string, Received>();
  private throttleRps?: number;
  private retryAfterSeconds = 1;
  private window = { second: 0, count: 0 };

  get url(): string {
    return `${this.server.url}/`;
  }

  /** Requests received since start, of any kind. */
  get requestCount(): number {
    return this.server.requestCount;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** The next `count` calls answer `status` (e.g. 503) instead of succeeding. */
  failWith(status: number, count = 1, body: unknown = { error: { code: 'ServiceError' } }): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ status, body });
  }

  /** The next `count` single-member look-ups answer `status` instead of the member. */
  failMemberLookups(
    status: number,
    count = 1,
    body: unknown = { error: { code: 'ServiceError' } },
  ): void {
    for (let i = 0; i < count; i += 1) this.memberLookupFailures.push({ status, body });
  }

  /** Above `rps` sends in a second, answer 429 with `Retry-After: retryAfterSeconds`. */
  throttleAbove(rps: number | undefined, retryAfterSeconds = 1): void {
    this.throttleRps = rps;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  setRoster(teamId: string, members: FakeMember[]): void {
    this.rosters.set(teamId, members);
  }

  /** This user blocked the bot: every send to them is a 403 MessageWritesBlocked. */
  block(userId: string): void {
    this.blocked.add(userId);
  }

  /** The user deleted this chat: sends to it answer 404 until a new conversation is created. */
  loseConversation(conversationId: string): void {
    this.lost.add(conversationId);
  }

  /** What a conversation received since the last call (and forgets it); needs `keepLast`. */
  take(conversationId: string): Received {
    const received = this.arrivals.get(conversationId) ?? { count: 0, last: '' };
    this.arrivals.delete(conversationId);
    return received;
  }

  /** The 1:1 conversation created for a user (if any). */
  conversationFor(userId: string): string | undefined {
    return this.conversationOf.get(userId);
  }

  counts(): ConnectorCounts {
    return {
      sentCount: this.sentCount,
      throttledCount: this.throttledCount,
      createdConversations: this.createdConversations,
      sentPerConversation: Object.fromEntries(this.sentPerConversation),
      conversationOf: Object.fromEntries(this.conversationOf),
    };
  }

  clear(): void {
    this.calls.length = 0;
    this.sentPerConversation.clear();
    this.sentCount = 0;
    this.createdConversations = 0;
    this.throttledCount = 0;
  }

  /** Adaptive Cards sent so far (newest last), to one conversation if given. */
  cards(conversationId?: string): Record<string, unknown>[] {
    const calls = conversationId
      ? this.calls.filter((call) => call.conversationId === conversationId)
      : this.calls;
    return calls.flatMap((call) =>
      (call.activity.attachments ?? [])
        .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => a.content),
    );
  }

  private overRate(): boolean {
    if (this.throttleRps === undefined) return false;
    const second = Math.floor(Date.now() / 1000);
    if (this.window.second !== second) this.window = { second, count: 0 };
    this.window.count += 1;
    return this.window.count > this.throttleRps;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      sendJson(res, status, body, headers);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : {};

    const roster = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/.exec(path);
    if (req.method === 'GET' && roster) {
      const members = this.rosters.get(decodeURIComponent(roster[1]!)) ?? [];
      const size = Math.min(500, Number(url.searchParams.get('pageSize') ?? 500));
      const start = Number(url.searchParams.get('continuationToken') ?? 0);
      const page = members.slice(start, start + size);
      const next = start + size < members.length ? String(start + size) : undefined;
      send(200, { members: page, ...(next ? { continuationToken: next } : {}) });
      return;
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && member) {
      const failure = this.memberLookupFailures.shift();
      if (failure) {
        send(failure.status, failure.body);
        return;
      }
      const wanted = decodeURIComponent(member[2]!).toLowerCase();
      const found = (this.rosters.get(decodeURIComponent(member[1]!)) ?? []).find((m) =>
        [m.id.toLowerCase(), m.aadObjectId, m.userPrincipalName?.toLowerCase()].includes(wanted),
      );
      if (found) send(200, found);
      else
        send(404, { error: { code: 'MemberNotFoundInConversation', message: 'member not found' } });
      return;
    }

    const failure = req.method === 'POST' ? this.failures.shift() : undefined;
    if (failure) {
      send(failure.status, failure.body);
      return;
    }
    if (req.method === 'POST' && this.overRate()) {
      this.throttledCount += 1;
      send(
        429,
        { error: { code: 'TooManyRequests' } },
        { 'Retry-After': String(this.retryAfterSeconds) },
      );
      return;
    }

    if (req.method === 'POST' && path === '/v3/conversations') {
      const userId = body.members?.[0]?.id as string | undefined;
      if (!userId) {
        send(400, { error: { code: 'BadArgument', message: 'members' } });
        return;
      }
      this.createdConversations += 1;
      let conversationId = this.conversationOf.get(userId);
      if (!conversationId || this.lost.has(conversationId)) {
        conversationId = `a:${userId}:${this.nextId++}`;
        this.conversationOf.set(userId, conversationId);
        this.userOf.set(conversationId, userId);
      }
      send(201, { id: conversationId });
      return;
    }

    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      send(404, { error: { code: 'NotFound', message: `${req.method} ${req.url}` } });
      return;
    }
    const conversationId = decodeURIComponent(match[1]!);
    const user = this.userOf.get(conversationId);
    if (user && this.blocked.has(user)) {
      send(403, {
        error: { code: 'Forbidden', message: 'MessageWritesBlocked' },
        subCode: 'MessageWritesBlocked',
      });
      return;
    }
    if (this.lost.has(conversationId)) {
      send(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
      return;
    }
    if (raw.length > 100 * 1024) {
      send(413, { error: { code: 'MessageSizeTooBig', message: 'Message size too big' } });
      return;
    }
    // Messages only: teams-ai also sends "typing" while a slow turn (a big roster) runs.
    if (req.method === 'POST' && body.type === 'message') {
      this.sentCount += 1;
      this.sentPerConversation.set(
        conversationId,
        (this.sentPerConversation.get(conversationId) ?? 0) + 1,
      );
    }
    if (this.keepLast)
      this.arrivals.set(conversationId, {
        count: (this.arrivals.get(conversationId)?.count ?? 0) + 1,
        last: raw,
      });
    if (this.record) {
      this.calls.push({
        method: req.method,
        conversationId,
        activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
        activity: body,
      });
    }
    send(req.method === 'PUT' ? 200 : 201, { id: `activity-${this.nextId++}` });
  }
}
