import { translate } from '../../src/i18n/messages';
import { activitiesFor, cardActions, cardText, invokeCard, newUser } from '../support/activities';
import {
  startBrevet,
  tempDir,
  testDatabase,
  TestClock,
  type RunningBrevet,
} from '../support/brevet-harness';
import { FakeConnector } from '../support/fake-connector';
import { testDialects } from '../support/postgres';
import { eventually } from '../support/eventually';

const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };

describe.each(testDialects())('on %s, reminders', (dialect) => {
  const connector = new FakeConnector();
  const tmp = tempDir();
  // Friday 4 December 2026, 15:00 in Brussels.
  const clock = new TestClock('2026-12-04T14:00:00Z');
  const database = testDatabase(dialect, tmp.dir);
  let app: RunningBrevet;

  beforeAll(async () => {
    await connector.start();
    app = await startBrevet(
      { ...FIXTURE, ...database.env },
      { clock, postgresSchema: database.postgresSchema, delivery: { idleMs: 20 } },
    );
  });
  afterAll(async () => {
    await app.stop();
    await connector.stop();
    await database.drop();
    tmp.cleanup();
  });

  it('nudges on the next working day at the learner’s time, through the outbox, and the review clears', async () => {
    const user = newUser('nl-BE');
    const send = activitiesFor(user, connector.url);
    await app.post(send.install());
    await app.post(send.message('herinnering 9u30'));
    connector.clear();
    await app.post(send.message('herinnering 9h30'));
    expect(cardText(connector.cards()[0])).toContain(
      translate('nl', 'remind.set', { time: '09:30' }),
    );

    await app.post(send.message('volgende'));
    await app.post(send.execute('quiz.start', { lessonId: 'f1-a' }));
    await app.post(
      send.execute('quiz.answer', { lessonId: 'f1-a', questionId: 'q1', choiceId: 'a' }),
    );
    await app.post(
      send.execute('quiz.answer', { lessonId: 'f1-a', questionId: 'q2', choiceId: 'false' }),
    );

    // Same day, and the weekend: nothing (recent activity, then no working day).
    for (const instant of [
      '2026-12-04T16:00:00Z',
      '2026-12-05T09:00:00Z',
      '2026-12-06T10:00:00Z',
    ]) {
      clock.set(instant);
      expect((await app.brevet.reminders.runPass()).enqueued).toBe(0);
    }
    // Monday 7 December, 09:00 Brussels: before the learner's 09:30.
    clock.set('2026-12-07T08:00:00Z');
    expect((await app.brevet.reminders.runPass()).enqueued).toBe(0);
    // 09:31: one reminder, once, even if the pass runs twice.
    clock.set('2026-12-07T08:31:00Z');
    connector.clear();
    const passes = await Promise.all([
      app.brevet.reminders.runPass(),
      app.brevet.reminders.runPass(),
    ]);
    expect(passes.map((p) => p.enqueued).reduce((a, b) => a + b)).toBe(1);
    app.brevet.worker.poke();
    const reminder = await eventually(() => connector.cards()[0], 'the reminder');
    expect(cardText(reminder)).toContain(translate('nl', 'reminder.lesson'));
    expect(cardText(reminder)).toContain(translate('nl', 'reminder.reviews', { count: 1 }));
    expect(connector.calls[0]!.conversationId).toBe(`a:${user.aadObjectId}`);
    expect((await app.brevet.reminders.runPass()).enqueued).toBe(0);

    // "Start now" goes to the next lesson; the missed question is reviewed and clears.
    const [startNow] = cardActions(reminder);
    expect(startNow!.verb).toBe('lesson.next');
    const review = invokeCard((await app.post(send.execute('review.start', {}))).body);
    const right = cardActions(review).find(
      (a) => a.verb === 'review.answer' && a.data.choiceId === 'b',
    )!;
    const done = invokeCard((await app.post(send.execute(right.verb, right.data))).body);
    expect(cardText(done)).toContain(translate('nl', 'review.done'));

    connector.clear();
    await app.post(send.message('voortgang'));
    expect(cardText(connector.cards()[0])).toContain(
      translate('nl', 'progress.streak', { days: 2 }),
    );
  });

  it('sends nothing to a learner who turned reminders off', async () => {
    clock.set('2026-12-08T12:00:00Z');
    const user = newUser('fr-BE');
    const send = activitiesFor(user, connector.url);
    await app.post(send.install());
    connector.clear();
    await app.post(send.message('rappel off'));
    expect(cardText(connector.cards()[0])).toContain(translate('fr', 'remind.off'));
    clock.set('2026-12-09T09:00:00Z');
    const before = await app.brevet.storage.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'reminder')
      .execute();
    await app.brevet.reminders.runPass();
    const after = await app.brevet.storage.db
      .selectFrom('outbox')
      .select(['id', 'conversation_id'])
      .where('kind', '=', 'reminder')
      .execute();
    expect(after.filter((row) => row.conversation_id === `a:${user.aadObjectId}`)).toHaveLength(0);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });
});
