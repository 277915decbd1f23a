import { existsSync } from 'node:fs';
import restify, { type Request, type Response, type Server } from 'restify';
import { type SsoIdentity, type SsoVerifier, SsoTokenError } from '../auth/sso-verifier';
import { type Programme } from '../curriculum/programme';
import { languageFromLocale } from '../i18n/languages';
import { type LearningService } from '../learning/learning-service';
import { type ReminderService } from '../reminders/reminder-service';
import { type ReviewService } from '../review/review-service';
import { type Logger } from '../logger';
import { progressDocument } from './progress-document';

export interface TabRouteDeps {
  learning: LearningService;
  reviews: ReviewService;
  reminders: ReminderService;
  programme: Programme;
  /** Undefined when AAD_APP_CLIENT_ID / AAD_APP_TENANT_ID are not configured. */
  verifySso: SsoVerifier | undefined;
  botId: string | undefined;
  tabDir: string;
  logger: Logger;
}

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('Authorization') ?? '');
  return match?.[1];
}

/**
 * The signed-in person of an API request, from the Teams SSO token (signature, audience,
 * issuer, tenant, scope; sso-verifier.ts). Without a valid token, the response is sent here
 * (401, or 503 when SSO is not configured or its keys cannot be fetched) and undefined returned.
 */
export async function signedInIdentity(
  req: Request,
  res: Response,
  deps: Pick<TabRouteDeps, 'verifySso' | 'logger'>,
): Promise<SsoIdentity | undefined> {
  res.setHeader('Cache-Control', 'no-store');
  if (!deps.verifySso) {
    res.send(503, { error: 'sso_not_configured' });
    return undefined;
  }
  const token = bearerToken(req);
  if (!token) {
    res.send(401, { error: 'unauthorized' });
    return undefined;
  }
  try {
    return await deps.verifySso(token);
  } catch (error) {
    if (error instanceof SsoTokenError) {
      deps.logger.warn({ reason: error.message }, 'tab request refused: not authenticated');
      res.send(401, { error: 'unauthorized' });
      return undefined;
    }
    deps.logger.error({ err: error }, 'SSO verification failed');
    res.send(503, { error: 'sso_unavailable' });
    return undefined;
  }
}

/** GET /api/me/progress (the signed-in learner's progress) and the tab's files under /tab. */
export function registerTabRoutes(server: Server, deps: TabRouteDeps): void {
  server.get('/api/me/progress', async (req: Request, res: Response) => {
    const identity = await signedInIdentity(req, res, deps);
    if (!identity) return;
    try {
      const result = await deps.learning.progressOf({
        tenantId: identity.tid,
        userKey: identity.oid,
        locale: languageFromLocale(req.header('Accept-Language')),
      });
      const learner = result.progress.learner;
      const [reviewDue, streak] = result.known
        ? await Promise.all([deps.reviews.countDue(learner), deps.reminders.streak(learner)])
        : [0, 0];
      res.send(200, progressDocument(deps.programme, result, deps.botId, reviewDue, streak));
    } catch (error) {
      deps.logger.error({ err: error }, 'progress could not be read');
      res.send(503, { error: 'unavailable' });
    }
  });

  server.get('/tab', async (_req: Request, res: Response) => {
    res.header('Location', '/tab/index.html');
    res.send(301);
  });
  server.get(
    '/tab/*',
    existsSync(deps.tabDir)
      ? restify.plugins.serveStaticFiles(deps.tabDir, { maxAge: 300 })
      : async (_req: Request, res: Response) => {
          res.send(404, { error: 'tab_not_built', message: 'run npm run build:tab' });
        },
  );
}
