import { sql } from 'kysely';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { DashboardService, weekOf } from '../../src/dashboard/dashboard-service';
import { type Language } from '../../src/i18n/languages';
import { type LearnerRecord } from '../../src/learning/learning-store';
import { projectPath } from '../../src/project-paths';
import { KyselyDashboardStore } from '../../src/storage/dashboard-repository';
import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyLearningStore } from '../../src/storage/learning-repository';
import { KyselyPersonalDataStore } from '../../src/storage/personal-data-repository';
import { KyselyReminderStore } from '../../src/storage/reminder-repository';
import { KyselyUnitStore } from '../../src/storage/unit-repository';
import { tempDir, testDatabase } from '../support/brevet-harness';
import { testDialects } from '../support/postgres';

const programme = loadProgramme(projectPath('tests', 'fixtures', 'content'));
const LANGS: Language[] = ['fr', 'nl', 'de', 'en'];
const TRACKS = ['operational', 'support', 'management'];

/** A small deterministic pseudo-random generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const num = (value: unknown) => Number(value);
/** Rows as sorted JSON lines, numbers normalised (PostgreSQL gives bigint sums as strings). */
function canon(rows: Record<string, unknown>[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === 'string' && /^-?\d+$/.test(v) ? num(v) : v,
          ]),
        ),
      ),
    )
    .sort();
}

