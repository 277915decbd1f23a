import { type Lesson, type Phase, type Question } from '../curriculum/curriculum-types';
import { isPhaseOpen, type Programme } from '../curriculum/programme';
import { type Language, languageFromLocale } from '../i18n/languages';
import { PROGRAMME_TIME_ZONE } from '../time/zones';
import {
  type AnswerRecord,
  type BrevetRecord,
  type ConversationAddress,
  type LearnerRecord,
  type LearningStore,
  type LessonProgressRecord,
} from './learning-store';

/** Who is learning, as the authenticated channel says (never as card data says). */
export interface LearnerIdentity {
  tenantId: string;
  userKey: string;
  locale?: string;
}

/** A lesson with where it sits in the learner's sequence of its phase. */
export interface LessonInPlace {
  lesson: Lesson;
  phase: Phase;
  position: number;
  total: number;
}

export type NextStep =
  | { kind: 'lesson'; place: LessonInPlace }
  | { kind: 'chooseTrack'; phase: Phase }
  | { kind: 'phaseNotOpen'; phase: Phase }
  | { kind: 'allDone' };

export interface QuestionInPlace {
  lesson: Lesson;
  question: Question;
  position: number;
  total: number;
}

export interface LessonSummary {
  lesson: Lesson;
  correct: number;
  total: number;
  percent: number;
  missed: Question[];
}

export interface AnswerFeedback {
  question: Question;
  /** The answer that counts: the first one recorded. */
  answer: AnswerRecord;
  alreadyAnswered: boolean;
}

export type QuizStep =
  | { kind: 'question'; question: QuestionInPlace }
  | { kind: 'summary'; summary: LessonSummary; brevet?: { phase: Phase; score: number } };

export type QuizRefusal = 'unknownLesson' | 'notReached' | 'unknownQuestion' | 'unknownChoice';

export type AnswerResult =
  | { kind: 'answered'; feedback: AnswerFeedback; next: QuizStep }
  | { kind: 'refused'; reason: QuizRefusal };

export type PhaseState = 'notOpen' | 'open' | 'complete';
export type LessonState = 'done' | 'inProgress' | 'todo' | 'locked';

export interface LessonStatus {
  lesson: Lesson;
  state: LessonState;
  score: number | null;
}

export interface PhaseProgress {
  phase: Phase;
  state: PhaseState;
  trackId: string | null;
  lessonsDone: number;
  lessonsTotal: number;
  /** Percent right over first answers in the phase's completed lessons; null before any. */
  score: number | null;
  brevet: BrevetRecord | undefined;
  lessons: LessonStatus[];
  /** Set on a phase with a track choice the learner has not made yet. */
  trackPending: boolean;
}

export interface LearnerProgress {
  learner: LearnerRecord;
  phases: PhaseProgress[];
}

/** What the learner would get from `next`, read-only (nothing is marked opened). */
export type UpNext =
  | { kind: 'lesson'; phase: Phase; lesson: Lesson }
  | { kind: 'chooseTrack'; phase: Phase }
  | { kind: 'phaseNotOpen'; phase: Phase }
  | { kind: 'allDone' };

/** The learner's next step from their progress, without changing anything. */
export function upNext(progress: LearnerProgress): UpNext {
  for (const phase of progress.phases) {
    if (phase.lessons.length === 0 && !phase.trackPending) continue;
    if (phase.state === 'complete') continue;
    if (phase.state === 'notOpen') return { kind: 'phaseNotOpen', phase: phase.phase };
    if (phase.trackPending) return { kind: 'chooseTrack', phase: phase.phase };
    const lesson = phase.lessons.find((status) => status.state !== 'done');
    if (lesson) return { kind: 'lesson', phase: phase.phase, lesson: lesson.lesson };
  }
  return { kind: 'allDone' };
}

function percent(correct: number, total: number): number {
  return total === 0 ? 0 : Math.round((correct / total) * 100);
}

/**
 * The learner's loop: next lesson, quiz, progress, brevets. Pure domain: it knows nothing of
 * Teams, HTTP or SQL, and takes the time from the clock it is given.
 */
