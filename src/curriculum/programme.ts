import { type Curriculum, type Lesson, type Phase } from './curriculum-types';

/** Belgian Defence's time zone: phase openings, and everyone's default (teams, learners). */
export const PROGRAMME_TIME_ZONE = 'Europe/Brussels';

// Built once: constructing an Intl.DateTimeFormat costs far more than formatting with it.
const BRUSSELS_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: PROGRAMME_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

// Since 1980 Brussels has been UTC+1 or UTC+2, changing on a whole hour: every instant of one UTC
// minute falls on the same Brussels date. The date of the last minute asked is kept (every turn
// and tab request asks for the current one, once per phase).
const WHOLE_MINUTES_FROM_MS = Date.UTC(1980, 0, 1);
let lastMinute = NaN;
let lastDate = '';

/** Today's date in Brussels, YYYY-MM-DD: phases open at 00:00 Europe/Brussels. */
export function brusselsDate(now: Date): string {
  const ms = now.getTime();
  const minute = Math.floor(ms / 60_000);
  if (minute === lastMinute) return lastDate;
  const date = BRUSSELS_DATE.format(now);
  if (ms >= WHOLE_MINUTES_FROM_MS) {
    lastMinute = minute;
    lastDate = date;
  }
  return date;
}

export function isPhaseOpen(phase: Phase, now: Date): boolean {
  return brusselsDate(now) >= phase.opensAt;
}

/** Read-only queries over the loaded programme. */
export class Programme {
  private readonly lessonsById: Map<string, Lesson>;

  constructor(readonly curriculum: Curriculum) {
    this.lessonsById = new Map(curriculum.lessons.map((lesson) => [lesson.id, lesson]));
  }

  get phases(): readonly Phase[] {
    return this.curriculum.phases;
  }

  get passingScore(): number {
    return this.curriculum.passingScore;
  }

  lesson(id: string): Lesson | undefined {
    return this.lessonsById.get(id);
  }

  phase(id: string): Phase | undefined {
    return this.curriculum.phases.find((phase) => phase.id === id);
  }

  track(id: string | null | undefined) {
    return this.curriculum.tracks.find((track) => track.id === id);
  }

  /** Every lesson of a phase, common and all tracks, in order. */
  lessonsOfPhase(phaseId: string): Lesson[] {
    return this.curriculum.lessons.filter((lesson) => lesson.phaseId === phaseId);
  }

  /** The lessons a learner on `trackId` takes in a phase, in order: common ones, then their track's. */
  sequence(phaseId: string, trackId: string | null): Lesson[] {
    return this.lessonsOfPhase(phaseId).filter(
      (lesson) => lesson.trackId === undefined || lesson.trackId === trackId,
    );
  }
}
