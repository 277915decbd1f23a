import {
  Button,
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
import { useCallback, useRef, useState } from 'react';
import { fetchProgress, type LoadFailure } from './api';
import { Problem } from './components/Problem';
import { messagesFor } from './i18n';
import { PhaseCard } from './components/PhaseCard';
import { UpNext, Welcome } from './components/UpNext';
import { YourData } from './components/YourData';
import { languageFromLocale, type ProgressDocument } from './progress';
import { failureOf, OutsideTeams, signInToken, usePageChrome, useTeamsHost } from './teams-page';

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
  phases: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
});

export function App() {
  const styles = useStyles();
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
      outcome = {
        kind: 'ready',
        document: await fetchProgress(await signInToken(), teamsLocale),
        refreshing: false,
      };
    } catch (error) {
      outcome = { kind: 'failed', failure: failureOf(error) };
    } finally {
      loading.current = false;
    }
    setView((current) =>
      outcome.kind === 'failed' && current.kind === 'ready'
        ? { kind: 'ready', document: current.document, refreshing: false, failure: outcome.failure }
        : outcome,
    );
  }, []);

  const { theme, locale } = useTeamsHost({
    connected: (teamsLocale) => void load(teamsLocale),
    outside: (timedOut) => setView({ kind: 'outsideTeams', timedOut }),
  });

  // Lesson titles come in the learner's language (the server's), so the page follows it once
  // known; until then, the Teams locale.
  const language =
    view.kind === 'ready' ? view.document.learner.language : languageFromLocale(locale);
  const t = messagesFor(language);
  const fluentTheme = usePageChrome(language, t.appTitle, theme);

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
          <OutsideTeams t={t} timedOut={view.timedOut} body={t.outsideTeamsBody} />
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
