import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type FrameLocator, type Page } from 'playwright-core';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { projectPath } from '../../src/project-paths';
import { MESSAGES } from '../../tab/src/i18n';
import { PROGRAMME_MESSAGES } from '../../tab/src/programme/programme-i18n';
import { newUser, TENANT } from '../support/activities';
import { TestClock } from '../support/brevet-harness';
import { launchChromium, type LaunchedChromium } from '../support/chromium';
import { conversationFixture } from '../support/conversation';
import { seedDashboard, type Seeded } from '../support/dashboard-seed';
import { ensureTabBuilt } from '../support/tab-build';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import { changeTheme, hostRecord, openInTeamsHost, type TeamsHostOptions } from './teams-host';

/*
 * The training office's programme dashboard (the tab at #/programme) in headless Chromium, inside
 * the Teams host stand-in (./teams-host.ts), against the real app on the real curriculum, with a
 * programme's worth of seeded history in Belgian units (tests/support/dashboard-seed.ts).
 */

const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000ab04';
const ADMIN = newUser('en-GB');
const TODAY = '2026-11-30';
const LEARNERS = 1500;
const UNITS = 24;
const SCREENSHOT = projectPath('docs', 'programme-screenshot.png');
const ARTIFACTS = projectPath('tests', '.artifacts');
const CHARTS = ['activity', 'brevets', 'completion-track', 'completion-language', 'funnel'];

jest.setTimeout(90_000);

