import {
  Button,
  Card,
  FluentProvider,
  Spinner,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowClockwise20Regular } from '@fluentui/react-icons';
import { type ReactNode, useCallback, useRef, useState } from 'react';
import { type LoadFailure } from '../api';
import { Problem } from '../components/Problem';
import { messagesFor } from '../i18n';
import { formatDate, languageFromLocale, LOCALE_TAG, type Language } from '../progress';
import { failureOf, OutsideTeams, signInToken, usePageChrome, useTeamsHost } from '../teams-page';
import { CsvButton } from './CsvButton';
import { ActivityChart, BrevetsChart, CompletionCharts, FunnelChart } from './ProgrammeCharts';
import {
  fetchProgramme,
  NotAdminError,
  type ActivityDocument,
  type CompletionDocument,
  type FunnelDocument,
  type QuestionsDocument,
  type SummaryDocument,
  type UnitDocument,
  type UnitRow,
  type UnitsDocument,
} from './programme-api';
import { programmeMessagesFor, type ProgrammeMessages } from './programme-i18n';
import { QuestionsTable } from './QuestionsTable';
import { UnitDetail, UnitsTable } from './UnitsTable';

interface Dashboard {
  summary: SummaryDocument;
  activity: ActivityDocument;
  completion: CompletionDocument;
  funnel: FunnelDocument;
  units: UnitsDocument;
  questions: QuestionsDocument;
}

type View =
  | { kind: 'connecting' }
  | { kind: 'outsideTeams'; timedOut: boolean }
  | { kind: 'loading' }
  | { kind: 'notForYou' }
  | { kind: 'failed'; failure: LoadFailure }
  | { kind: 'ready'; dashboard: Dashboard };

const useStyles = makeStyles({
  provider: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground3 },
  main: {
    boxSizing: 'border-box',
    maxWidth: '1280px',
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
  status: { paddingBlock: tokens.spacingVerticalXXL },
  panel: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  panelHead: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalM,
  },
  panelTitle: { ...typographyStyles.subtitle1, margin: 0 },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  figure: { padding: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS },
  figureValue: { ...typographyStyles.title1 },
  figureLabel: { ...typographyStyles.body1Strong },
  figureNote: { color: tokens.colorNeutralForeground3 },
});

/** A titled card of the dashboard, with its CSV export when it is a table. */
function Panel({
  id,
  title,
  csv,
  children,
}: {
  id: string;
  title: string;
  csv?: ReactNode;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <section aria-labelledby={`${id}-title`} data-testid={id}>
      <Card className={styles.panel}>
        <div className={styles.panelHead}>
          <h2 id={`${id}-title`} className={styles.panelTitle}>
            {title}
          </h2>
          {csv}
        </div>
        {children}
      </Card>
    </section>
  );
}

function Figure({ label, value, note }: { label: string; value: string; note?: string }) {
  const styles = useStyles();
  return (
    <Card className={styles.figure} data-figure={label}>
      <Text className={styles.figureLabel}>{label}</Text>
      <Text className={styles.figureValue} data-testid="figure-value">
        {value}
      </Text>
      {note && <Text className={styles.figureNote}>{note}</Text>}
    </Card>
  );
}

function Headline({
  summary,
  language,
  p,
}: {
  summary: SummaryDocument;
  language: Language;
  p: ProgrammeMessages;
}) {
  const styles = useStyles();
  const count = (n: number) => new Intl.NumberFormat(LOCALE_TAG[language]).format(n);
  const share = (part: number, whole: number) =>
    p.percent(whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);
  const population = summary.population;
  const ofPopulation = (n: number) =>
    population ? p.ofPopulation(share(n, population), count(population)) : undefined;
  return (
    <div className={styles.figures}>
      <Figure
        label={p.learners}
        value={count(summary.learners)}
        note={ofPopulation(summary.learners) ?? p.noPopulation}
      />
      <Figure
        label={p.active7}
        value={count(summary.active7)}
        note={p.ofLearners(share(summary.active7, summary.learners))}
      />
      <Figure
        label={p.active30}
        value={count(summary.active30)}
        note={p.ofLearners(share(summary.active30, summary.learners))}
      />
      <Figure label={p.lessonsCompleted} value={count(summary.lessonsCompleted)} />
      {summary.phases.map((phase) => (
        <Figure
          key={phase.phaseId}
          label={p.brevetsOf(phase.title)}
          value={count(phase.brevets)}
          note={ofPopulation(phase.brevets) ?? p.ofLearners(share(phase.brevets, summary.learners))}
        />
      ))}
    </div>
  );
}

/**
 * The training office's programme dashboard (`#/programme`, or the manifest's "Programme" tab):
 * headline figures, weekly activity and brevets, completion by track and language, the lesson
 * funnel, every unit with a drill-down, and the questions hardest first. The server decides who
 * may see it from the SSO token: anyone else gets a page that says it is not for them.
 */
