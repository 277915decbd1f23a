import { translate } from '../../src/i18n/messages';
import { cardText, invokeCard } from '../support/activities';
import { conversationFixture } from '../support/conversation';

const ALLOWED = '11111111-2222-3333-4444-555555555555';
const OTHER = '99999999-8888-7777-6666-555555555555';

describe('with ALLOWED_TENANT_IDS set', () => {
  const chat = conversationFixture({
    env: { ALLOWED_TENANT_IDS: ` ${ALLOWED.toUpperCase()} , another-tenant` },
  });
  const { connector } = chat;
  beforeEach(() => connector.clear());

  async function learnerCount(): Promise<number> {
    const row = await chat.app.brevet.storage.db
      .selectFrom('learners')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  it('answers another tenant with a polite refusal only, and stores nothing about them', async () => {
    const outsider = chat.send(chat.user('fr-BE', OTHER));
    for (const activity of [
      outsider.installationUpdate(),
      outsider.install(),
      outsider.message('suivant'),
    ]) {
      expect((await chat.app.post(activity)).status).toBe(200);
    }
    const cards = connector.cards();
    expect(cards).toHaveLength(2);
    for (const card of cards)
      expect(cardText(card)).toBe(
        `${translate('fr', 'error.title')}\n${translate('fr', 'tenant.refused')}`,
      );
    const invoke = await chat.app.post(outsider.execute('quiz.start', { lessonId: 'p1-01' }));
    expect(cardText(invokeCard(invoke.body))).toContain(translate('fr', 'tenant.refused'));
    expect(await learnerCount()).toBe(0);
  });

  it('serves the allowed tenant (ids compared without case)', async () => {
    const insider = chat.send(chat.user('en-US', ALLOWED));
    await chat.app.post(insider.message('next'));
    expect(cardText(connector.cards()[0])).not.toContain(translate('en', 'tenant.refused'));
    expect(await learnerCount()).toBe(1);
  });
});
