/**
 * The tab's only contact with Teams (teams-js 2.x): initialize, context, theme changes, SSO token,
 * opening the chat. Every call that waits on the host is bounded, so the page never spins forever
 * (app.initialize() then authentication.getAuthToken():
 * https://learn.microsoft.com/microsoftteams/platform/tabs/how-to/authentication/tab-sso-code).
 */
import { app, authentication } from '@microsoft/teams-js';

/** How long the tab waits for Teams (initialize, context, token) before saying what to do. */
export const TEAMS_TIMEOUT_MS = 10_000;
export const TEAMS_SECONDS = Math.round(TEAMS_TIMEOUT_MS / 1000);

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export class TimeoutError extends Error {
  constructor(
    what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/** The page is not hosted by Teams (a plain browser), or Teams did not answer initialize. */
export class NotInTeamsError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function toTheme(value: string | undefined): TeamsTheme {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

export interface TeamsSession {
  locale: string;
  theme: TeamsTheme;
}

let session: Promise<TeamsSession> | undefined;

async function connect(): Promise<TeamsSession> {
  // A top-level page with no opener has no host to talk to: say so at once instead of waiting.
  if (window.parent === window && !window.opener) {
    throw new NotInTeamsError('not in a frame: no Teams host', false);
  }
  try {
    await withTimeout(app.initialize(), TEAMS_TIMEOUT_MS, 'app.initialize');
  } catch (error) {
    throw new NotInTeamsError(
      String((error as Error)?.message ?? error),
      error instanceof TimeoutError,
    );
  }
  let context: app.Context | undefined;
  try {
    context = await withTimeout(app.getContext(), TEAMS_TIMEOUT_MS, 'app.getContext');
  } catch {
    // Without a context the tab still works: browser language, light theme.
  }
  // Hides Teams' own loading indicator when the manifest asks for one; harmless otherwise.
  app.notifySuccess().catch(() => undefined);
  return {
    locale: context?.app.locale ?? navigator.language,
    theme: toTheme(context?.app.theme),
  };
}

/**
 * Connects to the Teams host once (initialize is one-shot in teams-js; a failed attempt is retried
 * by reloading the page).
 */
export function connectToTeams(): Promise<TeamsSession> {
  session ??= connect();
  return session;
}

/** Follows the theme the learner picks in Teams (default, dark, high contrast). */
export function onThemeChange(handler: (theme: TeamsTheme) => void): void {
  app.registerOnThemeChangeHandler((theme) => handler(toTheme(theme)));
}

/** The Teams SSO token for this app (an Entra access token for api://…/<client id>). */
export function getSsoToken(): Promise<string> {
  return withTimeout(
    authentication.getAuthToken(),
    TEAMS_TIMEOUT_MS,
    'authentication.getAuthToken',
  );
}

/** Opens a Teams deep link (the 1:1 chat with the bot). */
export function openInTeams(url: string): Promise<void> {
  return withTimeout(app.openLink(url), TEAMS_TIMEOUT_MS, 'app.openLink');
}
