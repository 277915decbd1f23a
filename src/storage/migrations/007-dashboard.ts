import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The programme dashboard (training office): who is in which unit, the language each first
 * answer was given in, and running totals that the dashboard reads instead of scanning every
 * answer (25,000 learners, a million answers: a GROUP BY over the raw tables takes seconds on
 * SQLite; bench/RESULTS.md). The totals are kept by triggers, in the same statement as the row
 * they count, so they always equal the GROUP BY over the raw tables
 * (tests/storage/dashboard-repository.test.ts checks it on both databases):
 *
 * - question_stats: first answers per question and language, and how many were right;
 * - lesson_stats: per lesson, learners who opened, finished and passed it;
 * - learner_phases: per learner and phase, lessons opened and done in their own sequence (common
 *   lessons and their track's), right answers over questions in the lessons done, the brevet,
 *   with the learner's tenant, identity, track and language (so that a row says where it counts);
 * - phase_groups: per phase, track and language, learners who started, completed it, brevets;
 *   learner_groups: learners per track and language;
 * - unit_phases: per unit and phase, the same over the unit's members, with the sum of their
 *   phase scores; unit_members: members per unit, and how many of them are learners;
 * - learner_weeks, weekly_activity, weekly_brevets: learners active and brevets earned per week
 *   (weeks start on Monday);
 * - learners.last_active_on, and activity_days: how many learners were last active on each day
 *   (active in the last 7 or 30 days is a sum over a few days).
 *
 * programme_lessons (lesson → phase, track, passing score) and programme_requirements (lessons
 * that complete a phase, per track) are the curriculum's shape, written at start-up from
 * content/ (KyselyDashboardStore.syncProgramme, which rebuilds what depends on them when they
 * change). Before a learner is deleted (erasure), their rows are deleted one by one, so that
 * every total loses what they had added.
 */
export const dashboard: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = isPostgres(db);
    // SQLite: tables read by primary key prefix are stored in key order (no rowid indirection).
    const clustered = postgres ? '' : ' without rowid';

    await db.schema
      .createTable('team_members')
      .addColumn('team_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('user_key', 'varchar(128)', (col) => col.notNull())
      .addColumn('seen_at', 'varchar(32)', (col) => col.notNull())
      .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_key'])
      .modifyEnd(sql.raw(clustered))
      .execute();
    // Erasure and the units table find a person's memberships by identity.
    await db.schema
      .createIndex('team_members_person')
      .on('team_members')
      .columns(['tenant_id', 'user_key'])
      .execute();

    await db.schema
      .createTable('programme_lessons')
      .addColumn('lesson_id', 'varchar(64)', (col) => col.primaryKey())
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      // '' for a lesson everyone in the phase takes.
      .addColumn('track_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('passing_score', 'integer', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('learner_phases')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('user_key', 'varchar(128)', (col) => col.notNull())
      // '' without a track.
      .addColumn('track_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('opened', 'integer', (col) => col.notNull())
      .addColumn('done', 'integer', (col) => col.notNull())
      .addColumn('correct', 'integer', (col) => col.notNull())
      .addColumn('questions', 'integer', (col) => col.notNull())
      .addColumn('brevet', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('learner_phases_pk', ['learner_id', 'phase_id'])
      .modifyEnd(sql.raw(clustered))
      .execute();
    // A member added to a unit brings their phases: found by identity.
    await db.schema
      .createIndex('learner_phases_person')
      .on('learner_phases')
      .columns(['tenant_id', 'user_key'])
      .execute();

    await db.schema
      .createTable('programme_requirements')
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      // '*': everyone; '': learners without a track; otherwise the track.
      .addColumn('track_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('lessons', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('programme_requirements_pk', ['phase_id', 'track_id'])
      .execute();
    await db.schema
      .createTable('phase_groups')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('track_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('started', 'integer', (col) => col.notNull())
      .addColumn('completed', 'integer', (col) => col.notNull())
      .addColumn('brevets', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('phase_groups_pk', ['tenant_id', 'phase_id', 'track_id', 'language'])
      .execute();
    await db.schema
      .createTable('learner_groups')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('track_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('learners', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('learner_groups_pk', ['tenant_id', 'track_id', 'language'])
      .execute();
    await db.schema
      .createTable('unit_phases')
      .addColumn('team_id', 'varchar(200)', (col) => col.notNull())
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('started', 'integer', (col) => col.notNull())
      .addColumn('completed', 'integer', (col) => col.notNull())
      // Sum of the members' phase scores (0–1 each) and how many have one.
      .addColumn('score_sum', 'double precision', (col) => col.notNull())
      .addColumn('scored', 'integer', (col) => col.notNull())
      .addColumn('brevets', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('unit_phases_pk', ['team_id', 'phase_id'])
      .execute();
    await db.schema
      .createTable('unit_members')
      .addColumn('team_id', 'varchar(200)', (col) => col.primaryKey())
      .addColumn('members', 'integer', (col) => col.notNull())
      .addColumn('learners', 'integer', (col) => col.notNull())
      .execute();
    await db.schema
      .createTable('activity_days')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      // '' for learners never active.
      .addColumn('day', 'varchar(10)', (col) => col.notNull())
      .addColumn('learners', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('activity_days_pk', ['tenant_id', 'day'])
      .execute();

    await db.schema
      .createTable('lesson_stats')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('opened', 'integer', (col) => col.notNull())
      .addColumn('finished', 'integer', (col) => col.notNull())
      .addColumn('passed', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('lesson_stats_pk', ['tenant_id', 'lesson_id'])
      .execute();

    await db.schema
      .createTable('question_stats')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('lesson_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('question_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('language', 'varchar(8)', (col) => col.notNull())
      .addColumn('answered', 'integer', (col) => col.notNull())
      .addColumn('right_first', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('question_stats_pk', [
        'tenant_id',
        'lesson_id',
        'question_id',
        'language',
      ])
      .execute();

    await db.schema
      .createTable('learner_weeks')
      .addColumn('learner_id', 'varchar(64)', (col) =>
        col.notNull().references('learners.id').onDelete('cascade'),
      )
      .addColumn('week', 'varchar(10)', (col) => col.notNull())
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addPrimaryKeyConstraint('learner_weeks_pk', ['learner_id', 'week'])
      .modifyEnd(sql.raw(clustered))
      .execute();
    await db.schema
      .createTable('weekly_activity')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('week', 'varchar(10)', (col) => col.notNull())
      .addColumn('learners', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('weekly_activity_pk', ['tenant_id', 'week'])
      .execute();
    await db.schema
      .createTable('weekly_brevets')
      .addColumn('tenant_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('week', 'varchar(10)', (col) => col.notNull())
      .addColumn('phase_id', 'varchar(64)', (col) => col.notNull())
      .addColumn('brevets', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('weekly_brevets_pk', ['tenant_id', 'week', 'phase_id'])
      .execute();

    await db.schema.alterTable('learners').addColumn('last_active_on', 'varchar(10)').execute();
    // The language the question was shown in (the learner's when they answered).
    await db.schema.alterTable('quiz_answers').addColumn('language', 'varchar(8)').execute();

    // What was there before: answers in their learner's language, weeks and days of activity,
    // brevets per week. (lesson_stats and learner_phases need the curriculum: syncProgramme.)
    const week = weekOf(postgres);
    for (const statement of [
      sql`update quiz_answers set language = (select l.language from learners l where l.id = quiz_answers.learner_id)`,
      sql`insert into question_stats (tenant_id, lesson_id, question_id, language, answered, right_first)
          select l.tenant_id, a.lesson_id, a.question_id, a.language, count(*), sum(a.correct)
          from quiz_answers a join learners l on l.id = a.learner_id
          group by l.tenant_id, a.lesson_id, a.question_id, a.language`,
      sql`insert into learner_weeks (learner_id, week, tenant_id)
          select distinct a.learner_id, ${week(sql.ref('a.day'))}, l.tenant_id
          from learner_activity a join learners l on l.id = a.learner_id`,
      sql`insert into weekly_activity (tenant_id, week, learners)
          select tenant_id, week, count(*) from learner_weeks group by tenant_id, week`,
      sql`insert into weekly_brevets (tenant_id, week, phase_id, brevets)
          select l.tenant_id, ${week(sql`substr(b.earned_at, 1, 10)`)}, b.phase_id, count(*)
          from brevets b join learners l on l.id = b.learner_id
          group by l.tenant_id, ${week(sql`substr(b.earned_at, 1, 10)`)}, b.phase_id`,
      sql`update learners set last_active_on =
          (select max(a.day) from learner_activity a where a.learner_id = learners.id)`,
      sql`insert into activity_days (tenant_id, day, learners)
          select tenant_id, coalesce(last_active_on, ''), count(*) from learners
          group by tenant_id, coalesce(last_active_on, '')`,
      sql`insert into learner_groups (tenant_id, track_id, language, learners)
          select tenant_id, coalesce(track_id, ''), language, count(*) from learners
          group by tenant_id, coalesce(track_id, ''), language`,
    ])
      await statement.execute(db);

    for (const trigger of TRIGGERS) {
      const body = trigger.body(week).map((statement) => statement.compile(db).sql);
      if (postgres) {
        await sql
          .raw(
            `create function ${trigger.name}() returns trigger language plpgsql as $$ begin ` +
              `${body.map((s) => `${s};`).join(' ')} ` +
              `return ${trigger.timing === 'before' ? 'old' : 'null'}; end $$`,
          )
          .execute(db);
        await sql
          .raw(
            `create trigger ${trigger.name} ${trigger.timing} ${trigger.event} on ${trigger.table} ` +
              `for each row${trigger.when ? ` when (${trigger.when})` : ''} ` +
              `execute function ${trigger.name}()`,
          )
          .execute(db);
      } else {
        await sql
          .raw(
            `create trigger ${trigger.name} ${trigger.timing} ${trigger.event} on ${trigger.table} ` +
              `for each row${trigger.when ? ` when ${trigger.when}` : ''} ` +
              `begin ${body.map((s) => `${s};`).join(' ')} end`,
          )
          .execute(db);
      }
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const postgres = isPostgres(db);
    for (const trigger of [...TRIGGERS].reverse()) {
      await sql
        .raw(`drop trigger if exists ${trigger.name}${postgres ? ` on ${trigger.table}` : ''}`)
        .execute(db);
      if (postgres) await sql.raw(`drop function if exists ${trigger.name}()`).execute(db);
    }
    await db.schema.alterTable('quiz_answers').dropColumn('language').execute();
    await db.schema.alterTable('learners').dropColumn('last_active_on').execute();
    for (const table of [
      'activity_days',
      'unit_members',
      'unit_phases',
      'learner_groups',
      'phase_groups',
      'programme_requirements',
      'weekly_brevets',
      'weekly_activity',
      'learner_weeks',
      'question_stats',
      'lesson_stats',
      'learner_phases',
      'programme_lessons',
      'team_members',
    ])
      await db.schema.dropTable(table).ifExists().execute();
  },
};

/** PostgreSQL numbers its parameters ($1), SQLite does not (?): the dialect, without internals. */
function isPostgres(db: Kysely<unknown>): boolean {
  return sql`select ${1}`.compile(db).sql.includes('$1');
}

type Expression = ReturnType<typeof sql.ref>;
type WeekOf = (day: Expression) => Expression;

/** The Monday (YYYY-MM-DD) of the week of a YYYY-MM-DD day. */
function weekOf(postgres: boolean): WeekOf {
  return postgres
    ? (day) => sql`to_char(date_trunc('week', cast(${day} as date)), 'YYYY-MM-DD')`
    : // Six days back, then forward to the next Monday (the same day if it is one).
      (day) => sql`date(${day}, '-6 days', 'weekday 1')`;
}

interface Trigger {
  name: string;
  timing: 'after' | 'before';
  event: string;
  table: string;
  /** A condition on NEW/OLD (no parameters). */
  when?: string;
  /** Statements run for each row, in order, with `new.` and `old.` for the row. */
  body(week: WeekOf): Expression[];
}

type Row = 'new' | 'old' | 'r';
const column = (row: Row, name: string) => sql.raw(`${row}.${name}`);

/** One lesson_progress row added to (sign 1) or taken from (sign -1) the lesson and phase totals. */
function lessonProgressTotals(row: 'new' | 'old', sign: 1 | -1): Expression[] {
  const r = (name: string) => column(row, name);
  const s = sql.raw(String(sign));
  const done = sql`case when ${r('completed_at')} is not null then 1 else 0 end`;
  return [
    sql`insert into lesson_stats (tenant_id, lesson_id, opened, finished, passed)
        select l.tenant_id, ${r('lesson_id')}, ${s}, ${s} * ${done},
          ${s} * (case when ${r('completed_at')} is not null
            and ${r('correct_count')} * 100 >= p.passing_score * ${r('question_count')} then 1 else 0 end)
        from learners l join programme_lessons p on p.lesson_id = ${r('lesson_id')}
        where l.id = ${r('learner_id')}
        on conflict (tenant_id, lesson_id) do update set
          opened = lesson_stats.opened + excluded.opened,
          finished = lesson_stats.finished + excluded.finished,
          passed = lesson_stats.passed + excluded.passed`,
    sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id, language,
          opened, done, correct, questions, brevet)
        select ${r('learner_id')}, p.phase_id, l.tenant_id, l.user_key, coalesce(l.track_id, ''),
          l.language, ${s}, ${s} * ${done}, ${s} * coalesce(${r('correct_count')}, 0),
          ${s} * coalesce(${r('question_count')}, 0), 0
        from learners l join programme_lessons p on p.lesson_id = ${r('lesson_id')}
        where l.id = ${r('learner_id')} and (p.track_id = '' or p.track_id = l.track_id)
        on conflict (learner_id, phase_id) do update set
          opened = learner_phases.opened + excluded.opened,
          done = learner_phases.done + excluded.done,
          correct = learner_phases.correct + excluded.correct,
          questions = learner_phases.questions + excluded.questions`,
  ];
}

/** A lesson_progress row's update (the same learner and lesson): new minus old in the totals. */
function lessonProgressChange(): Expression[] {
  const done = (row: 'new' | 'old') =>
    sql`(case when ${column(row, 'completed_at')} is not null then 1 else 0 end)`;
  const passed = (row: 'new' | 'old') =>
    sql`(case when ${column(row, 'completed_at')} is not null and ${column(row, 'correct_count')} * 100
      >= p.passing_score * ${column(row, 'question_count')} then 1 else 0 end)`;
  const count = (name: string) =>
    sql`(coalesce(${column('new', name)}, 0) - coalesce(${column('old', name)}, 0))`;
  return [
    sql`insert into lesson_stats (tenant_id, lesson_id, opened, finished, passed)
        select l.tenant_id, new.lesson_id, 0, ${done('new')} - ${done('old')},
          ${passed('new')} - ${passed('old')}
        from learners l join programme_lessons p on p.lesson_id = new.lesson_id
        where l.id = new.learner_id
        on conflict (tenant_id, lesson_id) do update set
          finished = lesson_stats.finished + excluded.finished,
          passed = lesson_stats.passed + excluded.passed`,
    sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id, language,
          opened, done, correct, questions, brevet)
        select new.learner_id, p.phase_id, l.tenant_id, l.user_key, coalesce(l.track_id, ''),
          l.language, 0, ${done('new')} - ${done('old')}, ${count('correct_count')},
          ${count('question_count')}, 0
        from learners l join programme_lessons p on p.lesson_id = new.lesson_id
        where l.id = new.learner_id and (p.track_id = '' or p.track_id = l.track_id)
        on conflict (learner_id, phase_id) do update set
          done = learner_phases.done + excluded.done,
          correct = learner_phases.correct + excluded.correct,
          questions = learner_phases.questions + excluded.questions`,
  ];
}

/** What a learner_phases row counts for in its group and its units. */
interface PhaseValues {
  started: Expression;
  completed: Expression;
  score: Expression;
  scored: Expression;
  brevet: Expression;
}

/** What a learner_phases row counts for: started, completed, its score, the brevet. */
function phaseContribution(row: Row): PhaseValues {
  const r = (name: string) => column(row, name);
  // The lessons that complete the phase for the row's track, else for everyone; none: never.
  const required = sql`coalesce(
    (select q.lessons from programme_requirements q
      where q.phase_id = ${r('phase_id')} and q.track_id = ${r('track_id')}),
    (select q.lessons from programme_requirements q
      where q.phase_id = ${r('phase_id')} and q.track_id = '*'))`;
  return {
    started: sql`(case when ${r('opened')} > 0 then 1 else 0 end)`,
    completed: sql`(case when ${r('done')} >= ${required} then 1 else 0 end)`,
    score: sql`(case when ${r('questions')} > 0 then 1.0 * ${r('correct')} / ${r('questions')} else 0 end)`,
    scored: sql`(case when ${r('questions')} > 0 then 1 else 0 end)`,
    brevet: r('brevet'),
  };
}

const signed = (values: PhaseValues, sign: 1 | -1): PhaseValues => {
  const s = sql.raw(String(sign));
  return {
    started: sql`${s} * ${values.started}`,
    completed: sql`${s} * ${values.completed}`,
    score: sql`${s} * ${values.score}`,
    scored: sql`${s} * ${values.scored}`,
    brevet: sql`${s} * ${values.brevet}`,
  };
};

/** The new row's contribution minus the old one's (same group, same units). */
function phaseChange(): PhaseValues {
  const after = phaseContribution('new');
  const before = phaseContribution('old');
  return {
    started: sql`(${after.started} - ${before.started})`,
    completed: sql`(${after.completed} - ${before.completed})`,
    score: sql`(${after.score} - ${before.score})`,
    scored: sql`(${after.scored} - ${before.scored})`,
    brevet: sql`(${after.brevet} - ${before.brevet})`,
  };
}

/** `values` (of the learner_phases row `row`) added to its phase group and to its units. */
function phaseGroupTotals(row: 'new' | 'old', values: PhaseValues): Expression[] {
  const r = (name: string) => column(row, name);
  return [
    sql`insert into phase_groups (tenant_id, phase_id, track_id, language, started, completed, brevets)
        values (${r('tenant_id')}, ${r('phase_id')}, ${r('track_id')}, ${r('language')},
          ${values.started}, ${values.completed}, ${values.brevet})
        on conflict (tenant_id, phase_id, track_id, language) do update set
          started = phase_groups.started + excluded.started,
          completed = phase_groups.completed + excluded.completed,
          brevets = phase_groups.brevets + excluded.brevets`,
    unitPhaseTotals(
      sql`from team_members tm where tm.tenant_id = ${r('tenant_id')} and tm.user_key = ${r('user_key')}`,
      sql`tm.team_id`,
      r('phase_id'),
      values,
    ),
  ];
}

/** `values` added to the unit phases `from` names. */
function unitPhaseTotals(
  from: Expression,
  teamId: Expression,
  phaseId: Expression,
  values: PhaseValues,
) {
  return sql`insert into unit_phases (team_id, phase_id, started, completed, score_sum, scored, brevets)
    select ${teamId}, ${phaseId}, ${values.started}, ${values.completed}, ${values.score},
      ${values.scored}, ${values.brevet}
    ${from}
    on conflict (team_id, phase_id) do update set
      started = unit_phases.started + excluded.started,
      completed = unit_phases.completed + excluded.completed,
      score_sum = unit_phases.score_sum + excluded.score_sum,
      scored = unit_phases.scored + excluded.scored,
      brevets = unit_phases.brevets + excluded.brevets`;
}

/** A member added to (1) or removed from (-1) a unit: their phases and their count. */
function unitMemberTotals(row: 'new' | 'old', sign: 1 | -1): Expression[] {
  const m = (name: string) => column(row, name);
  const s = sql.raw(String(sign));
  return [
    unitPhaseTotals(
      sql`from learner_phases r where r.tenant_id = ${m('tenant_id')} and r.user_key = ${m('user_key')}`,
      m('team_id'),
      sql`r.phase_id`,
      signed(phaseContribution('r'), sign),
    ),
    sql`insert into unit_members (team_id, members, learners)
        values (${m('team_id')}, ${s}, ${s} * (case when exists (select 1 from learners l
          where l.tenant_id = ${m('tenant_id')} and l.user_key = ${m('user_key')}) then 1 else 0 end))
        on conflict (team_id) do update set
          members = unit_members.members + excluded.members,
          learners = unit_members.learners + excluded.learners`,
  ];
}

/** A learner added to (1) or taken from (-1) the learner counts: by group, by last day, by unit. */
function learnerTotals(row: 'new' | 'old', sign: 1 | -1): Expression[] {
  const l = (name: string) => column(row, name);
  const s = sql.raw(String(sign));
  return [
    learnerGroup(row, sign),
    activityDay(row, sign),
    sql`update unit_members set learners = learners + ${s}
        where team_id in (select tm.team_id from team_members tm
          where tm.tenant_id = ${l('tenant_id')} and tm.user_key = ${l('user_key')})`,
  ];
}

function learnerGroup(row: 'new' | 'old', sign: 1 | -1): Expression {
  const l = (name: string) => column(row, name);
  return sql`insert into learner_groups (tenant_id, track_id, language, learners)
    values (${l('tenant_id')}, coalesce(${l('track_id')}, ''), ${l('language')}, ${sql.raw(String(sign))})
    on conflict (tenant_id, track_id, language) do update set
      learners = learner_groups.learners + excluded.learners`;
}

function activityDay(row: 'new' | 'old', sign: 1 | -1): Expression {
  const l = (name: string) => column(row, name);
  return sql`insert into activity_days (tenant_id, day, learners)
    values (${l('tenant_id')}, coalesce(${l('last_active_on')}, ''), ${sql.raw(String(sign))})
    on conflict (tenant_id, day) do update set learners = activity_days.learners + excluded.learners`;
}

/** Recomputes one learner's phase totals (their track changed: their sequence did). */
const RECOMPUTE_LEARNER_PHASES: Expression[] = [
  sql`delete from learner_phases where learner_id = new.id`,
  sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id, language,
        opened, done, correct, questions, brevet)
      select lp.learner_id, p.phase_id, new.tenant_id, new.user_key, coalesce(new.track_id, ''),
        new.language, count(*), sum(case when lp.completed_at is not null then 1 else 0 end),
        coalesce(sum(lp.correct_count), 0), coalesce(sum(lp.question_count), 0), 0
      from lesson_progress lp join programme_lessons p on p.lesson_id = lp.lesson_id
      where lp.learner_id = new.id and (p.track_id = '' or p.track_id = new.track_id)
      group by lp.learner_id, p.phase_id`,
  sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id, language,
        opened, done, correct, questions, brevet)
      select b.learner_id, b.phase_id, new.tenant_id, new.user_key, coalesce(new.track_id, ''),
        new.language, 0, 0, 0, 0, 1
      from brevets b where b.learner_id = new.id
      on conflict (learner_id, phase_id) do update set brevet = 1`,
];

const TRIGGERS: Trigger[] = [
  {
    // An instance older than migration 007 (a rolling deploy) writes no language.
    name: 'quiz_answers_language',
    timing: 'after',
    event: 'insert',
    table: 'quiz_answers',
    when: 'new.language is null',
    body: () => [
      sql`update quiz_answers set language = (select l.language from learners l where l.id = new.learner_id)
          where learner_id = new.learner_id and lesson_id = new.lesson_id and question_id = new.question_id`,
    ],
  },
  {
    name: 'quiz_answers_count',
    timing: 'after',
    event: 'insert',
    table: 'quiz_answers',
    body: () => [
      sql`insert into question_stats (tenant_id, lesson_id, question_id, language, answered, right_first)
          select l.tenant_id, new.lesson_id, new.question_id, coalesce(new.language, l.language), 1, new.correct
          from learners l where l.id = new.learner_id
          on conflict (tenant_id, lesson_id, question_id, language) do update set
            answered = question_stats.answered + 1,
            right_first = question_stats.right_first + excluded.right_first`,
    ],
  },
  {
    name: 'quiz_answers_uncount',
    timing: 'after',
    event: 'delete',
    table: 'quiz_answers',
    body: () => [
      sql`update question_stats set answered = answered - 1, right_first = right_first - old.correct
          where lesson_id = old.lesson_id and question_id = old.question_id
            and tenant_id = (select l.tenant_id from learners l where l.id = old.learner_id)
            and language = coalesce(old.language, (select l.language from learners l where l.id = old.learner_id))`,
    ],
  },
  {
    name: 'lesson_progress_count',
    timing: 'after',
    event: 'insert',
    table: 'lesson_progress',
    body: () => lessonProgressTotals('new', 1),
  },
  {
    name: 'lesson_progress_recount',
    timing: 'after',
    event: 'update of completed_at, correct_count, question_count',
    table: 'lesson_progress',
    when:
      'old.completed_at is distinct from new.completed_at or ' +
      'old.correct_count is distinct from new.correct_count or ' +
      'old.question_count is distinct from new.question_count',
    body: () => lessonProgressChange(),
  },
  {
    name: 'lesson_progress_uncount',
    timing: 'after',
    event: 'delete',
    table: 'lesson_progress',
    body: () => lessonProgressTotals('old', -1),
  },
  {
    name: 'learner_phases_count',
    timing: 'after',
    event: 'insert',
    table: 'learner_phases',
    body: () => phaseGroupTotals('new', signed(phaseContribution('new'), 1)),
  },
  {
    // The same group and units (most updates: a lesson opened or done): the change only, and
    // nothing when what the row counts for is the same (another lesson opened in a started phase).
    name: 'learner_phases_recount',
    timing: 'after',
    event: 'update',
    table: 'learner_phases',
    when:
      'old.track_id = new.track_id and old.language = new.language and (' +
      'old.done <> new.done or old.correct <> new.correct or old.questions <> new.questions or ' +
      'old.brevet <> new.brevet or (old.opened > 0) <> (new.opened > 0))',
    body: () => phaseGroupTotals('new', phaseChange()),
  },
  {
    // Another group (the learner's language changed): out of the old one, into the new one.
    name: 'learner_phases_regroup',
    timing: 'after',
    event: 'update',
    table: 'learner_phases',
    when: 'old.track_id <> new.track_id or old.language <> new.language',
    body: () => [
      ...phaseGroupTotals('old', signed(phaseContribution('old'), -1)),
      ...phaseGroupTotals('new', signed(phaseContribution('new'), 1)),
    ],
  },
  {
    name: 'learner_phases_uncount',
    timing: 'after',
    event: 'delete',
    table: 'learner_phases',
    body: () => phaseGroupTotals('old', signed(phaseContribution('old'), -1)),
  },
  {
    name: 'brevets_count',
    timing: 'after',
    event: 'insert',
    table: 'brevets',
    body: (week) => [
      sql`insert into learner_phases (learner_id, phase_id, tenant_id, user_key, track_id, language,
            opened, done, correct, questions, brevet)
          select new.learner_id, new.phase_id, l.tenant_id, l.user_key, coalesce(l.track_id, ''),
            l.language, 0, 0, 0, 0, 1
          from learners l where l.id = new.learner_id
          on conflict (learner_id, phase_id) do update set brevet = 1`,
      sql`insert into weekly_brevets (tenant_id, week, phase_id, brevets)
          select l.tenant_id, ${week(sql`substr(new.earned_at, 1, 10)`)}, new.phase_id, 1
          from learners l where l.id = new.learner_id
          on conflict (tenant_id, week, phase_id) do update set brevets = weekly_brevets.brevets + 1`,
    ],
  },
  {
    name: 'brevets_uncount',
    timing: 'after',
    event: 'delete',
    table: 'brevets',
    body: (week) => [
      sql`update learner_phases set brevet = 0
          where learner_id = old.learner_id and phase_id = old.phase_id`,
      sql`update weekly_brevets set brevets = brevets - 1
          where week = ${week(sql`substr(old.earned_at, 1, 10)`)} and phase_id = old.phase_id
            and tenant_id = (select l.tenant_id from learners l where l.id = old.learner_id)`,
    ],
  },
  {
    // Activity rows are only ever added (a day's row is updated, never deleted, until erasure).
    name: 'learner_activity_count',
    timing: 'after',
    event: 'insert',
    table: 'learner_activity',
    body: (week) => [
      sql`insert into learner_weeks (learner_id, week, tenant_id)
          select new.learner_id, ${week(sql`new.day`)}, l.tenant_id from learners l
          where l.id = new.learner_id
          on conflict (learner_id, week) do nothing`,
      sql`update learners set last_active_on = new.day
          where id = new.learner_id and (last_active_on is null or last_active_on < new.day)`,
    ],
  },
  {
    name: 'learner_weeks_count',
    timing: 'after',
    event: 'insert',
    table: 'learner_weeks',
    body: () => [
      sql`insert into weekly_activity (tenant_id, week, learners) values (new.tenant_id, new.week, 1)
          on conflict (tenant_id, week) do update set learners = weekly_activity.learners + 1`,
    ],
  },
  {
    name: 'learner_weeks_uncount',
    timing: 'after',
    event: 'delete',
    table: 'learner_weeks',
    body: () => [
      sql`update weekly_activity set learners = learners - 1
          where tenant_id = old.tenant_id and week = old.week`,
    ],
  },
  {
    name: 'team_members_count',
    timing: 'after',
    event: 'insert',
    table: 'team_members',
    body: () => unitMemberTotals('new', 1),
  },
  {
    name: 'team_members_uncount',
    timing: 'after',
    event: 'delete',
    table: 'team_members',
    body: () => unitMemberTotals('old', -1),
  },
  {
    name: 'learners_count',
    timing: 'after',
    event: 'insert',
    table: 'learners',
    body: () => learnerTotals('new', 1),
  },
  {
    name: 'learners_regroup',
    timing: 'after',
    event: 'update of track_id, language',
    table: 'learners',
    when: 'old.track_id is distinct from new.track_id or old.language is distinct from new.language',
    body: () => [learnerGroup('old', -1), learnerGroup('new', 1)],
  },
  {
    name: 'learners_track',
    timing: 'after',
    event: 'update of track_id',
    table: 'learners',
    when: 'old.track_id is distinct from new.track_id',
    body: () => RECOMPUTE_LEARNER_PHASES,
  },
  {
    name: 'learners_language',
    timing: 'after',
    event: 'update of language',
    table: 'learners',
    when: 'old.language is distinct from new.language',
    body: () => [sql`update learner_phases set language = new.language where learner_id = new.id`],
  },
  {
    name: 'learners_last_active',
    timing: 'after',
    event: 'update of last_active_on',
    table: 'learners',
    when: 'old.last_active_on is distinct from new.last_active_on',
    body: () => [activityDay('old', -1), activityDay('new', 1)],
  },
  {
    // ON DELETE CASCADE removes rows after the learner is gone, when their tenant can no longer
    // be read: their counted rows are deleted first, while it still can.
    name: 'learners_uncount',
    timing: 'before',
    event: 'delete',
    table: 'learners',
    body: () => [
      sql`delete from quiz_answers where learner_id = old.id`,
      sql`delete from lesson_progress where learner_id = old.id`,
      sql`delete from brevets where learner_id = old.id`,
      sql`delete from learner_weeks where learner_id = old.id`,
      sql`delete from learner_phases where learner_id = old.id`,
      ...learnerTotals('old', -1),
    ],
  },
];
