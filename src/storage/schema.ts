import { type Generated } from 'kysely';

/** Table types for Kysely. Times are ISO-8601 UTC strings; booleans are 0/1 in both dialects. */
export interface LearnersTable {
  id: string;
  tenant_id: string;
  user_key: string;
  language: string;
  track_id: string | null;
  /** Where to reach the learner proactively (migration 008): their 1:1 chat with the bot. */
  service_url: string | null;
  conversation_id: string | null;
  /** Their Teams user id (the "29:…" id messages are addressed to), not their Entra id. */
  recipient_id: string | null;
  created_at: string;
  updated_at: string;
  reminders_enabled: Generated<number>;
  remind_at: Generated<string>;
  /** 0 while the language is the assigning lead's guess (migration 005). */
  language_confirmed: Generated<number>;
  time_zone: Generated<string>;
  last_reminded_on: string | null;
  /** The learner's last active day (migration 007, kept by a trigger on learner_activity). */
  last_active_on: Generated<string | null>;
}

/** A day (local date) on which a learner opened a lesson, answered or reviewed. */
export interface LearnerActivityTable {
  learner_id: string;
  day: string;
  last_at: string;
}

export interface LessonProgressTable {
  learner_id: string;
  lesson_id: string;
  opened_at: string;
  completed_at: string | null;
  correct_count: number | null;
  question_count: number | null;
}

export interface QuizAnswersTable {
  learner_id: string;
  lesson_id: string;
  question_id: string;
  choice_id: string;
  correct: number;
  answered_at: string;
  /** The language the question was shown in (migration 007). */
  language: string | null;
}

export interface BrevetsTable {
  learner_id: string;
  phase_id: string;
  earned_at: string;
  score: number;
}

export interface TeamsTable {
  team_id: string;
  tenant_id: string;
  name: string | null;
  service_url: string;
  channel_id: string;
  time_zone: string;
  installed_at: string;
  /** 0 or 1 (migration 005). */
  leaderboard_enabled: Generated<number>;
  aad_group_id: string | null;
}

export interface TeamLeadsTable {
  team_id: string;
  user_key: string;
  added_by: string;
  added_at: string;
}

export interface AssignmentsTable {
  id: string;
  team_id: string;
  lesson_id: string;
  requested_by: string;
  language: string;
  created_at: string;
  total: number;
  finished_at: string | null;
  /** Counts frozen when the assignment finished (migration 006): they outlive the purge. */
  final_sent: number | null;
  final_failed: number | null;
  final_blocked: number | null;
}

/** A delivery worker's last sign of life (migration 005). */
export interface DeliveryWorkersTable {
  worker_id: string;
  seen_at: string;
}

/** One proactive message to send; `status` moves pending → sending → sent | failed | blocked. */
export interface OutboxTable {
  id: string;
  /** Insertion order (claims go oldest first). */
  seq: number;
  kind: string;
  assignment_id: string | null;
  tenant_id: string;
  service_url: string;
  conversation_id: string | null;
  recipient_id: string | null;
  recipient_key: string | null;
  recipient_name: string | null;
  payload: string;
  status: string;
  attempts: number;
  not_before: string;
  lease_until: string | null;
  claimed_by: string | null;
  conversation_recreated: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SchedulesTable {
  id: string;
  team_id: string;
  action: string;
  lesson_id: string;
  fire_at: string;
  local_time: string;
  requested_by: string;
  language: string;
  status: string;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  fired_at: string | null;
}

/** An FSRS card (ts-fsrs fields) for one question a learner answered. */
export interface ReviewItemsTable {
  learner_id: string;
  lesson_id: string;
  question_id: string;
  due: string;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: string | null;
  /** Review answers (separate from the first answer, which alone counts for the phase score). */
  reviews: number;
  reviews_right: number;
}

/** A member of a unit's team, as the roster last said (migration 007). */
export interface TeamMembersTable {
  team_id: string;
  tenant_id: string;
  user_key: string;
  seen_at: string;
}

/** The curriculum's shape, written at start-up from content/ (migration 007). */
export interface ProgrammeLessonsTable {
  lesson_id: string;
  phase_id: string;
  /** '' for a lesson everyone in the phase takes. */
  track_id: string;
  passing_score: number;
}

/**
 * Running totals kept by triggers (migration 007); read by the programme dashboard only.
 * Per learner and phase, over the lessons of their own sequence.
 */
export interface LearnerPhasesTable {
  learner_id: string;
  phase_id: string;
  tenant_id: string;
  user_key: string;
  /** '' without a track. */
  track_id: string;
  language: string;
  opened: number;
  done: number;
  correct: number;
  questions: number;
  brevet: number;
}

/** Lessons that complete a phase: track '*' for everyone, '' for learners without a track. */
export interface ProgrammeRequirementsTable {
  phase_id: string;
  track_id: string;
  lessons: number;
}

/** Per phase, track ('' for none) and language: learners who started, completed it; brevets. */
export interface PhaseGroupsTable {
  tenant_id: string;
  phase_id: string;
  track_id: string;
  language: string;
  started: number;
  completed: number;
  brevets: number;
}

export interface LearnerGroupsTable {
  tenant_id: string;
  track_id: string;
  language: string;
  learners: number;
}

/** Per unit and phase, over its members: started, completed, the sum of phase scores (0–1). */
export interface UnitPhasesTable {
  team_id: string;
  phase_id: string;
  started: number;
  completed: number;
  score_sum: number;
  scored: number;
  brevets: number;
}

export interface UnitMembersTable {
  team_id: string;
  members: number;
  learners: number;
}

/** How many learners were last active on each day ('' for never). */
export interface ActivityDaysTable {
  tenant_id: string;
  day: string;
  learners: number;
}

export interface LessonStatsTable {
  tenant_id: string;
  lesson_id: string;
  opened: number;
  finished: number;
  passed: number;
}

export interface QuestionStatsTable {
  tenant_id: string;
  lesson_id: string;
  question_id: string;
  language: string;
  answered: number;
  right_first: number;
}

export interface LearnerWeeksTable {
  learner_id: string;
  /** The Monday of the week, YYYY-MM-DD. */
  week: string;
  tenant_id: string;
}

export interface WeeklyActivityTable {
  tenant_id: string;
  week: string;
  learners: number;
}

export interface WeeklyBrevetsTable {
  tenant_id: string;
  week: string;
  phase_id: string;
  brevets: number;
}

export interface Database {
  learners: LearnersTable;
  lesson_progress: LessonProgressTable;
  quiz_answers: QuizAnswersTable;
  brevets: BrevetsTable;
  teams: TeamsTable;
  team_leads: TeamLeadsTable;
  assignments: AssignmentsTable;
  outbox: OutboxTable;
  delivery_workers: DeliveryWorkersTable;
  schedules: SchedulesTable;
  review_items: ReviewItemsTable;
  learner_activity: LearnerActivityTable;
  team_members: TeamMembersTable;
  programme_lessons: ProgrammeLessonsTable;
  learner_phases: LearnerPhasesTable;
  lesson_stats: LessonStatsTable;
  question_stats: QuestionStatsTable;
  learner_weeks: LearnerWeeksTable;
  weekly_activity: WeeklyActivityTable;
  weekly_brevets: WeeklyBrevetsTable;
  programme_requirements: ProgrammeRequirementsTable;
  phase_groups: PhaseGroupsTable;
  learner_groups: LearnerGroupsTable;
  unit_phases: UnitPhasesTable;
  unit_members: UnitMembersTable;
  activity_days: ActivityDaysTable;
}
