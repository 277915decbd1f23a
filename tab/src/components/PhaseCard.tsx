import {
  Badge,
  Card,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
  typographyStyles,
  type BadgeProps,
} from '@fluentui/react-components';
import {
  CheckmarkCircle16Filled,
  Circle16Regular,
  CircleHalfFill16Regular,
  LockClosed16Regular,
  RibbonStar24Filled,
} from '@fluentui/react-icons';
import { type ReactElement } from 'react';
import { type Messages } from '../i18n';
import {
  formatDate,
  lessonState,
  percent,
  type Language,
  type LessonState,
  type PhaseProgress,
  type PhaseState,
} from '../progress';

const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalXL, rowGap: tokens.spacingVerticalM },
  header: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
  },
  title: { ...typographyStyles.subtitle1, margin: 0 },
  stats: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))',
    columnGap: tokens.spacingHorizontalXL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  stat: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  statLabel: { ...typographyStyles.caption1, color: tokens.colorNeutralForeground3 },
  statValue: { ...typographyStyles.body1Strong, margin: 0 },
  brevet: {
    display: 'inline-flex',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalXS,
    color: tokens.colorPaletteGreenForeground1,
  },
  lessonsTitle: { ...typographyStyles.body1Strong, margin: 0 },
  lessons: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
  },
  lesson: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXXS,
    paddingBlock: tokens.spacingVerticalS,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  lessonTitle: { flexGrow: 1, minWidth: '12rem' },
  lessonMeta: { color: tokens.colorNeutralForeground3 },
  note: { color: tokens.colorNeutralForeground2 },
});

const PHASE_BADGE: Record<PhaseState, BadgeProps['color']> = {
  notOpen: 'subtle',
  open: 'brand',
  complete: 'success',
};

const LESSON_BADGE: Record<LessonState, BadgeProps['color']> = {
  done: 'success',
  inProgress: 'brand',
  todo: 'informative',
  locked: 'subtle',
};

const LESSON_ICON: Record<LessonState, ReactElement> = {
  done: <CheckmarkCircle16Filled aria-hidden />,
  inProgress: <CircleHalfFill16Regular aria-hidden />,
  todo: <Circle16Regular aria-hidden />,
  locked: <LockClosed16Regular aria-hidden />,
};

export interface PhaseCardProps {
  phase: PhaseProgress;
  /** 1-based position, when the server sends no `number`. */
  position: number;
  language: Language;
  t: Messages;
}

/** One phase: state, progress bar, lessons done, quiz score, brevet, review count, lessons. */
export function PhaseCard({ phase, position, language, t }: PhaseCardProps) {
  const styles = useStyles();
  const headingId = `phase-${phase.id}-title`;
  const heading = t.phaseHeading(phase.number ?? position, phase.title);
  const total = phase.lessonsTotal;
  const done = Math.min(phase.lessonsDone, total);
  return (
    <section aria-labelledby={headingId} data-phase={phase.id} data-state={phase.state}>
      <Card className={styles.card}>
        <div className={styles.header}>
          <h2 id={headingId} className={styles.title}>
            {heading}
          </h2>
          <Badge appearance="tint" color={PHASE_BADGE[phase.state]} data-testid="phase-state">
            {t.phaseState[phase.state]}
          </Badge>
          {phase.state === 'notOpen' && (
            <Text className={styles.note}>{t.opensOn(formatDate(language, phase.opensAt))}</Text>
          )}
        </div>

        <ProgressBar
          value={total === 0 ? 0 : done}
          max={total === 0 ? 1 : total}
          thickness="large"
          color={phase.state === 'complete' ? 'success' : 'brand'}
          aria-label={t.progressLabel(phase.title, done, total)}
          aria-valuetext={t.lessonsDone(done, total)}
        />

        <dl className={styles.stats}>
          <div className={styles.stat}>
            <dt className={styles.statLabel}>{t.statLessons}</dt>
            <dd className={styles.statValue} data-testid="lessons-done">
              {t.lessonsDone(done, total)}
            </dd>
          </div>
          <div className={styles.stat}>
            <dt className={styles.statLabel}>{t.statScore}</dt>
            <dd className={styles.statValue} data-testid="phase-score">
              {phase.score === null ? t.noScoreYet : t.scoreValue(percent(phase.score))}
            </dd>
          </div>
          <div className={styles.stat}>
            <dt className={styles.statLabel}>{t.statBrevet}</dt>
            <dd className={styles.statValue} data-testid="phase-brevet">
              {phase.brevetEarnedAt ? (
                <span className={styles.brevet}>
                  <RibbonStar24Filled aria-hidden />
                  {t.brevetEarnedOn(formatDate(language, phase.brevetEarnedAt))}
                </span>
              ) : (
                t.brevetNotYet
              )}
            </dd>
          </div>
          {phase.reviewDue !== undefined && (
            <div className={styles.stat}>
              <dt className={styles.statLabel}>{t.statReview}</dt>
              <dd className={styles.statValue} data-testid="phase-review">
                {t.reviewDue(phase.reviewDue)}
              </dd>
            </div>
          )}
        </dl>

        {phase.trackPending && <Text className={styles.note}>{t.trackPending}</Text>}

        <h3 className={styles.lessonsTitle}>{t.lessonsHeading}</h3>
        {phase.lessons.length === 0 ? (
          <Text className={styles.note}>{t.noLessons}</Text>
        ) : (
          <ul className={styles.lessons}>
            {phase.lessons.map((lesson) => {
              const state = lessonState(lesson.state);
              return (
                <li
                  key={lesson.id}
                  className={styles.lesson}
                  data-lesson={lesson.id}
                  data-state={state}
                >
                  <Text className={styles.lessonTitle}>{lesson.title}</Text>
                  <Badge
                    appearance="tint"
                    color={LESSON_BADGE[state]}
                    icon={LESSON_ICON[state]}
                    data-testid="lesson-state"
                  >
                    {t.lessonState[state]}
                  </Badge>
                  {lesson.score !== null && (
                    <Text weight="semibold" data-testid="lesson-score">
                      {t.lessonScore(percent(lesson.score))}
                    </Text>
                  )}
                  {lesson.minutes !== undefined && (
                    <Text className={styles.lessonMeta}>{t.minutes(lesson.minutes)}</Text>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
    </section>
  );
}
