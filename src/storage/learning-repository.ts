import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable } from 'kysely';
import { isLanguage, type Language } from '../i18n/languages';
import {
  type AnswerRecord,
  type BrevetRecord,
  type LearnerRecord,
  type LearningStore,
  type LessonProgressRecord,
} from '../learning/learning-store';
import { type Database, type LearnersTable } from './schema';

function toLearner(row: Selectable<LearnersTable>): LearnerRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    userKey: row.user_key,
    language: (isLanguage(row.language) ? row.language : 'en') as Language,
    trackId: row.track_id,
    languageConfirmed: Number(row.language_confirmed) !== 0,
    timeZone: row.time_zone,
    createdAt: row.created_at,
  };
}

/** The learning store on Kysely: the same SQL for SQLite and PostgreSQL. */
export class KyselyLearningStore implements LearningStore {
  constructor(private readonly db: Kysely<Database>) {}

  async findLearner(tenantId: string, userKey: string): Promise<LearnerRecord | undefined> {
    const row = await this.db
      .selectFrom('learners')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return row ? toLearner(row) : undefined;
  }

  async createLearner(input: {
    tenantId: string;
    userKey: string;
    language: Language;
    at: string;
  }): Promise<LearnerRecord> {
    await this.db
      .insertInto('learners')
      .values({
        id: randomUUID(),
        tenant_id: input.tenantId,
        user_key: input.userKey,
        language: input.language,
        track_id: null,
        conversation_reference: null,
        created_at: input.at,
        updated_at: input.at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'user_key']).doNothing())
      .execute();
    const learner = await this.findLearner(input.tenantId, input.userKey);
    if (!learner) throw new Error('learner insert did not persist');
    return learner;
  }

  async updateLearner(
    learnerId: string,
    patch: { language?: Language; trackId?: string; timeZone?: string },
    at: string,
  ): Promise<void> {
    await this.db
      .updateTable('learners')
      .set({
        updated_at: at,
        ...(patch.language ? { language: patch.language, language_confirmed: 1 } : {}),
        ...(patch.trackId ? { track_id: patch.trackId } : {}),
        ...(patch.timeZone ? { time_zone: patch.timeZone } : {}),
      })
      .where('id', '=', learnerId)
      .execute();
  }

  async saveConversationReference(learnerId: string, reference: string): Promise<void> {
    await this.db
      .updateTable('learners')
      .set({ conversation_reference: reference })
      .where('id', '=', learnerId)
      .where((eb) =>
        eb.or([
          eb('conversation_reference', 'is', null),
          eb('conversation_reference', '!=', reference),
        ]),
      )
      .execute();
  }

  async listLessonProgress(learnerId: string): Promise<LessonProgressRecord[]> {
    const rows = await this.db
      .selectFrom('lesson_progress')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .execute();
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      openedAt: row.opened_at,
      completedAt: row.completed_at,
      correct: row.correct_count === null ? null : Number(row.correct_count),
      total: row.question_count === null ? null : Number(row.question_count),
    }));
  }

  async openLesson(learnerId: string, lessonId: string, at: string): Promise<void> {
    await this.db
      .insertInto('lesson_progress')
      .values({
        learner_id: learnerId,
        lesson_id: lessonId,
        opened_at: at,
        completed_at: null,
        correct_count: null,
        question_count: null,
      })
      .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing())
      .execute();
  }

  async listAnswers(learnerId: string, lessonId: string): Promise<AnswerRecord[]> {
    const rows = await this.db
      .selectFrom('quiz_answers')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', lessonId)
      .execute();
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      questionId: row.question_id,
      choiceId: row.choice_id,
      correct: Number(row.correct) === 1,
      answeredAt: row.answered_at,
    }));
  }

  async recordAnswer(
    learnerId: string,
    answer: AnswerRecord,
  ): Promise<{ answer: AnswerRecord; inserted: boolean }> {
    const result = await this.db
      .insertInto('quiz_answers')
      .values({
        learner_id: learnerId,
        lesson_id: answer.lessonId,
        question_id: answer.questionId,
        choice_id: answer.choiceId,
        correct: answer.correct ? 1 : 0,
        answered_at: answer.answeredAt,
      })
      .onConflict((oc) => oc.columns(['learner_id', 'lesson_id', 'question_id']).doNothing())
      .executeTakeFirst();
    const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    if (inserted) return { answer, inserted };
    const stored = (await this.listAnswers(learnerId, answer.lessonId)).find(
      (row) => row.questionId === answer.questionId,
    );
    if (!stored) throw new Error('answer conflict without a stored answer');
    return { answer: stored, inserted: false };
  }

  async completeLesson(
    learnerId: string,
    lessonId: string,
    result: { correct: number; total: number },
    at: string,
  ): Promise<void> {
    await this.db
      .updateTable('lesson_progress')
      .set({ completed_at: at, correct_count: result.correct, question_count: result.total })
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', lessonId)
      .where('completed_at', 'is', null)
      .execute();
  }

  async listBrevets(learnerId: string): Promise<BrevetRecord[]> {
    const rows = await this.db
      .selectFrom('brevets')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .execute();
    return rows.map((row) => ({
      phaseId: row.phase_id,
      earnedAt: row.earned_at,
      score: Number(row.score),
    }));
  }

  async awardBrevet(learnerId: string, brevet: BrevetRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('brevets')
      .values({
        learner_id: learnerId,
        phase_id: brevet.phaseId,
        earned_at: brevet.earnedAt,
        score: brevet.score,
      })
      .onConflict((oc) => oc.columns(['learner_id', 'phase_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
}
