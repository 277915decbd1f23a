import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The programme dashboard (training office): who is in which unit, the language each first
 * answer was given in, and running totals that the dashboard reads instead of scanning every
 * answer (25,000 learners, a million answers: GROUP BY over the raw tables takes seconds on
 * SQLite). The totals are kept by triggers, in the same statement as the row they count, so they
 * always equal the GROUP BY over the raw tables (tests/storage/dashboard-repository.test.ts
 * checks it on both databases):
 *
 * - question_stats: first answers per question and language, and how many were right;
 * - lesson_stats: per lesson, learners who opened, finished and passed it;
 * - learner_phases: per learner and phase, lessons opened and done in their own sequence (common
 *   lessons and their track's), right answers over questions in the lessons done, the brevet;
 * - learner_weeks, weekly_activity, weekly_brevets: learners active and brevets earned per week
 *   (weeks start on Monday);
 * - learners.last_active_on: the learner's last active day (active in the last 7 or 30 days).
 *
 * programme_lessons (lesson → phase, track, passing score) is the curriculum's shape, written at
 * start-up from content/ (KyselyDashboardStore.syncProgramme, which rebuilds lesson_stats and
 * learner_phases when it changes). Before a learner is deleted (erasure), their rows are deleted
 * one by one, so that every total loses what they had added.
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
      .addColumn('opened', 'integer', (col) => col.notNull())
      .addColumn('done', 'integer', (col) => col.notNull())
      .addColumn('correct', 'integer', (col) => col.notNull())
      .addColumn('questions', 'integer', (col) => col.notNull())
      .addColumn('brevet', 'integer', (col) => col.notNull())
      .addPrimaryKeyConstraint('learner_phases_pk', ['learner_id', 'phase_id'])
      .modifyEnd(sql.raw(clustered))
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
    await db.schema
      .createIndex('learners_last_active')
      .on('learners')
      .columns(['tenant_id', 'last_active_on'])
      .execute();
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
    await db.schema.dropIndex('learners_last_active').ifExists().execute();
    await db.schema.alterTable('learners').dropColumn('last_active_on').execute();
    for (const table of [
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

/** One lesson_progress row added to (sign 1) or taken from (sign -1) the lesson and phase totals. */
function lessonProgressTotals(row: 'new' | 'old', sign: 1 | -1): Expression[] {
  const r = (column: string) => sql.raw(`${row}.${column}`);
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
    sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
        select ${r('learner_id')}, p.phase_id, ${s}, ${s} * ${done},
          ${s} * coalesce(${r('correct_count')}, 0), ${s} * coalesce(${r('question_count')}, 0), 0
        from learners l join programme_lessons p on p.lesson_id = ${r('lesson_id')}
        where l.id = ${r('learner_id')} and (p.track_id = '' or p.track_id = l.track_id)
        on conflict (learner_id, phase_id) do update set
          opened = learner_phases.opened + excluded.opened,
          done = learner_phases.done + excluded.done,
          correct = learner_phases.correct + excluded.correct,
          questions = learner_phases.questions + excluded.questions`,
  ];
}

/** Recomputes one learner's phase totals (their track changed: their sequence did). */
const RECOMPUTE_LEARNER_PHASES: Expression[] = [
  sql`delete from learner_phases where learner_id = new.id`,
  sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
      select lp.learner_id, p.phase_id, count(*),
        sum(case when lp.completed_at is not null then 1 else 0 end),
        coalesce(sum(lp.correct_count), 0), coalesce(sum(lp.question_count), 0), 0
      from lesson_progress lp join programme_lessons p on p.lesson_id = lp.lesson_id
      where lp.learner_id = new.id and (p.track_id = '' or p.track_id = new.track_id)
      group by lp.learner_id, p.phase_id`,
  sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
      select b.learner_id, b.phase_id, 0, 0, 0, 0, 1 from brevets b where b.learner_id = new.id
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
    body: () => [...lessonProgressTotals('old', -1), ...lessonProgressTotals('new', 1)],
  },
  {
    name: 'lesson_progress_uncount',
    timing: 'after',
    event: 'delete',
    table: 'lesson_progress',
    body: () => lessonProgressTotals('old', -1),
  },
  {
    name: 'brevets_count',
    timing: 'after',
    event: 'insert',
    table: 'brevets',
    body: (week) => [
      sql`insert into learner_phases (learner_id, phase_id, opened, done, correct, questions, brevet)
          values (new.learner_id, new.phase_id, 0, 0, 0, 0, 1)
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
    name: 'learners_track',
    timing: 'after',
    event: 'update of track_id',
    table: 'learners',
    when: 'old.track_id is distinct from new.track_id',
    body: () => RECOMPUTE_LEARNER_PHASES,
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
    ],
  },
];
