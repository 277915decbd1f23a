import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type FrameLocator, type Page } from 'playwright-core';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { projectPath } from '../../src/project-paths';
import { FIXTURE_QUIZ, quizClicks, TENANT, type TestUser } from '../support/activities';
import { startBrevet, TestClock, type RunningBrevet } from '../support/brevet-harness';
import { launchChromium, type LaunchedChromium } from '../support/chromium';
import { conversationFixture } from '../support/conversation';
import { ensureTabBuilt } from '../support/tab-build';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import { MESSAGES } from '../../tab/src/i18n';
import { changeTheme, hostRecord, openInTeamsHost, type TeamsHostOptions } from './teams-host';

/*
 * The "My brevet" tab in headless Chromium, inside a page that plays the Teams host for teams-js
 * (./teams-host.ts), against the real app: the learner's progress is made by driving the bot over
 * HTTP, the SSO token is signed by a loopback Entra stand-in, and the tab reads GET
 * /api/me/progress exactly as it does in Teams.
 *
 * Two app instances share one SQLite file: `bot` (the conversation fixture's app) has no BOT_ID
 * (so the bot can be driven without channel tokens) and `tab` has one (so its documents carry the
 * chat deep link).
 */

const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000ab02';
const BOT_ID = '0b1d2c3e-0000-4000-8000-00000000b0b1';
const CHAT_URL = `https://teams.microsoft.com/l/chat/0/0?users=28:${BOT_ID}`;
const TODAY = '2026-11-30T09:00:00Z';
const RIGHT = FIXTURE_QUIZ.right;
const WRONG = FIXTURE_QUIZ.wrong;
const SCREENSHOT = projectPath('docs', 'tab-screenshot.png');
/** Screenshots of the other themes, to look at when a theme breaks (git-ignored). */
const ARTIFACTS = projectPath('tests', '.artifacts');

// Fluent UI's colorNeutralBackground3 (the page background) in teamsLightTheme / teamsDarkTheme /
// teamsHighContrastTheme: #f5f5f5, #1f1f1f, #000000.
const BACKGROUND = {
  default: 'rgb(245, 245, 245)',
  dark: 'rgb(31, 31, 31)',
  contrast: 'rgb(0, 0, 0)',
};

jest.setTimeout(60_000);

