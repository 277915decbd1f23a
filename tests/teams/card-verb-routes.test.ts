import { Application, type TurnState } from '@microsoft/teams-ai';
import { ActivityTypes, type Activity } from 'botbuilder';
import { renderNotice } from '../../src/cards/learner-cards';
import { loadConfig } from '../../src/config';
import { translate } from '../../src/i18n/messages';
import { createLogger } from '../../src/logger';
import { createAdapter } from '../../src/teams/bot-adapter';
import {
  type CardClick,
  type CardVerbRoute,
  registerCardVerbs,
} from '../../src/teams/card-verb-routes';
import { type CardReply } from '../../src/teams/card-replies';
import { activitiesFor, cardText, invokeCard, newUser } from '../support/activities';
import { LogCapture } from '../support/brevet-harness';
import { FakeConnector } from '../support/fake-connector';

const note = (text: string) => renderNotice({ title: 'Test', lines: [text] });

/**
 * A bot with one card verb route and, after it, a catch-all for messages: the real adapter and
 * teams-ai Application, replies through the loopback connector.
 */
function botWith(route: CardVerbRoute<string, CardReply>) {
  const logs = new LogCapture();
  const logger = createLogger('info', logs);
  const adapter = createAdapter(loadConfig({ BREVET_TEST_MODE: 'true' }), logger);
  const app = new Application<TurnState>({
    adapter,
    botAppId: '',
    removeRecipientMention: true,
    longRunningMessages: false,
  });
  registerCardVerbs(app, { logger }, route);
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity('next route');
  });
  return {
    logs,
    post: (activity: object) =>
      adapter.receive('', activity as Activity, (context) =>
        app.run(context).then(() => undefined),
      ),
  };
}

describe('a card verb route', () => {
  // Not the conversation fixture: it starts the whole app, and this bot is one route on its own.
  const connector = new FakeConnector();
  const user = newUser('fr-BE');
  const send = () => activitiesFor(user, connector.url);
  const clicks: CardClick[] = [];
  const bot = botWith({
    verbs: ['test.ping', 'test.broken'],
    async answer(_context, click) {
      clicks.push(click);
      if (click.verb === 'test.broken') throw new Error('the database is down');
      return { card: note(`pong ${JSON.stringify(click.data)}`), followUps: [note('first')] };
    },
  });
  const texts = () => connector.calls.map((call) => call.activity.text ?? cardText(call.activity));

  beforeAll(() => connector.start());
  afterAll(() => connector.stop());
  beforeEach(() => {
    connector.clear();
    clicks.length = 0;
  });

  it('answers a verb registered once both as an Action.Execute invoke and as its Action.Submit fallback', async () => {
    const executed = await bot.post(send().execute('test.ping', { lessonId: 'f1-a' }));
    expect(executed.status).toBe(200);
    expect(cardText(invokeCard(executed.body))).toContain('pong {"lessonId":"f1-a"}');
    // The follow-up goes out as a message before the clicked card is replaced.
    expect(texts()).toEqual([expect.stringContaining('first')]);

    connector.clear();
    const submitted = await bot.post(send().submit('test.ping', { lessonId: 'f1-a' }));
    expect(submitted.status).toBe(200);
    // A Submit cannot replace the card from an invoke response: the follow-up, then the card.
    expect(texts()).toEqual([
      expect.stringContaining('first'),
      expect.stringContaining('pong {"lessonId":"f1-a"}'),
    ]);
    expect(connector.calls.every((call) => call.method === 'POST')).toBe(true);

    // The same click for the answer, whichever way it came (the Submit's verb is not data).
    expect(clicks).toEqual([
      { verb: 'test.ping', data: { lessonId: 'f1-a' } },
      { verb: 'test.ping', data: { lessonId: 'f1-a' } },
    ]);
  });

  it('answers a failure with the apology either way, and logs it', async () => {
    const executed = await bot.post(send().execute('test.broken', {}));
    expect(cardText(invokeCard(executed.body))).toContain(translate('fr', 'error.apology'));
    await bot.post(send().submit('test.broken', {}));
    expect(cardText(connector.cards()[0])).toContain(translate('fr', 'error.apology'));
    expect(bot.logs.lines.filter((line) => line.msg === 'turn failed')).toHaveLength(2);
  });

  it('leaves other verbs, typed messages and malformed clicks to the next routes', async () => {
    const other = await bot.post(send().execute('test.other', {}));
    // No route answers the invoke: botbuilder's "not implemented".
    expect(other.status).toBe(501);
    const notExecute = send().execute('test.ping', {});
    notExecute.value.action.type = 'Action.Submit';
    expect((await bot.post(notExecute)).status).toBe(501);

    const typed = { ...send().submit('test.ping', {}), text: 'ping' };
    const nullValue = { ...send().submit('test.ping', {}), value: null };
    const noVerb = { ...send().submit('test.ping', {}), value: { lessonId: 'f1-a' } };
    for (const activity of [send().submit('test.other', {}), typed, nullValue, noVerb]) {
      connector.clear();
      expect((await bot.post(activity)).status).toBe(200);
      expect(texts()).toEqual(['next route']);
    }
    expect(clicks).toEqual([]);
  });

  it('with every verb, answers a click without one, and a Submit in the route’s own way', async () => {
    const submittedReplies: CardReply[] = [];
    const any = botWith({
      verbs: 'any',
      answer: async (_context, click) => ({ card: note(`any ${click.verb || '(none)'}`) }),
      async replyToSubmit(context, reply) {
        submittedReplies.push(reply);
        await context.sendActivity('answered in place');
      },
    });
    const noVerb = send().execute('test.ping', {});
    delete noVerb.value.action.verb;
    expect(cardText(invokeCard((await any.post(noVerb)).body))).toContain('any (none)');
    expect(cardText(invokeCard((await any.post(send().execute('x.y', {}))).body))).toContain(
      'any x.y',
    );

    connector.clear();
    await any.post(send().submit('x.y', {}));
    expect(texts()).toEqual(['answered in place']);
    expect(submittedReplies.map((reply) => cardText(reply.card))).toEqual([
      expect.stringContaining('any x.y'),
    ]);
  });
});
