import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

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

/**
 * A loopback stand-in for the Teams Bot Connector (serviceUrl): it answers
 * POST /v3/conversations/:id/activities[/:replyTo] and PUT .../activities/:id like Teams does,
 * and records every call. `failWith` makes the next calls fail with a status.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  private server?: http.Server;
  private failures: { status: number; body: unknown }[] = [];
  private nextId = 1;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next `count` calls answer `status` (e.g. 503) instead of succeeding. */
  failWith(status: number, count = 1, body: unknown = { error: { code: 'ServiceError' } }): void {
    for (let i = 0; i < count; i += 1) this.failures.push({ status, body });
  }

  /** Forgets what was recorded. */
  clear(): void {
    this.calls.length = 0;
  }

  /** Adaptive Cards sent so far (newest last). */
  cards(): Record<string, unknown>[] {
    return this.calls.flatMap((call) =>
      (call.activity.attachments ?? [])
        .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
        .map((a) => a.content),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
      send(404, { error: { code: 'NotFound', message: `${req.method} ${req.url}` } });
      return;
    }
    const failure = this.failures.shift();
    if (failure) {
      send(failure.status, failure.body);
      return;
    }
    const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    this.calls.push({
      method: req.method,
      conversationId: decodeURIComponent(match[1] as string),
      activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
      activity,
    });
    send(req.method === 'PUT' ? 200 : 201, { id: `activity-${this.nextId++}` });
  }
}
