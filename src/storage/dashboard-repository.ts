import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import {
  type CompletionFigures,
  type DashboardStore,
  type Headline,
  type LessonFunnelRow,
  type LessonShape,
  type PhaseRequirement,
  type QuestionFigures,
  type UnitFigures,
  type WeeklyFigures,
} from '../dashboard/dashboard-store';
import { type Dialect } from './database';
import { type Database } from './schema';

/** PostgreSQL returns count() and sum() as strings (bigint, numeric); SQLite as numbers. */
const n = (value: unknown): number => Number(value ?? 0);

/**
 * The lessons that complete a learner's phase, as an SQL expression over `s.phase_id` (their
 * learner_phases row) and `l.track_id` (the learner): null where the phase cannot be completed.
 */
function requiredLessons(requirements: PhaseRequirement[]): RawBuilder<number | null> {
  if (requirements.length === 0) return sql<null>`null`;
  // Typed: PostgreSQL would take an untyped parameter in a CASE result for text.
  const cases = requirements.map((r) => {
    const lessons = sql`cast(${r.lessons} as integer)`;
    return r.trackId === undefined
      ? sql`when s.phase_id = ${r.phaseId} then ${lessons}`
      : r.trackId === null
        ? sql`when s.phase_id = ${r.phaseId} and l.track_id is null then ${lessons}`
        : sql`when s.phase_id = ${r.phaseId} and l.track_id = ${r.trackId} then ${lessons}`;
  });
  return sql<number | null>`(case ${sql.join(cases, sql` `)} end)`;
}

