import { sql } from 'kysely';
import { translate } from '../../src/i18n/messages';
import { cardActions, cardText, invokeCard, type TestUser } from '../support/activities';
import { conversationFixture } from '../support/conversation';
import { testDialects } from '../support/postgres';

// A small programme (tests/fixtures/content): phase 1 (f1-a, f1-b), phase 2 with a track
// choice (f2-a, then f2-op / f2-su / f2-ma), phase 3 opening in 2099. Two questions per lesson:
// q1 single choice (answer b), q2 true/false (answer false).
const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };
const RIGHT = { q1: 'b', q2: 'false' } as const;
const WRONG = { q1: 'a', q2: 'true' } as const;

describe.each(testDialects())(
  'on %s, a learner goes through phases, tracks and brevets',
  (dialect) => {
    const chat = conversationFixture({ dialect, env: FIXTURE });
    const { connector, clock } = chat;
    beforeEach(() => {
      connector.clear();
      clock.set('2026-11-29T09:00:00Z');
    });

    async function takeLesson(
      user: TestUser,
      lessonId: string,
      answers: Record<'q1' | 'q2', string>,
    ) {
      await chat.click(user, 'quiz.start', { lessonId });
      await chat.click(user, 'quiz.answer', { lessonId, questionId: 'q1', choiceId: answers.q1 });
      return chat.click(user, 'quiz.answer', { lessonId, questionId: 'q2', choiceId: answers.q2 });
    }

    it('does not serve a lesson before its phase opens, and says when it opens', async () => {
      clock.set('2025-09-15T10:00:00Z');
      const user = chat.user('en-GB');
      const [card] = await chat.say(user, 'next');
      expect(cardText(card)).toContain(
        translate('en', 'phase.notOpen', { phase: 'Foundations', date: '1 October 2025' }),
      );
      // Nothing was opened: an answer to the lesson is refused.
      clock.set('2026-11-29T09:00:00Z');
      const refused = await chat.click(user, 'quiz.answer', {
        lessonId: 'f1-a',
        questionId: 'q1',
        choiceId: 'b',
      });
      expect(cardText(refused)).toContain(translate('en', 'error.notReached'));
    });

    it('awards the phase brevet at 80% or more, asks for a track, then serves only that track', async () => {
      const user = chat.user('nl-BE');
      await chat.say(user, 'volgende');
      await takeLesson(user, 'f1-a', RIGHT);
      connector.clear();
      await chat.say(user, 'volgende');
      connector.clear();
      const summary = await takeLesson(user, 'f1-b', RIGHT);
      expect(cardText(summary)).toContain(
        translate('nl', 'summary.score', { correct: 2, total: 2, percent: 100 }),
      );
      // The brevet card was sent as its own message.
      expect(cardText(connector.cards())).toContain(
        translate('nl', 'brevet.title', { phase: 'Basis' }),
      );

      const progress = cardText((await chat.say(user, 'voortgang'))[0]);
      expect(progress).toContain(translate('nl', 'progress.complete'));
      expect(progress).toContain('Brevet behaald op');

      // Phase 2 starts with the track choice; the learner picks support.
      const [choice] = await chat.say(user, 'volgende');
      expect(cardActions(choice).map((a) => a.data.trackId)).toEqual([
        'operational',
        'support',
        'management',
      ]);
      const first = await chat.click(user, 'track.choose', { trackId: 'support' });
      expect(cardText(first)).toContain('Lesson f2-a NL');
      expect(cardText(first)).toContain(
        translate('nl', 'lesson.position', { position: 1, total: 2, phase: 'Toegepast' }),
      );
      // A second choice does not change the track.
      const again = await chat.click(user, 'track.choose', { trackId: 'management' });
      expect(cardText(again)).toContain(translate('nl', 'track.already', { track: 'Support NL' }));

      await takeLesson(user, 'f2-a', WRONG);
      const [next] = await chat.say(user, 'volgende');
      expect(cardText(next)).toContain('Lesson f2-su NL');
      await takeLesson(user, 'f2-su', RIGHT);
      // Phase 2 is complete at 50%: no brevet.
      expect(cardText(connector.cards())).not.toContain(
        translate('nl', 'brevet.title', { phase: 'Toegepast' }),
      );
      const lessons = cardText((await chat.say(user, 'lessen'))[0]);
      expect(lessons).toContain('f2-su');
      expect(lessons).not.toContain('f2-op');

      // Phase 3 has not opened yet.
      const [later] = await chat.say(user, 'volgende');
      expect(cardText(later)).toContain(
        translate('nl', 'phase.notOpen', { phase: 'Meesterschap', date: '1 januari 2099' }),
      );
    });

    it('counts the first answer only: a double click or replayed answer changes nothing', async () => {
      const user = chat.user('fr-BE');
      await chat.say(user, 'suivant');
      await chat.click(user, 'quiz.start', { lessonId: 'f1-a' });
      await chat.click(user, 'quiz.answer', { lessonId: 'f1-a', questionId: 'q1', choiceId: 'a' });
      const replay = await chat.click(user, 'quiz.answer', {
        lessonId: 'f1-a',
        questionId: 'q1',
        choiceId: 'b',
      });
      expect(cardText(replay)).toContain(translate('fr', 'quiz.alreadyAnswered'));
      expect(cardText(replay)).toContain(translate('fr', 'quiz.wrong'));
      const summary = await chat.click(user, 'quiz.answer', {
        lessonId: 'f1-a',
        questionId: 'q2',
        choiceId: 'false',
      });
      expect(cardText(summary)).toContain(
        translate('fr', 'summary.score', { correct: 1, total: 2, percent: 50 }),
      );
      // Replaying the last answer after completion shows the same summary, same score.
      const replayedLast = await chat.click(user, 'quiz.answer', {
        lessonId: 'f1-a',
        questionId: 'q2',
        choiceId: 'true',
      });
      expect(cardText(replayedLast)).toContain(
        translate('fr', 'summary.score', { correct: 1, total: 2, percent: 50 }),
      );
    });

    it.each([
      [
        'a lesson that does not exist',
        'quiz.answer',
        { lessonId: 'nope', questionId: 'q1', choiceId: 'a' },
        'error.unknownLesson',
      ],
      [
        'a question that does not exist',
        'quiz.answer',
        { lessonId: 'f1-a', questionId: 'q9', choiceId: 'a' },
        'error.unknownQuestion',
      ],
      [
        'a choice that does not exist',
        'quiz.answer',
        { lessonId: 'f1-a', questionId: 'q1', choiceId: 'z' },
        'error.unknownChoice',
      ],
      [
        'a lesson not reached yet',
        'quiz.answer',
        { lessonId: 'f1-b', questionId: 'q1', choiceId: 'b' },
        'error.notReached',
      ],
      ['card data with missing fields', 'quiz.answer', { lessonId: 'f1-a' }, 'error.staleCard'],
      [
        'a page of a lesson not reached',
        'lesson.page',
        { lessonId: 'f1-b', page: 1 },
        'error.notReached',
      ],
      ['a verb from an old card', 'lesson.bookmark', { lessonId: 'f1-a' }, 'error.staleCard'],
    ])('answers %s clearly and stores nothing', async (_case, verb, data, key) => {
      const user = chat.user('de-DE');
      await chat.say(user, 'weiter');
      const card = await chat.click(user, verb, data);
      expect(cardText(card)).toContain(translate('de', key as Parameters<typeof translate>[1]));
      const answers = await chat.app.brevet.storage.db
        .selectFrom('quiz_answers')
        .innerJoin('learners', 'learners.id', 'quiz_answers.learner_id')
        .where('learners.user_key', '=', user.aadObjectId)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(answers.n)).toBe(0);
    });

    it('handles the Action.Submit fallback (Teams mobile) by updating the card in place', async () => {
      const user = chat.user('en-US');
      await chat.say(user, 'next');
      connector.clear();
      const submit = chat.send(user).submit('quiz.start', { lessonId: 'f1-a' });
      expect((await chat.app.post(submit)).status).toBe(200);
      expect(connector.calls).toHaveLength(1);
      expect(connector.calls[0]!.method).toBe('PUT');
      expect(connector.calls[0]!.activityId).toBe(submit.replyToId);
      expect(cardText(connector.cards()[0])).toContain('Question one of f1-a EN?');
    });

    it('changes language on request and answers anything unknown with help in that language', async () => {
      const user = chat.user('en-US');
      const [changed] = await chat.say(user, 'langue fr');
      expect(cardText(changed)).toContain(translate('fr', 'language.changed'));
      const [help] = await chat.say(user, 'blablabla');
      expect(cardText(help)).toContain(translate('fr', 'help.notUnderstood'));
      const [unknown] = await chat.say(user, 'taal xx');
      expect(cardText(unknown)).toContain(translate('fr', 'language.unknown'));
      const [lesson] = await chat.say(user, 'NEXT');
      expect(cardText(lesson)).toContain('Lesson f1-a FR');
    });

    it('answers the glossary command even when the content has no glossary', async () => {
      const user = chat.user('de-DE');
      const [card] = await chat.say(user, 'glossar');
      expect(cardText(card)).toContain(translate('de', 'glossary.empty'));
    });

    it('answers a team channel message with the channel help, not silence', async () => {
      const user = chat.user('de-BE');
      connector.clear();
      expect((await chat.app.post(chat.send(user).channelMessage('hallo'))).status).toBe(200);
      expect(cardText(connector.cards()[0])).toContain(translate('de', 'help.channel'));
    });

    it('answers a card invoke with no Action.Execute inside with the stale-card card', async () => {
      const user = chat.user('en-US');
      const activity = chat.send(user).execute('quiz.answer', {});
      activity.value = { nothing: true };
      const response = await chat.app.post(activity);
      expect(response.status).toBe(200);
      expect(cardText(invokeCard(response.body))).toContain(translate('en', 'error.staleCard'));
    });

    it('rejects malformed requests with 400, ignores unknown activity types, and keeps serving', async () => {
      expect((await chat.app.post('{"type": "message",')).status).toBe(400);
      const missing = await chat.app.post({ type: 'message', text: 'hi' });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({
        error: 'invalid_activity',
        message: 'activity.serviceUrl is missing',
      });
      const user = chat.user('en-US');
      connector.clear();
      const odd = { ...chat.send(user).message('x'), type: 'somethingNew' };
      expect((await chat.app.post(odd)).status).toBe(200);
      expect(connector.calls).toHaveLength(0);
      const health = await fetch(`${chat.app.baseUrl}/healthz`);
      expect(health.status).toBe(200);
    });

    it('never writes what the learner typed to the logs', async () => {
      const user = chat.user('en-US');
      await chat.say(user, 'my secret unit location is Bravo-7');
      const logged = JSON.stringify(chat.app.logs.lines);
      expect(logged).not.toContain('Bravo-7');
      expect(logged).not.toContain(user.aadObjectId);
    });
  },
);

describe('when the database fails', () => {
  const chat = conversationFixture({ env: FIXTURE });
  const { connector } = chat;

  it('the learner gets an apology card, /healthz says 503, and the process keeps serving', async () => {
    const user = chat.user('nl-BE');
    const send = chat.send(user);
    await chat.app.post(send.message('volgende'));
    await sql`drop table quiz_answers`.execute(chat.app.brevet.storage.db);
    const broken = await chat.app.post(
      send.execute('quiz.answer', { lessonId: 'f1-a', questionId: 'q1', choiceId: 'b' }),
    );
    expect(broken.status).toBe(200);
    expect(cardText(invokeCard(broken.body))).toContain(translate('nl', 'error.apology'));
    expect(chat.app.logs.lines.some((line) => line.msg === 'turn failed')).toBe(true);

    await chat.app.brevet.storage.close();
    connector.clear();
    expect((await chat.app.post(send.message('voortgang'))).status).toBe(200);
    expect(cardText(connector.cards()[0])).toContain(translate('nl', 'error.apology'));
    const health = await fetch(`${chat.app.baseUrl}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable' });
  });
});
