import { randomUUID } from 'node:crypto';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { translate } from '../../src/i18n/messages';
import { projectPath } from '../../src/project-paths';
import { cardText, invokeCard } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { epochSeconds, startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

/*
 * Inbound Bot Framework auth, end to end over HTTP: with BOT_ID set, botbuilder's own validation
 * (ParameterizedBotFrameworkAuthentication → JwtTokenExtractor) checks every POST /api/messages
 * against the OpenID metadata and issuer that BOT_OPENID_METADATA_URL / BOT_TOKEN_ISSUER point
 * at; here, a loopback issuer whose tokens the tests sign. What botbuilder checks on a channel
 * token: `iss` is the configured issuer, the `kid` is in the JWKS, the RS256 signature, `exp` and
 * `nbf` (with 5 minutes of clock tolerance), `aud` is the bot's app id, the `serviceurl` claim
 * equals the activity's serviceUrl, and a key's `endorsements` (if any) list the channelId.
 */

const programme = loadProgramme(projectPath('content'));
const firstLesson = programme.curriculum.lessons[0]!;
const firstQuestion = firstLesson.questions[0]!;

const BOT_ID = randomUUID();
const TEAMS_KEY = 'channel-key-teams';
const WEBCHAT_KEY = 'channel-key-webchat';
const FORGER_KEY = 'forger-key';

type AuthHeaders = Record<string, string>;

interface RefusalCase {
  name: string;
  status: number;
  /** botbuilder's error message, sent back as the body: which check refused the request. */
  message: string;
  headers(issuer: TokenIssuer, serviceUrl: string): Promise<AuthHeaders>;
}

const bearer = (token: string): AuthHeaders => ({ Authorization: `Bearer ${token}` });
/** The claims of a valid channel token for this bot and activity. */
const channelClaims = (serviceUrl: string) => ({ aud: BOT_ID, serviceurl: serviceUrl });

const REFUSED_401: RefusalCase[] = [
  {
    name: 'no Authorization header',
    status: 401,
    message: 'Unauthorized Access. Request is not authorized',
    headers: async () => ({}),
  },
  {
    name: 'a token signed by a key that is not in the JWKS',
    status: 401,
    message: 'Signing Key could not be retrieved.',
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign(channelClaims(serviceUrl), { key: FORGER_KEY })),
  },
  {
    name: 'a token for another audience',
    status: 401,
    message: 'Unauthorized. Invalid AppId passed on token',
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign({ ...channelClaims(serviceUrl), aud: randomUUID() })),
  },
  {
    name: 'an expired token (beyond the 5-minute clock tolerance)',
    status: 401,
    message: 'The token has expired',
    headers: async (issuer, serviceUrl) =>
      bearer(
        await issuer.sign({
          ...channelClaims(serviceUrl),
          iat: epochSeconds(-2 * 3600),
          nbf: epochSeconds(-2 * 3600),
          exp: epochSeconds(-3600),
        }),
      ),
  },
  {
    // Not a Microsoft issuer: an Entra one (sts.windows.net, login.microsoftonline.com) would be
    // taken for an Emulator token and checked against other metadata.
    name: 'a token with a wrong issuer',
    status: 401,
    message: 'Unauthorized. No valid identity.',
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign({ ...channelClaims(serviceUrl), iss: 'https://issuer.invalid/' })),
  },
  {
    name: 'a token for another serviceUrl',
    status: 401,
    message: 'Unauthorized. ServiceUrl claim do not match.',
    headers: async (issuer) =>
      bearer(await issuer.sign(channelClaims('https://smba.trafficmanager.net/emea/'))),
  },
  {
    name: 'a token signed by a key endorsed for another channel (webchat, not msteams)',
    status: 401,
    message: `Could not validate endorsement for key: ${WEBCHAT_KEY}`,
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign(channelClaims(serviceUrl), { key: WEBCHAT_KEY })),
  },
  {
    name: 'a non-Bearer Authorization header',
    status: 401,
    message: 'Unauthorized. No valid identity.',
    headers: async () => ({ Authorization: 'Basic Ym90OnBhc3N3b3Jk' }),
  },
];

