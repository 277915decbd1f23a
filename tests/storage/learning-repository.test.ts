import { openStorage, type Storage } from '../../src/storage/database';
import { KyselyLearningStore } from '../../src/storage/learning-repository';
import { tempDir, testDatabase } from '../support/brevet-harness';
import { testDialects } from '../support/postgres';

describe.each(testDialects())('the learning store on %s', (dialect) => {
  const tmp = tempDir();
  const database = testDatabase(dialect, tmp.dir);
  let storage: Storage;
  let store: KyselyLearningStore;
  const at = '2026-11-29T09:00:00.000Z';

  const open = () =>
    openStorage({
      databaseUrl: database.env.DATABASE_URL,
      sqlitePath: database.env.SQLITE_PATH ?? '',
      postgresSchema: database.postgresSchema,
    });

  beforeAll(async () => {
    storage = await open();
    store = new KyselyLearningStore(storage.db);
  });
  afterAll(async () => {
    await storage.close();
    tmp.cleanup();
  });

  it('creates a learner once, even when two turns race to create them', async () => {
    const input = { tenantId: 't1', userKey: 'race', language: 'nl' as const, at };
    const [a, b] = await Promise.all([store.createLearner(input), store.createLearner(input)]);
    expect(a.id).toBe(b.id);
    expect(await store.findLearner('t1', 'race')).toEqual({ ...a, trackId: null });
    expect(await store.findLearner('t2', 'race')).toBeUndefined();
  });

  it('updates language and track', async () => {
    const learner = await store.createLearner({
      tenantId: 't1',
      userKey: 'upd',
      language: 'en',
      at,
    });
    await store.updateLearner(learner.id, { language: 'de' }, at);
    await store.updateLearner(learner.id, { trackId: 'support' }, at);
    expect(await store.findLearner('t1', 'upd')).toMatchObject({
      language: 'de',
      trackId: 'support',
    });
  });

  it('keeps the first answer to a question and reports later ones as not inserted', async () => {
    const learner = await store.createLearner({
      tenantId: 't1',
      userKey: 'ans',
      language: 'en',
      at,
    });
    await store.openLesson(learner.id, 'p1-01', at);
    await store.openLesson(learner.id, 'p1-01', '2030-01-01T00:00:00.000Z');
    const first = {
      lessonId: 'p1-01',
      questionId: 'q1',
      choiceId: 'a',
      correct: false,
      answeredAt: at,
    };
    const results = await Promise.all([
      store.recordAnswer(learner.id, first),
      store.recordAnswer(learner.id, { ...first, choiceId: 'b', correct: true }),
    ]);
    expect(results.filter((r) => r.inserted)).toHaveLength(1);
    const stored = await store.listAnswers(learner.id, 'p1-01');
    expect(stored).toHaveLength(1);
    expect(results.every((r) => r.answer.choiceId === stored[0]!.choiceId)).toBe(true);
    expect((await store.listLessonProgress(learner.id))[0]).toMatchObject({
      openedAt: at,
      completedAt: null,
    });
  });

  it('completes a lesson once and awards a brevet once', async () => {
    const learner = await store.createLearner({
      tenantId: 't1',
      userKey: 'done',
      language: 'en',
      at,
    });
    await store.openLesson(learner.id, 'p1-02', at);
    await store.completeLesson(learner.id, 'p1-02', { correct: 2, total: 3 }, at);
    await store.completeLesson(
      learner.id,
      'p1-02',
      { correct: 3, total: 3 },
      '2030-01-01T00:00:00.000Z',
    );
    expect(await store.listLessonProgress(learner.id)).toEqual([
      { lessonId: 'p1-02', openedAt: at, completedAt: at, correct: 2, total: 3 },
    ]);
    expect(
      await store.awardBrevet(learner.id, { phaseId: 'phase-1', earnedAt: at, score: 85 }),
    ).toBe(true);
    expect(
      await store.awardBrevet(learner.id, { phaseId: 'phase-1', earnedAt: at, score: 99 }),
    ).toBe(false);
    expect(await store.listBrevets(learner.id)).toEqual([
      { phaseId: 'phase-1', earnedAt: at, score: 85 },
    ]);
  });

  it('keeps where the learner’s 1:1 chat is, and the newest one when it moves', async () => {
    const learner = await store.createLearner({
      tenantId: 't1',
      userKey: 'chat',
      language: 'en',
      at,
    });
    const address = () =>
      storage.db
        .selectFrom('learners')
        .select(['service_url', 'conversation_id', 'recipient_id'])
        .where('id', '=', learner.id)
        .executeTakeFirstOrThrow();
    expect(await address()).toEqual({
      service_url: null,
      conversation_id: null,
      recipient_id: null,
    });

    await store.saveConversationAddress(learner.id, {
      serviceUrl: 'https://smba.example/emea/',
      conversationId: 'a:chat-1',
      recipientId: '29:user',
    });
    expect(await address()).toEqual({
      service_url: 'https://smba.example/emea/',
      conversation_id: 'a:chat-1',
      recipient_id: '29:user',
    });

    await store.saveConversationAddress(learner.id, {
      serviceUrl: 'https://smba.example/emea/',
      conversationId: 'a:chat-2',
      recipientId: null,
    });
    expect(await address()).toEqual({
      service_url: 'https://smba.example/emea/',
      conversation_id: 'a:chat-2',
      recipient_id: null,
    });
  });

  it('says whether a lesson was opened, for that learner only', async () => {
    const learner = await store.createLearner({
      tenantId: 't1',
      userKey: 'opened',
      language: 'en',
      at,
    });
    const other = await store.createLearner({
      tenantId: 't1',
      userKey: 'opened-other',
      language: 'en',
      at,
    });
    expect(await store.hasOpenedLesson(learner.id, 'p1-01')).toBe(false);
    await store.openLesson(learner.id, 'p1-01', at);
    expect(await store.hasOpenedLesson(learner.id, 'p1-01')).toBe(true);
    expect(await store.hasOpenedLesson(learner.id, 'p1-02')).toBe(false);
    expect(await store.hasOpenedLesson(other.id, 'p1-01')).toBe(false);
    await store.completeLesson(learner.id, 'p1-01', { correct: 1, total: 2 }, at);
    expect(await store.hasOpenedLesson(learner.id, 'p1-01')).toBe(true);
  });

  it('runs migrations again at start-up without harm, keeping the data', async () => {
    const again = await open();
    try {
      expect(await new KyselyLearningStore(again.db).findLearner('t1', 'done')).toBeDefined();
    } finally {
      await again.close();
    }
  });
});
