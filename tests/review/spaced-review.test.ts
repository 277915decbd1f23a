import { translate } from '../../src/i18n/messages';
import { cardActions, cardText, invokeCard } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { testDialects } from '../support/postgres';

const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };

describe.each(testDialects())('on %s, spaced review with FSRS', (dialect) => {
  const clock = new TestClock('2026-11-30T09:00:00Z');
  const chat = conversationFixture({ dialect, env: FIXTURE, clock });

  it('brings a missed question back the next day, a known one later, and keeps the first score', async () => {
    const user = chat.user('en-GB');
    const say = async (text: string) => (await chat.say(user, text))[0]!;
    const click = (verb: string, data: object) => chat.click(user, verb, data);

    await say('next');
    await click('quiz.start', { lessonId: 'f1-a' });
    await click('quiz.answer', { lessonId: 'f1-a', questionId: 'q1', choiceId: 'a' }); // wrong
    await click('quiz.answer', { lessonId: 'f1-a', questionId: 'q2', choiceId: 'false' }); // right

    expect(cardText(await say('review'))).toContain(translate('en', 'review.done'));

    // The next day: only the missed question is due.
    clock.set('2026-12-01T09:05:00Z');
    expect(cardText(await say('progress'))).toContain(
      translate('en', 'progress.reviewDue', { count: 1 }),
    );
    const due = await say('review');
    expect(cardText(due)).toContain('Question one of f1-a EN?');
    const buttons = cardActions(due).filter((a) => a.verb === 'review.answer');
    expect(buttons.map((b) => b.data.choiceId).sort()).toEqual(['a', 'b', 'c']);

    // The app restarts: the FSRS state was stored and is read back.
    await chat.restart();

    const right = buttons.find((b) => b.data.choiceId === 'b')!;
    const answered = await click(right.verb, right.data);
    expect(cardText(answered)).toContain(translate('en', 'quiz.correct'));
    expect(cardText(answered)).toContain(translate('en', 'review.done'));
    // A replayed click on the old card changes nothing.
    const wrong = buttons.find((b) => b.data.choiceId === 'a')!;
    const replay = await click(wrong.verb, wrong.data);
    expect(cardText(replay)).not.toContain(translate('en', 'quiz.wrong'));

    const items = await chat.app.brevet.storage.db.selectFrom('review_items').selectAll().execute();
    const q1 = items.find((i) => i.question_id === 'q1')!;
    const q2 = items.find((i) => i.question_id === 'q2')!;
    expect([Number(q1.reviews), Number(q1.reviews_right)]).toEqual([1, 1]);
    expect(q1.due > '2026-12-02').toBe(true);
    expect(q2.due >= '2026-12-02T09:00:00.000Z').toBe(true);

    // The phase score is the first attempt's: 1 of 2.
    expect(cardText(await say('progress'))).toContain(
      translate('en', 'progress.score', { score: 50 }),
    );
  });

  it('answers review data for an unknown question with a clear card', async () => {
    const user = chat.user('de-DE');
    const response = await chat.app.post(
      chat.send(user).execute('review.answer', {
        lessonId: 'nope',
        questionId: 'q1',
        choiceId: 'a',
        reps: 1,
      }),
    );
    expect(cardText(invokeCard(response.body))).toContain(translate('de', 'error.unknownQuestion'));
  });
});
