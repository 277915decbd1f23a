/**
 * GET /api/programme/… (the training office's dashboard) with the Teams SSO token. The documents'
 * types are the server's own (src/dashboard/programme-documents.ts, types only: nothing of the
 * server is bundled into the tab).
 */
import { LoadError } from '../api';
import { type Language } from '../progress';
import { TEAMS_TIMEOUT_MS } from '../teams';

export type {
  ActivityDocument,
  CompletionDocument,
  CompletionRow,
  FunnelDocument,
  FunnelLesson,
  PhaseName,
  QuestionRow,
  QuestionsDocument,
  SummaryDocument,
  UnitDocument,
  UnitRow,
  UnitsDocument,
} from '../../../src/dashboard/programme-documents';

/** The admin-only refusal: the page says it is not for them (403 `not_admin`). */
export class NotAdminError extends Error {
  constructor() {
    super('not_admin');
  }
}

export const PROGRAMME_API = '/api/programme';

async function request(path: string, token: string, language: Language): Promise<Response> {
  try {
    return await fetch(`${PROGRAMME_API}${path}`, {
      headers: { Authorization: `Bearer ${token}`, 'Accept-Language': language },
      cache: 'no-store',
      signal: AbortSignal.timeout(TEAMS_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LoadError({
      kind: 'unavailable',
      timedOut: (error as Error)?.name === 'TimeoutError',
    });
  }
}

/** One dashboard document; 403 not_admin throws NotAdminError, other failures a LoadError. */
export async function fetchProgramme<D>(
  path: string,
  token: string,
  language: Language,
): Promise<D> {
  const response = await request(path, token, language);
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status === 403 && (body as { error?: unknown } | undefined)?.error === 'not_admin')
    throw new NotAdminError();
  if (response.status === 401) throw new LoadError({ kind: 'notAccepted' });
  if (
    response.status === 503 &&
    (body as { error?: unknown } | undefined)?.error === 'sso_not_configured'
  )
    throw new LoadError({ kind: 'notConfigured' });
  if (!response.ok || typeof body !== 'object' || body === null)
    throw new LoadError({ kind: 'unavailable', timedOut: false });
  return body as D;
}

/** The CSV of a table: the file and the name the server gives it. */
export async function fetchCsv(
  path: string,
  token: string,
  language: Language,
): Promise<{ blob: Blob; name: string }> {
  const separator = path.includes('?') ? '&' : '?';
  const response = await request(`${path}${separator}format=csv`, token, language);
  if (!response.ok) throw new Error(`csv: HTTP ${response.status}`);
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
    'brevet-programme.csv';
  return { blob: new Blob([await response.arrayBuffer()], { type: 'text/csv' }), name };
}
