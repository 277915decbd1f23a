import { type Language } from '../i18n/languages';

/** A learner as stored: identified by tenant and Entra object id (or Teams user id). */
export interface LearnerRecord {
  id: string;
  tenantId: string;
  userKey: string;
  language: Language;
  trackId: string | null;
  /** False while `language` is a guess (the assigning lead's) not yet confirmed by the learner. */
  languageConfirmed: boolean;
  /** IANA zone of the learner's Teams client (reminders, activity days); Brussels by default. */
  timeZone: string;
  createdAt: string;
}

export interface LessonProgressRecord {
  lessonId: string;
  openedAt: string;
  completedAt: string | null;
  correct: number | null;
  total: number | null;
}

export interface AnswerRecord {
  lessonId: string;
  questionId: string;
  choiceId: string;
  correct: boolean;
  answeredAt: string;
}

export interface BrevetRecord {
  phaseId: string;
  earnedAt: string;
  score: number;
}

/** Where to reach a learner proactively: their 1:1 chat with the bot. */
export interface ConversationAddress {
  serviceUrl: string;
  conversationId: string;
  /** Their Teams user id (what a message is addressed to), when the chat named it. */
  recipientId: string | null;
}

/** What the learning service needs from storage. Every write is idempotent. */
export interface LearningStore {
  findLearner(tenantId: string, userKey: string): Promise<LearnerRecord | undefined>;
  /** Creates the learner, or returns the one a concurrent turn created first. */
  createLearner(input: {
    tenantId: string;
    userKey: string;
    language: Language;
    at: string;
  }): Promise<LearnerRecord>;
  updateLearner(
    learnerId: string,
    patch: { language?: Language; trackId?: string; timeZone?: string },
    at: string,
  ): Promise<void>;
  /** Keeps where to reach the learner proactively. */
  saveConversationAddress(learnerId: string, address: ConversationAddress): Promise<void>;
  listLessonProgress(learnerId: string): Promise<LessonProgressRecord[]>;
  /** Whether the learner has been served the lesson (it has a progress record). */
  hasOpenedLesson(learnerId: string, lessonId: string): Promise<boolean>;
  /** Marks the lesson opened, unless it already was. */
  openLesson(learnerId: string, lessonId: string, at: string): Promise<void>;
  listAnswers(learnerId: string, lessonId: string): Promise<AnswerRecord[]>;
  /**
   * Stores the answer unless one exists for this question; returns the one that counts.
   * `shownIn`: the language the question was shown in (the learner's stored one when absent).
   */
  recordAnswer(
    learnerId: string,
    answer: AnswerRecord,
    shownIn?: Language,
  ): Promise<{ answer: AnswerRecord; inserted: boolean }>;
  /** Marks the lesson complete with its score, unless it already was. */
  completeLesson(
    learnerId: string,
    lessonId: string,
    result: { correct: number; total: number },
    at: string,
  ): Promise<void>;
  listBrevets(learnerId: string): Promise<BrevetRecord[]>;
  /** Awards the brevet; returns false if the learner already had it. */
  awardBrevet(learnerId: string, brevet: BrevetRecord): Promise<boolean>;
}