describe('the programme dashboard in Teams (headless Chromium)', () => {
  let issuer: TokenIssuer;
  let browser: LaunchedChromium;
  let page: Page;
  let seeded: Seeded;

  beforeAll(async () => {
    ensureTabBuilt();
    issuer = await startTokenIssuer({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      keys: [{ kid: 'entra-1' }],
    });
  });
  // Registered before the fixture's, so it runs first: the browser goes before the app.
  afterAll(() => browser?.close());
  const chat = conversationFixture({
    clock: new TestClock(`${TODAY}T09:00:00Z`),
    env: () => ({
      BOT_ID: undefined,
      AAD_APP_CLIENT_ID: CLIENT_ID,
      AAD_APP_TENANT_ID: TENANT,
      AAD_OPENID_METADATA_URL: issuer.metadataUrl,
      ADMIN_AAD_OBJECT_IDS: ADMIN.aadObjectId,
      PROGRAMME_POPULATION: '1650',
      LOG_LEVEL: 'warn',
    }),
  });
  beforeAll(async () => {
    seeded = await seedDashboard(
      chat.app.brevet.storage.db,
      loadProgramme(projectPath('content')),
      {
        tenantId: TENANT,
        learners: LEARNERS,
        units: UNITS,
        answers: 55_000,
        today: TODAY,
      },
    );
    browser = await launchChromium({ viewport: { width: 1280, height: 1000 } });
    page = browser.page;
  });
  afterAll(() => issuer?.stop());

  const token = (oid: string) =>
    issuer.sign({ aud: CLIENT_ID, tid: TENANT, oid, scp: 'access_as_user', ver: '2.0' });

  async function openDashboard(
    user: { aadObjectId: string; locale: string },
    theme: 'default' | 'dark' = 'default',
    auth: TeamsHostOptions['auth'] = 'ok',
  ): Promise<FrameLocator> {
    await openInTeamsHost(page, {
      baseUrl: chat.app.baseUrl,
      locale: user.locale,
      theme,
      userObjectId: user.aadObjectId,
      tenantId: TENANT,
      token: await token(user.aadObjectId),
      frame: { width: 1280, height: 1000 },
      hash: '#/programme',
      auth,
    });
    return page.frameLocator('#tab');
  }

  /** Waits for `what`; on a timeout, fails with what the page and the host show. */
  async function waitIn(frame: FrameLocator, what: ReturnType<FrameLocator['locator']>) {
    try {
      await what.waitFor({ timeout: 30_000 });
    } catch (error) {
      const shown = await frame
        .locator('body')
        .innerText({ timeout: 1000 })
        .catch(() => '(no body)');
      const calls = await hostRecord(page).catch(() => undefined);
      throw new Error(
        `${(error as Error).message}\nThe tab shows: ${shown.slice(0, 2000)}\nHost: ${JSON.stringify(calls)}`,
      );
    }
  }

  /** How many marks (bars, lines, points) a chart drew in its SVG. */
  const marks = (frame: FrameLocator, chart: string) =>
    frame
      .locator(`[data-chart="${chart}"] svg`)
      .first()
      .evaluate(
        (svg) =>
          svg.querySelectorAll('rect[height]:not([height="0"]), path[d]:not([d=""]), circle')
            .length,
      );

  const unitRows = (frame: FrameLocator) =>
    frame.locator('[data-testid="units-table"] [role="row"][data-unit]');

  it('shows an admin the figures, every chart drawn and every unit, sortable, with a drill-down', async () => {
    const p = PROGRAMME_MESSAGES.en;
    const frame = await openDashboard(ADMIN);
    await waitIn(frame, frame.getByTestId('units-table'));

    expect(await frame.locator('h1').textContent()).toBe(p.title);
    expect(await frame.locator('section h2').allTextContents()).toEqual([
      p.headlineHeading,
      p.activityHeading,
      p.brevetsPerWeekHeading,
      p.completionHeading,
      p.funnelHeading,
      p.unitsHeading,
      p.questionsHeading,
    ]);
    const learners = frame.locator(`[data-figure="${p.learners}"]`);
    expect(await learners.getByTestId('figure-value').textContent()).toBe(
      LEARNERS.toLocaleString('en-GB'),
    );
    expect(await learners.textContent()).toContain('of the 1,650 people expected');

    // Every chart drew its marks (an empty chart draws axes only).
    for (const chart of CHARTS) {
      await waitIn(frame, frame.locator(`[data-chart="${chart}"] svg`).first());
      expect([chart, (await marks(frame, chart)) >= 5]).toEqual([chart, true]);
    }

    // Every unit, by name first; then by members, largest first after two clicks.
    expect(await unitRows(frame).count()).toBe(UNITS);
    const names = await unitRows(frame).evaluateAll((rows) =>
      rows.map((row) => row.querySelector('[role="gridcell"]')?.textContent ?? ''),
    );
    expect(names).toEqual(
      [...seeded.units.map((u) => u.name)].sort((a, b) => a.localeCompare(b, 'en')),
    );
    expect(names.every((name) => / – /.test(name))).toBe(true);
    const members = frame.getByRole('columnheader', { name: p.members });
    await members.click();
    await members.click();
    expect(await members.getAttribute('aria-sort')).toBe('descending');
    const counts = await unitRows(frame).evaluateAll((rows) =>
      rows.map((row) => Number(row.querySelectorAll('[role="gridcell"]')[1]?.textContent)),
    );
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    // The drill-down: the unit's phases and its members' lessons, then back to every unit.
    const first = names[0]!;
    await frame.getByRole('button', { name: p.openUnit(first) }).click();
    const detail = frame.getByTestId('unit-detail');
    await waitIn(frame, detail);
    expect(await detail.locator('h3').textContent()).toBe(first);
    expect(await detail.locator('tr[data-lesson]').count()).toBe(20);
    await frame.getByRole('button', { name: p.backToUnits }).click();
    await waitIn(frame, frame.getByTestId('units-table'));

    // Questions hardest first; the German text that misleads is flagged.
    const shares = await frame
      .locator('[data-testid="questions-table"] tr[data-question]')
      .evaluateAll((rows) =>
        rows.map((row) => Number(row.querySelectorAll('td')[2]?.textContent?.replace('%', ''))),
      );
    expect(shares.length).toBeGreaterThan(40);
    expect(shares).toEqual([...shares].sort((a, b) => a - b));
    expect(await frame.getByTestId('flagged').count()).toBeGreaterThan(0);

    // The units table as CSV, as the server writes it.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      frame.locator('[data-testid="units"] button[data-csv="/units"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`brevet-programme-units-${TODAY}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFUnit,Members,Members using Brevet,')).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(UNITS + 1);

    // Teams switches to the dark theme: the page follows.
    mkdirSync(ARTIFACTS, { recursive: true });
    await changeTheme(page, 'dark');
    // The page marks the theme it applied on <html>, in the same step as the background.
    await waitIn(frame, frame.locator('html[data-theme="dark"]'));
    expect(
      await frame
        .locator('body')
        .evaluate((body) => (globalThis as any).getComputedStyle(body).backgroundColor),
    ).toBe('rgb(31, 31, 31)');
    await page.locator('#tab').screenshot({ path: path.join(ARTIFACTS, 'programme-dark.png') });
    expect(browser.blocked.filter((url) => !url.includes('res.cdn.office.net'))).toEqual([]);
  });

  it('says to sign in again when Teams refuses the token for a unit, and keeps every unit on screen', async () => {
    const frame = await openDashboard({ ...ADMIN, locale: 'fr-BE' }, 'default', 'failLater');
    await waitIn(frame, frame.getByTestId('units-table'));
    const first = await unitRows(frame).first().getAttribute('data-unit');
    await frame.locator(`[data-unit="${first}"] button`).first().click();
    const problem = frame.getByTestId('problem');
    await waitIn(frame, problem);
    expect(await problem.getAttribute('data-failure')).toBe('signIn');
    expect(await problem.textContent()).toContain(MESSAGES.fr.signInErrorTitle);
    expect(await unitRows(frame).count()).toBe(UNITS);
    expect(await frame.getByTestId('unit-detail').count()).toBe(0);
  });

  it('tells anyone else, in their language, that the page is not for them (the API: 403)', async () => {
    const learner = { aadObjectId: newUser('nl-BE').aadObjectId, locale: 'nl-BE' };
    const frame = await openDashboard(learner);
    const notForYou = frame.getByTestId('not-for-you');
    await waitIn(frame, notForYou);
    expect(await notForYou.locator('h2').textContent()).toBe(PROGRAMME_MESSAGES.nl.notForYouTitle);
    expect(await notForYou.textContent()).toContain('Mijn brevet');
    expect(await frame.locator('[data-chart]').count()).toBe(0);
    expect(await frame.getByTestId('units-table').count()).toBe(0);
    const response = await fetch(`${chat.app.baseUrl}/api/programme/units`, {
      headers: { Authorization: `Bearer ${await token(learner.aadObjectId)}` },
    });
    expect([response.status, await response.json()]).toEqual([403, { error: 'not_admin' }]);
  });

  it('takes a screenshot for the README (an admin, English, light theme)', async () => {
    const frame = await openDashboard(ADMIN);
    await waitIn(frame, frame.getByTestId('units-table'));
    for (const chart of CHARTS)
      await waitIn(frame, frame.locator(`[data-chart="${chart}"] svg`).first());
    // Chart animations settle; the frame is then as tall as the page down to the units table
    // (the questions' long table is left out of the picture).
    await page.waitForTimeout(1500);
    const height = await frame
      .locator('[data-testid="units"]')
      .evaluate((units) =>
        Math.ceil(
          units.getBoundingClientRect().bottom + units.ownerDocument.defaultView!.scrollY + 24,
        ),
      );
    await page
      .locator('#tab')
      .evaluate((iframe, h) => iframe.setAttribute('height', String(h)), height);
    await page.setViewportSize({ width: 1280, height });
    await page.waitForTimeout(1000);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.locator('#tab').screenshot({ path: SCREENSHOT });
    await page.setViewportSize({ width: 1280, height: 1000 });
  });
});
