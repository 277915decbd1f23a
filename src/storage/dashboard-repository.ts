import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type CompletionFigures,
  type CurriculumShape,
  type DashboardStore,
  type Headline,
  type LessonFunnelRow,
  type QuestionFigures,
  type UnitFigures,
  type WeeklyFigures,
} from '../dashboard/dashboard-store';
import { type Dialect } from './database';
import { type Database } from './schema';

/** PostgreSQL returns count() and sum() as strings (bigint, numeric); SQLite as numbers. */
const n = (value: unknown): number => Number(value ?? 0);

/** The dashboard's aggregates on Kysely (SQLite and PostgreSQL; migration 007's totals). */
export class KyselyDashboardStore implements DashboardStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async syncProgramme(shape: CurriculumShape): Promise<boolean> {
    const lessons = shape.lessons
      .map((lesson) => ({
        lesson_id: lesson.lessonId,
        phase_id: lesson.phaseId,
        track_id: lesson.trackId ?? '',
        passing_score: shape.passingScore,
      }))
      .sort((a, b) => a.lesson_id.localeCompare(b.lesson_id));
    const requirements = shape.requirements
      .map((r) => ({
        phase_id: r.phaseId,
        track_id: r.trackId === undefined ? '*' : (r.trackId ?? ''),
        lessons: r.lessons,
      }))
      .sort((a, b) => a.phase_id.localeCompare(b.phase_id) || a.track_id.localeCompare(b.track_id));
    const same = async (db: Kysely<Database>) => {
      const [storedLessons, storedRequirements] = await Promise.all([
        db
          .selectFrom('programme_lessons')
          .select(['lesson_id', 'phase_id', 'track_id', 'passing_score'])
          .orderBy('lesson_id')
          .execute(),
        db
          .selectFrom('programme_requirements')
          .select(['phase_id', 'track_id', 'lessons'])
          .orderBy('phase_id')
          .orderBy('track_id')
          .execute(),
      ]);
      const normal = (rows: Record<string, unknown>[]) =>
        JSON.stringify(
          rows.map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? v : Number(v)]),
            ),
          ),
        );
      return (
        normal(storedLessons) === normal(lessons) &&
        normal(storedRequirements) === normal(requirements)
      );
    };
    if (await same(this.db)) return false;
    return this.db.transaction().execute(async (trx) => {
      // Instances starting together: one rebuilds, the others then find it done. (SQLite: the
      // first delete below takes the write lock.)
      if (this.dialect === 'postgres') {
        await sql`lock table programme_lessons in exclusive mode`.execute(trx);
        if (await same(trx)) return false;
        // The phase rows' triggers would update the same few group rows tens of thousands of
        // times in one transaction (each update then walks the versions the last ones left):
        // off for the rebuild, whose last step recounts what they feed.
        await sql`alter table learner_phases disable trigger user`.execute(trx);
      }
      await trx.deleteFrom('learner_phases').execute();
      await trx.deleteFrom('programme_lessons').execute();
      await trx.deleteFrom('programme_requirements').execute();
      for (let i = 0; i < lessons.length; i += 200)
        await trx
          .insertInto('programme_lessons')
          .values(lessons.slice(i, i + 200))
          .execute();
      for (let i = 0; i < requirements.length; i += 200)
        await trx
          .insertInto('programme_requirements')
          .values(requirements.slice(i, i + 200))
          .execute();
      await rebuildCurriculumTotals(trx);
      if (this.dialect === 'postgres')
        await sql`alter table learner_phases enable trigger user`.execute(trx);
      return true;
    });
  }

  async headline(tenantId: string, since: { days7: string; days30: string }): Promise<Headline> {
    const [days, lessons, brevets] = await Promise.all([
      // Learners by their last active day ('' for never): a sum over the last 30 days' rows.
      this.db
        .selectFrom('activity_days')
        .select((eb) => [
          eb.fn.sum('learners').as('learners'),
          eb.fn
            .sum(eb.case().when('day', '>=', since.days7).then(eb.ref('learners')).else(0).end())
            .as('active7'),
          eb.fn
            .sum(eb.case().when('day', '>=', since.days30).then(eb.ref('learners')).else(0).end())
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
      learners: n(days?.learners),
      active7: n(days?.active7),
      active30: n(days?.active30),
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

  async completion(tenantId: string): Promise<CompletionFigures> {
    const [groups, enrolled] = await Promise.all([
      this.db
        .selectFrom('phase_groups')
        .select(['phase_id', 'track_id', 'language', 'started', 'completed', 'brevets'])
        .where('tenant_id', '=', tenantId)
        .execute(),
      this.db
        .selectFrom('learner_groups')
        .select(['track_id', 'language', 'learners'])
        .where('tenant_id', '=', tenantId)
        .where('learners', '<>', 0)
        .execute(),
    ]);
    return {
      groups: groups.map((row) => ({
        phaseId: row.phase_id,
        trackId: row.track_id === '' ? null : row.track_id,
        language: row.language,
        started: n(row.started),
        completed: n(row.completed),
        brevets: n(row.brevets),
      })),
      enrolled: enrolled.map((row) => ({
        trackId: row.track_id === '' ? null : row.track_id,
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

  async units(tenantId: string, teamId?: string): Promise<UnitFigures[]> {
    const teams = this.db
      .selectFrom('teams')
      .leftJoin('unit_members', 'unit_members.team_id', 'teams.team_id')
      .select(['teams.team_id', 'teams.name', 'unit_members.members', 'unit_members.learners'])
      .where('teams.tenant_id', '=', tenantId);
    const phases = this.db
      .selectFrom('unit_phases')
      .innerJoin('teams', 'teams.team_id', 'unit_phases.team_id')
      .select([
        'unit_phases.team_id',
        'unit_phases.phase_id',
        'unit_phases.started',
        'unit_phases.completed',
        'unit_phases.score_sum',
        'unit_phases.scored',
        'unit_phases.brevets',
      ])
      .where('teams.tenant_id', '=', tenantId);
    const assignments = this.db
      .selectFrom('assignments')
      .innerJoin('teams', 'teams.team_id', 'assignments.team_id')
      .select((eb) => ['assignments.team_id', eb.fn.max('assignments.created_at').as('last')])
      .where('teams.tenant_id', '=', tenantId)
      .groupBy('assignments.team_id');
    const [teamRows, phaseRows, assignmentRows] = await Promise.all(
      teamId === undefined
        ? [teams.execute(), phases.execute(), assignments.execute()]
        : [
            teams.where('teams.team_id', '=', teamId).execute(),
            phases.where('unit_phases.team_id', '=', teamId).execute(),
            assignments.where('assignments.team_id', '=', teamId).execute(),
          ],
    );
    const lastAssignment = new Map(assignmentRows.map((row) => [row.team_id, row.last]));
    const phasesOf = new Map<string, UnitFigures['phases']>();
    for (const row of phaseRows) {
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
    return teamRows.map((team) => ({
      teamId: team.team_id,
      name: team.name,
      members: n(team.members),
      learners: n(team.learners),
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
 * Recomputes the totals that depend on the curriculum's shape (learner_phases and lesson_stats,
 * then what learner_phases feeds: phase_groups and unit_phases) from the raw tables, as
 * migration 007's triggers keep them.
 */
async function rebuildCurriculumTotals(trx: Transaction<Database>): Promise<void> {
  await sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id,
      language, opened, done, correct, questions, brevet)
    select lp.learner_id, p.phase_id, min(l.tenant_id), min(l.user_key),
      min(coalesce(l.track_id, '')), min(l.language), count(*),
      sum(case when lp.completed_at is not null then 1 else 0 end),
      coalesce(sum(lp.correct_count), 0), coalesce(sum(lp.question_count), 0), 0
    from lesson_progress lp
      join learners l on l.id = lp.learner_id
      join programme_lessons p on p.lesson_id = lp.lesson_id
    where p.track_id = '' or p.track_id = l.track_id
    group by lp.learner_id, p.phase_id`.execute(trx);
  await sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id,
      language, opened, done, correct, questions, brevet)
    select b.learner_id, b.phase_id, l.tenant_id, l.user_key, coalesce(l.track_id, ''),
      l.language, 0, 0, 0, 0, 1
    from brevets b join learners l on l.id = b.learner_id where 1 = 1
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
  // What learner_phases feeds, recounted from it (on SQLite the triggers kept these through the
  // rebuild; the recount also leaves no rounding in the sums of scores).
  const required = sql`coalesce(
    (select q.lessons from programme_requirements q
      where q.phase_id = r.phase_id and q.track_id = r.track_id),
    (select q.lessons from programme_requirements q
      where q.phase_id = r.phase_id and q.track_id = '*'))`;
  await trx.deleteFrom('phase_groups').execute();
  await sql`insert into phase_groups (tenant_id, phase_id, track_id, language, started, completed, brevets)
    select r.tenant_id, r.phase_id, r.track_id, r.language,
      sum(case when r.opened > 0 then 1 else 0 end),
      sum(case when r.done >= ${required} then 1 else 0 end), sum(r.brevet)
    from learner_phases r
    group by r.tenant_id, r.phase_id, r.track_id, r.language`.execute(trx);
  await trx.deleteFrom('unit_phases').execute();
  await sql`insert into unit_phases (team_id, phase_id, started, completed, score_sum, scored, brevets)
    select tm.team_id, r.phase_id, sum(case when r.opened > 0 then 1 else 0 end),
      sum(case when r.done >= ${required} then 1 else 0 end),
      sum(case when r.questions > 0 then 1.0 * r.correct / r.questions else 0 end),
      sum(case when r.questions > 0 then 1 else 0 end), sum(r.brevet)
    from team_members tm join learner_phases r on r.tenant_id = tm.tenant_id and r.user_key = tm.user_key
    group by tm.team_id, r.phase_id`.execute(trx);
}
