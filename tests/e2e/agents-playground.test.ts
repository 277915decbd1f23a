/**
 * Brevet in a real browser: headless Chromium → Microsoft 365 Agents Playground (child process,
 * the Teams-like web chat and mock Bot Connector) → Brevet (in-process, temp SQLite).
 *
 * Playground quirks (0.2.28) this test relies on:
 * - It reads `.m365agentsplayground.yml` from its cwd, or from M365_AGENTS_PLAYGROUND_CONFIG_PATH.
 *   It appends its log to ./devTools/m365agentsplayground.log unless M365_AGENTS_PLAYGROUND_LOGFILE
 *   says otherwise, so the test runs it in a temp dir with both set.
 * - `-p` falls back to a random port when the port is taken; the only trace is the
 *   "Listening on <port>" line on stdout (when stdout is not a TTY), so the test reads it.
 *   That line comes before the config file is read; errors (a bad config file) go to the log
 *   file only, then it exits 1: the test waits for /_internal/v1/config and shows the log.
 * - The serviceUrl it gives the bot is http://localhost:<port>/_connector unless --service-url
 *   is set; the test sets it to 127.0.0.1 so the bot's replies stay on IPv4 loopback.
 * - Every activity says locale en-US (hard-coded; the config file has no locale, the browser's
 *   and the process's locale are ignored), so Brevet answers in English.
 * - The install (installationUpdate, then a conversationUpdate *without* locale or clientInfo)
 *   is sent when the page loads, not when the server starts; every page load installs again.
 * - The page loads fonts and an animation worklet from res-1.cdn.office.net: the browser's request
 *   filter aborts them and the UI works without them. Its large bundle takes several seconds to
 *   start in headless Chromium, hence the generous first wait.
 * - Action.Execute replaces the card in place (the clicked card becomes the response card);
 *   a "Your response was sent to the app" banner shows under it.
 * - Only the personal chat has a single composer; a channel has two (new post, reply), and a
 *   channel message reaches the bot only with an @mention picked from the composer's popup.
 *   Opening a team channel the first time installs the app in the team.
 * - The server listens on all interfaces (no host flag); the page is opened on 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { type Question } from '../../src/curriculum/curriculum-types';
import { translate, type MessageKey } from '../../src/i18n/messages';
import { projectPath } from '../../src/project-paths';
import { startBrevet, tempDir, type RunningBrevet } from '../support/brevet-harness';
import { launchChromium, type LaunchedChromium } from '../support/chromium';

const PLAYGROUND_CLI = require.resolve('@microsoft/m365agentsplayground/cli.js');
const CONFIG_FILE = projectPath('.m365agentsplayground.yml');
const ARTIFACTS = projectPath('tests', '.artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'agents-playground.png');

const programme = loadProgramme(projectPath('content'));
const lesson = programme.curriculum.lessons[0]!;
const text = lesson.text.en;
const t = (key: MessageKey, params?: Record<string, string | number>) =>
  translate('en', key, params);

/** The title of a question's choice button, as lesson-cards.ts renders it. */
function buttonTitle(question: Question, choiceId: string): string {
  if (question.kind === 'truefalse') return question.text.en.choices[choiceId] ?? choiceId;
  return 'ABCDEF'[question.choices.indexOf(choiceId)] ?? choiceId;
}

/** Collapses whitespace: Adaptive Cards render folded YAML text as single spaces. */
const squash = (value: string) => value.replace(/\s+/g, ' ').trim();

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Playground {
  url: string;
  child: ChildProcess;
  output: () => string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of a file, or '' if it cannot be read. */
function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Resolves with the port once stdout says "Listening on <port>"; rejects if the child dies. */
function listeningPort(child: ChildProcess, stdout: () => string, timeoutMs: number) {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no "Listening on" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /Listening on (\d+)/.exec(stdout());
      if (match) finish(undefined, Number(match[1]));
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`it exited (code ${code}, signal ${signal})`));
    const onError = (error: Error) => finish(error);
    function finish(error?: Error, port?: number) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve(port as number);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
    onData();
  });
}

/**
 * Starts the playground on a free loopback port and waits until it serves its configuration.
 * It prints "Listening on" *before* it reads the config file, and writes its errors (a bad
 * config file, for one) to its log file only, then exits 1: both are checked here.
 */
async function startPlayground(botEndpoint: string, workDir: string): Promise<Playground> {
  const port = await freePort();
  const logFile = path.join(workDir, 'playground.log');
  const child = spawn(
    process.execPath,
    [
      PLAYGROUND_CLI,
      '--disable-telemetry',
      '-c',
      'msteams',
      '-p',
      String(port),
      '--service-url',
      `http://127.0.0.1:${port}/_connector`,
    ],
    {
      cwd: workDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? workDir,
        TZ: 'UTC',
        NO_PROXY: '*',
        TEAMSAPPTESTER_BROWSER: 'none',
        BOT_ENDPOINT: botEndpoint,
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: CONFIG_FILE,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
      },
    },
  );
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const output = () =>
    `${stdout.trim() || '(no output)'}\n--- ${logFile} ---\n${tailOf(logFile) || '(empty)'}`;
  const url = `http://127.0.0.1:${port}/`;

  try {
    const listening = await listeningPort(child, () => stdout, 30_000);
    if (listening !== port) {
      throw new Error(`it took port ${listening} instead of ${port} (port raced away; rerun)`);
    }
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`it exited (code ${child.exitCode}, signal ${child.signalCode})`);
      }
      const ready = await fetch(`${url}_internal/v1/config`, {
        signal: AbortSignal.timeout(2_000),
      })
        .then(async (response) => (await response.arrayBuffer()) && response.ok)
        .catch(() => false);
      if (ready) break;
      if (Date.now() > deadline) throw new Error('its configuration was not served within 15 s');
      await sleep(200);
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(
      `The Agents Playground could not start here: ${(error as Error).message}.\n` +
        `Command: node ${PLAYGROUND_CLI} -p ${port}\n${output()}`,
    );
  }
  return { url, child, output };
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child is gone. */
async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited.finally(() => clearTimeout(timer));
}

