import { type Lesson, type Phase } from '../curriculum/curriculum-types';
import { isPhaseOpen, type Programme } from '../curriculum/programme';

/**
 * The one rule for where a learner stands in each phase and what comes next: lessons done,
 * score against the passing score, brevet, phase open, track chosen, next lesson. Pure: the
 * learner's records and the time come in, nothing is read or written. The learner's progress
 * (bot and tab), the lead's report and CSV, and the outbox's lesson cards all use it.
 */

/** A completed lesson with its result (first answers). */
export interface LessonResult {
  lessonId: string;
  correct: number;
  total: number;
}

/** What a learner has done, as storage knows it. */
export interface LearnerActivity<B extends { phaseId: string } = { phaseId: string }> {
  trackId: string | null;
  /** Every lesson the learner has been served, completed or not. */
  openedLessons: readonly string[];
  completedLessons: readonly LessonResult[];
  brevets: readonly B[];
}

export type PhaseState = 'notOpen' | 'open' | 'complete';
export type LessonState = 'done' | 'inProgress' | 'todo' | 'locked';

export interface LessonStatus {
  lesson: Lesson;
  state: LessonState;
  score: number | null;
}

/** Where the learner stands in one phase. */
export interface PhaseProgress<B extends { phaseId: string } = { phaseId: string }> {
  phase: Phase;
  state: PhaseState;
  /** The learner's track in a phase with a track choice; null in the others. */
  trackId: string | null;
  lessonsDone: number;
  lessonsTotal: number;
  /** Percent right over first answers in the phase's completed lessons; null before any. */
  score: number | null;
  /** Right and answered first answers behind `score` (the lead's report averages unrounded). */
  correct: number;
  answered: number;
  brevet: B | undefined;
  lessons: LessonStatus[];
  /** Set on a phase with a track choice the learner has not made yet. */
  trackPending: boolean;
  /** Whether the learner has been served any lesson of their sequence in the phase. */
  started: boolean;
  /** Complete with a score at or above the programme's passing score: the brevet is due. */
  earnsBrevet: boolean;
}

/** What the learner gets from `next`: a lesson, the track choice, a phase to wait for, or nothing. */
export type UpNext =
  | { kind: 'lesson'; phase: Phase; lesson: Lesson }
  | { kind: 'chooseTrack'; phase: Phase }
  | { kind: 'phaseNotOpen'; phase: Phase }
  | { kind: 'allDone' };

export interface Standing<B extends { phaseId: string } = { phaseId: string }> {
  phases: PhaseProgress<B>[];
  next: UpNext;
}

/** A lesson with where it sits in the sequence of its phase for a track. */
export interface LessonInPlace {
  lesson: Lesson;
  phase: Phase;
  position: number;
  total: number;
}

/** Whole percent right; 0 when nothing was asked. */
export function percent(correct: number, total: number): number {
  return total === 0 ? 0 : Math.round((correct / total) * 100);
}

/** Where `lesson` sits for a learner on `trackId` (position 0 when outside their sequence). */
export function lessonPlace(
  programme: Programme,
  lesson: Lesson,
  trackId: string | null,
): LessonInPlace {
  const phase = programme.phase(lesson.phaseId) as Phase;
  const sequence = programme.sequence(phase.id, trackId);
  return {
    lesson,
    phase,
    position: sequence.findIndex((item) => item.id === lesson.id) + 1,
    total: sequence.length,
  };
}

/** Where the learner stands in every phase at `now`, and their next step. */
export function standing<B extends { phaseId: string }>(
  programme: Programme,
  activity: LearnerActivity<B>,
  now: Date,
): Standing<B> {
  const opened = new Set(activity.openedLessons);
  const completed = new Map(activity.completedLessons.map((result) => [result.lessonId, result]));
  const phases = programme.phases.map((phase): PhaseProgress<B> => {
    const trackPending = phase.chooseTrack && !activity.trackId;
    const sequence = programme.sequence(phase.id, activity.trackId);
    const open = isPhaseOpen(phase, now);
    let correct = 0;
    let answered = 0;
    const lessons = sequence.map((lesson): LessonStatus => {
      const result = completed.get(lesson.id);
      if (result) {
        correct += result.correct;
        answered += result.total;
        return { lesson, state: 'done', score: percent(result.correct, result.total) };
      }
      if (!open) return { lesson, state: 'locked', score: null };
      return { lesson, state: opened.has(lesson.id) ? 'inProgress' : 'todo', score: null };
    });
    const lessonsDone = lessons.filter((status) => status.state === 'done').length;
    const complete = !trackPending && sequence.length > 0 && lessonsDone === sequence.length;
    const score = answered === 0 ? null : percent(correct, answered);
    return {
      phase,
      state: complete ? 'complete' : open ? 'open' : 'notOpen',
      trackId: phase.chooseTrack ? activity.trackId : null,
      lessonsDone,
      lessonsTotal: sequence.length,
      score,
      correct,
      answered,
      brevet: activity.brevets.find((brevet) => brevet.phaseId === phase.id),
      lessons,
      trackPending,
      started: sequence.some((lesson) => opened.has(lesson.id)),
      earnsBrevet: complete && score !== null && score >= programme.passingScore,
    };
  });
  return { phases, next: nextStep(programme, phases) };
}

/**
 * The first phase with something left: its track choice, or its first lesson not done, or, when
 * it has not opened, the wait for it. Phases without any lesson are passed over.
 */
function nextStep(programme: Programme, phases: PhaseProgress[]): UpNext {
  for (const progress of phases) {
    const { phase } = progress;
    if (programme.lessonsOfPhase(phase.id).length === 0) continue;
    // Neither case below is a complete phase, so 'open' is exactly whether it has opened.
    const open = progress.state === 'open';
    if (progress.trackPending) return open ? { kind: 'chooseTrack', phase } : notOpen(phase);
    const lesson = progress.lessons.find((status) => status.state !== 'done');
    if (!lesson) continue;
    return open ? { kind: 'lesson', phase, lesson: lesson.lesson } : notOpen(phase);
  }
  return { kind: 'allDone' };
}

function notOpen(phase: Phase): UpNext {
  return { kind: 'phaseNotOpen', phase };
}

/**
 * What a learner on `trackId` has to do in the phases open at `now`: the lessons of their
 * sequences and each track choice still to make (`items`), and every lesson of those phases
 * (`lessonIds`). The reminder pass compares `items` with a learner's completed lessons among
 * `lessonIds`, counted in one query over every learner, instead of each learner's standing.
 */
export function openWork(
  programme: Programme,
  trackId: string | null,
  now: Date,
): { lessonIds: string[]; items: number } {
  const lessonIds: string[] = [];
  let items = 0;
  for (const phase of programme.phases) {
    if (!isPhaseOpen(phase, now)) continue;
    const lessons = programme.lessonsOfPhase(phase.id);
    lessonIds.push(...lessons.map((lesson) => lesson.id));
    if (phase.chooseTrack && !trackId && lessons.length > 0) items += 1;
    items += programme.sequence(phase.id, trackId).length;
  }
  return { lessonIds, items };
}
