import { type Programme } from '../curriculum/programme';
import { type Language } from '../i18n/languages';
import { type LearnerProgress } from '../learning/learning-service';

/** The body of GET /api/me/progress (documented in the README; add fields, keep these). */
export interface ProgressDocument {
  learner: {
    language: Language;
    known: boolean;
    trackId: string | null;
    trackTitle: string | null;
  };
  phases: {
    id: string;
    number: number;
    title: string;
    opensAt: string;
    state: 'notOpen' | 'open' | 'complete';
    lessonsDone: number;
    lessonsTotal: number;
    score: number | null;
    brevetEarnedAt: string | null;
    trackPending: boolean;
    lessons: { id: string; title: string; state: string; score: number | null; minutes: number }[];
  }[];
  next:
    | { kind: 'lesson'; lessonId: string; title: string; phaseId: string }
    | { kind: 'chooseTrack' | 'phaseNotOpen'; phaseId: string; opensAt: string }
    | { kind: 'allDone' };
  /** Teams deep link to the 1:1 chat with the bot, to continue there; null without BOT_ID. */
  chatUrl: string | null;
  /** Quiz questions due for spaced review now (always sent; optional for older clients). */
  reviewDue?: number;
  /** Working days in a row with a lesson or a review. */
  streak?: number;
}

export function progressDocument(
  programme: Programme,
  { known, progress }: { known: boolean; progress: LearnerProgress },
  botId: string | undefined,
  reviewDue = 0,
  streak = 0,
): ProgressDocument {
  const language = progress.learner.language;
  const { next } = progress;
  const track = programme.track(progress.learner.trackId);
  return {
    learner: {
      language,
      known,
      trackId: progress.learner.trackId,
      trackTitle: track ? track.title[language] : null,
    },
    phases: progress.phases.map((p) => ({
      id: p.phase.id,
      number: p.phase.number,
      title: p.phase.title[language],
      opensAt: p.phase.opensAt,
      state: p.state,
      lessonsDone: p.lessonsDone,
      lessonsTotal: p.lessonsTotal,
      score: p.score,
      brevetEarnedAt: p.brevet?.earnedAt ?? null,
      trackPending: p.trackPending,
      lessons: p.lessons.map((status) => ({
        id: status.lesson.id,
        title: status.lesson.text[language].title,
        state: status.state,
        score: status.score,
        minutes: status.lesson.minutes,
      })),
    })),
    next:
      next.kind === 'lesson'
        ? {
            kind: 'lesson',
            lessonId: next.lesson.id,
            title: next.lesson.text[language].title,
            phaseId: next.phase.id,
          }
        : next.kind === 'allDone'
          ? { kind: 'allDone' }
          : { kind: next.kind, phaseId: next.phase.id, opensAt: next.phase.opensAt },
    reviewDue,
    streak,
    chatUrl: botId
      ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botId)}`
      : null,
  };
}