/** The dashboard's aggregates on Kysely (SQLite and PostgreSQL; migration 007's totals). */
export class KyselyDashboardStore implements DashboardStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async syncProgramme(lessons: LessonShape[], passingScore: number): Promise<boolean> {
    const wanted = lessons
      .map((lesson) => ({
        lesson_id: lesson.lessonId,
        phase_id: lesson.phaseId,
        track_id: lesson.trackId ?? '',
        passing_score: passingScore,
      }))
      .sort((a, b) => a.lesson_id.localeCompare(b.lesson_id));
    const same = async (db: Kysely<Database>) => {
      const stored = await db
        .selectFrom('programme_lessons')
        .select(['lesson_id', 'phase_id', 'track_id', 'passing_score'])
        .orderBy('lesson_id')
        .execute();
      return (
        stored.length === wanted.length &&
        stored.every((row, i) => {
          const want = wanted[i]!;
          return (
            row.lesson_id === want.lesson_id &&
            row.phase_id === want.phase_id &&
            row.track_id === want.track_id &&
            n(row.passing_score) === want.passing_score
          );
        })
      );
    };
    if (await same(this.db)) return false;
    return this.db.transaction().execute(async (trx) => {
      // Instances starting together: one rebuilds, the others then find it done. (SQLite: the
      // delete below takes the write lock first.)
      if (this.dialect === 'postgres') {
        await sql`lock table programme_lessons in exclusive mode`.execute(trx);
        if (await same(trx)) return false;
      }
      await trx.deleteFrom('programme_lessons').execute();
      for (let i = 0; i < wanted.length; i += 200)
        await trx
          .insertInto('programme_lessons')
          .values(wanted.slice(i, i + 200))
          .execute();
      await rebuildCurriculumTotals(trx);
      return true;
    });
  }

  async headline(tenantId: string, since: { days7: string; days30: string }): Promise<Headline> {
    const [learners, lessons, brevets] = await Promise.all([
      this.db
        .selectFrom('learners')
        .select((eb) => [
          eb.fn.countAll().as('learners'),
          eb.fn
            .sum(eb.case().when('last_active_on', '>=', since.days7).then(1).else(0).end())
            .as('active7'),
          eb.fn
            .sum(eb.case().when('last_active_on', '>=', since.days30).then(1).else(0).end())
            .as('active30'),
        ])
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst(),
      this.db
        .selectFrom('lesson_stats')
        .select((eb) => eb.fn.sum('finished').as('finished'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst(),
      this.db
        .selectFrom('weekly_brevets')
        .select((eb) => ['phase_id', eb.fn.sum('brevets').as('brevets')])
        .where('tenant_id', '=', tenantId)
        .groupBy('phase_id')
        .execute(),
    ]);
    return {
      learners: n(learners?.learners),
      active7: n(learners?.active7),
      active30: n(learners?.active30),
      lessonsCompleted: n(lessons?.finished),
      brevets: brevets.map((row) => ({ phaseId: row.phase_id, brevets: n(row.brevets) })),
    };
  }

  async weekly(tenantId: string): Promise<WeeklyFigures> {
    const [activity, brevets] = await Promise.all([
      this.db
        .selectFrom('weekly_activity')
        .select(['week', 'learners'])
        .where('tenant_id', '=', tenantId)
        .where('learners', '>', 0)
        .orderBy('week')
        .execute(),
      this.db
        .selectFrom('weekly_brevets')
        .select(['week', 'phase_id', 'brevets'])
        .where('tenant_id', '=', tenantId)
        .where('brevets', '>', 0)
        .orderBy('week')
        .execute(),
    ]);
    return {
      activity: activity.map((row) => ({ week: row.week, learners: n(row.learners) })),
      brevets: brevets.map((row) => ({
        week: row.week,
        phaseId: row.phase_id,
        brevets: n(row.brevets),
      })),
    };
  }

  async completion(tenantId: string, requirements: PhaseRequirement[]): Promise<CompletionFigures> {
    const required = requiredLessons(requirements);
    const [groups, enrolled] = await Promise.all([
      sql<{
        phase_id: string;
        track_id: string | null;
        language: string;
        started: unknown;
        completed: unknown;
        brevets: unknown;
      }>`select s.phase_id, l.track_id, l.language,
            sum(case when s.opened > 0 then 1 else 0 end) as started,
            sum(case when s.done >= ${required} then 1 else 0 end) as completed,
            sum(s.brevet) as brevets
          from learners l join learner_phases s on s.learner_id = l.id
          where l.tenant_id = ${tenantId}
          group by s.phase_id, l.track_id, l.language`.execute(this.db),
      this.db
        .selectFrom('learners')
        .select((eb) => ['track_id', 'language', eb.fn.countAll().as('learners')])
        .where('tenant_id', '=', tenantId)
        .groupBy(['track_id', 'language'])
        .execute(),
    ]);
    return {
      groups: groups.rows.map((row) => ({
        phaseId: row.phase_id,
        trackId: row.track_id,
        language: row.language,
        started: n(row.started),
        completed: n(row.completed),
        brevets: n(row.brevets),
      })),
      enrolled: enrolled.map((row) => ({
        trackId: row.track_id,
        language: row.language,
        learners: n(row.learners),
      })),
    };
  }

  async lessonFunnel(tenantId: string): Promise<LessonFunnelRow[]> {
    const rows = await this.db
      .selectFrom('lesson_stats')
      .select(['lesson_id', 'opened', 'finished', 'passed'])
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      opened: n(row.opened),
      finished: n(row.finished),
      passed: n(row.passed),
    }));
  }

  async units(
    tenantId: string,
    requirements: PhaseRequirement[],
    teamId?: string,
  ): Promise<UnitFigures[]> {
    const required = requiredLessons(requirements);
    const oneTeam = (column: string) =>
      teamId === undefined ? sql`` : sql`and ${sql.ref(column)} = ${teamId}`;
    const [teams, members, phases, assignments] = await Promise.all([
      sql<{
        team_id: string;
        name: string | null;
      }>`select team_id, name from teams where tenant_id = ${tenantId} ${oneTeam('team_id')}`.execute(
        this.db,
      ),
      sql<{ team_id: string; members: unknown; learners: unknown }>`
        select tm.team_id, count(*) as members, count(l.id) as learners
        from team_members tm
          left join learners l on l.tenant_id = tm.tenant_id and l.user_key = tm.user_key
        where tm.tenant_id = ${tenantId} ${oneTeam('tm.team_id')}
        group by tm.team_id`.execute(this.db),
      sql<{
        team_id: string;
        phase_id: string;
        started: unknown;
        completed: unknown;
        score_sum: unknown;
        scored: unknown;
        brevets: unknown;
      }>`select tm.team_id, s.phase_id,
            sum(case when s.opened > 0 then 1 else 0 end) as started,
            sum(case when s.done >= ${required} then 1 else 0 end) as completed,
            sum(case when s.questions > 0 then 1.0 * s.correct / s.questions end) as score_sum,
            sum(case when s.questions > 0 then 1 else 0 end) as scored,
            sum(s.brevet) as brevets
          from team_members tm
            join learners l on l.tenant_id = tm.tenant_id and l.user_key = tm.user_key
            join learner_phases s on s.learner_id = l.id
          where tm.tenant_id = ${tenantId} ${oneTeam('tm.team_id')}
          group by tm.team_id, s.phase_id`.execute(this.db),
      sql<{ team_id: string; last: string | null }>`
        select a.team_id, max(a.created_at) as last
        from assignments a join teams t on t.team_id = a.team_id
        where t.tenant_id = ${tenantId} ${oneTeam('a.team_id')}
        group by a.team_id`.execute(this.db),
    ]);
    const memberCounts = new Map(members.rows.map((row) => [row.team_id, row]));
    const lastAssignment = new Map(assignments.rows.map((row) => [row.team_id, row.last]));
    const phasesOf = new Map<string, UnitFigures['phases']>();
    for (const row of phases.rows) {
      const list = phasesOf.get(row.team_id) ?? [];
      list.push({
        phaseId: row.phase_id,
        started: n(row.started),
        completed: n(row.completed),
        scoreSum: n(row.score_sum),
        scored: n(row.scored),
        brevets: n(row.brevets),
      });
      phasesOf.set(row.team_id, list);
    }
    return teams.rows.map((team) => ({
      teamId: team.team_id,
      name: team.name,
      members: n(memberCounts.get(team.team_id)?.members),
      learners: n(memberCounts.get(team.team_id)?.learners),
      lastAssignment: lastAssignment.get(team.team_id) ?? null,
      phases: phasesOf.get(team.team_id) ?? [],
    }));
  }

  async unitLessonFunnel(
    tenantId: string,
    teamId: string,
    passingScore: number,
  ): Promise<LessonFunnelRow[]> {
    const { rows } = await sql<{
      lesson_id: string;
      opened: unknown;
      finished: unknown;
      passed: unknown;
    }>`select lp.lesson_id, count(*) as opened,
          sum(case when lp.completed_at is not null then 1 else 0 end) as finished,
          sum(case when lp.completed_at is not null
            and lp.correct_count * 100 >= ${passingScore} * lp.question_count then 1 else 0 end) as passed
        from team_members tm
          join learners l on l.tenant_id = tm.tenant_id and l.user_key = tm.user_key
          join lesson_progress lp on lp.learner_id = l.id
        where tm.tenant_id = ${tenantId} and tm.team_id = ${teamId}
        group by lp.lesson_id`.execute(this.db);
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      opened: n(row.opened),
      finished: n(row.finished),
      passed: n(row.passed),
    }));
  }

  async questions(tenantId: string): Promise<QuestionFigures[]> {
    const rows = await this.db
      .selectFrom('question_stats')
      .select(['lesson_id', 'question_id', 'language', 'answered', 'right_first'])
      .where('tenant_id', '=', tenantId)
      .where('answered', '>', 0)
      .execute();
    return rows.map((row) => ({
      lessonId: row.lesson_id,
      questionId: row.question_id,
      language: row.language,
      answered: n(row.answered),
      right: n(row.right_first),
    }));
  }
}