// jsonwebtoken's own errors are not botbuilder AuthenticationErrors: botbuilder's own `process`
// would answer them with 500 and the error text; BrevetAdapter.receive makes them 401 too.
const REFUSED_TOKEN_LIBRARY: RefusalCase[] = [
  {
    name: 'a forged token: the kid of a published key, signed by another key',
    status: 401,
    message: 'invalid signature',
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign(channelClaims(serviceUrl), { key: FORGER_KEY, kid: TEAMS_KEY })),
  },
  {
    name: 'a token not valid yet (nbf beyond the 5-minute clock tolerance)',
    status: 401,
    message: 'jwt not active',
    headers: async (issuer, serviceUrl) =>
      bearer(await issuer.sign({ ...channelClaims(serviceUrl), nbf: epochSeconds(3600) })),
  },
];

describe('inbound Bot Framework auth on POST /api/messages (BOT_ID set)', () => {
  let issuer: TokenIssuer;
  let consoleError: jest.SpyInstance;
  beforeAll(async () => {
    // botbuilder console.error()s every refused request; keep the test output readable.
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    issuer = await startTokenIssuer({
      keys: [
        { kid: TEAMS_KEY, endorsements: ['msteams'] },
        { kid: WEBCHAT_KEY, endorsements: ['webchat'] },
        { kid: FORGER_KEY, published: false },
      ],
    });
  });
  const chat = conversationFixture({
    clock: TestClock.atRealTime(),
    env: () => ({
      LOG_LEVEL: 'warn',
      BOT_ID,
      BOT_PASSWORD: 'x',
      BOT_OPENID_METADATA_URL: issuer.metadataUrl,
      BOT_TOKEN_ISSUER: issuer.issuer,
    }),
  });
  const { connector } = chat;
  afterAll(async () => {
    await issuer?.stop();
    consoleError.mockRestore();
  });

  /** The Action.Execute click the tests send: an answer in a lesson the user never opened. */
  const answerClick = () => {
    const user = chat.user('en-US');
    return chat.send(user).execute('quiz.answer', {
      lessonId: firstLesson.id,
      questionId: firstQuestion.id,
      choiceId: firstQuestion.answer,
    });
  };

  const storedRows = async () => {
    const db = chat.app.brevet.storage.db;
    const count = async (table: 'learners' | 'lesson_progress' | 'quiz_answers' | 'brevets') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      learners: await count('learners'),
      lesson_progress: await count('lesson_progress'),
      quiz_answers: await count('quiz_answers'),
      brevets: await count('brevets'),
    };
  };
  const NOTHING_STORED = { learners: 0, lesson_progress: 0, quiz_answers: 0, brevets: 0 };

  describe.each([
    ['401', REFUSED_401],
    ['401 (token library errors)', REFUSED_TOKEN_LIBRARY],
  ])('refused with %s before any turn runs', (_label, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, refusal) => {
      const activity = answerClick();
      const response = await chat.app.post(
        activity,
        await refusal.headers(issuer, activity.serviceUrl as string),
      );

      expect(response.status).toBe(refusal.status);
      // The caller learns nothing; the log says which check refused.
      expect(response.body).toEqual({ error: 'unauthorized' });
      expect(chat.app.logs.lines.map((line) => String(line.reason))).toContainEqual(
        expect.stringContaining(refusal.message),
      );
      expect(await storedRows()).toEqual(NOTHING_STORED);
      expect(connector.calls).toHaveLength(0);
    });
  });

  it('serves a correctly signed channel token: the invoke is answered in the HTTP body', async () => {
    const activity = answerClick();
    const token = await issuer.sign(channelClaims(activity.serviceUrl as string));

    const response = await chat.app.post(activity, bearer(token));

    expect(response.status).toBe(200);
    const card = invokeCard(response.body);
    expect(cardText(card)).toContain(translate('en', 'error.notReached'));
    // The turn ran: the clicker became a learner, and nothing was sent out through the connector.
    expect(await storedRows()).toEqual({ ...NOTHING_STORED, learners: 1 });
    expect(connector.calls).toHaveLength(0);
    // The keys came from the configured (loopback) metadata, not the public cloud.
    expect(issuer.requests).toEqual(
      expect.arrayContaining(['/.well-known/openid-configuration', '/keys']),
    );
  });

  it('serves a token expired within the 5-minute clock tolerance', async () => {
    const activity = answerClick();
    const token = await issuer.sign({
      ...channelClaims(activity.serviceUrl as string),
      iat: epochSeconds(-3600),
      nbf: epochSeconds(-3600),
      exp: epochSeconds(-120),
    });

    const response = await chat.app.post(activity, bearer(token));

    expect(response.status).toBe(200);
    expect(cardText(invokeCard(response.body))).toContain(translate('en', 'error.notReached'));
  });
});
