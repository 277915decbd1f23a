import { type OutboxPayload } from '../delivery/outbox-types';

/** A learner the reminder pass considers (reachable 1:1, reminders on). */
export interface ReminderCandidate {
  learnerId: string;
  tenantId: string;
  language: string;
  trackId: string | null;
  remindAt: string;
  timeZone: string;
  lastRemindedOn: string | null;
  lastActivityAt: string | null;
  /**
   * When a lesson was last delivered to them by a lead's assignment or schedule, if since the
   * time the pass asked about: that push is the day's nudge.
   */
  lastLessonSentAt: string | null;
  serviceUrl: string;
  conversationId: string;
  recipientId: string | null;
}

/** One reminder to enqueue, for the learner's local day. */
export interface ReminderToSend {
  learnerId: string;
  day: string;
  tenantId: string;
  serviceUrl: string;
  conversationId: string;
  recipientId: string | null;
  payload: OutboxPayload;
}

export interface ReminderStore {
  recordActivity(learnerId: string, day: string, at: string): Promise<void>;
  activityDays(learnerId: string, sinceDay: string): Promise<string[]>;
  settings(learnerId: string): Promise<{ enabled: boolean; remindAt: string; timeZone: string }>;
  updateSettings(learnerId: string, patch: { enabled?: boolean; remindAt?: string }): Promise<void>;
  /** Learners with reminders on and a 1:1 chat; lessons enqueued from `lessonsSince` on count. */
  candidates(lessonsSince: string): Promise<ReminderCandidate[]>;
  /** Completed lessons per learner among `lessonIds`. */
  completedCounts(lessonIds: string[]): Promise<Map<string, number>>;
  dueReviewCounts(now: string): Promise<Map<string, number>>;
  /**
   * In one transaction: marks each learner reminded for their day unless already (another
   * instance, a second pass) and enqueues the reminders of those marked. Returns how many.
   */
  enqueueReminders(reminders: ReminderToSend[], now: string): Promise<number>;
}
