import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable } from 'kysely';
import { isLanguage, type Language } from '../i18n/languages';
import {
  type AnswerRecord,
  type BrevetRecord,
  type ConversationAddress,
  type LearnerRecord,
  type LearningStore,
  type LessonProgressRecord,
} from '../learning/learning-store';
import { prepareQuery } from './prepared-query';
import { type Database, type LearnersTable } from './schema';

/** The columns a LearnerRecord needs (not where their 1:1 chat is). */
const LEARNER_COLUMNS = [
  'id',
  'tenant_id',
  'user_key',
  'language',
  'track_id',
  'language_confirmed',
  'time_zone',
  'created_at',
] as const;

type LearnerRow = Pick<Selectable<LearnersTable>, (typeof LEARNER_COLUMNS)[number]>;

function toLearner(row: LearnerRow): LearnerRecord {
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

/** The statements of every turn, compiled once (prepared-query.ts). */
function learningQueries(db: Kysely<Database>) {
  return {
    findLearner: prepareQuery(db, (a: { tenantId: string; userKey: string }) =>
      db
        .selectFrom('learners')
        .select(LEARNER_COLUMNS)
        .where('tenant_id', '=', a.tenantId)
        .where('user_key', '=', a.userKey),
    ),
    saveConversationAddress: prepareQuery(
      db,
      (a: {
        learnerId: string;
        serviceUrl: string;
        conversationId: string;
        recipientId: string | null;
      }) =>
        db
          .updateTable('learners')
          .set({
            service_url: a.serviceUrl,
            conversation_id: a.conversationId,
            recipient_id: a.recipientId,
          })
          .where('id', '=', a.learnerId)
          .where((eb) =>
            eb.or([
              eb('service_url', 'is distinct from', a.serviceUrl),
              eb('conversation_id', 'is distinct from', a.conversationId),
              eb('recipient_id', 'is distinct from', a.recipientId),
            ]),
          ),
    ),
    listLessonProgress: prepareQuery(db, (a: { learnerId: string }) =>
      db
        .selectFrom('lesson_progress')
        .select(['lesson_id', 'opened_at', 'completed_at', 'correct_count', 'question_count'])
        .where('learner_id', '=', a.learnerId),
    ),
    hasOpenedLesson: prepareQuery(db, (a: { learnerId: string; lessonId: string }) =>
      db
        .selectFrom('lesson_progress')
        .select('lesson_id')
        .where('learner_id', '=', a.learnerId)
        .where('lesson_id', '=', a.lessonId),
    ),
    openLesson: prepareQuery(db, (a: { learnerId: string; lessonId: string; at: string }) =>
      db
        .insertInto('lesson_progress')
        .values({
          learner_id: a.learnerId,
          lesson_id: a.lessonId,
          opened_at: a.at,
          completed_at: null,
          correct_count: null,
          question_count: null,
        })
        .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing()),
    ),
    listAnswers: prepareQuery(db, (a: { learnerId: string; lessonId: string }) =>
      db
        .selectFrom('quiz_answers')
        .select(['lesson_id', 'question_id', 'choice_id', 'correct', 'answered_at'])
        .where('learner_id', '=', a.learnerId)
        .where('lesson_id', '=', a.lessonId),
    ),
    recordAnswer: prepareQuery(
      db,
      (a: {
        learnerId: string;
        lessonId: string;
        questionId: string;
        choiceId: string;
        correct: number;
        answeredAt: string;
        language: string | null;
      }) =>
        db
          .insertInto('quiz_answers')
          .values({
            learner_id: a.learnerId,
            lesson_id: a.lessonId,
            question_id: a.questionId,
            choice_id: a.choiceId,
            correct: a.correct,
            answered_at: a.answeredAt,
            // Null: the database takes the learner's (migration 007's trigger).
            language: a.language,
          })
          .onConflict((oc) => oc.columns(['learner_id', 'lesson_id', 'question_id']).doNothing()),
    ),
    completeLesson: prepareQuery(
      db,
      (a: { learnerId: string; lessonId: string; at: string; correct: number; total: number }) =>
        db
          .updateTable('lesson_progress')
          .set({ completed_at: a.at, correct_count: a.correct, question_count: a.total })
          .where('learner_id', '=', a.learnerId)
          .where('lesson_id', '=', a.lessonId)
          .where('completed_at', 'is', null),
    ),
    listBrevets: prepareQuery(db, (a: { learnerId: string }) =>
      db
        .selectFrom('brevets')
        .select(['phase_id', 'earned_at', 'score'])
        .where('learner_id', '=', a.learnerId),
    ),
    awardBrevet: prepareQuery(
      db,
      (a: { learnerId: string; phaseId: string; earnedAt: string; score: number }) =>
        db
          .insertInto('brevets')
          .values({
            learner_id: a.learnerId,
            phase_id: a.phaseId,
            earned_at: a.earnedAt,
            score: a.score,
          })
          .onConflict((oc) => oc.columns(['learner_id', 'phase_id']).doNothing()),
    ),
  };
}