describe.each(testDialects())('the dashboard store on %s', (dialect) => {
  const tmp = tempDir();
  const database = testDatabase(dialect, tmp.dir);
  let storage: Storage;
  let store: KyselyDashboardStore;
  let learning: KyselyLearningStore;
  let activity: KyselyReminderStore;
  let units: KyselyUnitStore;
  let personal: KyselyPersonalDataStore;

  beforeAll(async () => {
    storage = await openStorage({
      databaseUrl: database.env.DATABASE_URL,
      sqlitePath: database.env.SQLITE_PATH ?? '',
      postgresSchema: database.postgresSchema,
    });
    store = new KyselyDashboardStore(storage.db, storage.dialect);
    learning = new KyselyLearningStore(storage.db);
    activity = new KyselyReminderStore(storage.db);
    units = new KyselyUnitStore(storage.db, storage.dialect);
    personal = new KyselyPersonalDataStore(storage.db);
    expect(await new DashboardService(programme, store).syncProgramme()).toBe(true);
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  /** Plays a learner's history through the app's own stores: lessons, answers, brevets, days. */
  async function play(
    tenantId: string,
    userKey: string,
    language: Language,
    rnd: () => number,
  ): Promise<LearnerRecord> {
    const learner = await learning.createLearner({
      tenantId,
      userKey,
      language,
      at: '2026-01-05T08:00:00.000Z',
    });
    let day = Date.UTC(2025, 9, 1) + Math.floor(rnd() * 120) * 86_400_000;
    const track = TRACKS[Math.floor(rnd() * 3)]!;
    const lessons = programme.curriculum.lessons.filter(
      (l) => l.trackId === undefined || l.trackId === track || rnd() < 0.1,
    );
    const howFar = Math.floor(rnd() * (lessons.length + 1));
    for (const [index, lesson] of lessons.slice(0, howFar).entries()) {
      if (lesson.phaseId === 'phase-2' && rnd() < 0.8)
        await learning.updateLearner(learner.id, { trackId: track }, 'x');
      day += Math.floor(1 + rnd() * 6) * 86_400_000;
      const at = new Date(day).toISOString();
      await learning.openLesson(learner.id, lesson.id, at);
      await activity.recordActivity(learner.id, at.slice(0, 10), at);
      const finish = index < howFar - 1 || rnd() < 0.5;
      let correct = 0;
      for (const question of lesson.questions) {
        if (!finish && rnd() < 0.5) break;
        const right = rnd() < 0.75;
        const shownIn = rnd() < 0.1 ? LANGS[Math.floor(rnd() * 4)] : undefined;
        const { answer } = await learning.recordAnswer(
          learner.id,
          {
            lessonId: lesson.id,
            questionId: question.id,
            choiceId: right ? question.answer : 'x',
            correct: right,
            answeredAt: at,
          },
          shownIn,
        );
        if (answer.correct) correct += 1;
      }
      if (finish)
        await learning.completeLesson(
          learner.id,
          lesson.id,
          { correct, total: lesson.questions.length },
          at,
        );
      if (finish && rnd() < 0.3)
        await learning.awardBrevet(learner.id, {
          phaseId: lesson.phaseId,
          earnedAt: at,
          score: 90,
        });
    }
    // Some change track after the fact (their phase-2 sequence changes).
    if (rnd() < 0.15)
      await learning.updateLearner(learner.id, { trackId: TRACKS[Math.floor(rnd() * 3)]! }, 'x');
    return learner;
  }

  /** Every total of migration 007 against the same figure computed from the raw tables. */
  async function expectTotalsMatchRawTables() {
    const db = storage.db;
    const questionTotals = await db
      .selectFrom('question_stats')
      .select(['tenant_id', 'lesson_id', 'question_id', 'language', 'answered', 'right_first'])
      .where('answered', '<>', 0)
      .execute();
    const questionRaw = await sql<Record<string, unknown>>`
      select l.tenant_id, a.lesson_id, a.question_id, a.language, count(*) as answered,
        sum(a.correct) as right_first
      from quiz_answers a join learners l on l.id = a.learner_id
      group by l.tenant_id, a.lesson_id, a.question_id, a.language`.execute(db);
    expect(canon(questionTotals)).toEqual(canon(questionRaw.rows));

    const lessonTotals = await db
      .selectFrom('lesson_stats')
      .selectAll()
      .where('opened', '<>', 0)
      .execute();
    const lessonRaw = await sql<Record<string, unknown>>`
      select l.tenant_id, lp.lesson_id, count(*) as opened,
        sum(case when lp.completed_at is not null then 1 else 0 end) as finished,
        sum(case when lp.completed_at is not null
          and lp.correct_count * 100 >= 80 * lp.question_count then 1 else 0 end) as passed
      from lesson_progress lp join learners l on l.id = lp.learner_id
      group by l.tenant_id, lp.lesson_id`.execute(db);
    expect(canon(lessonTotals)).toEqual(canon(lessonRaw.rows));

    // Per learner and phase, over their own sequence (common lessons and their track's).
    const phaseTotals = await db
      .selectFrom('learner_phases')
      .selectAll()
      .where((eb) => eb.or([eb('opened', '<>', 0), eb('brevet', '<>', 0)]))
      .execute();
    const [progress, brevets, learners] = await Promise.all([
      db.selectFrom('lesson_progress').selectAll().execute(),
      db.selectFrom('brevets').selectAll().execute(),
      db
        .selectFrom('learners')
        .select(['id', 'track_id', 'tenant_id', 'user_key', 'language', 'last_active_on'])
        .execute(),
    ]);
    const trackOf = new Map(learners.map((l) => [l.id, l.track_id]));
    const learnerOf = new Map(learners.map((l) => [l.id, l]));
    const expected = new Map<string, Record<string, unknown>>();
    const entry = (learnerId: string, phaseId: string) => {
      const key = `${learnerId} ${phaseId}`;
      if (!expected.has(key))
        expected.set(key, {
          learner_id: learnerId,
          phase_id: phaseId,
          tenant_id: learnerOf.get(learnerId)!.tenant_id,
          user_key: learnerOf.get(learnerId)!.user_key,
          track_id: learnerOf.get(learnerId)!.track_id ?? '',
          language: learnerOf.get(learnerId)!.language,
          opened: 0,
          done: 0,
          correct: 0,
          questions: 0,
          brevet: 0,
        });
      return expected.get(key)! as Record<string, number>;
    };
    for (const row of progress) {
      const lesson = programme.lesson(row.lesson_id)!;
      if (lesson.trackId !== undefined && lesson.trackId !== trackOf.get(row.learner_id)) continue;
      const e = entry(row.learner_id, lesson.phaseId);
      e.opened! += 1;
      if (row.completed_at) {
        e.done! += 1;
        e.correct! += num(row.correct_count);
        e.questions! += num(row.question_count);
      }
    }
    for (const row of brevets) entry(row.learner_id, row.phase_id).brevet = 1;
    expect(canon(phaseTotals)).toEqual(canon([...expected.values()]));

    // What learner_phases feeds: per phase group, per unit; learners per group, day and unit.
    const required = (phaseId: string, trackId: string) =>
      programme.phase(phaseId)!.chooseTrack && trackId === ''
        ? undefined
        : programme.sequence(phaseId, trackId === '' ? null : trackId).length;
    const rows = [...expected.values()] as Record<string, any>[];
    const contribution = (r: Record<string, any>) => {
      const need = required(r.phase_id, r.track_id);
      return {
        started: r.opened > 0 ? 1 : 0,
        completed: need !== undefined && need > 0 && r.done >= need ? 1 : 0,
        score: r.questions > 0 ? r.correct / r.questions : 0,
        scored: r.questions > 0 ? 1 : 0,
        brevets: r.brevet,
      };
    };
    const sumInto = (
      map: Map<string, Record<string, any>>,
      key: string,
      base: object,
      add: Record<string, number>,
    ) => {
      const total = map.get(key) ?? {
        ...base,
        ...Object.fromEntries(Object.keys(add).map((k) => [k, 0])),
      };
      for (const [k, v] of Object.entries(add)) total[k] += v;
      map.set(key, total);
    };
    const groups = new Map<string, Record<string, any>>();
    for (const r of rows) {
      const { started, completed, brevets: count } = contribution(r);
      sumInto(
        groups,
        `${r.tenant_id} ${r.phase_id} ${r.track_id} ${r.language}`,
        {
          tenant_id: r.tenant_id,
          phase_id: r.phase_id,
          track_id: r.track_id,
          language: r.language,
        },
        { started, completed, brevets: count },
      );
    }
    const groupTotals = await db
      .selectFrom('phase_groups')
      .selectAll()
      .where((eb) =>
        eb.or([eb('started', '<>', 0), eb('completed', '<>', 0), eb('brevets', '<>', 0)]),
      )
      .execute();
    expect(canon(groupTotals)).toEqual(
      canon([...groups.values()].filter((g) => g.started || g.completed || g.brevets)),
    );

    const members = await db.selectFrom('team_members').selectAll().execute();
    const units = new Map<string, Record<string, any>>();
    const unitMembers = new Map<string, Record<string, any>>();
    for (const m of members) {
      const isLearner = learners.some(
        (l) => l.tenant_id === m.tenant_id && l.user_key === m.user_key,
      );
      sumInto(
        unitMembers,
        m.team_id,
        { team_id: m.team_id },
        { members: 1, learners: isLearner ? 1 : 0 },
      );
      for (const r of rows.filter(
        (x) => x.tenant_id === m.tenant_id && x.user_key === m.user_key,
      )) {
        const c = contribution(r);
        sumInto(
          units,
          `${m.team_id} ${r.phase_id}`,
          { team_id: m.team_id, phase_id: r.phase_id },
          {
            started: c.started,
            completed: c.completed,
            score_sum: c.score,
            scored: c.scored,
            brevets: c.brevets,
          },
        );
      }
    }
    const round = (list: Record<string, any>[]) =>
      list.map((u) => ({ ...u, score_sum: Math.round(Number(u.score_sum) * 1e6) / 1e6 }));
    const unitTotals = await db
      .selectFrom('unit_phases')
      .selectAll()
      .where((eb) => eb.or([eb('started', '<>', 0), eb('brevets', '<>', 0)]))
      .execute();
    expect(canon(round(unitTotals))).toEqual(
      canon(round([...units.values()].filter((u) => u.started || u.brevets))),
    );
    const memberTotals = await db
      .selectFrom('unit_members')
      .selectAll()
      .where('members', '<>', 0)
      .execute();
    expect(canon(memberTotals)).toEqual(canon([...unitMembers.values()]));

    const learnerGroups = new Map<string, Record<string, any>>();
    const lastDays = new Map<string, Record<string, any>>();
    for (const l of learners) {
      const track = l.track_id ?? '';
      sumInto(
        learnerGroups,
        `${l.tenant_id} ${track} ${l.language}`,
        { tenant_id: l.tenant_id, track_id: track, language: l.language },
        { learners: 1 },
      );
      const day = l.last_active_on ?? '';
      sumInto(lastDays, `${l.tenant_id} ${day}`, { tenant_id: l.tenant_id, day }, { learners: 1 });
    }
    expect(
      canon(await db.selectFrom('learner_groups').selectAll().where('learners', '<>', 0).execute()),
    ).toEqual(canon([...learnerGroups.values()]));
    expect(
      canon(await db.selectFrom('activity_days').selectAll().where('learners', '<>', 0).execute()),
    ).toEqual(canon([...lastDays.values()]));

    const weeks = await db
      .selectFrom('weekly_activity')
      .select(['tenant_id', 'week', 'learners'])
      .where('learners', '<>', 0)
      .execute();
    const days = await db
      .selectFrom('learner_activity')
      .innerJoin('learners', 'learners.id', 'learner_activity.learner_id')
      .select(['learners.tenant_id', 'learner_activity.learner_id', 'learner_activity.day'])
      .execute();
    const active = new Map<string, Set<string>>();
    for (const d of days) {
      const key = `${d.tenant_id} ${weekOf(d.day)}`;
      active.set(key, (active.get(key) ?? new Set()).add(d.learner_id));
    }
    expect(canon(weeks)).toEqual(
      canon(
        [...active].map(([key, set]) => {
          const [tenant_id, week] = key.split(' ');
          return { tenant_id, week, learners: set.size };
        }),
      ),
    );

    const brevetWeeks = await db
      .selectFrom('weekly_brevets')
      .select(['tenant_id', 'week', 'phase_id', 'brevets'])
      .where('brevets', '<>', 0)
      .execute();
    const tenantOf = new Map(learners.map((l) => [l.id, l.tenant_id]));
    const perWeek = new Map<string, number>();
    for (const b of brevets) {
      const key = `${tenantOf.get(b.learner_id)} ${weekOf(b.earned_at.slice(0, 10))} ${b.phase_id}`;
      perWeek.set(key, (perWeek.get(key) ?? 0) + 1);
    }
    expect(canon(brevetWeeks)).toEqual(
      canon(
        [...perWeek].map(([key, count]) => {
          const [tenant_id, week, phase_id] = key.split(' ');
          return { tenant_id, week, phase_id, brevets: count };
        }),
      ),
    );

    const lastDay = new Map<string, string>();
    for (const d of days)
      if ((lastDay.get(d.learner_id) ?? '') < d.day) lastDay.set(d.learner_id, d.day);
    for (const l of learners)
      expect([l.id, l.last_active_on]).toEqual([l.id, lastDay.get(l.id) ?? null]);
  }

  it('keeps every total equal to the GROUP BY over the raw tables, through tracks and erasures', async () => {
    const rnd = random(7);
    const played: LearnerRecord[] = [];
    // Units whose rosters list learners, and people who never used Brevet (one listed before
    // they become a learner), read again and changed as learners progress.
    const unitA = { teamId: '19:a@thread.tacv2', tenantId: 'tenant-a' };
    const unitB = { teamId: '19:b@thread.tacv2', tenantId: 'tenant-a' };
    await units.recordRoster(unitA, ['user-1', 'user-2', 'user-3', 'never-1', 'user-39'], 'x');
    for (let i = 0; i < 40; i += 1) {
      played.push(
        await play(i % 5 === 0 ? 'tenant-b' : 'tenant-a', `user-${i}`, LANGS[i % 4]!, rnd),
      );
      if (i === 20)
        await units.recordRoster(unitB, ['user-2', 'user-6', 'user-7', 'user-8', 'never-2'], 'x');
    }
    await units.recordRoster(
      unitA,
      ['user-2', 'user-3', 'user-4', 'user-9', 'never-1', 'user-39'],
      'x',
    );
    await units.addMembers(unitB, ['user-11', 'user-12'], 'x');
    await units.removeMembers(unitB, ['user-7']);
    await learning.updateLearner(played[2]!.id, { language: 'de' }, 'x');
    await expectTotalsMatchRawTables();

    // Erasure: the learner's rows leave every total with them.
    for (const learner of played.filter((_, i) => i % 7 === 3))
      expect(
        await personal.erase({ tenantId: learner.tenantId, userKey: learner.userKey }, 'test'),
      ).toBe(true);
    await expectTotalsMatchRawTables();
  });

  it('rebuilds the lesson and phase totals when the curriculum changes shape, and only then', async () => {
    const service = new DashboardService(programme, store);
    expect(await service.syncProgramme()).toBe(false);
    // A lesson moved to another phase (as a content change would), then moved back.
    const moved = programme.curriculum.lessons.map((l) => ({
      lessonId: l.id,
      phaseId: l.id === 'f1-b' ? 'phase-3' : l.phaseId,
      trackId: l.trackId ?? null,
    }));
    expect(
      await store.syncProgramme({
        lessons: moved,
        requirements: [{ phaseId: 'phase-1', lessons: 1 }],
        passingScore: 80,
      }),
    ).toBe(true);
    const phase3 = await storage.db
      .selectFrom('learner_phases')
      .select((eb) => eb.fn.sum('opened').as('opened'))
      .where('phase_id', '=', 'phase-3')
      .executeTakeFirst();
    expect(num(phase3?.opened)).toBeGreaterThan(0);
    expect(await service.syncProgramme()).toBe(true);
    await expectTotalsMatchRawTables();
  });

  it('gives the dashboard one tenant’s figures: units, completion, questions', async () => {
    const tenant = 'tenant-c';
    const service = new DashboardService(programme, store, {
      population: 10,
      clock: () => new Date('2026-03-04T10:00:00Z'),
    });
    const at = (day: string) => `${day}T09:00:00.000Z`;
    const make = async (key: string, language: Language, track: string | null) => {
      const learner = await learning.createLearner({
        tenantId: tenant,
        userKey: key,
        language,
        at: at('2026-01-05'),
      });
      if (track) await learning.updateLearner(learner.id, { trackId: track }, 'x');
      return learner;
    };
    const take = async (
      learner: LearnerRecord,
      lessonId: string,
      rights: boolean[],
      day: string,
      language?: Language,
    ) => {
      const lesson = programme.lesson(lessonId)!;
      await learning.openLesson(learner.id, lessonId, at(day));
      await activity.recordActivity(learner.id, day, at(day));
      for (const [i, question] of lesson.questions.entries()) {
        if (rights[i] === undefined) return;
        await learning.recordAnswer(
          learner.id,
          {
            lessonId,
            questionId: question.id,
            choiceId: 'x',
            correct: rights[i]!,
            answeredAt: at(day),
          },
          language,
        );
      }
      await learning.completeLesson(
        learner.id,
        lessonId,
        { correct: rights.filter(Boolean).length, total: lesson.questions.length },
        at(day),
      );
    };
    // Ann (fr, operational): phase 1 complete at 100% with its brevet, phase 2 complete at 75%.
    const ann = await make('ann', 'fr', 'operational');
    await take(ann, 'f1-a', [true, true], '2026-02-02');
    await take(ann, 'f1-b', [true, true], '2026-02-03');
    await learning.awardBrevet(ann.id, {
      phaseId: 'phase-1',
      earnedAt: at('2026-02-03'),
      score: 100,
    });
    await take(ann, 'f2-a', [true, false], '2026-03-02');
    await take(ann, 'f2-op', [true, true], '2026-03-03');
    // Bart (nl, no track): phase 1 half done (50%), a lesson of phase 1 opened only.
    const bart = await make('bart', 'nl', null);
    await take(bart, 'f1-a', [false, true], '2026-02-10');
    await take(bart, 'f1-b', [], '2026-02-11');
    // Claire (en, support): active once, never opened a lesson.
    const claire = await make('claire', 'en', 'support');
    await activity.recordActivity(claire.id, '2026-01-05', at('2026-01-05'));
    await units.saveTeam(
      {
        teamId: '19:alpha@thread.tacv2',
        tenantId: tenant,
        name: '2 Bataljon Commando',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        channelId: '19:alpha@thread.tacv2',
        timeZone: 'Europe/Brussels',
      },
      at('2026-01-05'),
    );
    await units.saveTeam(
      {
        teamId: '19:bravo@thread.tacv2',
        tenantId: tenant,
        name: 'Base Florennes',
        serviceUrl: 'https://smba.trafficmanager.net/emea/',
        channelId: '19:bravo@thread.tacv2',
        timeZone: 'Europe/Brussels',
      },
      at('2026-01-05'),
    );
    // A roster read lists Ann, Bart and someone who never used Brevet; a later read drops Bart.
    await units.recordRoster(
      { teamId: '19:alpha@thread.tacv2', tenantId: tenant },
      ['ANN', 'bart', 'zoe'],
      'x',
    );
    await units.addMembers(
      { teamId: '19:bravo@thread.tacv2', tenantId: tenant },
      ['bart', 'claire'],
      'x',
    );
    await units.recordRoster(
      { teamId: '19:alpha@thread.tacv2', tenantId: tenant },
      ['ann', 'zoe', 'yann'],
      'x',
    );
    await units.removeMembers({ teamId: '19:alpha@thread.tacv2', tenantId: tenant }, ['yann']);

    const summary = await service.summary(tenant, 'en');
    expect(summary).toMatchObject({
      today: '2026-03-04',
      population: 10,
      learners: 3,
      // Ann was active on 2026-03-03; Bart last on 2026-02-11 (within 30 days of 2026-03-04).
      active7: 1,
      active30: 2,
      lessonsCompleted: 5,
    });
    expect(summary.phases.map((p) => [p.phaseId, p.brevets])).toEqual([
      ['phase-1', 1],
      ['phase-2', 0],
      ['phase-3', 0],
    ]);

    const completion = await service.completion(tenant, 'en');
    const [one, two] = completion.phases;
    expect(one!.byTrack.find((g) => g.key === 'operational')).toMatchObject({
      learners: 1,
      started: 1,
      completed: 1,
      brevets: 1,
    });
    expect(one!.byTrack.find((g) => g.key === null)).toMatchObject({
      title: '',
      learners: 1,
      started: 1,
      completed: 0,
    });
    expect(one!.byLanguage.find((g) => g.key === 'nl')).toMatchObject({
      learners: 1,
      started: 1,
      completed: 0,
    });
    expect(two!.byTrack.find((g) => g.key === 'operational')).toMatchObject({
      started: 1,
      completed: 1,
    });
    expect(two!.byTrack.find((g) => g.key === 'support')).toMatchObject({
      learners: 1,
      started: 0,
    });

    const { units: rows } = await service.units(tenant, 'en');
    expect(rows.map((u) => u.name)).toEqual(['2 Bataljon Commando', 'Base Florennes']);
    expect(rows[0]).toMatchObject({
      members: 2,
      learners: 1,
      brevets: 1,
      averageScore: 88,
      phases: [
        { phaseId: 'phase-1', started: 1, completed: 1, averageScore: 100, brevets: 1 },
        { phaseId: 'phase-2', started: 1, completed: 1, averageScore: 75, brevets: 0 },
        { phaseId: 'phase-3', started: 0, completed: 0, averageScore: null, brevets: 0 },
      ],
    });
    expect(rows[1]).toMatchObject({
      members: 2,
      learners: 2,
      averageScore: 50,
      phases: [{ phaseId: 'phase-1', started: 1, completed: 0, averageScore: 50 }, {}, {}],
    });

    const unit = await service.unit(tenant, '19:bravo@thread.tacv2', 'en');
    expect(unit?.lessons.find((l) => l.lessonId === 'f1-a')).toMatchObject({
      opened: 1,
      finished: 1,
      passed: 0,
    });
    expect(unit?.lessons.find((l) => l.lessonId === 'f1-b')).toMatchObject({
      opened: 1,
      finished: 0,
    });
    expect(await service.unit('tenant-a', '19:bravo@thread.tacv2', 'en')).toBeUndefined();

    const { questions } = await service.questions(tenant, 'en');
    // Hardest first: f1-a q1 (1 of 2 right), f2-a q2 (0 of 1), …
    expect(questions[0]).toMatchObject({ lessonId: 'f2-a', questionId: 'q2', rightShare: 0 });
    expect(questions.find((q) => q.lessonId === 'f1-a' && q.questionId === 'q1')).toMatchObject({
      answered: 2,
      rightShare: 50,
      languageGap: null,
      flagged: false,
    });
    expect(questions.map((q) => q.rightShare)).toEqual(
      [...questions.map((q) => q.rightShare)].sort((a, b) => a - b),
    );

    const weekly = await service.activity(tenant, 'en');
    expect(weekly.weeks[0]!.week).toBe('2025-09-29');
    expect(weekly.weeks.at(-1)!.week).toBe('2026-03-02');
    expect(weekly.weeks.find((w) => w.week === '2026-03-02')).toEqual({
      week: '2026-03-02',
      activeLearners: 1,
      brevets: { 'phase-1': 0, 'phase-2': 0, 'phase-3': 0 },
    });
    expect(weekly.weeks.find((w) => w.week === '2026-02-02')!.brevets['phase-1']).toBe(1);
  });
});