/** Reads `read()` until it equals `expected` (or the time is up) and returns the last value. */
async function settle<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!isDeepStrictEqual(value, expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('the My brevet tab in Teams (headless Chromium)', () => {
  // A Monday, so the learner's activity today counts for the working-day streak.
  const clock = new TestClock(TODAY);
  let issuer: TokenIssuer;
  let tab: RunningBrevet;
  let browser: LaunchedChromium;
  let page: Page;

  beforeAll(async () => {
    ensureTabBuilt();
    issuer = await startTokenIssuer({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      keys: [{ kid: 'entra-1' }],
    });
  });
  // Registered before the fixture's, so it runs first: the browser and `tab` go before `bot`.
  afterAll(async () => {
    await browser?.close();
    await tab?.stop();
  });
  const env = () => ({
    CONTENT_DIR: 'tests/fixtures/content',
    AAD_APP_CLIENT_ID: CLIENT_ID,
    AAD_APP_TENANT_ID: TENANT,
    AAD_OPENID_METADATA_URL: issuer.metadataUrl,
    LOG_LEVEL: 'warn',
  });
  const bot = conversationFixture({ clock, env: () => ({ ...env(), BOT_ID: undefined }) });
  beforeAll(async () => {
    tab = await startBrevet(
      {
        ...env(),
        ...bot.database,
        BOT_ID,
        BOT_PASSWORD: 'unused',
        // Inbound bot auth would point here; nothing is posted to this instance's bot.
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
        BOT_TOKEN_ISSUER: issuer.issuer,
      },
      { clock },
    );
    browser = await launchChromium({ viewport: { width: 1000, height: 900 } });
    page = browser.page;
  });
  afterAll(() => issuer?.stop());

  afterEach(() => clock.set(TODAY));

  async function say(user: TestUser, text: string) {
    expect((await bot.app.post(bot.send(user).message(text))).status).toBe(200);
  }
  async function click(user: TestUser, verb: string, data: object) {
    expect((await bot.app.post(bot.send(user).execute(verb, data))).status).toBe(200);
  }
  async function takeLesson(
    user: TestUser,
    lessonId: string,
    answers: Record<'q1' | 'q2', string>,
  ) {
    for (const activity of quizClicks(bot.send(user), lessonId, answers))
      expect((await bot.app.post(activity)).status).toBe(200);
  }
  /** Phase 1 complete at 100% (brevet), track chosen, first phase-2 lesson opened. */
  async function brevetJourney(user: TestUser, next: string) {
    await say(user, next);
    await takeLesson(user, 'f1-a', RIGHT);
    await say(user, next);
    await takeLesson(user, 'f1-b', RIGHT);
    await say(user, next);
    await click(user, 'track.choose', { trackId: 'operational' });
  }

  async function token(user: TestUser) {
    return issuer.sign({
      aud: CLIENT_ID,
      tid: TENANT,
      oid: user.aadObjectId,
      scp: 'access_as_user',
      ver: '2.0',
    });
  }

  async function openTab(
    app: RunningBrevet,
    user: TestUser,
    options: Partial<TeamsHostOptions> = {},
  ): Promise<FrameLocator> {
    await openInTeamsHost(page, {
      baseUrl: app.baseUrl,
      locale: user.locale,
      theme: 'default',
      userObjectId: user.aadObjectId,
      tenantId: TENANT,
      token: await token(user),
      ...options,
    });
    return page.frameLocator('#tab');
  }

  /** Waits for `what` in the tab; on a timeout, fails with what the tab and the host show. */
  async function waitIn(frame: FrameLocator, what: ReturnType<FrameLocator['locator']>) {
    try {
      await what.waitFor();
    } catch (error) {
      const shown = await frame
        .locator('body')
        .innerText({ timeout: 1000 })
        .catch(() => '(no body)');
      const calls = await hostRecord(page).catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nThe tab shows: ${shown}\nHost: ${JSON.stringify(calls)}`,
      );
    }
  }

  /** The review count the API gives this learner, as the tab must show it. */
  /** The review and streak lines the tab must show for what the API gives this learner. */
  async function expectedExtras(app: RunningBrevet, user: TestUser, language: 'nl' | 'fr') {
    const response = await fetch(`${app.baseUrl}/api/me/progress`, {
      headers: { Authorization: `Bearer ${await token(user)}` },
    });
    const { reviewDue, streak } = (await response.json()) as {
      reviewDue?: number;
      streak?: number;
    };
    const t = MESSAGES[language];
    return {
      review:
        reviewDue === undefined
          ? undefined
          : reviewDue > 0
            ? `${t.reviewDue(reviewDue)} ${t.reviewHint(t.reviewCommand)}`
            : t.reviewDue(reviewDue),
      streak: streak ? t.streak(streak) : undefined,
    };
  }

  /** The tab shows exactly the review and streak lines the API document calls for. */
  async function expectExtras(frame: FrameLocator, expected: Record<string, string | undefined>) {
    for (const [testId, text] of [
      ['review-due', expected.review],
      ['streak', expected.streak],
    ] as const) {
      if (text === undefined) expect(await frame.getByTestId(testId).count()).toBe(0);
      else expect(await frame.getByTestId(testId).textContent()).toBe(text);
    }
  }

  const phase = (frame: FrameLocator, id: string) => frame.locator(`section[data-phase="${id}"]`);
  const lesson = (frame: FrameLocator, id: string) => frame.locator(`li[data-lesson="${id}"]`);
  const progressBar = async (frame: FrameLocator, id: string) => {
    const bar = phase(frame, id).getByRole('progressbar');
    return {
      label: await bar.getAttribute('aria-label'),
      now: await bar.getAttribute('aria-valuenow'),
      max: await bar.getAttribute('aria-valuemax'),
      text: await bar.getAttribute('aria-valuetext'),
    };
  };
  const background = (frame: FrameLocator) =>
    frame
      .locator('body')
      .evaluate((body) => (globalThis as any).getComputedStyle(body).backgroundColor);

  it('shows a Dutch learner every phase, bar and lesson state, and opens the chat', async () => {
    const user = bot.user('nl-BE');
    await brevetJourney(user, 'volgende');

    const frame = await openTab(tab, user);
    await waitIn(frame, frame.locator('section[data-phase]').nth(2));

    expect(await frame.locator('h1').textContent()).toBe('Mijn brevet');
    expect(await frame.locator('h2').allTextContents()).toEqual([
      'Volgende stap',
      'Fase 1: Basis',
      'Fase 2: Toegepast',
      'Fase 3: Meesterschap',
      'Jouw gegevens',
    ]);
    expect(await frame.locator('html').getAttribute('lang')).toBe('nl');

    // Phase 1: complete, 2/2, 100%, brevet with its date.
    const one = phase(frame, 'phase-1');
    expect(await one.getByTestId('phase-state').textContent()).toBe('Afgerond');
    expect(await progressBar(frame, 'phase-1')).toEqual({
      label: 'Basis: 2 van 2 lessen afgerond',
      now: '2',
      max: '2',
      text: '2 van 2 afgerond',
    });
    expect(await one.getByTestId('phase-score').textContent()).toBe('100%');
    expect(await one.getByTestId('phase-brevet').textContent()).toBe('Behaald op 30 november 2026');
    expect(await lesson(frame, 'f1-a').getByTestId('lesson-state').textContent()).toBe('Afgerond');
    expect(await lesson(frame, 'f1-a').getByTestId('lesson-score').textContent()).toBe(
      'Score 100%',
    );

    // Phase 2: open, the operational track, first lesson started.
    const two = phase(frame, 'phase-2');
    expect(await two.getByTestId('phase-state').textContent()).toBe('Open');
    expect(await progressBar(frame, 'phase-2')).toMatchObject({ now: '0', max: '2' });
    expect(await two.getByTestId('phase-score').textContent()).toBe('Nog geen');
    expect(await two.getByTestId('phase-brevet').textContent()).toBe('Nog niet behaald');
    expect(
      await two
        .locator('li[data-lesson]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-lesson'))),
    ).toEqual(['f2-a', 'f2-op']);
    expect(await lesson(frame, 'f2-a').getByTestId('lesson-state').textContent()).toBe('Bezig');
    expect(await lesson(frame, 'f2-op').getByTestId('lesson-state').textContent()).toBe('Te doen');
    expect(await frame.getByTestId('track').textContent()).toBe('Traject: Operational NL');

    // Phase 3: not open yet, with its opening date; its lesson locked.
    const three = phase(frame, 'phase-3');
    expect(await three.getByTestId('phase-state').textContent()).toBe('Nog niet open');
    expect(await three.textContent()).toContain('Opent op 1 januari 2099');
    expect(await lesson(frame, 'f3-a').getByTestId('lesson-state').textContent()).toBe(
      'Nog niet open',
    );

    // Up next, and the button that opens the 1:1 chat with the bot through Teams.
    expect(await frame.getByTestId('next-step').textContent()).toBe(
      'Lesson f2-a NL (Fase 2: Toegepast)',
    );
    const extras = await expectedExtras(tab, user, 'nl');
    expect(extras.streak).toBe('1 werkdag op rij');
    await expectExtras(frame, extras);
    await frame.getByRole('button', { name: 'Verdergaan in de chat' }).click();
    expect(await settle(async () => (await hostRecord(page)).openedLinks, [CHAT_URL])).toEqual([
      CHAT_URL,
    ]);

    const { calls } = await hostRecord(page);
    expect(calls).toEqual(
      expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']),
    );
    expect(calls.indexOf('initialize')).toBe(0);

    // Teams switches theme: the tab follows without reloading.
    expect(await background(frame)).toBe(BACKGROUND.default);
    mkdirSync(ARTIFACTS, { recursive: true });
    await changeTheme(page, 'dark');
    expect(await settle(() => background(frame), BACKGROUND.dark)).toEqual(BACKGROUND.dark);
    await page.locator('#tab').screenshot({ path: path.join(ARTIFACTS, 'tab-dark.png') });
    await changeTheme(page, 'contrast');
    expect(await settle(() => background(frame), BACKGROUND.contrast)).toEqual(BACKGROUND.contrast);
    await page.locator('#tab').screenshot({ path: path.join(ARTIFACTS, 'tab-contrast.png') });
    expect(browser.blocked.filter((url) => !url.includes('res.cdn.office.net'))).toEqual([]);
  });

  it('shows a French learner in the dark theme, with what to type when there is no chat link', async () => {
    const user = bot.user('fr-BE');
    await say(user, 'suivant');
    await takeLesson(user, 'f1-a', { q1: WRONG.q1, q2: RIGHT.q2 });
    // A month later, the questions answered are due for spaced review.
    clock.set('2026-12-30T09:00:00Z');

    const frame = await openTab(bot.app, user, { theme: 'dark' });
    await waitIn(frame, frame.locator('section[data-phase]').nth(2));

    expect(await frame.locator('h1').textContent()).toBe('Mon brevet');
    expect(await background(frame)).toBe(BACKGROUND.dark);
    const color = await frame
      .locator('h1')
      .evaluate((h1) => (globalThis as any).getComputedStyle(h1).color);
    expect(color).toBe('rgb(255, 255, 255)');

    const one = phase(frame, 'phase-1');
    expect(await one.locator('h2').textContent()).toBe('Phase 1 : Fondements');
    expect(await one.getByTestId('phase-state').textContent()).toBe('Ouverte');
    expect(await progressBar(frame, 'phase-1')).toEqual({
      label: 'Fondements : 1 leçons terminées sur 2',
      now: '1',
      max: '2',
      text: '1 sur 2 terminées',
    });
    expect(await one.getByTestId('phase-score').textContent()).toBe('50 %');
    expect(await one.getByTestId('phase-brevet').textContent()).toBe('Pas encore obtenu');
    expect(await lesson(frame, 'f1-a').getByTestId('lesson-state').textContent()).toBe('Terminée');
    expect(await lesson(frame, 'f1-a').getByTestId('lesson-score').textContent()).toBe(
      'Score 50 %',
    );
    expect(await lesson(frame, 'f1-b').getByTestId('lesson-state').textContent()).toBe('À faire');
    expect(await lesson(frame, 'f1-b').getByTestId('lesson-score').count()).toBe(0);

    // Phase 2 waits for the track choice.
    expect(await phase(frame, 'phase-2').textContent()).toContain(
      'Choisissez votre parcours dans le chat',
    );
    expect(await frame.getByTestId('next-step').textContent()).toBe(
      'Lesson f1-b FR (Phase 1 : Fondements)',
    );
    const extras = await expectedExtras(bot.app, user, 'fr');
    expect(extras.review).toMatch(
      /^\d+ questions? à revoir Tapez « revoir » dans le chat avec Brevet/,
    );
    await expectExtras(frame, extras);
    // This server has no bot id, so no deep link: the tab says what to type in the chat.
    expect(await frame.getByTestId('up-next').textContent()).toContain(
      'Ouvrez le chat avec Brevet et tapez « suivant ».',
    );
    expect(await frame.getByRole('button', { name: 'Continuer dans le chat' }).count()).toBe(0);
  });

  it('welcomes someone the bot has not met yet, in the Teams language', async () => {
    const user = bot.user('de-DE');
    const frame = await openTab(tab, user);
    await waitIn(frame, frame.getByTestId('welcome'));
    expect(await frame.locator('h2').first().textContent()).toBe('Willkommen bei Brevet');
    expect(await frame.locator('section[data-phase]').count()).toBe(3);
    expect(await progressBar(frame, 'phase-1')).toMatchObject({ now: '0', max: '2' });
    await frame.getByRole('button', { name: 'Die erste Lektion im Chat beginnen' }).click();
    expect(await settle(async () => (await hostRecord(page)).openedLinks, [CHAT_URL])).toEqual([
      CHAT_URL,
    ]);
  });

  it('gives the learner a copy of their data and erases it after a confirmation', async () => {
    const user = bot.user('en-GB');
    await say(user, 'next');
    await takeLesson(user, 'f1-a', { q1: RIGHT.q1, q2: WRONG.q2 });
    const frame = await openTab(bot.app, user);
    const section = frame.getByTestId('your-data');
    await waitIn(frame, section);
    expect(await section.locator('h2').textContent()).toBe('Your data');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download a copy' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('brevet-my-data.json');
    const copy = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(copy.learner.entraObjectId).toBe(user.aadObjectId);
    expect(copy.lessons).toMatchObject([{ lessonId: 'f1-a', correct: 1, total: 2 }]);

    // Nothing is erased until the dialog's confirmation; "keep" keeps.
    await section.getByRole('button', { name: 'Delete my data' }).click();
    await frame.getByRole('button', { name: 'Keep my data' }).click();
    expect(await frame.getByTestId('welcome').count()).toBe(0);
    await section.getByRole('button', { name: 'Delete my data' }).click();
    const dialog = frame.getByRole('alertdialog');
    expect(await dialog.locator('h2').textContent()).toBe('Delete your data?');
    await dialog.getByRole('button', { name: 'Delete everything' }).click();
    await waitIn(frame, frame.getByTestId('data-erased'));
    await waitIn(frame, frame.getByTestId('welcome'));
    expect(await frame.getByTestId('your-data').count()).toBe(0);
    const rows = await bot.app.brevet.storage.db
      .selectFrom('learners')
      .select('id')
      .where('user_key', '=', user.aadObjectId)
      .execute();
    expect(rows).toEqual([]);
  });

  it('says what to do when Teams cannot sign the learner in, and recovers on retry', async () => {
    const user = bot.user('en-GB');
    const frame = await openTab(tab, user, { auth: 'failFirst' });
    const problem = frame.getByTestId('problem');
    await waitIn(frame, problem);
    expect(await problem.textContent()).toContain('Teams could not sign you in to Brevet');
    expect(await problem.getAttribute('data-failure')).toBe('signIn');
    await frame.getByRole('button', { name: 'Try again' }).click();
    await waitIn(frame, frame.getByTestId('welcome'));
    expect(await frame.getByTestId('problem').count()).toBe(0);
  });

  it('takes a screenshot for the README (an English learner on the curriculum Brevet ships)', async () => {
    // The README shows the real programme, not the test fixture: a second bot and tab on
    // content/, a learner who has passed the first four lessons of phase 1.
    const env = {
      // Next to the fixture's database, in its temporary directory.
      SQLITE_PATH: path.join(path.dirname(bot.database.SQLITE_PATH!), 'shipped.sqlite'),
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_OPENID_METADATA_URL: issuer.metadataUrl,
      LOG_LEVEL: 'warn',
    };
    const shippedBot = await startBrevet({ ...env, BOT_ID: undefined }, { clock });
    const shippedTab = await startBrevet(
      {
        ...env,
        BOT_ID,
        BOT_PASSWORD: 'unused',
        BOT_OPENID_METADATA_URL: issuer.metadataUrl,
        BOT_TOKEN_ISSUER: issuer.issuer,
      },
      { clock },
    );
    try {
      const user = bot.user('en-GB');
      const send = bot.send(user);
      const post = async (activity: unknown) =>
        expect((await shippedBot.post(activity)).status).toBe(200);
      const programme = loadProgramme(projectPath('content'));
      const phaseOne = programme.curriculum.lessons
        .filter((lesson) => lesson.phaseId === programme.phases[0]?.id)
        .sort((a, b) => a.order - b.order)
        .slice(0, 4);
      expect(phaseOne).toHaveLength(4);
      for (const lesson of phaseOne) {
        await post(send.message('next'));
        await post(send.execute('quiz.start', { lessonId: lesson.id }));
        for (const question of lesson.questions)
          await post(
            send.execute('quiz.answer', {
              lessonId: lesson.id,
              questionId: question.id,
              choiceId: question.answer,
            }),
          );
      }
      const frame = await openTab(shippedTab, user, { frame: { width: 1000, height: 900 } });
      await waitIn(frame, frame.locator('section[data-phase]').nth(1));
      const tabText = (await frame.locator('body').textContent()) ?? '';
      expect(tabText).toContain(phaseOne[0]!.text.en.title);
      expect(tabText).toContain('4 of');
      // Let the frame take the page's full height, then capture it.
      const height = await frame
        .locator('body')
        .evaluate((body) => Math.ceil(body.ownerDocument.documentElement.scrollHeight));
      await page
        .locator('#tab')
        .evaluate((iframe, h) => iframe.setAttribute('height', String(h)), height);
      await page.setViewportSize({ width: 1000, height });
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.locator('#tab').screenshot({ path: SCREENSHOT });
      await page.setViewportSize({ width: 1000, height: 900 });
      expect(existsSync(SCREENSHOT)).toBe(true);
    } finally {
      await shippedTab.stop();
      await shippedBot.stop();
    }
  });

  it('outside Teams (a plain browser), says to open it in Teams instead of spinning', async () => {
    const started = Date.now();
    await page.goto(`${tab.baseUrl}/tab`);
    expect(page.url()).toBe(`${tab.baseUrl}/tab/index.html`);
    await page.getByTestId('outside-teams').waitFor({ timeout: 3000 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await page.locator('h2').textContent()).toBe('Open this page in Microsoft Teams');
    expect(await page.getByTestId('loading').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(1);

    // Opened from the manifest's contentUrl (theme and locale filled in by Teams) in a browser.
    await page.goto(`${tab.baseUrl}/tab/index.html?theme=dark&locale=nl-BE`);
    await page.getByTestId('outside-teams').waitFor({ timeout: 3000 });
    expect(await page.locator('h2').textContent()).toBe('Open deze pagina in Microsoft Teams');
    expect(
      await page
        .locator('body')
        .evaluate((b) => (globalThis as any).getComputedStyle(b).backgroundColor),
    ).toBe(BACKGROUND.dark);
  });

  it('stops waiting for a token Teams never sends, after 10 seconds, and says so', async () => {
    const user = bot.user('en-GB');
    const frame = await openTab(tab, user, { auth: 'never' });
    await frame.getByTestId('loading').waitFor();
    const problem = frame.getByTestId('problem');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.textContent()).toContain('Teams did not answer within 10 seconds.');
    expect(await frame.getByTestId('loading').count()).toBe(0);
  });
});
