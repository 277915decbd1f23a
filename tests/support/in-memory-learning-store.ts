import { type Language } from '../../src/i18n/languages';
import {
  type AnswerRecord,
  type BrevetRecord,
  type ConversationAddress,
  type LearnerRecord,
  type LearningStore,
  type LessonProgressRecord,
} from '../../src/learning/learning-store';

/** The learning store in memory, for domain tests without a database. */
export class InMemoryLearningStore implements LearningStore {
  readonly learners: LearnerRecord[] = [];
  readonly progress = new Map<string, LessonProgressRecord[]>();
  readonly answers = new Map<string, AnswerRecord[]>();
  readonly brevets = new Map<string, BrevetRecord[]>();
  readonly addresses = new Map<string, ConversationAddress>();

  findLearner(tenantId: string, userKey: string): Promise<LearnerRecord | undefined> {
    const found = this.learners.find((l) => l.tenantId === tenantId && l.userKey === userKey);
    return Promise.resolve(found && { ...found });
  }

  async createLearner(input: {
    tenantId: string;
    userKey: string;
    language: Language;
    at: string;
  }): Promise<LearnerRecord> {
    const existing = await this.findLearner(input.tenantId, input.userKey);
    if (existing) return existing;
    const learner: LearnerRecord = {
      id: `learner-${this.learners.length + 1}`,
      tenantId: input.tenantId,
      userKey: input.userKey,
      language: input.language,
      trackId: null,
      languageConfirmed: true,
      timeZone: 'Europe/Brussels',
      createdAt: input.at,
    };
    this.learners.push(learner);
    return { ...learner };
  }

  updateLearner(
    learnerId: string,
    patch: { language?: Language; trackId?: string; timeZone?: string },
  ): Promise<void> {
    const learner = this.learners.find((l) => l.id === learnerId);
    if (learner) Object.assign(learner, patch, patch.language ? { languageConfirmed: true } : {});
    return Promise.resolve();
  }

  saveConversationAddress(learnerId: string, address: ConversationAddress): Promise<void> {
    this.addresses.set(learnerId, { ...address });
    return Promise.resolve();
  }

  listLessonProgress(learnerId: string): Promise<LessonProgressRecord[]> {
    return Promise.resolve((this.progress.get(learnerId) ?? []).map((p) => ({ ...p })));
  }

  hasOpenedLesson(learnerId: string, lessonId: string): Promise<boolean> {
    return Promise.resolve(this.lessonOf(learnerId, lessonId) !== undefined);
  }

  openLesson(learnerId: string, lessonId: string, at: string): Promise<void> {
    if (!this.lessonOf(learnerId, lessonId))
      this.listOf(this.progress, learnerId).push({
        lessonId,
        openedAt: at,
        completedAt: null,
        correct: null,
        total: null,
      });
    return Promise.resolve();
  }

  listAnswers(learnerId: string, lessonId: string): Promise<AnswerRecord[]> {
    return Promise.resolve(
      (this.answers.get(learnerId) ?? []).filter((a) => a.lessonId === lessonId),
    );
  }

  recordAnswer(
    learnerId: string,
    answer: AnswerRecord,
  ): Promise<{ answer: AnswerRecord; inserted: boolean }> {
    const answers = this.listOf(this.answers, learnerId);
    const first = answers.find(
      (a) => a.lessonId === answer.lessonId && a.questionId === answer.questionId,
    );
    if (first) return Promise.resolve({ answer: first, inserted: false });
    answers.push(answer);
    return Promise.resolve({ answer, inserted: true });
  }

  completeLesson(
    learnerId: string,
    lessonId: string,
    result: { correct: number; total: number },
    at: string,
  ): Promise<void> {
    const record = this.lessonOf(learnerId, lessonId);
    if (record && !record.completedAt) Object.assign(record, result, { completedAt: at });
    return Promise.resolve();
  }

  listBrevets(learnerId: string): Promise<BrevetRecord[]> {
    return Promise.resolve([...(this.brevets.get(learnerId) ?? [])]);
  }

  awardBrevet(learnerId: string, brevet: BrevetRecord): Promise<boolean> {
    const brevets = this.listOf(this.brevets, learnerId);
    if (brevets.some((b) => b.phaseId === brevet.phaseId)) return Promise.resolve(false);
    brevets.push(brevet);
    return Promise.resolve(true);
  }

  private lessonOf(learnerId: string, lessonId: string): LessonProgressRecord | undefined {
    return this.progress.get(learnerId)?.find((p) => p.lessonId === lessonId);
  }

  private listOf<T>(map: Map<string, T[]>, learnerId: string): T[] {
    const list = map.get(learnerId) ?? [];
    map.set(learnerId, list);
    return list;
  }
}