/** The newest Adaptive Card in the open chat (cards updated in place keep their position). */
const lastCard = (page: Page): Locator => page.locator('.ac-adaptiveCard').last();
const cardButton = (card: Locator, title: string): Locator =>
  card.locator(`.ac-actionSet button[aria-label="${title}"]`);

describe('Agents Playground: a learner takes a lesson in a browser', () => {
  const tmp = tempDir();
  let app: RunningBrevet | undefined;
  let playground: Playground | undefined;
  let browser: LaunchedChromium | undefined;

  beforeAll(async () => {
    app = await startBrevet({ SQLITE_PATH: path.join(tmp.dir, 'brevet.sqlite') });
    playground = await startPlayground(`${app.baseUrl}/api/messages`, tmp.dir);
    browser = await launchChromium({ timeoutMs: 20_000 });
  }, 120_000);

  afterAll(async () => {
    // Each step runs even if an earlier one (or beforeAll) failed.
    await browser?.close().catch((error) => console.error(error));
    await stopChild(playground?.child).catch((error) => console.error(error));
    await app?.stop().catch((error) => console.error(error));
    tmp.cleanup();
  }, 30_000);

  it('installs, sends "next", pages through the lesson and answers two questions', async () => {
    const page = browser!.page;
    try {
      await page.goto(playground!.url, { waitUntil: 'domcontentloaded' });

      // The page load installs the app in the personal chat: Brevet's welcome card.
      const welcome = page.locator('.ac-adaptiveCard', { hasText: t('welcome.title') });
      await welcome.first().waitFor({ timeout: 60_000 });
      expect(await cardButton(welcome.first(), t('welcome.start')).count()).toBe(1);
      expect(await page.locator('button[aria-label="Personal Chat"]').count()).toBe(1);

      // Type "next" in the composer: the first lesson, page 1.
      const composer = page.locator('div[role="textbox"][contenteditable="true"]');
      await composer.click();
      await composer.pressSequentially('next');
      await composer.press('Enter');
      await page.locator('.ac-adaptiveCard', { hasText: text.title }).waitFor();
      let card = lastCard(page);
      await card.getByText(t('lesson.page', { page: 1, pages: text.pages.length })).waitFor();

      // Page through with the card's own buttons (Action.Execute, card replaced in place).
      for (let index = 2; index <= text.pages.length; index += 1) {
        await cardButton(card, t('lesson.nextPage')).click();
        await card.getByText(t('lesson.page', { page: index, pages: text.pages.length })).waitFor();
      }
      expect(await cardButton(card, t('lesson.nextPage')).count()).toBe(0);

      // Take the quiz: question 1 with one button per choice.
      const [first, second] = lesson.questions;
      await cardButton(card, t('lesson.startQuiz')).click();
      card = lastCard(page);
      await card.getByText(squash(first!.text.en.question)).waitFor();
      for (const choice of first!.choices) {
        expect(await cardButton(card, buttonTitle(first!, choice)).count()).toBe(1);
      }

      // Right answer: "✔ Correct", the explanation, then question 2 on the same card.
      await cardButton(card, buttonTitle(first!, first!.answer)).click();
      await card.getByText(`✔ ${t('quiz.correct')}`).waitFor();
      expect(squash(await card.innerText())).toContain(squash(first!.text.en.explanation));
      await card.getByText(squash(second!.text.en.question)).waitFor();

      // Wrong answer: "✘ Not quite", the right answer, the explanation.
      const wrong = second!.choices.find((choice) => choice !== second!.answer)!;
      await cardButton(card, buttonTitle(second!, wrong)).click();
      await card.getByText(`✘ ${t('quiz.wrong')}`).waitFor();
      const answered = squash(await card.innerText());
      expect(answered).toContain(squash(second!.text.en.explanation));
      expect(answered).toContain(
        t('quiz.rightAnswer', { choice: buttonTitle(second!, second!.answer) }),
      );
      expect(answered).not.toContain(`✔ ${t('quiz.correct')}`);

      mkdirSync(ARTIFACTS, { recursive: true });
      await card.screenshot({ path: SCREENSHOT });

      // The app logged no error while serving the playground.
      const errors = app!.logs.lines.filter((line) => Number(line.level) >= 50);
      expect(errors).toEqual([]);
    } catch (error) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page
        .screenshot({ path: path.join(ARTIFACTS, 'agents-playground-failure.png') })
        .catch(() => undefined);
      console.error(
        `Playground output:\n${playground?.output() ?? '(not started)'}\n` +
          `Requests the browser refused: ${browser?.blocked.join(', ') || 'none'}`,
      );
      throw error;
    }
  }, 180_000);
});
