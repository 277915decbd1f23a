import { newUser, quizClicks, TENANT } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { conversationFixture } from '../support/conversation';
import { testDialects } from '../support/postgres';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import { KyselyUnitStore } from '../../src/storage/unit-repository';

const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000ab03';
const ADMIN = '0a0a0a0a-0000-4000-8000-00000000ad01';
const ROUTES = [
  '/api/programme/summary',
  '/api/programme/activity',
  '/api/programme/completion',
  '/api/programme/funnel',
  '/api/programme/units',
  '/api/programme/units/19%3Aalpha%40thread.tacv2',
  '/api/programme/questions',
];

describe.each(testDialects())('GET /api/programme/* (the training office) on %s', (dialect) => {
  let issuer: TokenIssuer;
  const learners = [newUser('fr-BE'), newUser('nl-BE'), newUser('en-GB')];
  beforeAll(async () => {
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
      BOT_ID: undefined,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_OPENID_METADATA_URL: issuer.metadataUrl,
      ADMIN_AAD_OBJECT_IDS: `11111111-0000-4000-8000-000000000000, ${ADMIN.toUpperCase()}`,
      PROGRAMME_POPULATION: '40',
    }),
  });
  const { connector } = chat;
  beforeAll(async () => {
    // Three learners through the bot: the French one right twice, the Dutch one wrong once,
    // the English one only opened the lesson.
    const answers = [{ q1: 'b', q2: 'false' }, { q1: 'a', q2: 'false' }, undefined];
    for (const [i, user] of learners.entries()) {
      const send = chat.send(user);
      await chat.app.post(send.message(['suivant', 'volgende', 'next'][i]!));
      const picks = answers[i];
      if (picks) for (const click of quizClicks(send, 'f1-a', picks)) await chat.app.post(click);
    }
    // A unit whose name a spreadsheet would run as a formula, and its roster.
    const units = new KyselyUnitStore(chat.app.brevet.storage.db, chat.app.brevet.storage.dialect);
    const team = {
      teamId: '19:alpha@thread.tacv2',
      tenantId: TENANT,
      name: '=HYPERLINK("http://x";"Peloton, 1")',
      serviceUrl: connector.url,
      channelId: '19:alpha@thread.tacv2',
      timeZone: 'Europe/Brussels',
    };
    await units.saveTeam(team, '2026-11-01T08:00:00.000Z');
    await units.recordRoster(
      team,
      [learners[0]!.aadObjectId, learners[1]!.aadObjectId, 'nobody'],
      'x',
    );
    // Another tenant's unit and learner: never in this tenant's figures.
    await units.saveTeam(
      { ...team, teamId: '19:other@thread.tacv2', tenantId: 'other-tenant', name: 'Other' },
      'x',
    );
  });
  afterAll(() => issuer?.stop());

  const token = (oid: string) =>
    issuer.sign({ aud: CLIENT_ID, tid: TENANT, oid, scp: 'access_as_user', ver: '2.0' });

  async function get(path: string, oid?: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${chat.app.baseUrl}${path}`, {
      headers: { ...(oid ? { Authorization: `Bearer ${await token(oid)}` } : {}), ...headers },
    });
    // As bytes: response.text() would drop the byte order mark the CSV must start with.
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: body as any, text };
  }

  it('answers 401 without a valid SSO token and 403 not_admin to anyone but an admin', async () => {
    const learner = learners[0]!;
    for (const route of ROUTES) {
      const anonymous = await get(route);
      expect([route, anonymous.status, anonymous.body]).toEqual([
        route,
        401,
        { error: 'unauthorized' },
      ]);
      const notAdmin = await get(route, learner.aadObjectId);
      expect([route, notAdmin.status, notAdmin.body]).toEqual([route, 403, { error: 'not_admin' }]);
      expect(notAdmin.headers.get('cache-control')).toBe('no-store');
      const csv = await get(`${route}?format=csv`, learner.aadObjectId);
      expect(csv.status).toBe(403);
    }
    // The refusal is logged without saying who asked.
    const refusals = chat.app.logs.lines.filter(
      (line) => line.msg === 'programme dashboard refused: not an admin',
    );
    expect(refusals.length).toBeGreaterThan(0);
    expect(JSON.stringify(refusals)).not.toContain(learner.aadObjectId);
  });

  it('gives an admin the headline figures of their tenant, against the population', async () => {
    const { status, headers, body } = await get('/api/programme/summary', ADMIN);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body).toMatchObject({
      today: '2026-11-30',
      population: 40,
      learners: 3,
      active7: 3,
      active30: 3,
      lessonsCompleted: 2,
    });
    expect(body.phases.map((p: any) => [p.phaseId, p.title, p.brevets])).toEqual([
      ['phase-1', 'Foundations', 0],
      ['phase-2', 'Applied', 0],
      ['phase-3', 'Mastery', 0],
    ]);
  });

  it('gives every chart its series and every table its rows, in the asked language', async () => {
    const activity = (await get('/api/programme/activity', ADMIN)).body;
    expect(activity.weeks.at(-1)).toEqual({
      week: '2026-11-30',
      activeLearners: 3,
      brevets: { 'phase-1': 0, 'phase-2': 0, 'phase-3': 0 },
    });

    const funnel = (await get('/api/programme/funnel', ADMIN, { 'Accept-Language': 'nl-BE' })).body;
    expect(funnel.lessons[0]).toEqual({
      lessonId: 'f1-a',
      phaseId: 'phase-1',
      trackId: null,
      title: 'Lesson f1-a NL',
      opened: 3,
      finished: 2,
      passed: 1,
    });

    const completion = (await get('/api/programme/completion?lang=de', ADMIN)).body;
    expect(completion.phases[0].title).toBe('Grundlagen');
    expect(completion.phases[0].byLanguage.map((g: any) => [g.key, g.learners, g.started])).toEqual(
      [
        ['fr', 1, 1],
        ['nl', 1, 1],
        ['de', 0, 0],
        ['en', 1, 1],
      ],
    );

    const units = (await get('/api/programme/units', ADMIN)).body;
    expect(units.units).toHaveLength(1);
    expect(units.units[0]).toMatchObject({
      unitId: '19:alpha@thread.tacv2',
      members: 3,
      learners: 2,
      averageScore: 75,
      phases: [{ phaseId: 'phase-1', started: 2, completed: 0, averageScore: 75 }, {}, {}],
    });

    const unit = await get('/api/programme/units/19%3Aalpha%40thread.tacv2', ADMIN);
    expect(unit.status).toBe(200);
    expect(unit.body.lessons[0]).toMatchObject({ lessonId: 'f1-a', opened: 2, finished: 2 });
    for (const other of ['19%3Aother%40thread.tacv2', 'nope'])
      expect(await get(`/api/programme/units/${other}`, ADMIN)).toMatchObject({
        status: 404,
        body: { error: 'unknown_unit' },
      });

    const questions = (await get('/api/programme/questions', ADMIN)).body;
    expect(questions.questions[0]).toMatchObject({
      lessonId: 'f1-a',
      questionId: 'q1',
      answered: 2,
      rightShare: 50,
    });
    expect(questions.questions[0].languages).toEqual([
      { language: 'fr', answered: 1, rightShare: 100 },
      { language: 'nl', answered: 1, rightShare: 0 },
      { language: 'de', answered: 0, rightShare: null },
      { language: 'en', answered: 0, rightShare: null },
    ]);
  });

  it('exports each table as CSV the way the lead’s export is written', async () => {
    for (const route of ROUTES) {
      const csv = await get(`${route}?format=csv`, ADMIN);
      expect([route, csv.status]).toEqual([route, 200]);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toMatch(
        /^attachment; filename="brevet-[a-z0-9-]+-2026-11-30\.csv"$/,
      );
      expect(csv.headers.get('cache-control')).toBe('no-store');
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      expect(csv.text.endsWith('\r\n')).toBe(true);
    }
    const french = await get('/api/programme/units?format=csv', ADMIN, {
      'Accept-Language': 'fr-BE',
    });
    const [header, row] = french.text.slice(1).split('\r\n');
    expect(header!.split(';').slice(0, 3)).toEqual([
      'Unité',
      'Membres',
      'Membres utilisant Brevet',
    ]);
    // The formula-looking name is neutralised and quoted (it holds both separators).
    expect(row!.startsWith(`"'=HYPERLINK(""http://x"";""Peloton, 1"")";3;2;`)).toBe(true);
    const english = await get('/api/programme/questions?format=csv', ADMIN);
    expect(english.text.split('\r\n')[1]).toMatch(
      /^f1-a,Lesson f1-a EN,q1,.*,2,50,1,100,1,0,0,,0,,,no$/,
    );
    expect(await get('/api/programme/units?format=xml', ADMIN)).toMatchObject({
      status: 400,
      body: { error: 'unknown_format' },
    });
  });
});
