import restify, { type Request, type Response, type Server } from 'restify';
import { type Activity, type TurnContext } from 'botbuilder';
import { type BrevetAdapter } from '../teams/bot-adapter';
import { type Logger } from '../logger';
import { type AppMetrics } from './metrics';

/** What the HTTP server serves: the bot, health, metrics. */
export interface ServerDeps {
  adapter: BrevetAdapter;
  bot: { run(context: TurnContext): Promise<boolean> };
  isHealthy: () => Promise<boolean>;
  metrics: AppMetrics;
  logger: Logger;
  /** Further routes (the tab and its API), registered after the bot's. */
  routes?: ((server: Server) => void)[];
}

/** The minimum an activity needs before the adapter sees it; anything less is a 400. */
function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the body must be a JSON activity';
  const activity = body as Record<string, unknown>;
  if (typeof activity.type !== 'string' || activity.type === '') return 'activity.type is missing';
  if (typeof activity.serviceUrl !== 'string') return 'activity.serviceUrl is missing';
  const conversation = activity.conversation as { id?: unknown } | undefined;
  if (typeof conversation?.id !== 'string') return 'activity.conversation.id is missing';
  const from = activity.from as { id?: unknown } | undefined;
  if (typeof from?.id !== 'string') return 'activity.from.id is missing';
  return undefined;
}

/** Builds the restify server: POST /api/messages, GET /healthz, GET /metrics. */
export function createServer(deps: ServerDeps): Server {
  const { adapter, bot, metrics, logger } = deps;
  const server = restify.createServer({ name: 'brevet', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));

  server.on('after', (req: Request, res: Response) => {
    const route = req.getRoute()?.path?.toString() ?? 'unmatched';
    const seconds = (Date.now() - (req.time?.() ?? Date.now())) / 1000;
    metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
    metrics.httpDuration.observe({ route, method: req.method }, seconds);
    logger.debug({ route, method: req.method, status: res.statusCode, seconds }, 'http request');
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const problem = activityProblem(req.body);
    if (problem) {
      res.send(400, { error: 'invalid_activity', message: problem });
      return;
    }
    metrics.botActivities.inc({ type: String((req.body as { type: string }).type) });
    const authorization = req.header('Authorization') ?? '';
    try {
      const outcome = await adapter.receive(authorization, req.body as Activity, (context) =>
        bot.run(context).then(() => undefined),
      );
      if (outcome.refusal)
        logger.warn({ reason: outcome.refusal }, 'request refused: not authenticated');
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
