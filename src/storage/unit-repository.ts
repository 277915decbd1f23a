import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, type Transaction } from 'kysely';
import { type Language } from '../i18n/languages';
import {
  type AssignmentStatus,
  type LessonStats,
  type Member,
  type MemberRecord,
  type PersonalMessage,
  type Schedule,
  type ScheduleClaim,
  ScheduleClaimLost,
  type StoredTeam,
  type Team,
  type UnitStore,
} from '../units/unit-store';
import { type Dialect } from './database';
import { insertOutboxRows, outboxRows } from './outbox-repository';
import { type Database } from './schema';

const BATCH = 500;
const NOT_REACHED_SHOWN = 20;

function chunks<T>(items: T[], size = BATCH): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

async function markFired(trx: Transaction<Database>, claim: ScheduleClaim | undefined, at: string) {
  if (!claim) return;
  const result = await trx
    .updateTable('schedules')
    .set({ status: 'fired', fired_at: at, lease_until: null })
    .where('id', '=', claim.scheduleId)
    .where('status', '=', 'firing')
    .where('claimed_by', '=', claim.workerId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new ScheduleClaimLost(claim.scheduleId);
}

/** Unit members, once each (a roster can list someone twice across pages). */
async function insertMembers(
  db: Kysely<Database>,
  team: Pick<Team, 'teamId' | 'tenantId'>,
  userKeys: string[],
  at: string,
): Promise<void> {
  const unique = [...new Set(userKeys.map((key) => key.toLowerCase()).filter(Boolean))];
  for (const keys of chunks(unique))
    await db
      .insertInto('team_members')
      .values(
        keys.map((userKey) => ({
          team_id: team.teamId,
          tenant_id: team.tenantId,
          user_key: userKey,
          seen_at: at,
        })),
      )
      .onConflict((oc) => oc.columns(['team_id', 'user_key']).doUpdateSet({ seen_at: at }))
      .execute();
}

const ASSIGNMENT_COLUMNS = [
  'id',
  'requested_by',
  'team_id',
  'language',
  'lesson_id',
  'created_at',
  'finished_at',
  'total',
  'final_sent',
  'final_failed',
  'final_blocked',
] as const;

export class KyselyUnitStore implements UnitStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async saveTeam(team: Team, at: string): Promise<StoredTeam> {
    const row = await this.db
      .insertInto('teams')
      .values({
        team_id: team.teamId,
        tenant_id: team.tenantId,
        name: team.name,
        service_url: team.serviceUrl,
        channel_id: team.channelId,
        time_zone: team.timeZone,
        installed_at: at,
        aad_group_id: team.aadGroupId ?? null,
      })
      .onConflict((oc) =>
        oc.column('team_id').doUpdateSet({
          name: team.name,
          service_url: team.serviceUrl,
          ...(team.aadGroupId ? { aad_group_id: team.aadGroupId } : {}),
        }),
      )
      .returning(['time_zone', 'leaderboard_enabled', 'aad_group_id'])
      .executeTakeFirstOrThrow();
    return {
      ...team,
      aadGroupId: row.aad_group_id,
      timeZone: row.time_zone,
      leaderboardEnabled: Number(row.leaderboard_enabled) === 1,
    };
  }

  async team(teamId: string): Promise<StoredTeam | undefined> {
    const row = await this.db
      .selectFrom('teams')
      .selectAll()
      .where('team_id', '=', teamId)
      .executeTakeFirst();
    return row
      ? {
          teamId: row.team_id,
          tenantId: row.tenant_id,
          name: row.name,
          serviceUrl: row.service_url,
          channelId: row.channel_id,
          timeZone: row.time_zone,
          aadGroupId: row.aad_group_id,
          leaderboardEnabled: Number(row.leaderboard_enabled) === 1,
        }
      : undefined;
  }

  async updateTeamSettings(
    teamId: string,
    patch: { timeZone?: string; leaderboardEnabled?: boolean },
  ): Promise<void> {
    if (patch.timeZone === undefined && patch.leaderboardEnabled === undefined) return;
    await this.db
      .updateTable('teams')
      .set({
        ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
        ...(patch.leaderboardEnabled === undefined
          ? {}
          : { leaderboard_enabled: patch.leaderboardEnabled ? 1 : 0 }),
      })
      .where('team_id', '=', teamId)
      .execute();
  }

  async isLead(teamId: string, userKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('team_leads')
      .select('user_key')
      .where('team_id', '=', teamId)
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  async addLead(teamId: string, userKey: string, addedBy: string, at: string): Promise<void> {
    await this.db
      .insertInto('team_leads')
      .values({ team_id: teamId, user_key: userKey, added_by: addedBy, added_at: at })
      .onConflict((oc) => oc.columns(['team_id', 'user_key']).doNothing())
      .execute();
  }

  async removeLead(teamId: string, userKey: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('team_leads')
      .where('team_id', '=', teamId)
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async createAssignment(input: {
    team: Team;
    lessonId: string;
    requestedBy: string;
    language: Language;
    members: Member[];
    at: string;
    fromSchedule?: ScheduleClaim;
  }): Promise<{ assignmentId: string; total: number }> {
    const { team, at } = input;
    const members = [...new Map(input.members.map((m) => [m.aadObjectId, m])).values()];
    const assignmentId = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await markFired(trx, input.fromSchedule, at);
      const learnerIds = new Map<
        string,
        { id: string; language: string; conversationId: string | null }
      >();
      for (const batch of chunks(members)) {
        await trx
          .insertInto('learners')
          .values(
            batch.map((m) => ({
              id: randomUUID(),
              tenant_id: team.tenantId,
              user_key: m.aadObjectId,
              language: input.language,
              // The lead's language is a guess until the member's own Teams client tells.
              language_confirmed: 0,
              track_id: null,
              created_at: at,
              updated_at: at,
            })),
          )
          .onConflict((oc) => oc.columns(['tenant_id', 'user_key']).doNothing())
          .execute();
        const rows = await trx
          .selectFrom('learners')
          .select(['id', 'user_key', 'language', 'conversation_id'])
          .where('tenant_id', '=', team.tenantId)
          .where(
            'user_key',
            'in',
            batch.map((m) => m.aadObjectId),
          )
          .execute();
        for (const row of rows)
          learnerIds.set(row.user_key, {
            id: row.id,
            language: row.language,
            conversationId: row.conversation_id,
          });
        await trx
          .insertInto('lesson_progress')
          .values(
            rows.map((row) => ({
              learner_id: row.id,
              lesson_id: input.lessonId,
              opened_at: at,
              completed_at: null,
              correct_count: null,
              question_count: null,
            })),
          )
          .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing())
          .execute();
      }
      await trx
        .insertInto('assignments')
        .values({
          id: assignmentId,
          team_id: team.teamId,
          lesson_id: input.lessonId,
          requested_by: input.requestedBy,
          language: input.language,
          created_at: at,
          total: members.length,
          finished_at: null,
        })
        .execute();
      const rows = outboxRows(
        members.map((m) => {
          const learner = learnerIds.get(m.aadObjectId);
          return {
            assignmentId,
            tenantId: team.tenantId,
            serviceUrl: team.serviceUrl,
            conversationId: learner?.conversationId ?? null,
            recipientId: m.id,
            recipientKey: m.aadObjectId,
            recipientName: m.name,
            payload: {
              type: 'lesson',
              lessonId: input.lessonId,
              language: learner?.language ?? input.language,
            },
          };
        }),
        at,
      );
      await insertOutboxRows(trx, rows);
    });
    return { assignmentId, total: members.length };
  }

  private async statuses(
    assignmentIds: string[],
  ): Promise<Map<string, AssignmentStatus['counts']>> {
    const counts = new Map<string, AssignmentStatus['counts']>();
    if (assignmentIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('outbox')
      .select(['assignment_id', 'status', (eb) => eb.fn.countAll().as('n')])
      .where('assignment_id', 'in', assignmentIds)
      .where('kind', '=', 'lesson')
      .groupBy(['assignment_id', 'status'])
      .execute();
    for (const id of assignmentIds) counts.set(id, { sent: 0, pending: 0, failed: 0, blocked: 0 });
    for (const row of rows) {
      const entry = counts.get(row.assignment_id as string)!;
      const n = Number(row.n);
      if (row.status === 'sent') entry.sent += n;
      else if (row.status === 'failed') entry.failed += n;
      else if (row.status === 'blocked') entry.blocked += n;
      else entry.pending += n;
    }
    return counts;
  }

  private async describe(
    rows: {
      id: string;
      team_id: string;
      language: string;
      lesson_id: string;
      created_at: string;
      finished_at: string | null;
      requested_by: string;
      total: number;
      final_sent: number | null;
      final_failed: number | null;
      final_blocked: number | null;
    }[],
  ): Promise<AssignmentStatus[]> {
    const counts = await this.statuses(rows.map((r) => r.id));
    const result: AssignmentStatus[] = [];
    for (const row of rows) {
      const notReached = await this.db
        .selectFrom('outbox')
        .select(['recipient_name', 'status', 'last_error'])
        .where('assignment_id', '=', row.id)
        .where('status', 'in', ['failed', 'blocked'])
        .orderBy('seq')
        .limit(NOT_REACHED_SHOWN)
        .execute();
      result.push({
        id: row.id,
        teamId: row.team_id,
        language: row.language as Language,
        lessonId: row.lesson_id,
        requestedBy: row.requested_by,
        createdAt: row.created_at,
        finishedAt: row.finished_at,
        total: Number(row.total),
        // A finished assignment's counts were frozen when it finished: its outbox rows may be
        // purged since (retention).
        counts:
          row.final_sent === null
            ? counts.get(row.id)!
            : {
                sent: Number(row.final_sent),
                failed: Number(row.final_failed ?? 0),
                blocked: Number(row.final_blocked ?? 0),
                pending: 0,
              },
        notReached: notReached.map((n) => ({
          name: n.recipient_name ?? '?',
          status: n.status as 'failed' | 'blocked',
          reason: n.last_error ?? '',
        })),
      });
    }
    return result;
  }

  async recentAssignments(teamId: string, limit: number): Promise<AssignmentStatus[]> {
    const rows = await this.db
      .selectFrom('assignments')
      .select(ASSIGNMENT_COLUMNS)
      .where('team_id', '=', teamId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
    return this.describe(rows);
  }

  async assignment(assignmentId: string): Promise<AssignmentStatus | undefined> {
    const rows = await this.db
      .selectFrom('assignments')
      .select(ASSIGNMENT_COLUMNS)
      .where('id', '=', assignmentId)
      .execute();
    return (await this.describe(rows))[0];
  }

  async enqueueChannelLesson(
    team: Team,
    lessonId: string,
    language: Language,
    at: string,
    fromSchedule?: ScheduleClaim,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await markFired(trx, fromSchedule, at);
      await insertOutboxRows(
        trx,
        outboxRows(
          [
            {
              tenantId: team.tenantId,
              serviceUrl: team.serviceUrl,
              conversationId: team.channelId,
              payload: { type: 'channel-lesson', lessonId, language },
            },
          ],
          at,
        ),
      );
    });
  }

  async personalAddress(
    tenantId: string,
    userKey: string,
    assignmentId: string,
  ): Promise<{ recipientId: string | null; conversationId: string | null } | undefined> {
    const learner = await this.db
      .selectFrom('learners')
      .select(['conversation_id', 'recipient_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_key', '=', userKey)
      .executeTakeFirst();
    if (learner?.conversation_id)
      return { conversationId: learner.conversation_id, recipientId: learner.recipient_id };
    const row = await this.db
      .selectFrom('outbox')
      .select('recipient_id')
      .where('assignment_id', '=', assignmentId)
      .where('recipient_key', '=', userKey)
      .where('recipient_id', 'is not', null)
      .executeTakeFirst();
    return row?.recipient_id ? { recipientId: row.recipient_id, conversationId: null } : undefined;
  }

  async enqueuePersonal(message: PersonalMessage, at: string): Promise<void> {
    await insertOutboxRows(this.db, outboxRows([{ ...message, conversationId: null }], at));
  }

  async addSchedule(schedule: Omit<Schedule, 'id'>, at: string): Promise<Schedule> {
    const id = randomBytes(3).toString('hex');
    await this.db
      .insertInto('schedules')
      .values({
        id,
        team_id: schedule.teamId,
        action: schedule.action,
        lesson_id: schedule.lessonId,
        fire_at: schedule.fireAt,
        local_time: schedule.localTime,
        requested_by: schedule.requestedBy,
        language: schedule.language,
        status: 'scheduled',
        claimed_by: null,
        lease_until: null,
        created_at: at,
        fired_at: null,
      })
      .execute();
    return { ...schedule, id };
  }

  private toSchedule(row: {
    id: string;
    team_id: string;
    action: string;
    lesson_id: string;
    fire_at: string;
    local_time: string;
    requested_by: string;
    language: string;
  }): Schedule {
    return {
      id: row.id,
      teamId: row.team_id,
      action: row.action as Schedule['action'],
      lessonId: row.lesson_id,
      fireAt: row.fire_at,
      localTime: row.local_time,
      requestedBy: row.requested_by,
      language: row.language as Language,
    };
  }

  async schedules(teamId: string): Promise<Schedule[]> {
    const rows = await this.db
      .selectFrom('schedules')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('status', 'in', ['scheduled', 'firing'])
      .orderBy('fire_at')
      .execute();
    return rows.map((row) => this.toSchedule(row));
  }

  async cancelSchedule(teamId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('schedules')
      .set({ status: 'cancelled' })
      .where('team_id', '=', teamId)
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async claimDueSchedules(workerId: string, now: string, leaseUntil: string): Promise<Schedule[]> {
    const due = this.db
      .selectFrom('schedules')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'scheduled'), eb('fire_at', '<=', now)]),
          eb.and([eb('status', '=', 'firing'), eb('lease_until', '<', now)]),
        ]),
      )
      .limit(20)
      .$if(this.dialect === 'postgres', (query) => query.forUpdate().skipLocked());
    const rows = await this.db
      .updateTable('schedules')
      .set({ status: 'firing', claimed_by: workerId, lease_until: leaseUntil })
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return rows.map((row) => this.toSchedule(row));
  }

  async recordRoster(
    team: Pick<Team, 'teamId' | 'tenantId'>,
    userKeys: string[],
    at: string,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('team_members').where('team_id', '=', team.teamId).execute();
      await insertMembers(trx, team, userKeys, at);
    });
  }

  async addMembers(
    team: Pick<Team, 'teamId' | 'tenantId'>,
    userKeys: string[],
    at: string,
  ): Promise<void> {
    await insertMembers(this.db, team, userKeys, at);
  }

  async removeMembers(team: Pick<Team, 'teamId' | 'tenantId'>, userKeys: string[]): Promise<void> {
    for (const keys of chunks(userKeys))
      await this.db
        .deleteFrom('team_members')
        .where('team_id', '=', team.teamId)
        .where('user_key', 'in', keys)
        .execute();
  }

  async memberRecords(userKeys: string[], tenantId: string): Promise<MemberRecord[]> {
    const records: MemberRecord[] = [];
    for (const batch of chunks(userKeys)) {
      const learners = await this.db
        .selectFrom('learners')
        .select(['id', 'user_key', 'track_id'])
        .where('tenant_id', '=', tenantId)
        .where('user_key', 'in', batch)
        .execute();
      if (learners.length === 0) continue;
      const ids = learners.map((l) => l.id);
      const progress = await this.db
        .selectFrom('lesson_progress')
        .selectAll()
        .where('learner_id', 'in', ids)
        .execute();
      const brevets = await this.db
        .selectFrom('brevets')
        .select(['learner_id', 'phase_id'])
        .where('learner_id', 'in', ids)
        .execute();
      for (const learner of learners) {
        const mine = progress.filter((p) => p.learner_id === learner.id);
        records.push({
          userKey: learner.user_key,
          trackId: learner.track_id,
          openedLessons: mine.map((p) => p.lesson_id),
          completedLessons: mine
            .filter((p) => p.completed_at)
            .map((p) => ({
              lessonId: p.lesson_id,
              correct: Number(p.correct_count ?? 0),
              total: Number(p.question_count ?? 0),
            })),
          brevets: brevets.filter((b) => b.learner_id === learner.id).map((b) => b.phase_id),
        });
      }
    }
    return records;
  }

  async lessonStats(userKeys: string[], tenantId: string): Promise<LessonStats[]> {
    const perQuestion = new Map<string, Map<string, { answered: number; right: number }>>();
    const answeredBy = new Map<string, Set<string>>();
    for (const batch of chunks(userKeys)) {
      const rows = await this.db
        .selectFrom('quiz_answers')
        .innerJoin('learners', 'learners.id', 'quiz_answers.learner_id')
        .select([
          'quiz_answers.learner_id',
          'quiz_answers.lesson_id',
          'quiz_answers.question_id',
          'quiz_answers.correct',
        ])
        .where('learners.tenant_id', '=', tenantId)
        .where('learners.user_key', 'in', batch)
        .execute();
      for (const row of rows) {
        const questions = perQuestion.get(row.lesson_id) ?? new Map();
        perQuestion.set(row.lesson_id, questions);
        const stats = questions.get(row.question_id) ?? { answered: 0, right: 0 };
        stats.answered += 1;
        stats.right += Number(row.correct) === 1 ? 1 : 0;
        questions.set(row.question_id, stats);
        const learners = answeredBy.get(row.lesson_id) ?? new Set();
        learners.add(row.learner_id);
        answeredBy.set(row.lesson_id, learners);
      }
    }
    return [...perQuestion.entries()].map(([lessonId, questions]) => ({
      lessonId,
      answered: answeredBy.get(lessonId)?.size ?? 0,
      questions: [...questions.entries()].map(([questionId, s]) => ({ questionId, ...s })),
    }));
  }
}
