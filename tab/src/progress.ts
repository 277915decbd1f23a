/**
 * The body of GET /api/me/progress as the tab reads it. The server's own type is
 * src/http/progress-document.ts; tests/tab/progress-model.test.ts checks at compile time that
 * the server's document still fits this one. Pure TypeScript: no DOM, no React.
 */

export const LANGUAGES = ['fr', 'nl', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export type PhaseState = 'notOpen' | 'open' | 'complete';
export type LessonState = 'done' | 'inProgress' | 'todo' | 'locked';

export interface LessonProgress {
  id: string;
  title: string;
  /** done | inProgress | todo | locked; anything else is shown as "to do". */
  state: string;
  score: number | null;
  minutes?: number;
}

export interface PhaseProgress {
  id: string;
  number?: number;
  title: string;
  opensAt: string;
  state: PhaseState;
  lessonsDone: number;
  lessonsTotal: number;
  score: number | null;
  brevetEarnedAt: string | null;
  trackPending?: boolean;
  lessons: LessonProgress[];
  /** Questions of this phase due for review, when the server computes review (optional). */
  reviewDue?: number;
}

export type UpNext =
  | { kind: 'lesson'; lessonId: string; title: string; phaseId: string }
  | { kind: 'chooseTrack' | 'phaseNotOpen'; phaseId: string; opensAt: string }
  | { kind: 'allDone' };

export interface ProgressDocument {
  learner: {
    language: Language;
    known?: boolean;
    trackId?: string | null;
    trackTitle?: string | null;
  };
  phases: PhaseProgress[];
  next?: UpNext;
  /** Teams deep link to the 1:1 chat with the bot; null when the server has no bot id. */
  chatUrl?: string | null;
  /** Questions due for review over all phases, when the server computes review (optional). */
  reviewDue?: number;
  /** Working days in a row with a lesson or a review (optional). */
  streak?: number;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The tab's language from a Teams locale (fr-BE → fr, …), as the bot does; English otherwise. */
export function languageFromLocale(locale: string | undefined | null): Language {
  const prefix = (locale ?? '').trim().toLowerCase().slice(0, 2);
  return isLanguage(prefix) ? prefix : 'en';
}

/** BCP 47 tag for dates and numbers (Belgian where it applies), as the bot uses. */
export const LOCALE_TAG: Record<Language, string> = {
  fr: 'fr-BE',
  nl: 'nl-BE',
  de: 'de-BE',
  en: 'en-GB',
};

/** A date (YYYY-MM-DD or an ISO timestamp) as learners of that language read it. */
export function formatDate(language: Language, value: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALE_TAG[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Brussels',
  }).format(date);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Checks the shape the tab relies on (a proxy or an old server could answer something else);
 * drops an optional `reviewDue` or `streak` that is not a count. Returns undefined for anything unusable.
 */
export function readProgressDocument(body: unknown): ProgressDocument | undefined {
  if (!isObject(body) || !isObject(body.learner) || !Array.isArray(body.phases)) return undefined;
  const phases: PhaseProgress[] = [];
  for (const phase of body.phases) {
    if (
      !isObject(phase) ||
      typeof phase.id !== 'string' ||
      typeof phase.title !== 'string' ||
      !['notOpen', 'open', 'complete'].includes(phase.state as string) ||
      !isCount(phase.lessonsDone) ||
      !isCount(phase.lessonsTotal) ||
      !Array.isArray(phase.lessons)
    )
      return undefined;
    const lessons = phase.lessons.filter(
      (lesson): lesson is LessonProgress =>
        isObject(lesson) && typeof lesson.id === 'string' && typeof lesson.title === 'string',
    );
    phases.push({
      ...(phase as unknown as PhaseProgress),
      lessons,
      reviewDue: isCount(phase.reviewDue) ? phase.reviewDue : undefined,
    });
  }
  const document = body as unknown as ProgressDocument;
  return {
    ...document,
    learner: {
      ...document.learner,
      language: isLanguage(document.learner.language) ? document.learner.language : 'en',
    },
    phases,
    reviewDue: isCount(body.reviewDue) ? body.reviewDue : undefined,
    streak: isCount(body.streak) ? body.streak : undefined,
  };
}

/** The lesson state the tab knows how to show (an unknown one reads as "to do"). */
export function lessonState(state: string): LessonState {
  return state === 'done' || state === 'inProgress' || state === 'locked' ? state : 'todo';
}

/** A percentage for display: whole numbers, clamped to 0–100. */
export function percent(score: number): number {
  return Math.max(0, Math.min(100, Math.round(score)));
}

/** The phase a next step points at, for "Phase 2: Applied" in the up-next line. */
export function phaseOf(document: ProgressDocument, phaseId: string): PhaseProgress | undefined {
  return document.phases.find((phase) => phase.id === phaseId);
}
