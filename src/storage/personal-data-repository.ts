import { type Kysely } from 'kysely';
import {
  type PersonalDataDocument,
  type PersonalDataStore,
  type PersonIdentity,
} from '../privacy/personal-data';
import { type Database } from './schema';

type Collected = Omit<PersonalDataDocument, 'format' | 'version' | 'exportedAt'>;

/**
 * The outbox rows of one person: addressed to them, or to their 1:1 chat. Indexed lookups
 * (migration 006: outbox_recipient, outbox_conversation), not a scan of every message.
 */
export function outboxOfPerson(
  db: Kysely<Database>,
  person: PersonIdentity,
  conversationId: string | null,
) {
  // Each branch of the OR names its own index's columns, so that SQLite and PostgreSQL look up
  // both indexes instead of reading the whole tenant's outbox.
  return db
    .updateTable('outbox')
    .where((eb) =>
      eb.or([
        eb.and([eb('tenant_id', '=', person.tenantId), eb('recipient_key', '=', person.userKey)]),
        ...(conversationId
          ? [
              eb.and([
                eb('conversation_id', '=', conversationId),
                eb('tenant_id', '=', person.tenantId),
              ]),
            ]
          : []),
      ]),
    );
}

/** The personal data store on Kysely: the same SQL for SQLite and PostgreSQL. */
export class KyselyPersonalDataStore implements PersonalDataStore {
  constructor(private readonly db: Kysely<Database>) {}

  async collect(person: PersonIdentity): Promise<Collected> {
    const leadOf = (
      await this.db
        .selectFrom('team_leads')
        .innerJoin('teams', 'teams.team_id', 'team_leads.team_id')
        .select('team_leads.team_id')
        .where('team_leads.user_key', '=', person.userKey)
        .where('teams.tenant_id', '=', person.tenantId)
        .orderBy('team_leads.team_id')
        .execute()
    ).map((row) => row.team_id);
    const memberOf = (
      await this.db
        .selectFrom('team_members')
        .select('team_id')
        .where('tenant_id', '=', person.tenantId)
        .where('user_key', '=', person.userKey)
        .orderBy('team_id')
        .execute()
    ).map((row) => row.team_id);
    const learner = await this.db
      .selectFrom('learners')
      .selectAll()
      .where('tenant_id', '=', person.tenantId)
      .where('user_key', '=', person.userKey)
      .executeTakeFirst();
    if (!learner)
      return {
        learner: null,
        lessons: [],
        answers: [],
        brevets: [],
        reviews: [],
        activityDays: [],
        leadOf,
        memberOf,
      };
    const [lessons, answers, brevets, reviews, days] = await Promise.all([
      this.db
        .selectFrom('lesson_progress')
        .selectAll()
        .where('learner_id', '=', learner.id)
        .orderBy('opened_at')
        .execute(),
      this.db
        .selectFrom('quiz_answers')
        .selectAll()
        .where('learner_id', '=', learner.id)
        .orderBy('answered_at')
        .execute(),
      this.db
        .selectFrom('brevets')
        .selectAll()
        .where('learner_id', '=', learner.id)
        .orderBy('earned_at')
        .execute(),
      this.db
        .selectFrom('review_items')
        .selectAll()
        .where('learner_id', '=', learner.id)
        .orderBy('lesson_id')
        .orderBy('question_id')
        .execute(),
      this.db
        .selectFrom('learner_activity')
        .select('day')
        .where('learner_id', '=', learner.id)
        .orderBy('day')
        .execute(),
    ]);
    return {
      learner: {
        tenantId: learner.tenant_id,
        entraObjectId: learner.user_key,
        language: learner.language,
        track: learner.track_id,
        timeZone: learner.time_zone,
        reminders: {
          enabled: Number(learner.reminders_enabled) === 1,
          at: learner.remind_at,
          lastRemindedOn: learner.last_reminded_on,
        },
        createdAt: learner.created_at,
        updatedAt: learner.updated_at,
      },
      lessons: lessons.map((row) => ({
        lessonId: row.lesson_id,
        openedAt: row.opened_at,
        completedAt: row.completed_at,
        correct: row.correct_count === null ? null : Number(row.correct_count),
        total: row.question_count === null ? null : Number(row.question_count),
      })),
      answers: answers.map((row) => ({
        lessonId: row.lesson_id,
        questionId: row.question_id,
        choiceId: row.choice_id,
        correct: Number(row.correct) === 1,
        answeredAt: row.answered_at,
        language: row.language,
      })),
      brevets: brevets.map((row) => ({
        phaseId: row.phase_id,
        earnedAt: row.earned_at,
        score: Number(row.score),
      })),
      reviews: reviews.map((row) => ({
        lessonId: row.lesson_id,
        questionId: row.question_id,
        due: row.due,
        reviews: Number(row.reviews),
        reviewsRight: Number(row.reviews_right),
        lastReview: row.last_review,
      })),
      activityDays: days.map((row) => row.day),
      leadOf,
      memberOf,
    };
  }

  async erase(person: PersonIdentity, reason: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const learner = await trx
        .selectFrom('learners')
        .select(['id', 'conversation_id'])
        .where('tenant_id', '=', person.tenantId)
        .where('user_key', '=', person.userKey)
        .executeTakeFirst();
      // Messages for them: withdrawn if not sent yet; in every case stripped of who they were for.
      await outboxOfPerson(trx, person, learner?.conversation_id ?? null)
        .set((eb) => ({
          status: eb
            .case()
            .when('status', 'in', ['pending', 'sending'])
            .then('failed')
            .else(eb.ref('status'))
            .end(),
          last_error: eb
            .case()
            .when('status', 'in', ['pending', 'sending'])
            .then(reason)
            .else(eb.ref('last_error'))
            .end(),
          recipient_key: null,
          recipient_id: null,
          recipient_name: null,
          conversation_id: null,
          claimed_by: null,
          lease_until: null,
        }))
        .execute();
      // Their memberships of units (a later roster read lists them again while they are in the
      // team, with nothing else).
      await trx
        .deleteFrom('team_members')
        .where('tenant_id', '=', person.tenantId)
        .where('user_key', '=', person.userKey)
        .execute();
      if (!learner) return false;
      // Progress, answers, brevets, reviews and activity days go with it (ON DELETE CASCADE).
      await trx.deleteFrom('learners').where('id', '=', learner.id).execute();
      return true;
    });
  }
}
