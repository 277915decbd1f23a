import { randomUUID } from 'node:crypto';
import { quizClicks, TENANT } from '../support/activities';
import { conversationFixture } from '../support/conversation';
import { epochSeconds, startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

// Entra stand-in: the issuer of every token is the tenant's v2 issuer, as Entra's metadata says.
const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000ab01';
const FIXTURE = { CONTENT_DIR: 'tests/fixtures/content' };

describe('GET /api/me/progress with a Teams SSO token', () => {
  let issuer: TokenIssuer;
  beforeAll(async () => {
    issuer = await startTokenIssuer({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      keys: [{ kid: 'entra-1' }, { kid: 'rogue', published: false }],
    });
  });
  const chat = conversationFixture({
    env: () => ({
      ...FIXTURE,
      BOT_ID: undefined,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_OPENID_METADATA_URL: issuer.metadataUrl,
    }),
  });
  afterAll(() => issuer.stop());

  const claims = (oid: string, extra: Record<string, unknown> = {}) => ({
    aud: CLIENT_ID,
    tid: TENANT,
    oid,
    scp: 'access_as_user',
    ver: '2.0',
    ...extra,
  });

  async function getProgress(token?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${chat.app.baseUrl}/api/me/progress`, {
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('returns what the learner did through the bot', async () => {
    const user = chat.user('nl-BE');
    const send = chat.send(user);
    await chat.app.post(send.message('volgende'));
    for (const click of quizClicks(send, 'f1-a', { q1: 'b', q2: 'true' }))
      await chat.app.post(click);
    await chat.app.post(send.message('volgende'));

    const { status, body } = await getProgress(await issuer.sign(claims(user.aadObjectId)));
    expect(status).toBe(200);
    expect(body.learner).toEqual({ language: 'nl', known: true, trackId: null, trackTitle: null });
    const [phase1, phase2, phase3] = body.phases;
    expect(phase1).toMatchObject({
      id: 'phase-1',
      title: 'Basis',
      opensAt: '2025-10-01',
      state: 'open',
      lessonsDone: 1,
      lessonsTotal: 2,
      score: 50,
      brevetEarnedAt: null,
    });
    expect(phase1.lessons).toEqual([
      { id: 'f1-a', title: 'Lesson f1-a NL', state: 'done', score: 50, minutes: 2 },
      { id: 'f1-b', title: 'Lesson f1-b NL', state: 'inProgress', score: null, minutes: 2 },
    ]);
    expect(phase2).toMatchObject({ state: 'open', trackPending: true, lessonsDone: 0 });
    expect(phase3).toMatchObject({ state: 'notOpen', opensAt: '2099-01-01' });
    expect(body.next).toEqual({
      kind: 'lesson',
      lessonId: 'f1-b',
      title: 'Lesson f1-b NL',
      phaseId: 'phase-1',
    });
  });

  it('gives someone the bot never saw an empty but valid document, in the language asked', async () => {
    const { status, body } = await getProgress(await issuer.sign(claims(randomUUID())), {
      'Accept-Language': 'de-DE,de;q=0.9',
    });
    expect(status).toBe(200);
    expect(body.learner).toMatchObject({ language: 'de', known: false });
    expect(body.phases.map((p: any) => [p.id, p.state, p.lessonsDone])).toEqual([
      ['phase-1', 'open', 0],
      ['phase-2', 'open', 0],
      ['phase-3', 'notOpen', 0],
    ]);
    expect(body.next).toEqual({
      kind: 'lesson',
      lessonId: 'f1-a',
      title: 'Lesson f1-a DE',
      phaseId: 'phase-1',
    });
  });

  it('accepts a v1 token (api:// audience, sts.windows.net issuer)', async () => {
    const token = await issuer.sign(
      claims(randomUUID(), {
        aud: `api://brevet.example.org/${CLIENT_ID}`,
        iss: `https://sts.windows.net/${TENANT}/`,
        ver: '1.0',
      }),
    );
    expect((await getProgress(token)).status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined],
    ['a malformed token', async () => 'not.a.jwt'],
    ['another audience', async () => issuer.sign(claims(randomUUID(), { aud: randomUUID() }))],
    [
      'another tenant',
      async () =>
        issuer.sign(claims(randomUUID(), { tid: '99999999-0000-0000-0000-000000000000' })),
    ],
    [
      'an issuer of another tenant',
      async () =>
        issuer.sign(
          claims(randomUUID(), {
            iss: 'https://login.microsoftonline.com/99999999-0000-0000-0000-000000000000/v2.0',
          }),
        ),
    ],
    [
      'an expired token',
      async () =>
        issuer.sign(
          claims(randomUUID(), {
            iat: epochSeconds(-7200),
            nbf: epochSeconds(-7200),
            exp: epochSeconds(-3600),
          }),
        ),
    ],
    ['an unknown signing key', async () => issuer.sign(claims(randomUUID()), { key: 'rogue' })],
    [
      'no access_as_user scope',
      async () => issuer.sign(claims(randomUUID(), { scp: 'User.Read' })),
    ],
    ['no oid', async () => issuer.sign(claims(randomUUID(), { oid: undefined }))],
  ])('answers %s with 401 and no detail', async (_case, token) => {
    const { status, body } = await getProgress(await token());
    expect(status).toBe(401);
    expect(body).toEqual({ error: 'unauthorized' });
  });

  it('takes the learner from the token only: query strings cannot name another learner', async () => {
    const user = chat.user('fr-BE');
    await chat.app.post(chat.send(user).message('suivant'));
    const stranger = await issuer.sign(claims(randomUUID()));
    const response = await fetch(
      `${chat.app.baseUrl}/api/me/progress?oid=${user.aadObjectId}&userId=${user.aadObjectId}`,
      { headers: { Authorization: `Bearer ${stranger}` } },
    );
    expect(((await response.json()) as any).learner.known).toBe(false);
  });
});
