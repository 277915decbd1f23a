import {
  Button,
  Card,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchProgress, LoadError, type LoadFailure } from './api';
import { Problem } from './components/Problem';
import { messagesFor } from './i18n';
import { PhaseCard } from './components/PhaseCard';
import { UpNext, Welcome } from './components/UpNext';
import { YourData } from './components/YourData';
import { languageFromLocale, type ProgressDocument } from './progress';
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

type View =
  | { kind: 'connecting' }
  | { kind: 'outsideTeams'; timedOut: boolean }
  | { kind: 'loading' }
  | { kind: 'failed'; failure: LoadFailure }
  | {
      kind: 'ready';
      document: ProgressDocument;
      refreshing: boolean;
      /** A refresh that failed: the last progress stays on screen under the message. */
      failure?: LoadFailure;
    };

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground3 },
  main: {
    boxSizing: 'border-box',
    maxWidth: '960px',
    marginInline: 'auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXL}`,
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalL,
  },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
  },
  title: { ...typographyStyles.title2, margin: 0 },
  subtitle: { color: tokens.colorNeutralForeground2 },
  headerActions: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  status: { paddingBlock: tokens.spacingVerticalXXL },
  panel: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  panelTitle: { ...typographyStyles.subtitle1, margin: 0 },
  phases: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
});

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

export function App() {
  const styles = useStyles();
  const [theme, setTheme] = useState<TeamsTheme>(() => fromUrl().theme);
  const [locale, setLocale] = useState<string>(() => fromUrl().locale);
  const [view, setView] = useState<View>({ kind: 'connecting' });
  const [erased, setErased] = useState(false);
  const loading = useRef(false);

  const load = useCallback(async (teamsLocale: string) => {
    if (loading.current) return;
    loading.current = true;
    setView((current) =>
      current.kind === 'ready'
        ? { kind: 'ready', document: current.document, refreshing: true }
        : { kind: 'loading' },
    );
    let outcome: View;
    try {
      let token: string;
      try {
        token = await getSsoToken();
      } catch (error) {
        throw new LoadError({ kind: 'signIn', timedOut: error instanceof TimeoutError });
      }
      outcome = {
        kind: 'ready',
        document: await fetchProgress(token, teamsLocale),
        refreshing: false,
      };
    } catch (error) {
      const failure: LoadFailure =
        error instanceof LoadError ? error.failure : { kind: 'unavailable', timedOut: false };
      outcome = { kind: 'failed', failure };
    } finally {
      loading.current = false;
    }
    setView((current) =>
      outcome.kind === 'failed' && current.kind === 'ready'
        ? { kind: 'ready', document: current.document, refreshing: false, failure: outcome.failure }
        : outcome,
    );
  }, []);

  useEffect(() => {
    let cancelled = false;
    connectToTeams().then(
      (session) => {
        if (cancelled) return;
        setLocale(session.locale);
        setTheme(session.theme);
        onThemeChange(setTheme);
        void load(session.locale);
      },
      (error: unknown) => {
        if (cancelled) return;
        setView({
          kind: 'outsideTeams',
          timedOut: error instanceof NotInTeamsError && error.timedOut,
        });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [load]);

  // Lesson titles come in the learner's language (the server's), so the page follows it once
  // known; until then, the Teams locale.
  const language =
    view.kind === 'ready' ? view.document.learner.language : languageFromLocale(locale);
  const t = messagesFor(language);
  const fluentTheme = THEMES[theme];

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = t.appTitle;
  }, [language, t]);
  useEffect(() => {
    // The whole viewport takes the theme's background (the page may be shorter than the frame).
    document.body.style.margin = '0';
    document.body.style.backgroundColor = fluentTheme.colorNeutralBackground3;
    document.documentElement.style.colorScheme = theme === 'default' ? 'light' : 'dark';
    document.documentElement.dataset.theme = theme;
  }, [fluentTheme, theme]);

  const retry = () => void load(locale);
  const busy = view.kind === 'ready' && view.refreshing;

  return (
    <FluentProvider theme={fluentTheme} className={styles.provider}>
      <main className={styles.main}>
        <header className={styles.header}>
          <h1 className={styles.title}>{t.appTitle}</h1>
          {(view.kind === 'ready' || view.kind === 'failed') && (
            <div className={styles.headerActions}>
              {busy && <Spinner size="tiny" label={t.refreshing} />}
              <Button
                appearance="subtle"
                icon={<ArrowClockwise20Regular />}
                onClick={retry}
                disabled={busy}
              >
                {t.refresh}
              </Button>
            </div>
          )}
        </header>

        <div aria-live="polite" role="status">
          {(view.kind === 'connecting' || view.kind === 'loading') && (
            <Spinner
              className={styles.status}
              label={view.kind === 'connecting' ? t.connecting : t.loadingProgress}
              data-testid="loading"
            />
          )}
        </div>

        {view.kind === 'outsideTeams' && (
          <section aria-labelledby="outside-teams-title" data-testid="outside-teams">
            <Card className={styles.panel}>
              <h2 id="outside-teams-title" className={styles.panelTitle}>
                {t.outsideTeamsTitle}
              </h2>
              <Text>{t.outsideTeamsBody}</Text>
              {view.timedOut && <Text>{t.teamsTimeoutDetail(TEAMS_SECONDS)}</Text>}
              <div>
                <Button onClick={() => window.location.reload()}>{t.retry}</Button>
              </div>
            </Card>
          </section>
        )}

        {erased && (
          <MessageBar intent="success" data-testid="data-erased">
            <MessageBarBody>{t.dataErased}</MessageBarBody>
          </MessageBar>
        )}

        {view.kind === 'failed' && <Problem failure={view.failure} t={t} onRetry={retry} />}

        {view.kind === 'ready' && (
          <>
            {view.failure && <Problem failure={view.failure} t={t} onRetry={retry} />}
            {view.document.learner.known === false ? (
              <Welcome document={view.document} t={t} />
            ) : (
              <>
                {view.document.learner.trackTitle && (
                  <Text className={styles.subtitle} data-testid="track">
                    {t.track(view.document.learner.trackTitle)}
                  </Text>
                )}
                <UpNext document={view.document} language={language} t={t} />
              </>
            )}
            <div className={styles.phases}>
              {view.document.phases.map((phase, index) => (
                <PhaseCard
                  key={phase.id}
                  phase={phase}
                  position={index + 1}
                  language={language}
                  t={t}
                />
              ))}
            </div>
            {view.document.learner.known && (
              <YourData
                t={t}
                onErased={() => {
                  setErased(true);
                  retry();
                }}
              />
            )}
          </>
        )}
      </main>
    </FluentProvider>
  );
}