/**
 * Recomputes the totals that depend on the curriculum's shape (lesson_stats, learner_phases) from
 * the raw tables, as migration 007's triggers would have kept them.
 */
async function rebuildCurriculumTotals(trx: Transaction<Database>): Promise<void> {
  await trx.deleteFrom('learner_phases').execute();
  await sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
    select lp.learner_id, p.phase_id, count(*),
      sum(case when lp.completed_at is not null then 1 else 0 end),
      coalesce(sum(lp.correct_count), 0), coalesce(sum(lp.question_count), 0), 0
    from lesson_progress lp
      join learners l on l.id = lp.learner_id
      join programme_lessons p on p.lesson_id = lp.lesson_id
    where p.track_id = '' or p.track_id = l.track_id
    group by lp.learner_id, p.phase_id`.execute(trx);
  await sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
    select b.learner_id, b.phase_id, 0, 0, 0, 0, 1 from brevets b where 1 = 1
    on conflict (learner_id, phase_id) do update set brevet = 1`.execute(trx);
  await trx.deleteFrom('lesson_stats').execute();
  await sql`insert into lesson_stats (tenant_id, lesson_id, opened, finished, passed)
    select l.tenant_id, lp.lesson_id, count(*),
      sum(case when lp.completed_at is not null then 1 else 0 end),
      sum(case when lp.completed_at is not null
        and lp.correct_count * 100 >= p.passing_score * lp.question_count then 1 else 0 end)
    from lesson_progress lp
      join learners l on l.id = lp.learner_id
      join programme_lessons p on p.lesson_id = lp.lesson_id
    group by l.tenant_id, lp.lesson_id`.execute(trx);
}
