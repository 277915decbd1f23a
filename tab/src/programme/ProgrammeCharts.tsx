import {
  GroupedVerticalBarChart,
  LineChart,
  VerticalStackedBarChart,
  type GroupedVerticalBarChartData,
  type VerticalStackedChartProps,
} from '@fluentui/react-charts';
import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { LOCALE_TAG, type Language } from '../progress';
import {
  type ActivityDocument,
  type CompletionDocument,
  type CompletionRow,
  type FunnelDocument,
} from './programme-api';
import { type ProgrammeMessages } from './programme-i18n';

const useStyles = makeStyles({
  chart: { minWidth: 0, width: '100%' },
  pair: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))',
    gap: tokens.spacingHorizontalXL,
  },
  subheading: { ...typographyStyles.subtitle2, margin: `0 0 ${tokens.spacingVerticalS}` },
});

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
      <LineChart
        culture={LOCALE_TAG[language]}
        height={280}
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
  );
}

/** Brevets earned per week, stacked by phase. */
export function BrevetsChart({
  doc,
  language,
  p,
}: {
  doc: ActivityDocument;
  language: Language;
  p: ProgrammeMessages;
}) {
  const styles = useStyles();
  const data: VerticalStackedChartProps[] = doc.weeks.map((w) => ({
    xAxisPoint: weekDate(w.week),
    xAxisCalloutData: p.weekOf(
      new Intl.DateTimeFormat(LOCALE_TAG[language], { dateStyle: 'medium' }).format(
        weekDate(w.week),
      ),
    ),
    chartData: doc.phases.map((phase) => ({
      legend: phase.title,
      data: w.brevets[phase.phaseId] ?? 0,
    })),
  }));
  return (
    <div className={styles.chart} data-chart="brevets">
      <VerticalStackedBarChart
        culture={LOCALE_TAG[language]}
        chartTitle={p.brevetsPerWeekHeading}
        height={280}
        data={data}
        barWidth="auto"
      />
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
  return (
    <div className={styles.pair}>
      <div className={styles.chart} data-chart="completion-track">
        <h3 className={styles.subheading}>{p.byTrack}</h3>
        <GroupedVerticalBarChart
          chartTitle={`${p.completionHeading}: ${p.byTrack}`}
          yAxisTitle={p.completedShare}
          yMaxValue={100}
          height={300}
          data={split(
            (phase) => phase.byTrack,
            (row) => (row.key === null ? p.noTrack : row.title),
          )}
        />
      </div>
      <div className={styles.chart} data-chart="completion-language">
        <h3 className={styles.subheading}>{p.byLanguage}</h3>
        <GroupedVerticalBarChart
          chartTitle={`${p.completionHeading}: ${p.byLanguage}`}
          yAxisTitle={p.completedShare}
          yMaxValue={100}
          height={300}
          data={split(
            (phase) => phase.byLanguage,
            (row) => p.languageNames[row.key as Language] ?? row.title,
          )}
        />
      </div>
    </div>
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
      <GroupedVerticalBarChart
        chartTitle={p.funnelHeading}
        height={320}
        data={data}
        rotateXAxisLables
      />
    </div>
  );
}
