import {
  Button,
  Card,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { LoadError, type LoadFailure } from './api';
import { type Messages } from './i18n';
import { type Language } from './progress';
import {
  connectToTeams,
  getSsoToken,
  NotInTeamsError,
  onThemeChange,
  TEAMS_SECONDS,
  TimeoutError,
  toTheme,
  type TeamsTheme,
} from './teams';
import { THEMES } from './themes';

/**
 * What the tab's two pages ("My brevet" and the programme dashboard) share to start inside Teams:
 * the theme and locale, the connection to the host, the page's language, title and background,
 * the panel shown outside Teams, and the SSO token and failures of a load.
 */

/**
 * The manifest's contentUrl carries `?theme={theme}&locale={locale}` (Teams fills them in), so the
 * first paint already has the right theme and language; teams-js' context then takes over.
 */
function fromUrl(): { theme: TeamsTheme; locale: string } {
  const params = new URLSearchParams(window.location.search);
  return {
    theme: toTheme(params.get('theme') ?? undefined),
    locale: params.get('locale') || navigator.language,
  };
}

/**
 * Connects to Teams once: `connected` with the host's locale (the page loads then), or `outside`
 * when there is no Teams host (`timedOut`: it did not answer in time). Follows theme changes.
 */
export function useTeamsHost(handlers: {
  connected: (locale: string) => void;
  outside: (timedOut: boolean) => void;
}): { theme: TeamsTheme; locale: string } {
  const [theme, setTheme] = useState<TeamsTheme>(() => fromUrl().theme);
  const [locale, setLocale] = useState<string>(() => fromUrl().locale);
  // The latest handlers, without connecting again when they change.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    let cancelled = false;
    connectToTeams().then(
      (session) => {
        if (cancelled) return;
        setLocale(session.locale);
        setTheme(session.theme);
        onThemeChange(setTheme);
        latest.current.connected(session.locale);
      },
      (error: unknown) => {
        if (cancelled) return;
        latest.current.outside(error instanceof NotInTeamsError && error.timedOut);
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return { theme, locale };
}

/**
 * The page's language and title, and the theme's background over the whole viewport (the page may
 * be shorter than the frame). Returns the Fluent theme to provide.
 */
export function usePageChrome(language: Language, title: string, theme: TeamsTheme) {
  const fluentTheme = THEMES[theme];
  useEffect(() => {
    document.documentElement.lang = language;
    document.title = title;
  }, [language, title]);
  useEffect(() => {
    document.body.style.margin = '0';
    document.body.style.backgroundColor = fluentTheme.colorNeutralBackground3;
    document.documentElement.style.colorScheme = theme === 'default' ? 'light' : 'dark';
    document.documentElement.dataset.theme = theme;
  }, [fluentTheme, theme]);
  return fluentTheme;
}

/** The SSO token for a load; a failure is the "sign in" problem, not an unavailable server. */
export async function signInToken(): Promise<string> {
  try {
    return await getSsoToken();
  } catch (error) {
    throw new LoadError({ kind: 'signIn', timedOut: error instanceof TimeoutError });
  }
}

/** What went wrong in a load, as the page explains it (anything unexpected: unavailable). */
export function failureOf(error: unknown): LoadFailure {
  return error instanceof LoadError ? error.failure : { kind: 'unavailable', timedOut: false };
}

const useStyles = makeStyles({
  panel: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  panelTitle: { ...typographyStyles.subtitle1, margin: 0 },
});

/** The page was opened outside Teams (or Teams did not answer): what to do, and a retry. */
export function OutsideTeams({
  t,
  timedOut,
  body,
}: {
  t: Messages;
  timedOut: boolean;
  /** Where to find the page in Teams, when the page has a place to name. */
  body?: string;
}) {
  const styles = useStyles();
  return (
    <section aria-labelledby="outside-teams-title" data-testid="outside-teams">
      <Card className={styles.panel}>
        <h2 id="outside-teams-title" className={styles.panelTitle}>
          {t.outsideTeamsTitle}
        </h2>
        {body && <Text>{body}</Text>}
        {timedOut && <Text>{t.teamsTimeoutDetail(TEAMS_SECONDS)}</Text>}
        <div>
          <Button onClick={() => window.location.reload()}>{t.retry}</Button>
        </div>
      </Card>
    </section>
  );
}
