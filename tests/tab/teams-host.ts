import { type Page } from 'playwright-core';

/**
 * A stand-in for the Teams web client as far as a tab sees it: a page that frames the tab and
 * answers teams-js' postMessage protocol (teams-js 2.x, dist/umd/MicrosoftTeams.js):
 *
 * - the tab posts requests `{ id, uuidAsString, func, args, … }` to its parent;
 * - the host answers with `{ id, uuidAsString, args }` (teams-js matches the uuid, or the numeric id);
 * - `initialize` → `[frameContext, hostClientType, runtimeConfig (JSON), clientSupportedSDKVersion]`;
 * - `getContext` → `[legacyContext]` (flat: locale, theme, userObjectId, tid, …; teams-js turns it
 *   into app.Context with app.locale, app.theme, user.id, user.tenant.id);
 * - `authentication.getAuthToken` → `[true, token]` or `[false, reason]`;
 * - `executeDeepLink` (app.openLink) → `[true]`;
 * - host → tab events are `{ func: 'themeChange', args: [theme] }`.
 *
 * teams-js only accepts messages from Teams' own https origins, origins the app lists in
 * app.initialize(), or its own origin. The host page is therefore served at the tab's origin
 * (intercepted by Playwright, never by the app), as the real tab trusts no test origin.
 */

export interface TeamsHostOptions {
  /** The Brevet server serving the tab (http://127.0.0.1:port). */
  baseUrl: string;
  locale: string;
  theme: 'default' | 'dark' | 'contrast';
  userObjectId: string;
  tenantId: string;
  /** The SSO token the host hands out. */
  token: string;
  /**
   * `failFirst`: the first getAuthToken fails (e.g. consent), later ones succeed. `failLater`: the
   * first succeeds, later ones fail (the session expired meanwhile). `never`: no answer.
   */
  auth?: 'ok' | 'failFirst' | 'failLater' | 'never';
  /** Size of the tab's frame. */
  frame?: { width: number; height: number };
  /** The page of the tab: `#/programme` for the programme dashboard (the manifest's tab). */
  hash?: string;
}

/** What the host saw, read back from the page. */
export interface HostRecord {
  calls: string[];
  openedLinks: string[];
}

const HOST_PATH = '/__teams-host.html';

// teams-js runtime config (apiVersion 4 = latestRuntimeApiVersion in teams-js 2.58).
const RUNTIME_CONFIG = {
  apiVersion: 4,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  isLegacyTeams: false,
  supports: {
    appEntity: {},
    appInstallDialog: {},
    chat: {},
    dialog: { card: { bot: {} }, url: { bot: {} }, update: {} },
    pages: { appButton: {}, tabs: {}, config: {}, backStack: {}, fullTrust: {} },
    teamsCore: {},
  },
};

function hostHtml(options: TeamsHostOptions): string {
  const config = {
    locale: options.locale,
    theme: options.theme,
    userObjectId: options.userObjectId,
    tenantId: options.tenantId,
    token: options.token,
    auth: options.auth ?? 'ok',
    runtimeConfig: JSON.stringify(RUNTIME_CONFIG),
  };
  const { width, height } = options.frame ?? { width: 1000, height: 900 };
  // The manifest's contentUrl, with the placeholders Teams fills in.
  const contentUrl = `/tab/index.html?theme=${encodeURIComponent(options.theme)}&locale=${encodeURIComponent(options.locale)}${options.hash ?? ''}`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Teams host stand-in</title>
<style>body{margin:0;background:#444}iframe{border:0;display:block}</style></head>
<body>
<iframe id="tab" title="My brevet" width="${width}" height="${height}" src="${contentUrl}"></iframe>
<script id="config" type="application/json">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
<script>
  const config = JSON.parse(document.getElementById('config').textContent);
  const frame = document.getElementById('tab');
  window.hostRecord = { calls: [], openedLinks: [] };
  let authCalls = 0;
  window.addEventListener('message', (event) => {
    const message = event.data;
    if (event.source !== frame.contentWindow || !message || typeof message.func !== 'string') return;
    window.hostRecord.calls.push(message.func);
    const reply = (args) =>
      frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, event.origin);
    switch (message.func) {
      case 'initialize':
        reply(['content', 'web', config.runtimeConfig, '2.58.0']);
        break;
      case 'getContext':
        reply([{
          locale: config.locale,
          theme: config.theme,
          userObjectId: config.userObjectId,
          tid: config.tenantId,
          entityId: 'myBrevet',
          frameContext: 'content',
          hostClientType: 'web',
          hostName: 'Teams',
          appSessionId: 'host-session',
        }]);
        break;
      case 'authentication.getAuthToken':
        authCalls += 1;
        if (config.auth === 'never') break;
        if (config.auth === 'failFirst' && authCalls === 1) reply([false, 'resourceRequiresConsent']);
        else if (config.auth === 'failLater' && authCalls > 1) reply([false, 'resourceRequiresConsent']);
        else reply([true, config.token]);
        break;
      case 'executeDeepLink':
        window.hostRecord.openedLinks.push(message.args[0]);
        reply([true]);
        break;
      default:
        // registerHandler, appInitialization.success, …: one-way messages, no answer.
        break;
    }
  });
  window.setTeamsTheme = (theme) =>
    frame.contentWindow.postMessage({ func: 'themeChange', args: [theme] }, location.origin);
</script>
</body></html>`;
}

/** Opens the host page (which frames the tab) in `page`. */
export async function openInTeamsHost(page: Page, options: TeamsHostOptions): Promise<void> {
  const url = `${options.baseUrl}${HOST_PATH}`;
  await page.unroute(url).catch(() => undefined);
  await page.route(url, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: hostHtml(options),
    }),
  );
  await page.goto(url);
}

export async function hostRecord(page: Page): Promise<HostRecord> {
  return page.evaluate(() => (globalThis as any).hostRecord as HostRecord);
}

/** Sends Teams' themeChange event to the tab, as Teams does when the user switches theme. */
export async function changeTheme(page: Page, theme: 'default' | 'dark' | 'contrast') {
  await page.evaluate((value) => (globalThis as any).setTeamsTheme(value), theme);
}
