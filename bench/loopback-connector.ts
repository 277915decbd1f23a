import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

/** What the connector received for one conversation since it was last asked. */
export interface Received {
  count: number;
  /** The raw JSON of the last activity, to check what was sent without parsing every reply. */
  last: string;
}

/**
 * A light loopback stand-in for the Bot Connector (the activities' serviceUrl): answers every
 * POST/PUT under /v3/conversations/:id/activities with 201/200 and an id, counts the calls and
 * keeps only the last body per conversation until the load driver takes it.
 */
export class LoopbackConnector {
  total = 0;
  private readonly pending = new Map<string, Received>();
  private server?: http.Server;
  private nextId = 1;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('connector not started');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<this> {
    // The bots keep their connections to the connector; never time them out between slices
    // (a server-side close racing a reuse would fail a turn for the harness's sake).
    this.server = http.createServer({ keepAliveTimeout: 0 }, (req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** What a conversation received since the last call (and forgets it). */
  take(conversationId: string): Received {
    const received = this.pending.get(conversationId) ?? { count: 0, last: '' };
    this.pending.delete(conversationId);
    return received;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/.exec(req.url ?? '');
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"NotFound"}}');
        return;
      }
      const conversationId = decodeURIComponent(match[1] as string);
      const previous = this.pending.get(conversationId);
      this.pending.set(conversationId, {
        count: (previous?.count ?? 0) + 1,
        last: Buffer.concat(chunks).toString('utf8'),
      });
      this.total += 1;
      res.writeHead(req.method === 'PUT' ? 200 : 201, { 'Content-Type': 'application/json' });
      res.end(`{"id":"activity-${this.nextId++}"}`);
    });
  }
}
