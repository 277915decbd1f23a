/** Table types for Kysely. Times are ISO-8601 UTC strings; booleans are 0/1 in both dialects. */
export interface LearnersTable {
  id: string;
  tenant_id: string;
  user_key: string;
  language: string;
  track_id: string | null;
  conversation_reference: string | null;
  created_at: string;
  updated_at: string;
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
}

export interface BrevetsTable {
  learner_id: string;
  phase_id: string;
  earned_at: string;
  score: number;
}

export interface Database {
  learners: LearnersTable;
  lesson_progress: LessonProgressTable;
  quiz_answers: QuizAnswersTable;
  brevets: BrevetsTable;
}