export function ProgrammeApp() {
  const styles = useStyles();
  const [view, setView] = useState<View>({ kind: 'connecting' });
  const [unit, setUnit] = useState<UnitDocument | undefined>();
  const [unitFailure, setUnitFailure] = useState<LoadFailure | undefined>();
  const loading = useRef(false);

  const load = useCallback(async (lang: Language) => {
    if (loading.current) return;
    loading.current = true;
    setView({ kind: 'loading' });
    let next: View;
    try {
      const token = await signInToken();
      const get = <D,>(path: string) => fetchProgramme<D>(path, token, lang);
      // The summary first: a refusal shows "not for you" without five more refusals.
      const summary = await get<SummaryDocument>('/summary');
      const [activity, completion, funnel, units, questions] = await Promise.all([
        get<ActivityDocument>('/activity'),
        get<CompletionDocument>('/completion'),
        get<FunnelDocument>('/funnel'),
        get<UnitsDocument>('/units'),
        get<QuestionsDocument>('/questions'),
      ]);
      next = {
        kind: 'ready',
        dashboard: { summary, activity, completion, funnel, units, questions },
      };
    } catch (error) {
      next =
        error instanceof NotAdminError
          ? { kind: 'notForYou' }
          : { kind: 'failed', failure: failureOf(error) };
    } finally {
      loading.current = false;
    }
    setView(next);
  }, []);

  const { theme, locale } = useTeamsHost({
    connected: (teamsLocale) => void load(languageFromLocale(teamsLocale)),
    outside: (timedOut) => setView({ kind: 'outsideTeams', timedOut }),
  });
  const language = languageFromLocale(locale);
  const p = programmeMessagesFor(language);
  const t = messagesFor(language);

  const openUnit = async (row: UnitRow) => {
    setUnitFailure(undefined);
    try {
      const token = await signInToken();
      setUnit(
        await fetchProgramme<UnitDocument>(
          `/units/${encodeURIComponent(row.unitId)}`,
          token,
          language,
        ),
      );
    } catch (error) {
      setUnitFailure(failureOf(error));
    }
  };

  const fluentTheme = usePageChrome(language, p.title, theme);

  const retry = () => void load(language);
  const busy = view.kind === 'loading' || view.kind === 'connecting';

  return (
    <FluentProvider theme={fluentTheme} className={styles.provider}>
      <main className={styles.main} data-page="programme">
        <header className={styles.header}>
          <h1 className={styles.title}>{p.title}</h1>
          {(view.kind === 'ready' || view.kind === 'failed') && (
            <Button appearance="subtle" icon={<ArrowClockwise20Regular />} onClick={retry}>
              {t.refresh}
            </Button>
          )}
        </header>

        <div aria-live="polite" role="status">
          {busy && (
            <Spinner
              className={styles.status}
              label={view.kind === 'connecting' ? t.connecting : p.loading}
              data-testid="loading"
            />
          )}
        </div>

        {view.kind === 'outsideTeams' && <OutsideTeams t={t} timedOut={view.timedOut} />}

        {view.kind === 'notForYou' && (
          <section aria-labelledby="not-for-you-title" data-testid="not-for-you">
            <Card className={styles.panel}>
              <h2 id="not-for-you-title" className={styles.panelTitle}>
                {p.notForYouTitle}
              </h2>
              <Text>{p.notForYouBody}</Text>
            </Card>
          </section>
        )}

        {view.kind === 'failed' && <Problem failure={view.failure} t={t} onRetry={retry} />}

        {view.kind === 'ready' && (
          <>
            <Text className={styles.subtitle}>
              {p.asOf(formatDate(language, view.dashboard.summary.today))}
            </Text>
            <Panel
              id="headline"
              title={p.headlineHeading}
              csv={<CsvButton path="/summary" language={language} p={p} />}
            >
              <Headline summary={view.dashboard.summary} language={language} p={p} />
            </Panel>
            <Panel
              id="activity"
              title={p.activityHeading}
              csv={<CsvButton path="/activity" language={language} p={p} />}
            >
              <ActivityChart doc={view.dashboard.activity} language={language} p={p} />
            </Panel>
            <Panel id="brevets" title={p.brevetsPerWeekHeading}>
              <BrevetsChart
                doc={view.dashboard.activity}
                language={language}
                p={p}
                dark={theme !== 'default'}
              />
            </Panel>
            <Panel
              id="completion"
              title={p.completionHeading}
              csv={<CsvButton path="/completion" language={language} p={p} />}
            >
              <CompletionCharts doc={view.dashboard.completion} p={p} />
            </Panel>
            <Panel
              id="funnel"
              title={p.funnelHeading}
              csv={<CsvButton path="/funnel" language={language} p={p} />}
            >
              <FunnelChart doc={view.dashboard.funnel} p={p} />
            </Panel>
            <Panel
              id="units"
              title={p.unitsHeading}
              csv={<CsvButton path="/units" language={language} p={p} />}
            >
              {unitFailure && (
                <Problem failure={unitFailure} t={t} onRetry={() => setUnitFailure(undefined)} />
              )}
              {unit ? (
                <UnitDetail
                  doc={unit}
                  language={language}
                  p={p}
                  passingScore={view.dashboard.funnel.passingScore}
                  onBack={() => setUnit(undefined)}
                />
              ) : (
                <UnitsTable
                  doc={view.dashboard.units}
                  language={language}
                  p={p}
                  onOpen={(row) => void openUnit(row)}
                />
              )}
            </Panel>
            <Panel
              id="questions"
              title={p.questionsHeading}
              csv={<CsvButton path="/questions" language={language} p={p} />}
            >
              <Text className={styles.subtitle}>
                {p.questionsHint(
                  view.dashboard.questions.minAnswersToCompare,
                  view.dashboard.questions.gapFlag,
                )}
              </Text>
              <QuestionsTable doc={view.dashboard.questions} p={p} />
            </Panel>
          </>
        )}
      </main>
    </FluentProvider>
  );
}

export default ProgrammeApp;