export class LearningService {
  constructor(
    private readonly programme: Programme,
    private readonly store: LearningStore,
    private readonly clock: () => Date = () => new Date(),
    private readonly hooks: {
      /** Told of each first answer (spaced review starts from it). */
      onFirstAnswer?: (
        learnerId: string,
        answer: { lessonId: string; questionId: string; correct: boolean },
        at: Date,
      ) => Promise<void>;
      /** Told when the learner opens a lesson or answers (streaks, reminders' 20-hour rule). */
      onActivity?: (learner: LearnerRecord, at: Date) => Promise<void>;
    } = {},
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  /** The learner behind an identity, created on first contact with the language of the locale. */
  async learner(identity: LearnerIdentity): Promise<LearnerRecord> {
    const existing = await this.store.findLearner(identity.tenantId, identity.userKey);
    if (existing) return existing;
    return this.store.createLearner({
      tenantId: identity.tenantId,
      userKey: identity.userKey,
      language: languageFromLocale(identity.locale),
      at: this.now(),
    });
  }

  /** The learner if they have ever been seen, without creating one. */
  findLearner(identity: LearnerIdentity): Promise<LearnerRecord | undefined> {
    return this.store.findLearner(identity.tenantId, identity.userKey);
  }

  async setLanguage(learner: LearnerRecord, language: Language): Promise<LearnerRecord> {
    await this.store.updateLearner(learner.id, { language }, this.now());
    return { ...learner, language, languageConfirmed: true };
  }

  /**
   * A learner created by an assignment got the lead's language as a guess: the first turn of
   * their own replaces it with their Teams client's (a language they chose is never overridden).
   */
  confirmLanguage(learner: LearnerRecord, locale: string | undefined): Promise<LearnerRecord> {
    if (learner.languageConfirmed || !locale) return Promise.resolve(learner);
    return this.setLanguage(learner, languageFromLocale(locale));
  }

  /** Follows the time zone the learner's Teams client reports (`zone` already validated). */
  async setTimeZone(learner: LearnerRecord, timeZone: string): Promise<LearnerRecord> {
    if (learner.timeZone === timeZone) return learner;
    await this.store.updateLearner(learner.id, { timeZone }, this.now());
    return { ...learner, timeZone };
  }

  saveConversationAddress(learner: LearnerRecord, address: ConversationAddress): Promise<void> {
    return this.store.saveConversationAddress(learner.id, address);
  }

  /** Sets the phase-2 track once; a learner who already has one keeps it. */
  async chooseTrack(
    learner: LearnerRecord,
    trackId: string,
  ): Promise<
    { kind: 'chosen' | 'alreadyChosen'; learner: LearnerRecord } | { kind: 'unknownTrack' }
  > {
    if (!this.programme.track(trackId)) return { kind: 'unknownTrack' };
    if (learner.trackId) return { kind: 'alreadyChosen', learner };
    await this.store.updateLearner(learner.id, { trackId }, this.now());
    return { kind: 'chosen', learner: { ...learner, trackId } };
  }

  private place(lesson: Lesson, trackId: string | null): LessonInPlace {
    const phase = this.programme.phase(lesson.phaseId) as Phase;
    const sequence = this.programme.sequence(phase.id, trackId);
    return {
      lesson,
      phase,
      position: sequence.findIndex((item) => item.id === lesson.id) + 1,
      total: sequence.length,
    };
  }

  /** What comes next for the learner; an open lesson is marked opened (served). */
  async next(learner: LearnerRecord): Promise<NextStep> {
    const progress = await this.store.listLessonProgress(learner.id);
    const completed = new Set(progress.filter((p) => p.completedAt).map((p) => p.lessonId));
    const now = this.clock();
    for (const phase of this.programme.phases) {
      const hasLessons = this.programme.lessonsOfPhase(phase.id).length > 0;
      if (!hasLessons) continue;
      if (phase.chooseTrack && !learner.trackId) {
        return isPhaseOpen(phase, now)
          ? { kind: 'chooseTrack', phase }
          : { kind: 'phaseNotOpen', phase };
      }
      const lesson = this.programme
        .sequence(phase.id, learner.trackId)
        .find((item) => !completed.has(item.id));
      if (!lesson) continue;
      if (!isPhaseOpen(phase, now)) return { kind: 'phaseNotOpen', phase };
      await this.store.openLesson(learner.id, lesson.id, this.now());
      await this.hooks.onActivity?.(learner, this.clock());
      return { kind: 'lesson', place: this.place(lesson, learner.trackId) };
    }
    return { kind: 'allDone' };
  }

  /**
   * Marks a lesson served to a learner who got it from a lead (a card pushed to a channel), if it
   * exists and its phase is open; the learner then pages and answers it as in 1:1.
   */
  async openDelivered(learner: LearnerRecord, lessonId: string): Promise<void> {
    const lesson = this.programme.lesson(lessonId);
    const phase = lesson && this.programme.phase(lesson.phaseId);
    if (!lesson || !phase || !isPhaseOpen(phase, this.clock())) return;
    await this.store.openLesson(learner.id, lesson.id, this.now());
  }

  /** A lesson the learner has already been served, for paging; undefined if not reached. */
  async openedLesson(
    learner: LearnerRecord,
    lessonId: string,
  ): Promise<{ kind: 'ok'; place: LessonInPlace } | { kind: 'refused'; reason: QuizRefusal }> {
    const lesson = this.programme.lesson(lessonId);
    if (!lesson) return { kind: 'refused', reason: 'unknownLesson' };
    if (!(await this.store.hasOpenedLesson(learner.id, lessonId)))
      return { kind: 'refused', reason: 'notReached' };
    return { kind: 'ok', place: this.place(lesson, learner.trackId) };
  }

  /** The first unanswered question of an opened lesson, or its summary when all are answered. */
  async quiz(
    learner: LearnerRecord,
    lessonId: string,
  ): Promise<{ kind: 'ok'; step: QuizStep } | { kind: 'refused'; reason: QuizRefusal }> {
    const opened = await this.openedLesson(learner, lessonId);
    if (opened.kind === 'refused') return opened;
    return { kind: 'ok', step: await this.advance(learner, opened.place.lesson) };
  }

  /** Records an answer (the first one to a question counts) and says what comes next. */
  async answer(
    learner: LearnerRecord,
    input: { lessonId: string; questionId: string; choiceId: string },
  ): Promise<AnswerResult> {
    const opened = await this.openedLesson(learner, input.lessonId);
    if (opened.kind === 'refused') return opened;
    const lesson = opened.place.lesson;
    const question = lesson.questions.find((q) => q.id === input.questionId);
    if (!question) return { kind: 'refused', reason: 'unknownQuestion' };
    if (!question.choices.includes(input.choiceId))
      return { kind: 'refused', reason: 'unknownChoice' };

    const { answer, inserted } = await this.store.recordAnswer(
      learner.id,
      {
        lessonId: lesson.id,
        questionId: question.id,
        choiceId: input.choiceId,
        correct: input.choiceId === question.answer,
        answeredAt: this.now(),
      },
      learner.language,
    );
    if (inserted) await this.hooks.onFirstAnswer?.(learner.id, answer, this.clock());
    await this.hooks.onActivity?.(learner, this.clock());
    return {
      kind: 'answered',
      feedback: { question, answer, alreadyAnswered: !inserted },
      next: await this.advance(learner, lesson),
    };
  }

  /**
   * Moves the lesson forward from what is stored: the next unanswered question, or completion
   * (idempotent, so a replayed last answer repairs a completion a crash interrupted).
   */
  private async advance(learner: LearnerRecord, lesson: Lesson): Promise<QuizStep> {
    const answers = await this.store.listAnswers(learner.id, lesson.id);
    const byQuestion = new Map(answers.map((a) => [a.questionId, a]));
    const index = lesson.questions.findIndex((q) => !byQuestion.has(q.id));
    if (index >= 0) {
      return {
        kind: 'question',
        question: {
          lesson,
          question: lesson.questions[index] as Question,
          position: index + 1,
          total: lesson.questions.length,
        },
      };
    }
    const correct = lesson.questions.filter((q) => byQuestion.get(q.id)?.correct).length;
    const total = lesson.questions.length;
    await this.store.completeLesson(learner.id, lesson.id, { correct, total }, this.now());
    const summary: LessonSummary = {
      lesson,
      correct,
      total,
      percent: percent(correct, total),
      missed: lesson.questions.filter((q) => !byQuestion.get(q.id)?.correct),
    };
    const brevet = await this.awardIfEarned(learner, lesson.phaseId);
    return brevet ? { kind: 'summary', summary, brevet } : { kind: 'summary', summary };
  }

  private async awardIfEarned(
    learner: LearnerRecord,
    phaseId: string,
  ): Promise<{ phase: Phase; score: number } | undefined> {
    const progress = await this.progress(learner);
    const phaseProgress = progress.phases.find((p) => p.phase.id === phaseId);
    if (!phaseProgress || phaseProgress.state !== 'complete' || phaseProgress.score === null)
      return undefined;
    if (phaseProgress.score < this.programme.passingScore) return undefined;
    const awarded = await this.store.awardBrevet(learner.id, {
      phaseId,
      earnedAt: this.now(),
      score: phaseProgress.score,
    });
    return awarded ? { phase: phaseProgress.phase, score: phaseProgress.score } : undefined;
  }

  /**
   * Progress of whoever an identity names, without creating a learner: someone never seen gets
   * the programme with nothing done (`known: false`).
   */
  async progressOf(
    identity: LearnerIdentity,
  ): Promise<{ known: boolean; progress: LearnerProgress }> {
    const learner = await this.store.findLearner(identity.tenantId, identity.userKey);
    if (learner) return { known: true, progress: await this.progress(learner) };
    const blank: LearnerRecord = {
      id: '',
      tenantId: identity.tenantId,
      userKey: identity.userKey,
      language: languageFromLocale(identity.locale),
      trackId: null,
      languageConfirmed: true,
      timeZone: PROGRAMME_TIME_ZONE,
      createdAt: this.now(),
    };
    return { known: false, progress: this.progressFrom(blank, [], []) };
  }

  /** Per phase: state, lessons done out of total, quiz score, brevet, lesson statuses. */
  async progress(learner: LearnerRecord): Promise<LearnerProgress> {
    const [progress, brevets] = await Promise.all([
      this.store.listLessonProgress(learner.id),
      this.store.listBrevets(learner.id),
    ]);
    return this.progressFrom(learner, progress, brevets);
  }

  private progressFrom(
    learner: LearnerRecord,
    progress: LessonProgressRecord[],
    brevets: BrevetRecord[],
  ): LearnerProgress {
    const byLesson = new Map<string, LessonProgressRecord>(progress.map((p) => [p.lessonId, p]));
    const now = this.clock();
    const phases = this.programme.phases.map((phase): PhaseProgress => {
      const trackPending = phase.chooseTrack && !learner.trackId;
      const sequence = this.programme.sequence(phase.id, learner.trackId);
      const open = isPhaseOpen(phase, now);
      let correct = 0;
      let answered = 0;
      const lessons = sequence.map((lesson): LessonStatus => {
        const record = byLesson.get(lesson.id);
        if (record?.completedAt) {
          correct += record.correct ?? 0;
          answered += record.total ?? 0;
          return {
            lesson,
            state: 'done',
            score: percent(record.correct ?? 0, record.total ?? 0),
          };
        }
        if (!open) return { lesson, state: 'locked', score: null };
        return { lesson, state: record ? 'inProgress' : 'todo', score: null };
      });
      const lessonsDone = lessons.filter((l) => l.state === 'done').length;
      const complete = !trackPending && sequence.length > 0 && lessonsDone === sequence.length;
      return {
        phase,
        state: complete ? 'complete' : open ? 'open' : 'notOpen',
        trackId: phase.chooseTrack ? learner.trackId : null,
        lessonsDone,
        lessonsTotal: sequence.length,
        score: answered === 0 ? null : percent(correct, answered),
        brevet: brevets.find((b) => b.phaseId === phase.id),
        lessons,
        trackPending,
      };
    });
    return { learner, phases };
  }
}
