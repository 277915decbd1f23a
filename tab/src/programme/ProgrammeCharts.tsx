import {
  getNextColor,
  GroupedVerticalBarChart,
  LineChart,
  VerticalStackedBarChart,
  type GroupedVerticalBarChartData,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import { makeStyles, Text, tokens, typographyStyles } from '@fluentui/react-components';
import { LOCALE_TAG, type Language } from '../progress';
import {
  type ActivityDocument,
  type CompletionDocument,
  type CompletionRow,
  type FunnelDocument,
} from './programme-api';
import { type ProgrammeMessages } from './programme-i18n';

// Each chart fills a box of fixed height: a chart sizes itself to its container, and a container
// sized by its content (a grid row with a heading) would grow with every resize.
const useStyles = makeStyles({
  chart: { minWidth: 0, width: '100%' },
  box: { position: 'relative', width: '100%', overflow: 'hidden' },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))',
    gap: tokens.spacingHorizontalXL,
  },
  subheading: { ...typographyStyles.subtitle2, margin: `0 0 ${tokens.spacingVerticalS}` },
  caption: { color: tokens.colorNeutralForeground2 },
});

/** One colour per phase, the same in every week (the legend then lists each phase once). */
const phaseColour = (index: number, dark: boolean) => getNextColor(index, 0, dark);
const MARGINS = { right: 40 };

/** Monday of a week (YYYY-MM-DD) as a date at noon UTC (no time-zone edge on the axis). */
const weekDate = (week: string) => new Date(`${week}T12:00:00Z`);

/** Learners active per week: one line over the programme. */
export function ActivityChart({
  doc,
  language,
  p,
}: {
  doc: ActivityDocument;
  language: Language;
  p: ProgrammeMessages;
}) {
  const styles = useStyles();
  return (
    <div className={styles.chart} data-chart="activity">
      <div className={styles.box} style={{ height: 330 }}>
        <LineChart
          culture={LOCALE_TAG[language]}
          height={280}
          margins={MARGINS}
          data={{
            chartTitle: p.activityHeading,
            lineChartData: [
              {
                legend: p.activeLearners,
                data: doc.weeks.map((w) => ({ x: weekDate(w.week), y: w.activeLearners })),
              },
            ],
          }}
        />
      </div>
    </div>
  );
}

/** Brevets earned per week, stacked by phase. */
export function BrevetsChart({
  doc,
  language,
  p,
  dark,
}: {
  doc: ActivityDocument;
  language: Language;
  p: ProgrammeMessages;
  /** Teams' dark or high-contrast theme (the palette has a dark variant). */
  dark: boolean;
}) {
  const styles = useStyles();
  const data: VerticalStackedChartProps[] = doc.weeks.map((w) => ({
    xAxisPoint: weekDate(w.week),
    xAxisCalloutData: p.weekOf(
      new Intl.DateTimeFormat(LOCALE_TAG[language], { dateStyle: 'medium' }).format(
        weekDate(w.week),
      ),
    ),
    chartData: doc.phases.map((phase, index) => ({
      legend: phase.title,
      data: w.brevets[phase.phaseId] ?? 0,
      color: phaseColour(index, dark),
    })),
  }));
  return (
    <div className={styles.chart} data-chart="brevets">
      <div className={styles.box} style={{ height: 330 }}>
        <VerticalStackedBarChart
          culture={LOCALE_TAG[language]}
          chartTitle={p.brevetsPerWeekHeading}
          height={280}
          margins={MARGINS}
          data={data}
          barWidth="auto"
        />
      </div>
    </div>
  );
}

const completedShare = (row: CompletionRow) =>
  row.learners > 0 ? Math.round((row.completed / row.learners) * 1000) / 10 : 0;

/** Completion per phase, split by track and by language (% of the group's learners). */
export function CompletionCharts({ doc, p }: { doc: CompletionDocument; p: ProgrammeMessages }) {
  const styles = useStyles();
  const split = (
    rows: (phase: CompletionDocument['phases'][number]) => CompletionRow[],
    title: (row: CompletionRow) => string,
  ): GroupedVerticalBarChartData[] =>
    doc.phases.map((phase) => ({
      name: p.phase(phase.number, phase.title),
      series: rows(phase)
        .filter((row) => row.learners > 0)
        .map((row) => ({
          key: row.key ?? 'none',
          legend: title(row),
          data: completedShare(row),
          yAxisCalloutData: `${p.percent(completedShare(row))} (${row.completed} / ${row.learners})`,
        })),
    }));
  // The axis says what it counts in the text above it: a chart's own axis title is drawn in a
  // portal that covers the page in some hosts.
  return (
    <>
      <Text className={styles.caption}>{p.completedShare}</Text>
      <div className={styles.pair}>
        <div className={styles.chart} data-chart="completion-track">
          <h3 className={styles.subheading}>{p.byTrack}</h3>
          <div className={styles.box} style={{ height: 340 }}>
            <GroupedVerticalBarChart
              chartTitle={`${p.completionHeading}: ${p.byTrack}`}
              yMaxValue={100}
              hideLabels
              height={300}
              data={split(
                (phase) => phase.byTrack,
                (row) => (row.key === null ? p.noTrack : row.title),
              )}
            />
          </div>
        </div>
        <div className={styles.chart} data-chart="completion-language">
          <h3 className={styles.subheading}>{p.byLanguage}</h3>
          <div className={styles.box} style={{ height: 340 }}>
            <GroupedVerticalBarChart
              chartTitle={`${p.completionHeading}: ${p.byLanguage}`}
              yMaxValue={100}
              hideLabels
              height={300}
              data={split(
                (phase) => phase.byLanguage,
                (row) => p.languageNames[row.key as Language] ?? row.title,
              )}
            />
          </div>
        </div>
      </div>
    </>
  );
}

/** A lesson id short enough for an axis: `p1-04-the-red-list` → `p1-04`, `p2-ma-01-…` → `p2-ma-01`. */
export function shortLessonId(id: string): string {
  return /^[a-z]*\d+(-[a-z]{2})?-\d+/.exec(id)?.[0] ?? id;
}

/** Per lesson: how many opened it, finished it and passed it. */
export function FunnelChart({ doc, p }: { doc: FunnelDocument; p: ProgrammeMessages }) {
  const styles = useStyles();
  const data: GroupedVerticalBarChartData[] = doc.lessons.map((lesson) => ({
    name: shortLessonId(lesson.lessonId),
    series: [
      { key: 'opened', legend: p.opened, data: lesson.opened, xAxisCalloutData: lesson.title },
      {
        key: 'finished',
        legend: p.finished,
        data: lesson.finished,
        xAxisCalloutData: lesson.title,
      },
      {
        key: 'passed',
        legend: p.passed(doc.passingScore),
        data: lesson.passed,
        xAxisCalloutData: lesson.title,
      },
    ],
  }));
  return (
    <div className={styles.chart} data-chart="funnel">
      <div className={styles.box} style={{ height: 400 }}>
        <GroupedVerticalBarChart
          chartTitle={p.funnelHeading}
          height={320}
          data={data}
          rotateXAxisLables
        />
      </div>
    </div>
  );
}
