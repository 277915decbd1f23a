/**
 * The documents of GET /api/programme/… (the training office's dashboard): written by
 * DashboardService, read by the tab (tab/src/programme/programme-api.ts). Types only, in one
 * place for both: the tab compiles against this file, so a change here that the tab does not
 * follow fails `npm run typecheck`.
 */
import { type Language } from '../i18n/languages';

export interface PhaseHeadline {
  phaseId: string;
  number: number;
  title: string;
  opensAt: string;
  brevets: number;
}

/** GET /api/programme/summary */
export interface SummaryDocument {
  /** Today in Brussels (YYYY-MM-DD): the day "the last 7 and 30 days" count back from. */
  today: string;
  /** PROGRAMME_POPULATION: the people the training office expects; null when not set. */
  population: number | null;
  learners: number;
  active7: number;
  active30: number;
  lessonsCompleted: number;
  phases: PhaseHeadline[];
}

/** GET /api/programme/activity: one entry per week (Monday), none missing, oldest first. */
export interface ActivityDocument {
  phases: { phaseId: string; title: string }[];
  weeks: { week: string; activeLearners: number; brevets: Record<string, number> }[];
}

export interface CompletionRow {
  /** Track id or language; null: learners without a track yet. */
  key: string | null;
  title: string;
  /** Learners of this track or language (whatever their progress). */
  learners: number;
  started: number;
  completed: number;
  brevets: number;
}

/** GET /api/programme/completion */
export interface CompletionDocument {
  phases: {
    phaseId: string;
    number: number;
    title: string;
    byTrack: CompletionRow[];
    byLanguage: CompletionRow[];
  }[];
}

export interface FunnelLesson {
  lessonId: string;
  phaseId: string;
  trackId: string | null;
  title: string;
  opened: number;
  finished: number;
  passed: number;
}

/** GET /api/programme/funnel: every lesson of the programme, in programme order. */
export interface FunnelDocument {
  passingScore: number;
  lessons: FunnelLesson[];
}

export interface UnitRow {
  unitId: string;
  name: string;
  members: number;
  learners: number;
  phases: {
    phaseId: string;
    started: number;
    completed: number;
    /** Average of the members' phase scores (first answers), %; null before any. */
    averageScore: number | null;
    brevets: number;
  }[];
  /** Average of the members' phase scores over every phase, %. */
  averageScore: number | null;
  brevets: number;
  lastAssignment: string | null;
}

export interface PhaseName {
  phaseId: string;
  number: number;
  title: string;
}

/** GET /api/programme/units */
export interface UnitsDocument {
  phases: PhaseName[];
  units: UnitRow[];
}

/** GET /api/programme/units/:unitId */
export interface UnitDocument {
  phases: PhaseName[];
  unit: UnitRow;
  lessons: FunnelLesson[];
}

export interface QuestionRow {
  lessonId: string;
  lessonTitle: string;
  questionId: string;
  question: string;
  answered: number;
  /** Share right at the first attempt, % (one decimal). */
  rightShare: number;
  languages: { language: Language; answered: number; rightShare: number | null }[];
  /** Best minus worst language share, in points, over languages with enough answers. */
  languageGap: number | null;
  /** The gap is large enough to suspect the translation. */
  flagged: boolean;
}

/** GET /api/programme/questions: hardest first. */
export interface QuestionsDocument {
  minAnswersToCompare: number;
  gapFlag: number;
  questions: QuestionRow[];
}
