import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { LoopbackServer, sendJson } from './loopback-server';

const FRAGMENT_UNIT = 320 * 1024;

interface Session {
  name: string;
  received: Buffer[];
  nextByte: number;
  total?: number;
  done: boolean;
  failWith?: number;
}

/**
 * A loopback stand-in for the OneDrive upload session Teams opens when a user accepts a bot's file
 * consent card (the `uploadUrl` of the fileConsent/invoke). It answers like the documented
 * service (driveitem-createuploadsession): PUT fragments with Content-Length and Content-Range,
 * in order, each a multiple of 320 KiB but the last; 202 Accepted with `nextExpectedRanges` for
 * intermediate fragments, 201 Created with the drive item for the last; 416 for a fragment out
 * of order or a bad range, 400 for a fragment of the wrong size. It can be told to fail a session.
 */
export class FakeOneDrive {
  private readonly server = new LoopbackServer((req, res) => this.handle(req, res));
  private readonly sessions = new Map<string, Session>();
  /** Every PUT received, in order. */
  readonly requests: { sessionId: string; contentRange: string; bytes: number }[] = [];

  get url(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** A new upload session, as Teams puts it in `uploadInfo`. */
  session(name: string, options: { failWith?: number } = {}) {
    const id = randomUUID();
    this.sessions.set(id, { name, received: [], nextByte: 0, done: false, ...options });
    return {
      uploadUrl: `${this.url}/upload/${id}`,
      contentUrl: `${this.url}/files/${encodeURIComponent(name)}`,
      name,
      uniqueId: id,
      fileType: 'csv',
    };
  }

  /** The file a session received once complete, or undefined. */
  file(uniqueId: string): Buffer | undefined {
    const session = this.sessions.get(uniqueId);
    return session?.done ? Buffer.concat(session.received) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, payload: unknown) => sendJson(res, status, payload);
    const match = /^\/upload\/([^/]+)$/.exec(req.url ?? '');
    const session = match ? this.sessions.get(match[1]!) : undefined;
    if (req.method !== 'PUT' || !match || !session) {
      send(404, { error: { code: 'itemNotFound', message: 'upload session not found' } });
      return;
    }
    const contentRange = String(req.headers['content-range'] ?? '');
    this.requests.push({ sessionId: match[1]!, contentRange, bytes: body.length });
    if (session.failWith) {
      send(session.failWith, { error: { code: 'generalException', message: 'failed' } });
      return;
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange);
    if (!range || session.done) {
      send(416, { error: { code: 'invalidRange', message: 'bad or late Content-Range' } });
      return;
    }
    const [start, end, total] = range.slice(1).map(Number) as [number, number, number];
    const length = end - start + 1;
    if (
      start !== session.nextByte ||
      end >= total ||
      (session.total !== undefined && session.total !== total) ||
      Number(req.headers['content-length']) !== length ||
      body.length !== length
    ) {
      send(416, { error: { code: 'invalidRange', message: 'fragment out of order' } });
      return;
    }
    const last = end === total - 1;
    if (!last && length % FRAGMENT_UNIT !== 0) {
      send(400, { error: { code: 'invalidRequest', message: 'fragments are 320 KiB multiples' } });
      return;
    }
    session.total = total;
    session.received.push(body);
    session.nextByte = end + 1;
    if (!last) {
      send(202, { nextExpectedRanges: [`${end + 1}-`] });
      return;
    }
    session.done = true;
    send(201, { id: match[1], name: session.name, size: total });
  }
}
