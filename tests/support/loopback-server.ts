import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { type AddressInfo } from 'node:net';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * The server under every loopback stand-in: listens on 127.0.0.1 on a free port (HTTPS when
 * given a certificate), counts requests, and stops without waiting for keep-alive connections.
 */
export class LoopbackServer {
  /** Requests received since start. */
  requestCount = 0;
  private server?: http.Server;

  constructor(
    private readonly handler: Handler,
    private readonly tls?: https.ServerOptions,
  ) {}

  /** `http(s)://127.0.0.1:<port>`, no trailing slash. */
  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    if (!address) throw new Error('loopback stand-in not started');
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    const listener = (req: IncomingMessage, res: ServerResponse) => {
      this.requestCount += 1;
      void this.handler(req, res);
    };
    const server = this.tls ? https.createServer(this.tls, listener) : http.createServer(listener);
    // Never close a kept-alive connection from this side: a close racing the client's reuse of
    // it would fail a request for the stand-in's sake (stop() closes them all).
    server.keepAliveTimeout = 0;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Answers JSON with a status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
