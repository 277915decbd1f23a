/** The curriculum's shape as the database keeps it: each lesson's phase and track. */
export interface LessonShape {
  lessonId: string;
  phaseId: string;
  /** Null for a lesson everyone in the phase takes. */
  trackId: string | null;
}

/**
 * How many lessons complete a phase: for learners on `trackId` (null: learners without a track),
 * or for everyone when `trackId` is undefined. A phase and track with no requirement is never
 * complete (phase 2 before a track is chosen).
 */
export interface PhaseRequirement {
  phaseId: string;
  trackId?: string | null;
  lessons: number;
}

/** What the database needs of the curriculum to keep the dashboard's totals. */
export interface CurriculumShape {
  lessons: LessonShape[];
  requirements: PhaseRequirement[];
  passingScore: number;
}

export interface Headline {
  /** Learners Brevet knows in the tenant (they opened the bot, or were assigned a lesson). */
  learners: number;
  active7: number;
  active30: number;
  lessonsCompleted: number;
  brevets: { phaseId: string; brevets: number }[];
}

export interface WeeklyFigures {
  /** Learners active per week (Monday, YYYY-MM-DD); weeks without activity are absent. */
  activity: { week: string; learners: number }[];
  brevets: { week: string; phaseId: string; brevets: number }[];
}

/** Learners of one track and language, in one phase. */
export interface CompletionGroup {
  phaseId: string;
  trackId: string | null;
  language: string;
  started: number;
  completed: number;
  brevets: number;
}

export interface CompletionFigures {
  groups: CompletionGroup[];
  /** Learners per track and language (the denominators). */
  enrolled: { trackId: string | null; language: string; learners: number }[];
}

export interface LessonFunnelRow {
  lessonId: string;
  opened: number;
  finished: number;
  /** Finished with at least the passing score. */
  passed: number;
}

/** One unit's figures per phase, over its members who use Brevet. */
export interface UnitPhaseFigures {
  phaseId: string;
  started: number;
  completed: number;
  /** Sum of the members' phase scores (0–1) and how many members have one. */
  scoreSum: number;
  scored: number;
  brevets: number;
}

export interface UnitFigures {
  teamId: string;
  name: string | null;
  /** Members in the roster Brevet last read. */
  members: number;
  /** Of them, people Brevet knows as learners. */
  learners: number;
  lastAssignment: string | null;
  phases: UnitPhaseFigures[];
}

export interface QuestionFigures {
  lessonId: string;
  questionId: string;
  language: string;
  /** First answers, and how many of them were right. */
  answered: number;
  right: number;
}

/**
 * What the programme dashboard reads. Every figure is an aggregate the database computes over one
 * tenant (GROUP BY over the totals migration 007 keeps), never rows summed in JavaScript.
 */
export interface DashboardStore {
  /**
   * Writes the curriculum's shape; when it differs from what is stored, rebuilds the totals that
   * depend on it (lessons and phases) from the raw tables. Returns whether it rebuilt.
   */
  syncProgramme(shape: CurriculumShape): Promise<boolean>;
  headline(tenantId: string, since: { days7: string; days30: string }): Promise<Headline>;
  weekly(tenantId: string): Promise<WeeklyFigures>;
  completion(tenantId: string): Promise<CompletionFigures>;
  lessonFunnel(tenantId: string): Promise<LessonFunnelRow[]>;
  /** Every unit of the tenant, or the one named. */
  units(tenantId: string, teamId?: string): Promise<UnitFigures[]>;
  /** The lesson funnel over one unit's members. */
  unitLessonFunnel(
    tenantId: string,
    teamId: string,
    passingScore: number,
  ): Promise<LessonFunnelRow[]>;
  questions(tenantId: string): Promise<QuestionFigures[]>;
}
