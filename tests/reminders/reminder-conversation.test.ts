import { translate } from '../../src/i18n/messages';
import { quizClicks, cardActions, cardText, invokeCard, newUser } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { testDialects } from '../support/postgres';
import { eventually } from '../support/eventually';

const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };
// The team of tests/fixtures/teams-activities/channel-mention-message.json.
const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';

describe.each(testDialects())('on %s, reminders', (dialect) => {
  // Friday 4 December 2026, 15:00 in Brussels.
  const clock = new TestClock('2026-12-04T14:00:00Z');
  const admin = newUser('en-GB');
  const chat = conversationFixture({
    dialect,
    env: { ...FIXTURE, ADMIN_AAD_OBJECT_IDS: admin.aadObjectId },
    clock,
    options: { delivery: { idleMs: 20 } },
  });
  const { connector } = chat;

  it('nudges on the next working day at the learner’s time, through the outbox, and the review clears', async () => {
    const user = chat.user('nl-BE');
    const send = chat.send(user);
    await chat.app.post(send.install());
    await chat.app.post(send.message('herinnering 9u30'));
    expect(cardText((await chat.say(user, 'herinnering 9h30'))[0])).toContain(
      translate('nl', 'remind.set', { time: '09:30', zone: 'Europe/Brussels' }),
    );

    await chat.app.post(send.message('volgende'));
    for (const click of quizClicks(send, 'f1-a', { q1: 'a', q2: 'false' }))
      await chat.app.post(click);

    // Same day, and the weekend: nothing (recent activity, then no working day).
    for (const instant of [
      '2026-12-04T16:00:00Z',
      '2026-12-05T09:00:00Z',
      '2026-12-06T10:00:00Z',
    ]) {
      clock.set(instant);
      expect((await chat.app.brevet.reminders.runPass()).enqueued).toBe(0);
    }
    // Monday 7 December, 09:00 Brussels: before the learner's 09:30.
    clock.set('2026-12-07T08:00:00Z');
    expect((await chat.app.brevet.reminders.runPass()).enqueued).toBe(0);
    // 09:31: one reminder, once, even if the pass runs twice.
    clock.set('2026-12-07T08:31:00Z');
    connector.clear();
    const passes = await Promise.all([
      chat.app.brevet.reminders.runPass(),
      chat.app.brevet.reminders.runPass(),
    ]);
    expect(passes.map((p) => p.enqueued).reduce((a, b) => a + b)).toBe(1);
    chat.app.brevet.worker.poke();
    const reminder = await eventually(() => connector.cards()[0], 'the reminder');
    expect(cardText(reminder)).toContain(translate('nl', 'reminder.lesson'));
    expect(cardText(reminder)).toContain(translate('nl', 'reminder.reviews', { count: 1 }));
    expect(connector.calls[0]!.conversationId).toBe(`a:${user.aadObjectId}`);
    expect((await chat.app.brevet.reminders.runPass()).enqueued).toBe(0);

    // "Start now" goes to the next lesson; the missed question is reviewed and clears.
    const [startNow] = cardActions(reminder);
    expect(startNow!.verb).toBe('lesson.next');
    const review = invokeCard((await chat.app.post(send.execute('review.start', {}))).body);
    const right = cardActions(review).find(
      (a) => a.verb === 'review.answer' && a.data.choiceId === 'b',
    )!;
    const done = invokeCard((await chat.app.post(send.execute(right.verb, right.data))).body);
    expect(cardText(done)).toContain(translate('nl', 'review.done'));

    expect(cardText((await chat.say(user, 'voortgang'))[0])).toContain(
      translate('nl', 'progress.streak', { days: 2 }),
    );
  });

  it('follows the time zone of the learner’s Teams client: reminder at 09:30 in New York', async () => {
    // Thursday 10 December 2026, 07:00 in New York.
    clock.set('2026-12-10T12:00:00Z');
    const user = { ...chat.user('en-US'), timeZone: 'America/New_York' };
    const send = chat.send(user);
    await chat.app.post(send.install());
    expect(cardText((await chat.say(user, 'remind 09:30'))[0])).toContain(
      translate('en', 'remind.set', { time: '09:30', zone: 'America/New_York' }),
    );
    const conversationId = `a:${user.aadObjectId}`;
    const remindersFor = async () =>
      (
        await chat.app.brevet.storage.db
          .selectFrom('outbox')
          .select('conversation_id')
          .where('kind', '=', 'reminder')
          .execute()
      ).filter((row) => row.conversation_id === conversationId).length;

    // 09:31 in Brussels is 03:31 in New York: nothing. 09:31 in New York: the reminder.
    clock.set('2026-12-11T08:31:00Z');
    await chat.app.brevet.reminders.runPass();
    expect(await remindersFor()).toBe(0);
    clock.set('2026-12-11T14:31:00Z');
    await chat.app.brevet.reminders.runPass();
    expect(await remindersFor()).toBe(1);
    chat.app.brevet.worker.poke();
    await eventually(
      () =>
        connector
          .cards(conversationId)
          .find((card) => cardText(card).includes(translate('en', 'reminder.title'))),
      'the reminder in New York',
    );

    // The streak counts New York days: a lesson opened at 23:00 New York time on Friday is
    // Friday's (Saturday already in Brussels), and Friday is a working day.
    clock.set('2026-12-12T04:00:00Z');
    await chat.app.post(send.message('next'));
    connector.clear();
    await chat.app.post(send.message('progress'));
    // Only this learner's chat: the worker may still be sending other learners' reminders.
    expect(cardText(connector.cards(conversationId)[0])).toContain(
      translate('en', 'progress.streak', { days: 1 }),
    );
    const days = await chat.app.brevet.storage.db
      .selectFrom('learner_activity')
      .innerJoin('learners', 'learners.id', 'learner_activity.learner_id')
      .select('learner_activity.day')
      .where('learners.user_key', '=', user.aadObjectId)
      .execute();
    expect(days.map((d) => d.day)).toEqual(['2026-12-11']);
  });

  it('keeps the zone it has when a client reports one that does not exist', async () => {
    clock.set('2026-12-10T12:00:00Z');
    const user = { ...chat.user('de-DE'), timeZone: 'Mars/Olympus_Mons' };
    const send = chat.send(user);
    await chat.app.post(send.install());
    expect(cardText((await chat.say(user, 'erinnerung'))[0])).toContain(
      translate('de', 'remind.show', {
        state: translate('de', 'remind.stateOn'),
        time: '09:30',
        zone: 'Europe/Brussels',
      }),
    );
  });

  it('sends nothing to a learner who turned reminders off', async () => {
    clock.set('2026-12-08T12:00:00Z');
    const user = chat.user('fr-BE');
    const send = chat.send(user);
    await chat.app.post(send.install());
    expect(cardText((await chat.say(user, 'rappel off'))[0])).toContain(
      translate('fr', 'remind.off'),
    );
    clock.set('2026-12-09T09:00:00Z');
    const before = await chat.app.brevet.storage.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'reminder')
      .execute();
    await chat.app.brevet.reminders.runPass();
    const after = await chat.app.brevet.storage.db
      .selectFrom('outbox')
      .select(['id', 'conversation_id'])
      .where('kind', '=', 'reminder')
      .execute();
    expect(after.filter((row) => row.conversation_id === `a:${user.aadObjectId}`)).toHaveLength(0);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
  });

  it('takes a lesson a lead pushed this morning as the day’s nudge: the reminder waits a day', async () => {
    // Tuesday 15 December 2026, 09:40 in Brussels: after everyone's 09:30.
    clock.set('2026-12-15T08:40:00Z');
    const members = [newUser('fr-BE'), newUser('nl-BE')];
    connector.setRoster(
      TEAM_ID,
      [admin, ...members].map((u, i) => ({
        id: `29:${u.aadObjectId}`,
        aadObjectId: u.aadObjectId,
        name: `Member ${i}`,
      })),
    );
    expect((await chat.app.post(chat.send(admin).channelMessage('assign f1-a'))).status).toBe(200);
    const chats = await eventually(() => {
      const ids = members.map((m) => connector.conversationFor(`29:${m.aadObjectId}`));
      return ids.every((id) => id && connector.sentPerConversation.get(id) === 1)
        ? (ids as string[])
        : undefined;
    }, 'the lesson in each member’s chat');
    // Received is not yet recorded: the worker settles each send (and the new chat on the
    // learner) after Teams answers; the reminder pass reads what was recorded.
    await chat.app.brevet.worker.whenIdle();
    const remindersTo = async () =>
      (
        await chat.app.brevet.storage.db
          .selectFrom('outbox')
          .select('conversation_id')
          .where('kind', '=', 'reminder')
          .where('conversation_id', 'in', chats)
          .execute()
      ).length;

    // The same day, right away and in the afternoon: the lesson was that day's nudge.
    for (const instant of ['2026-12-15T08:45:00Z', '2026-12-15T15:00:00Z']) {
      clock.set(instant);
      await chat.app.brevet.reminders.runPass();
      expect(await remindersTo()).toBe(0);
    }
    // Wednesday, 09:31 in Brussels: the lesson still waits, one reminder each.
    clock.set('2026-12-16T08:31:00Z');
    await chat.app.brevet.reminders.runPass();
    expect(await remindersTo()).toBe(2);
  });
});
