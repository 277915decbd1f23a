import { type Kysely } from 'kysely';
import {
  type ReminderCandidate,
  type ReminderStore,
  type ReminderToSend,
} from '../reminders/reminder-store';
import { insertOutboxRows, outboxRows } from './outbox-repository';
import { prepareQuery } from './prepared-query';
import { type Database } from './schema';

const BATCH = 500;

/** The statements of every answer and every tab request, compiled once (prepared-query.ts). */
function reminderQueries(db: Kysely<Database>) {
  return {
    recordActivity: prepareQuery(db, (a: { learnerId: string; day: string; at: string }) =>
      db
        .insertInto('learner_activity')
        .values({ learner_id: a.learnerId, day: a.day, last_at: a.at })
        .onConflict((oc) => oc.columns(['learner_id', 'day']).doUpdateSet({ last_at: a.at })),
    ),
    activityDays: prepareQuery(db, (a: { learnerId: string; sinceDay: string }) =>
      db
        .selectFrom('learner_activity')
        .select('day')
        .where('learner_id', '=', a.learnerId)
        .where('day', '>=', a.sinceDay),
    ),
  };
}

export class KyselyReminderStore implements ReminderStore {
  private readonly queries: ReturnType<typeof reminderQueries>;

  constructor(private readonly db: Kysely<Database>) {
    this.queries = reminderQueries(db);
  }

  async recordActivity(learnerId: string, day: string, at: string): Promise<void> {
    await this.queries.recordActivity({ learnerId, day, at });
  }

  async activityDays(learnerId: string, sinceDay: string): Promise<string[]> {
    const { rows } = await this.queries.activityDays({ learnerId, sinceDay });
    return rows.map((row) => row.day);
  }

  async settings(learnerId: string) {
    const row = await this.db
      .selectFrom('learners')
      .select(['reminders_enabled', 'remind_at', 'time_zone'])
      .where('id', '=', learnerId)
      .executeTakeFirstOrThrow();
    return {
      enabled: Number(row.reminders_enabled) === 1,
      remindAt: row.remind_at,
      timeZone: row.time_zone,
    };
  }

  async updateSettings(
    learnerId: string,
    patch: { enabled?: boolean; remindAt?: string },
  ): Promise<void> {
    await this.db
      .updateTable('learners')
      .set({
        ...(patch.enabled === undefined ? {} : { reminders_enabled: patch.enabled ? 1 : 0 }),
        ...(patch.remindAt ? { remind_at: patch.remindAt } : {}),
      })
      .where('id', '=', learnerId)
      .execute();
  }

  async candidates(lessonsSince: string): Promise<ReminderCandidate[]> {
    const lastActivity = this.db
      .selectFrom('learner_activity')
      .select(['learner_id', (eb) => eb.fn.max('last_at').as('last_at')])
      .groupBy('learner_id')
      .as('activity');
    // Lessons a lead's assignment or schedule delivered to a 1:1 chat lately (the outbox row
    // holds the chat it went to; rows are found by the purge's index on status and age).
    const lastLesson = this.db
      .selectFrom('outbox')
      .select(['conversation_id', (eb) => eb.fn.max('sent_at').as('sent_at')])
      .where('kind', '=', 'lesson')
      .where('status', '=', 'sent')
      .where('created_at', '>=', lessonsSince)
      .where('conversation_id', 'is not', null)
      .groupBy('conversation_id')
      .as('lesson');
    const rows = await this.db
      .selectFrom('learners')
      .leftJoin(lastActivity, 'activity.learner_id', 'learners.id')
      .leftJoin(lastLesson, 'lesson.conversation_id', 'learners.conversation_id')
      .select([
        'learners.id',
        'learners.tenant_id',
        'learners.language',
        'learners.track_id',
        'learners.remind_at',
        'learners.time_zone',
        'learners.last_reminded_on',
        'learners.service_url',
        'learners.conversation_id',
        'learners.recipient_id',
        'activity.last_at',
        'lesson.sent_at as lesson_sent_at',
      ])
      .where('learners.reminders_enabled', '=', 1)
      .where('learners.service_url', 'is not', null)
      .where('learners.conversation_id', 'is not', null)
      .execute();
    const candidates: ReminderCandidate[] = [];
    for (const row of rows) {
      if (!row.service_url || !row.conversation_id) continue;
      candidates.push({
        learnerId: row.id,
        tenantId: row.tenant_id,
        language: row.language,
        trackId: row.track_id,
        remindAt: row.remind_at,
        timeZone: row.time_zone,
        lastRemindedOn: row.last_reminded_on,
        lastActivityAt: (row.last_at as string | null) ?? null,
        lastLessonSentAt: (row.lesson_sent_at as string | null) ?? null,
        serviceUrl: row.service_url,
        conversationId: row.conversation_id,
        recipientId: row.recipient_id,
      });
    }
    return candidates;
  }

  async completedCounts(lessonIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (lessonIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('lesson_progress')
      .select(['learner_id', (eb) => eb.fn.countAll().as('n')])
      .where('completed_at', 'is not', null)
      .where('lesson_id', 'in', lessonIds)
      .groupBy('learner_id')
      .execute();
    for (const row of rows) counts.set(row.learner_id, Number(row.n));
    return counts;
  }

  async dueReviewCounts(now: string): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('review_items')
      .select(['learner_id', (eb) => eb.fn.countAll().as('n')])
      .where('due', '<=', now)
      .groupBy('learner_id')
      .execute();
    return new Map(rows.map((row) => [row.learner_id, Number(row.n)]));
  }

  async enqueueReminders(reminders: ReminderToSend[], now: string): Promise<number> {
    let enqueued = 0;
    for (let i = 0; i < reminders.length; i += BATCH) {
      const batch = reminders.slice(i, i + BATCH);
      enqueued += await this.db.transaction().execute(async (trx) => {
        const marked = new Set<string>();
        for (const day of new Set(batch.map((r) => r.day))) {
          const ids = batch.filter((r) => r.day === day).map((r) => r.learnerId);
          const rows = await trx
            .updateTable('learners')
            .set({ last_reminded_on: day })
            .where('id', 'in', ids)
            .where((eb) =>
              eb.or([eb('last_reminded_on', 'is', null), eb('last_reminded_on', '<', day)]),
            )
            .returning('id')
            .execute();
          for (const row of rows) marked.add(row.id);
        }
        const toSend = batch.filter((r) => marked.has(r.learnerId));
        await insertOutboxRows(
          trx,
          outboxRows(
            toSend.map((r) => ({
              tenantId: r.tenantId,
              serviceUrl: r.serviceUrl,
              conversationId: r.conversationId,
              recipientId: r.recipientId,
              recipientKey: null,
              payload: r.payload,
            })),
            now,
          ),
        );
        return toSend.length;
      });
    }
    return enqueued;
  }
}