/** The learning store on Kysely: the same SQL for SQLite and PostgreSQL. */
export class KyselyLearningStore implements LearningStore {
  private readonly queries: ReturnType<typeof learningQueries>;

  constructor(private readonly db: Kysely<Database>) {
    this.queries = learningQueries(db);
  }

  async findLearner(tenantId: string, userKey: string): Promise<LearnerRecord | undefined> {
    const { rows } = await this.queries.findLearner({ tenantId, userKey });
    return rows[0] ? toLearner(rows[0]) : undefined;
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

  async saveConversationAddress(learnerId: string, address: ConversationAddress): Promise<void> {
    await this.queries.saveConversationAddress({ learnerId, ...address });
  }

  async listLessonProgress(learnerId: string): Promise<LessonProgressRecord[]> {
    const { rows } = await this.queries.listLessonProgress({ learnerId });
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      openedAt: row.opened_at,
      completedAt: row.completed_at,
      correct: row.correct_count === null ? null : Number(row.correct_count),
      total: row.question_count === null ? null : Number(row.question_count),
    }));
  }

  async hasOpenedLesson(learnerId: string, lessonId: string): Promise<boolean> {
    const { rows } = await this.queries.hasOpenedLesson({ learnerId, lessonId });
    return rows.length > 0;
  }

  async openLesson(learnerId: string, lessonId: string, at: string): Promise<void> {
    await this.queries.openLesson({ learnerId, lessonId, at });
  }

  async listAnswers(learnerId: string, lessonId: string): Promise<AnswerRecord[]> {
    const { rows } = await this.queries.listAnswers({ learnerId, lessonId });
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
    shownIn?: Language,
  ): Promise<{ answer: AnswerRecord; inserted: boolean }> {
    const result = await this.queries.recordAnswer({
      language: shownIn ?? null,
      learnerId,
      lessonId: answer.lessonId,
      questionId: answer.questionId,
      choiceId: answer.choiceId,
      correct: answer.correct ? 1 : 0,
      answeredAt: answer.answeredAt,
    });
    const inserted = Number(result.numAffectedRows ?? 0n) > 0;
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
    await this.queries.completeLesson({
      learnerId,
      lessonId,
      at,
      correct: result.correct,
      total: result.total,
    });
  }

  async listBrevets(learnerId: string): Promise<BrevetRecord[]> {
    const { rows } = await this.queries.listBrevets({ learnerId });
    return rows.map((row) => ({
      phaseId: row.phase_id,
      earnedAt: row.earned_at,
      score: Number(row.score),
    }));
  }

  async awardBrevet(learnerId: string, brevet: BrevetRecord): Promise<boolean> {
    const result = await this.queries.awardBrevet({
      learnerId,
      phaseId: brevet.phaseId,
      earnedAt: brevet.earnedAt,
      score: brevet.score,
    });
    return Number(result.numAffectedRows ?? 0n) > 0;
  }
}
