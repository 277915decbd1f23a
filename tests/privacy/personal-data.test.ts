import { translate } from '../../src/i18n/messages';
import { ERASED_REASON } from '../../src/privacy/personal-data';
import {
  quizClicks,
  cardActions,
  cardText,
  invokeCard,
  TENANT,
  type TestUser,
} from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { FakeOneDrive } from '../support/fake-onedrive';
import { testDialects } from '../support/postgres';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000ab01';
const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const FILE_CONSENT = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO = 'application/vnd.microsoft.teams.card.file.info';

describe.each(testDialects())('on %s, a learner’s own data', (dialect) => {
  const drive = new FakeOneDrive();
  let issuer: TokenIssuer;
  beforeAll(async () => {
    await drive.start();
    issuer = await startTokenIssuer({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      keys: [{ kid: 'entra-1' }],
    });
  });
  const chat = conversationFixture({
    dialect,
    clock: new TestClock('2026-11-30T09:00:00Z'),
    env: () => ({
      CONTENT_DIR: 'tests/fixtures/content',
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_OPENID_METADATA_URL: issuer.metadataUrl,
    }),
    options: { delivery: { idleMs: 20 } },
  });
  const { connector } = chat;
  afterAll(async () => {
    await issuer.stop();
    await drive.stop();
  });

  /** A learner who did a lesson (one right, one wrong: a review item), chat saved. */
  async function learnerWithHistory(locale = 'en-GB'): Promise<TestUser> {
    const user = chat.user(locale);
    const send = chat.send(user);
    await chat.app.post(send.install());
    await chat.app.post(send.message('next'));
    for (const click of quizClicks(send, 'f1-a', { q1: 'b', q2: 'true' }))
      await chat.app.post(click);
    return user;
  }

  const sso = (user: TestUser) =>
    issuer.sign({
      aud: CLIENT_ID,
      tid: TENANT,
      oid: user.aadObjectId,
      scp: 'access_as_user',
      ver: '2.0',
    });

  const learnerRows = (user: TestUser) =>
    chat.app.brevet.storage.db
      .selectFrom('learners')
      .select('id')
      .where('user_key', '=', user.aadObjectId)
      .execute();

  it('sends a copy as a JSON file through the file consent flow, to whoever accepts', async () => {
    const user = await learnerWithHistory('fr-BE');
    const send = chat.send(user);
    const card = (await chat.say(user, 'confidentialite'))[0]!;
    expect(cardText(card)).toContain(translate('fr', 'privacy.what'));
    const [exportButton, eraseButton] = cardActions(card);
    expect([exportButton!.verb, eraseButton!.verb]).toEqual(['privacy.export', 'privacy.erase']);

    connector.clear();
    const clicked = invokeCard((await chat.app.post(send.execute(exportButton!.verb, {}))).body);
    expect(cardText(clicked)).toContain(translate('fr', 'privacy.exportSent'));
    const consent = (connector.calls[0]!.activity as Record<string, any>).attachments[0];
    expect(consent.contentType).toBe(FILE_CONSENT);
    expect(consent.name).toBe('brevet-my-data-2026-11-30.json');
    expect(consent.content.acceptContext).toEqual({ kind: 'my-data' });

    const session = drive.session(consent.name);
    connector.clear();
    expect(
      (await chat.app.post(send.fileConsent('accept', consent.content.acceptContext, session)))
        .status,
    ).toBe(200);
    const document = JSON.parse(drive.file(session.uniqueId)!.toString('utf8'));
    expect(document).toMatchObject({
      format: 'brevet-personal-data',
      version: 1,
      learner: { entraObjectId: user.aadObjectId, language: 'fr', timeZone: 'Europe/Brussels' },
      lessons: [{ lessonId: 'f1-a', correct: 1, total: 2 }],
      brevets: [],
      activityDays: ['2026-11-30'],
      leadOf: [],
    });
    expect(document.exportedAt).toMatch(/^2026-11-30T09:0/);
    expect(document.answers).toHaveLength(2);
    expect(document.reviews.map((r: { questionId: string }) => r.questionId).sort()).toEqual([
      'q1',
      'q2',
    ]);
    const info = (connector.calls[0]!.activity as Record<string, any>).attachments[0];
    expect(info).toMatchObject({ contentType: FILE_INFO, contentUrl: session.contentUrl });

    // Someone else accepting the same card gets their own data, never this learner's.
    const other = await learnerWithHistory('de-DE');
    const theirs = drive.session('theirs.json');
    await chat.app.post(
      chat.send(other).fileConsent('accept', consent.content.acceptContext, theirs),
    );
    const otherDocument = JSON.parse(drive.file(theirs.uniqueId)!.toString('utf8'));
    expect(otherDocument.learner.entraObjectId).toBe(other.aadObjectId);
    expect(JSON.stringify(otherDocument)).not.toContain(user.aadObjectId);

    connector.clear();
    await chat.app.post(send.fileConsent('decline', consent.content.declineContext));
    expect(cardText(connector.cards()[0])).toContain(translate('fr', 'privacy.declined'));
  });

  it('erases everything after a confirmation; messages still queued are withdrawn', async () => {
    const user = await learnerWithHistory('nl-BE');
    const send = chat.send(user);
    const [{ id: learnerId }] = (await learnerRows(user)) as [{ id: string }];
    // A lead named them, and an assignment to them is still queued.
    await chat.app.brevet.storage.db
      .insertInto('teams')
      .values({
        team_id: TEAM_ID,
        tenant_id: TENANT,
        name: 'Unit Alpha',
        service_url: connector.url,
        channel_id: TEAM_ID,
        time_zone: 'Europe/Brussels',
        installed_at: '2026-11-30T08:00:00Z',
        aad_group_id: null,
      })
      .onConflict((oc) => oc.column('team_id').doNothing())
      .execute();
    await chat.app.brevet.storage.db
      .insertInto('outbox')
      .values({
        id: `o-${learnerId}`,
        seq: 1,
        kind: 'lesson',
        assignment_id: null,
        tenant_id: TENANT,
        service_url: connector.url,
        conversation_id: null,
        recipient_id: `29:${user.aadObjectId}`,
        recipient_key: user.aadObjectId,
        recipient_name: 'Jan Peeters',
        payload: JSON.stringify({ type: 'lesson', lessonId: 'f1-b', language: 'nl' }),
        status: 'pending',
        attempts: 0,
        conversation_recreated: 0,
        not_before: '2099-01-01T00:00:00Z',
        created_at: '2026-11-30T08:00:00Z',
      })
      .execute();

    const privacy = invokeCard((await chat.app.post(send.execute('privacy.erase', {}))).body);
    expect(cardText(privacy)).toContain(translate('nl', 'privacy.confirm'));
    expect(await learnerRows(user)).toHaveLength(1);
    const [confirm] = cardActions(privacy);
    const done = invokeCard((await chat.app.post(send.execute(confirm!.verb, confirm!.data))).body);
    expect(cardText(done)).toContain(translate('nl', 'privacy.erased'));

    expect(await learnerRows(user)).toHaveLength(0);
    for (const table of [
      'lesson_progress',
      'quiz_answers',
      'review_items',
      'learner_activity',
    ] as const) {
      const rows = await chat.app.brevet.storage.db
        .selectFrom(table)
        .select('learner_id')
        .where('learner_id', '=', learnerId)
        .execute();
      expect([table, rows.length]).toEqual([table, 0]);
    }
    const queued = await chat.app.brevet.storage.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', `o-${learnerId}`)
      .executeTakeFirstOrThrow();
    expect(queued).toMatchObject({
      status: 'failed',
      last_error: ERASED_REASON,
      recipient_key: null,
      recipient_id: null,
      recipient_name: null,
    });
    // Nothing of theirs is left to send: no reminder is even considered.
    expect(
      (await chat.app.brevet.storage.db.selectFrom('outbox').select('recipient_key').execute()).map(
        (r) => r.recipient_key,
      ),
    ).not.toContain(user.aadObjectId);

    // Writing again starts afresh, in the client's language.
    connector.clear();
    await chat.app.post(send.message('voortgang'));
    expect(cardText(connector.cards()[0])).toContain(translate('nl', 'progress.title'));
    expect(await learnerRows(user)).toHaveLength(1);
  });

  it('answers the Action.Submit fallback with new messages; an unknown action erases nothing', async () => {
    const user = await learnerWithHistory('de-DE');
    const send = chat.send(user);
    const stale = translate('de', 'error.staleCard');
    for (const verb of ['privacy.eraseAll', 'privacy.erase.confirmed', 'Privacy.eraseConfirmed']) {
      expect(cardText(invokeCard((await chat.app.post(send.execute(verb, {}))).body))).toContain(
        stale,
      );
      connector.clear();
      await chat.app.post(send.submit(verb, {}));
      expect(cardText(connector.cards()[0])).toContain(stale);
    }
    expect(await learnerRows(user)).toHaveLength(1);

    connector.clear();
    await chat.app.post(send.submit('privacy.erase', {}));
    const [asked] = connector.calls;
    expect(asked!.method).toBe('POST');
    expect(cardText(asked!.activity)).toContain(translate('de', 'privacy.confirm'));
    expect(await learnerRows(user)).toHaveLength(1);
    const [confirm] = cardActions(asked!.activity);
    connector.clear();
    await chat.app.post(send.submit(confirm!.verb, confirm!.data));
    expect(connector.calls.map((call) => call.method)).toEqual(['POST']);
    expect(cardText(connector.cards()[0])).toContain(translate('de', 'privacy.erased'));
    expect(await learnerRows(user)).toHaveLength(0);
  });

  it('serves the same to the tab: GET and DELETE /api/me/data with the SSO token only', async () => {
    const user = await learnerWithHistory();
    const url = `${chat.app.baseUrl}/api/me/data`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { method: 'DELETE' })).status).toBe(401);
    expect(
      (await fetch(`${url}?oid=${user.aadObjectId}`, { headers: { Authorization: 'Bearer x' } }))
        .status,
    ).toBe(401);

    const token = await sso(user);
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toContain('brevet-my-data.json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const document = (await response.json()) as Record<string, any>;
    expect(document.learner.entraObjectId).toBe(user.aadObjectId);
    expect(document.lessons).toHaveLength(1);

    const erased = await fetch(url, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(erased.status).toBe(204);
    expect(await learnerRows(user)).toHaveLength(0);
    const after = (await (
      await fetch(url, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as Record<string, any>;
    expect(after).toMatchObject({ learner: null, lessons: [], answers: [] });
    // Erasing again is harmless.
    expect(
      (await fetch(url, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(204);
    expect(chat.app.logs.lines.some((l) => JSON.stringify(l).includes(user.aadObjectId))).toBe(
      false,
    );
  });
});
