import restify, { type Request, type Response, type Server } from 'restify';
import { type Activity, type TurnContext } from 'botbuilder';
import { type BrevetAdapter } from '../teams/bot-adapter';
import { type Logger } from '../logger';
import { BodyRefused, readJsonBody } from './json-body';
import { refuseActivity } from './inbound-activity';
import { type AppMetrics } from './metrics';
import { type EndpointPolicy } from './trusted-endpoints';

/** What the HTTP server serves: the bot, health, metrics. */
export interface ServerDeps {
  adapter: BrevetAdapter;
  bot: { run(context: TurnContext): Promise<boolean> };
  isHealthy: () => Promise<boolean>;
  metrics: AppMetrics;
  logger: Logger;
  /** Where the bot's token may be sent: an activity with another serviceUrl is refused. */
  endpointPolicy: EndpointPolicy;
  /** Further routes (the tab and its API), registered after the bot's. */
  routes?: ((server: Server) => void)[];
}

/** Activity types counted by name in the metrics; any other type is counted as "other". */
const COUNTED_TYPES = new Set([
  'message',
  'invoke',
  'conversationUpdate',
  'installationUpdate',
  'messageReaction',
  'messageUpdate',
  'messageDelete',
  'event',
  'typing',
]);

/** The largest activity Brevet reads (decoded bytes); Teams' own messages stay well under. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/**
 * Warn lines for refused requests, at most `perMinute` a minute (then one line saying how many
 * more were refused): a flood of bad requests cannot flood the logs. Never the payload.
 */
class RefusalLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;
  constructor(
    private readonly logger: Logger,
    private readonly perMinute = 30,
  ) {}

  warn(fields: Record<string, string | number>, message: string): void {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      if (this.suppressed > 0)
        this.logger.warn({ suppressed: this.suppressed }, 'more requests refused (not logged)');
      this.windowStart = now;
      this.logged = 0;
      this.suppressed = 0;
    }
    if (this.logged < this.perMinute) {
      this.logged += 1;
      this.logger.warn(fields, message);
    } else this.suppressed += 1;
  }
}

/** Builds the restify server: POST /api/messages, GET /healthz, GET /metrics. */
export function createServer(deps: ServerDeps): Server {
  const { adapter, bot, metrics, logger } = deps;
  const server = restify.createServer({ name: 'brevet', handleUncaughtExceptions: false });
  // No body parser: restify's would inflate gzip and write multipart parts to disk before any
  // authentication. /api/messages reads its JSON body itself (json-body.ts).
  server.server.requestTimeout = 30_000;
  server.server.headersTimeout = 15_000;
  const refusals = new RefusalLog(logger);

  server.on('after', (req: Request, res: Response) => {
    const route = req.getRoute()?.path?.toString() ?? 'unmatched';
    const seconds = (Date.now() - (req.time?.() ?? Date.now())) / 1000;
    metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    metrics.httpDuration.observe({ route, method: req.method }, seconds);
    logger.debug({ route, method: req.method, status: res.statusCode, seconds }, 'http request');
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    let body: unknown;
    try {
      body = await readJsonBody(req, MAX_ACTIVITY_BYTES);
    } catch (error) {
      if (!(error instanceof BodyRefused)) return; // the client went away mid-body
      metrics.activitiesRefused.inc({ reason: 'body' });
      refusals.warn({ status: error.status, reason: error.code }, 'request refused: body');
      // What is left of the body is not read: close the connection after answering.
      res.setHeader('Connection', 'close');
      res.send(error.status, { error: error.code, message: error.message });
      return;
    }
    const refusal = refuseActivity(body, deps.endpointPolicy);
    if (refusal) {
      metrics.activitiesRefused.inc({ reason: refusal.reason });
      refusals.warn(
        { status: refusal.status, reason: refusal.reason, problem: refusal.body.message },
        'activity refused',
      );
      res.send(refusal.status, refusal.body);
      return;
    }
    const authorization = req.header('Authorization') ?? '';
    try {
      const outcome = await adapter.receive(authorization, body as Activity, (context) => {
        // Counted once authenticated, from a fixed list: unauthenticated callers cannot add series.
        const type = context.activity.type;
        metrics.botActivities.inc({ type: COUNTED_TYPES.has(type) ? type : 'other' });
        return bot.run(context).then(() => undefined);
      });
      if (outcome.refusal) {
        metrics.activitiesRefused.inc({ reason: 'unauthenticated' });
        refusals.warn(
          { status: outcome.status, reason: outcome.refusal },
          'request refused: not authenticated',
        );
      }
      if (outcome.body === undefined) res.send(outcome.status);
      else res.send(outcome.status, outcome.body);
    } catch (error) {
      logger.error({ err: error }, 'activity processing failed');
      res.send(500, { error: 'internal_error' });
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const healthy = await deps.isHealthy();
    res.send(healthy ? 200 : 503, healthy ? { status: 'ok' } : { status: 'unavailable' });
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    const body = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.sendRaw(200, body);
  });

  for (const register of deps.routes ?? []) register(server);
  return server;
}
