import { type Request, type Response, type Server } from 'restify';
import { type Logger } from '../logger';
import { type PersonalDataService } from '../privacy/personal-data';
import { signedInIdentity, type TabRouteDeps } from './tab-routes';

/**
 * The signed-in person's own data, for the tab (Teams SSO token; nothing in the request can name
 * anyone else):
 * - GET /api/me/data: a copy of everything Brevet keeps about them, as a JSON download;
 * - DELETE /api/me/data: erases it (204, also when there was nothing).
 */
export function registerPersonalDataRoutes(
  server: Server,
  deps: Pick<TabRouteDeps, 'verifySso' | 'logger'> & { personalData: PersonalDataService },
): void {
  const failed = (res: Response, logger: Logger, error: unknown, what: string) => {
    logger.error({ err: error }, what);
    res.send(503, { error: 'unavailable' });
  };

  server.get('/api/me/data', async (req: Request, res: Response) => {
    const identity = await signedInIdentity(req, res, deps);
    if (!identity) return;
    try {
      const document = await deps.personalData.export({
        tenantId: identity.tid,
        userKey: identity.oid,
      });
      res.setHeader('Content-Disposition', 'attachment; filename="brevet-my-data.json"');
      res.send(200, document);
      deps.logger.info('personal data exported');
    } catch (error) {
      failed(res, deps.logger, error, 'personal data could not be exported');
    }
  });

  server.del('/api/me/data', async (req: Request, res: Response) => {
    const identity = await signedInIdentity(req, res, deps);
    if (!identity) return;
    try {
      const erased = await deps.personalData.erase({
        tenantId: identity.tid,
        userKey: identity.oid,
      });
      deps.logger.info({ erased }, 'personal data erased');
      res.send(204);
    } catch (error) {
      failed(res, deps.logger, error, 'personal data could not be erased');
    }
  });
}
