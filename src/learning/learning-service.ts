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
import {
  type LessonInPlace,
  lessonPlace,
  type PhaseProgress,
  percent,
  standing,
  type UpNext,
} from './standing';

/** Who is learning, as the authenticated channel says (never as card data says). */
export interface LearnerIdentity {
  tenantId: string;
  userKey: string;
  locale?: string;
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

export interface LearnerProgress {
  learner: LearnerRecord;
  phases: PhaseProgress<BrevetRecord>[];
  next: UpNext;
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

  /** What comes next for the learner; an open lesson is marked opened (served). */
  async next(learner: LearnerRecord): Promise<NextStep> {
    const progress = await this.store.listLessonProgress(learner.id);
    const { next } = this.progressFrom(learner, progress, []);
    if (next.kind !== 'lesson') return next;
    await this.store.openLesson(learner.id, next.lesson.id, this.now());
    await this.hooks.onActivity?.(learner, this.clock());
    return { kind: 'lesson', place: lessonPlace(this.programme, next.lesson, learner.trackId) };
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
    return { kind: 'ok', place: lessonPlace(this.programme, lesson, learner.trackId) };
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
    if (!phaseProgress?.earnsBrevet || phaseProgress.score === null) return undefined;
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
    const { phases, next } = standing(
      this.programme,
      {
        trackId: learner.trackId,
        openedLessons: progress.map((p) => p.lessonId),
        completedLessons: progress
          .filter((p) => p.completedAt)
          .map((p) => ({ lessonId: p.lessonId, correct: p.correct ?? 0, total: p.total ?? 0 })),
        brevets,
      },
      this.clock(),
    );
    return { learner, phases, next };
  }
}
