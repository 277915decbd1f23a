import { type Request, type Response, type Server } from 'restify';
import { type Programme } from '../curriculum/programme';
import { brusselsDate } from '../time/zones';
import {
  activityCsv,
  completionCsv,
  funnelCsv,
  questionsCsv,
  summaryCsv,
  unitCsv,
  unitsCsv,
} from '../dashboard/dashboard-csv';
import { type DashboardService } from '../dashboard/dashboard-service';
import { isLanguage, type Language, languageFromLocale } from '../i18n/languages';
import { reportFileName } from '../units/unit-service';
import { signedInIdentity, type TabRouteDeps } from './tab-routes';

export interface ProgrammeRouteDeps extends Pick<TabRouteDeps, 'verifySso' | 'logger'> {
  dashboard: DashboardService;
  programme: Programme;
  /** ADMIN_AAD_OBJECT_IDS (lower case): the training office. */
  adminIds: readonly string[];
  clock?: () => Date;
}

/** What one dashboard route answers: its document, and the same as a CSV table. */
interface ProgrammeView<D> {
  read(
    tenantId: string,
    language: Language,
    params: Record<string, string>,
  ): Promise<D | undefined>;
  csv(document: D, language: Language): string;
  fileName(document: D, date: string): string;
}

/** ?lang=fr|nl|de|en, else the Accept-Language header (the tab sends the Teams locale). */
function languageOf(req: Request, query: URLSearchParams): Language {
  const asked = query.get('lang');
  return isLanguage(asked) ? asked : languageFromLocale(req.header('Accept-Language'));
}

/**
 * The training office's programme dashboard (admins in ADMIN_AAD_OBJECT_IDS only):
 * GET /api/programme/{summary,activity,completion,funnel,units,units/:unitId,questions}, each
 * also as CSV with ?format=csv. Who asks comes from the verified SSO token only: 401 without a
 * valid one, 403 `{ "error": "not_admin" }` for anyone else; figures are those of the admin's
 * tenant. Never cached (Cache-Control: no-store).
 */
export function registerProgrammeRoutes(server: Server, deps: ProgrammeRouteDeps): void {
  const { dashboard, programme } = deps;
  const today = () => brusselsDate(deps.clock?.() ?? new Date());

  function route<D>(path: string, view: ProgrammeView<D>) {
    server.get(path, async (req: Request, res: Response) => {
      const identity = await signedInIdentity(req, res, deps);
      if (!identity) return;
      if (!deps.adminIds.includes(identity.oid.toLowerCase())) {
        deps.logger.info({ route: path }, 'programme dashboard refused: not an admin');
        res.send(403, { error: 'not_admin' });
        return;
      }
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const format = query.get('format') ?? 'json';
      if (format !== 'json' && format !== 'csv') {
        res.send(400, { error: 'unknown_format', message: 'format is json or csv' });
        return;
      }
      const language = languageOf(req, query);
      let document: D | undefined;
      try {
        document = await view.read(identity.tid, language, req.params ?? {});
      } catch (error) {
        deps.logger.error({ err: error, route: path }, 'programme dashboard could not be read');
        res.send(503, { error: 'unavailable' });
        return;
      }
      if (document === undefined) {
        res.send(404, { error: 'unknown_unit' });
        return;
      }
      if (format === 'json') {
        res.send(200, document);
        return;
      }
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader(
        'Content-Disposition',
        `attachment; filename="${view.fileName(document, today())}"`,
      );
      res.sendRaw(200, view.csv(document, language));
    });
  }

  const named =
    (table: string) =>
    <D>(_document: D, date: string) =>
      `brevet-programme-${table}-${date}.csv`;

  route('/api/programme/summary', {
    read: (tenantId, language) => dashboard.summary(tenantId, language),
    csv: summaryCsv,
    fileName: named('summary'),
  });
  route('/api/programme/activity', {
    read: (tenantId, language) => dashboard.activity(tenantId, language),
    csv: activityCsv,
    fileName: named('activity'),
  });
  route('/api/programme/completion', {
    read: (tenantId, language) => dashboard.completion(tenantId, language),
    csv: completionCsv,
    fileName: named('completion'),
  });
  route('/api/programme/funnel', {
    read: (tenantId, language) => dashboard.funnel(tenantId, language),
    csv: (document, language) => funnelCsv(document, programme, language),
    fileName: named('funnel'),
  });
  route('/api/programme/units', {
    read: (tenantId, language) => dashboard.units(tenantId, language),
    csv: unitsCsv,
    fileName: named('units'),
  });
  route('/api/programme/units/:unitId', {
    read: (tenantId, language, params) => {
      const unitId = params.unitId ?? '';
      if (unitId.length === 0 || unitId.length > 200) return Promise.resolve(undefined);
      return dashboard.unit(tenantId, unitId, language);
    },
    csv: (document, language) => unitCsv(document, programme, language),
    fileName: (document, date) => reportFileName(document.unit.name, date),
  });
  route('/api/programme/questions', {
    read: (tenantId, language) => dashboard.questions(tenantId, language),
    csv: questionsCsv,
    fileName: named('questions'),
  });
}
