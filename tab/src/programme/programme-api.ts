/**
 * GET /api/programme/… (the training office's dashboard) with the Teams SSO token. The server's
 * own types are in src/dashboard/dashboard-service.ts; tests/tab/programme-model.test.ts checks at
 * compile time that they still fit these.
 */
import { LoadError } from '../api';
import { type Language } from '../progress';
import { TEAMS_TIMEOUT_MS } from '../teams';

export interface SummaryDocument {
  today: string;
  population: number | null;
  learners: number;
  active7: number;
  active30: number;
  lessonsCompleted: number;
  phases: { phaseId: string; number: number; title: string; opensAt: string; brevets: number }[];
}

export interface ActivityDocument {
  phases: { phaseId: string; title: string }[];
  weeks: { week: string; activeLearners: number; brevets: Record<string, number> }[];
}

export interface CompletionRow {
  key: string | null;
  title: string;
  learners: number;
  started: number;
  completed: number;
  brevets: number;
}

export interface CompletionDocument {
  phases: {
    phaseId: string;
    number: number;
    title: string;
    byTrack: CompletionRow[];
    byLanguage: CompletionRow[];
  }[];
}

export interface FunnelLesson {
  lessonId: string;
  phaseId: string;
  trackId: string | null;
  title: string;
  opened: number;
  finished: number;
  passed: number;
}

export interface FunnelDocument {
  passingScore: number;
  lessons: FunnelLesson[];
}

export interface UnitRow {
  unitId: string;
  name: string;
  members: number;
  learners: number;
  phases: {
    phaseId: string;
    started: number;
    completed: number;
    averageScore: number | null;
    brevets: number;
  }[];
  averageScore: number | null;
  brevets: number;
  lastAssignment: string | null;
}

export interface PhaseName {
  phaseId: string;
  number: number;
  title: string;
}

export interface UnitsDocument {
  phases: PhaseName[];
  units: UnitRow[];
}

export interface UnitDocument {
  phases: PhaseName[];
  unit: UnitRow;
  lessons: FunnelLesson[];
}

export interface QuestionRow {
  lessonId: string;
  lessonTitle: string;
  questionId: string;
  question: string;
  answered: number;
  rightShare: number;
  languages: { language: Language; answered: number; rightShare: number | null }[];
  languageGap: number | null;
  flagged: boolean;
}

export interface QuestionsDocument {
  minAnswersToCompare: number;
  gapFlag: number;
  questions: QuestionRow[];
}

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
