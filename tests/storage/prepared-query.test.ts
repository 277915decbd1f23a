import { openStorage, type Storage } from '../../src/storage/database';
import { prepareQuery } from '../../src/storage/prepared-query';
import { tempDir, testDatabase } from '../support/brevet-harness';
import { testDialects } from '../support/postgres';

describe.each(testDialects())('prepared queries on %s', (dialect) => {
  const tmp = tempDir();
  const database = testDatabase(dialect, tmp.dir);
  let storage: Storage;
  const at = '2026-11-29T09:00:00.000Z';

  beforeAll(async () => {
    storage = await openStorage({
      databaseUrl: database.env.DATABASE_URL,
      sqlitePath: database.env.SQLITE_PATH ?? '',
      postgresSchema: database.postgresSchema,
    });
    const { db } = storage;
    await db
      .insertInto('learners')
      .values(
        ['l1', 'l2'].map((id) => ({
          id,
          tenant_id: 't',
          user_key: `u-${id}`,
          language: 'en',
          track_id: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  it('compiles the SQL the builder compiles, and binds each run’s arguments in place', async () => {
    const { db } = storage;
    const build = (a: { learnerId: string; day: string; at: string }) =>
      db
        .insertInto('learner_activity')
        .values({ learner_id: a.learnerId, day: a.day, last_at: a.at })
        .onConflict((oc) => oc.columns(['learner_id', 'day']).doUpdateSet({ last_at: a.at }));
    const record = prepareQuery(db, build);
    // The same SQL as the query built with real values (an argument used twice included).
    const direct = build({ learnerId: 'l1', day: '2026-11-29', at }).compile();
    expect(direct.parameters).toEqual(['l1', '2026-11-29', at, at]);

    await record({ learnerId: 'l1', day: '2026-11-29', at });
    await record({ learnerId: 'l1', day: '2026-11-30', at });
    await record({ learnerId: 'l2', day: '2026-11-29', at });
    const later = '2026-11-29T17:00:00.000Z';
    const result = await record({ learnerId: 'l1', day: '2026-11-29', at: later });
    expect(Number(result.numAffectedRows)).toBe(1);

    const days = prepareQuery(db, (a: { learnerId: string; since: string }) =>
      db
        .selectFrom('learner_activity')
        .select(['day', 'last_at'])
        .where('learner_id', '=', a.learnerId)
        .where('day', '>=', a.since)
        .orderBy('day'),
    );
    expect((await days({ learnerId: 'l1', since: '2026-01-01' })).rows).toEqual([
      { day: '2026-11-29', last_at: later },
      { day: '2026-11-30', last_at: at },
    ]);
    expect((await days({ learnerId: 'l1', since: '2026-11-30' })).rows).toEqual([
      { day: '2026-11-30', last_at: at },
    ]);
    expect((await days({ learnerId: 'l2', since: '2026-01-01' })).rows).toEqual([
      { day: '2026-11-29', last_at: at },
    ]);
    expect((await days({ learnerId: 'nobody', since: '2026-01-01' })).rows).toEqual([]);
  });

  it('keeps the values written into the query itself, and binds limits and nulls', async () => {
    const { db } = storage;
    const open = prepareQuery(db, (a: { learnerId: string; lessonId: string }) =>
      db
        .insertInto('lesson_progress')
        .values({
          learner_id: a.learnerId,
          lesson_id: a.lessonId,
          opened_at: at, // a constant, not an argument
          completed_at: null,
          correct_count: null,
          question_count: null,
        })
        .onConflict((oc) => oc.columns(['learner_id', 'lesson_id']).doNothing()),
    );
    expect(Number((await open({ learnerId: 'l1', lessonId: 'a' })).numAffectedRows)).toBe(1);
    expect(Number((await open({ learnerId: 'l1', lessonId: 'b' })).numAffectedRows)).toBe(1);
    expect(Number((await open({ learnerId: 'l1', lessonId: 'a' })).numAffectedRows)).toBe(0);

    const complete = prepareQuery(
      db,
      (a: { learnerId: string; lessonId: string; at: string | null; correct: number }) =>
        db
          .updateTable('lesson_progress')
          .set({ completed_at: a.at, correct_count: a.correct })
          .where('learner_id', '=', a.learnerId)
          .where('lesson_id', '=', a.lessonId),
    );
    await complete({ learnerId: 'l1', lessonId: 'b', at: null, correct: 0 });
    await complete({ learnerId: 'l1', lessonId: 'a', at, correct: 2 });

    const firstLessons = prepareQuery(db, (a: { learnerId: string; limit: number }) =>
      db
        .selectFrom('lesson_progress')
        .select(['lesson_id', 'opened_at', 'completed_at', 'correct_count'])
        .where('learner_id', '=', a.learnerId)
        .orderBy('lesson_id')
        .limit(a.limit),
    );
    expect((await firstLessons({ learnerId: 'l1', limit: 1 })).rows).toEqual([
      { lesson_id: 'a', opened_at: at, completed_at: at, correct_count: 2 },
    ]);
    expect((await firstLessons({ learnerId: 'l1', limit: 5 })).rows).toEqual([
      { lesson_id: 'a', opened_at: at, completed_at: at, correct_count: 2 },
      { lesson_id: 'b', opened_at: at, completed_at: null, correct_count: 0 },
    ]);
  });

  it('sees what transactions committed and not what they rolled back', async () => {
    const { db } = storage;
    const count = prepareQuery(db, (a: { learnerId: string }) =>
      db
        .selectFrom('brevets')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('learner_id', '=', a.learnerId),
    );
    const award = (trx: typeof db, learnerId: string) =>
      trx
        .insertInto('brevets')
        .values({ learner_id: learnerId, phase_id: 'p1', earned_at: at, score: 90 })
        .execute();
    await db.transaction().execute((trx) => award(trx, 'l1'));
    await db
      .transaction()
      .execute(async (trx) => {
        await award(trx, 'l2');
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(Number((await count({ learnerId: 'l1' })).rows[0]?.n)).toBe(1);
    expect(Number((await count({ learnerId: 'l2' })).rows[0]?.n)).toBe(0);
  });

  it('refuses an argument used to shape the query rather than as a value, and a missing one', async () => {
    const { db } = storage;
    expect(() =>
      prepareQuery(db, (a: { learnerId: string; wanted: boolean }) => {
        const query = db.selectFrom('brevets').select('phase_id');
        // Reading `wanted` gives a stand-in, not a value: a query shaped by it cannot be prepared.
        return a.wanted ? query.where('learner_id', '=', 'fixed') : query;
      }),
    ).toThrow(/argument wanted is not a parameter/);

    const brevets = prepareQuery(db, (a: { learnerId: string }) =>
      db.selectFrom('brevets').select('phase_id').where('learner_id', '=', a.learnerId),
    );
    await expect(brevets({} as { learnerId: string })).rejects.toThrow(
      /argument learnerId missing/,
    );
  });
});
