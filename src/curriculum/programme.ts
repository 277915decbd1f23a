import { type Curriculum, type Lesson, type Phase } from './curriculum-types';
import { brusselsDate } from '../time/zones';

/** Whether `phase` has opened at `now`: phases open at 00:00 Europe/Brussels on their date. */
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
