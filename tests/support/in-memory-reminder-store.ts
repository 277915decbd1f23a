import {
  type ReminderCandidate,
  type ReminderStore,
  type ReminderToSend,
} from '../../src/reminders/reminder-store';

/** The reminder store in memory, for domain tests without a database. */
export class InMemoryReminderStore implements ReminderStore {
  readonly candidateList: ReminderCandidate[] = [];
  /** Completed lesson ids per learner. */
  readonly completed = new Map<string, string[]>();
  /** Due dates of review items per learner. */
  readonly reviews = new Map<string, string[]>();
  readonly activity = new Map<string, string[]>();
  readonly settingsOf = new Map<string, { enabled: boolean; remindAt: string }>();
  readonly enqueued: ReminderToSend[] = [];

  recordActivity(learnerId: string, day: string): Promise<void> {
    const days = this.activity.get(learnerId) ?? [];
    if (!days.includes(day)) days.push(day);
    this.activity.set(learnerId, days);
    return Promise.resolve();
  }

  activityDays(learnerId: string, sinceDay: string): Promise<string[]> {
    return Promise.resolve((this.activity.get(learnerId) ?? []).filter((d) => d >= sinceDay));
  }

  settings(learnerId: string): Promise<{ enabled: boolean; remindAt: string; timeZone: string }> {
    const settings = this.settingsOf.get(learnerId) ?? { enabled: true, remindAt: '09:30' };
    return Promise.resolve({ ...settings, timeZone: 'Europe/Brussels' });
  }

  updateSettings(
    learnerId: string,
    patch: { enabled?: boolean; remindAt?: string },
  ): Promise<void> {
    const settings = this.settingsOf.get(learnerId) ?? { enabled: true, remindAt: '09:30' };
    this.settingsOf.set(learnerId, { ...settings, ...patch });
    return Promise.resolve();
  }

  candidates(lessonsSince: string): Promise<ReminderCandidate[]> {
    return Promise.resolve(
      this.candidateList.map((c) => ({
        ...c,
        lastLessonSentAt:
          c.lastLessonSentAt && c.lastLessonSentAt >= lessonsSince ? c.lastLessonSentAt : null,
      })),
    );
  }

  completedCounts(lessonIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [learnerId, done] of this.completed) {
      const n = done.filter((id) => lessonIds.includes(id)).length;
      if (n > 0) counts.set(learnerId, n);
    }
    return Promise.resolve(counts);
  }

  dueReviewCounts(now: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [learnerId, dues] of this.reviews) {
      const n = dues.filter((due) => due <= now).length;
      if (n > 0) counts.set(learnerId, n);
    }
    return Promise.resolve(counts);
  }

  enqueueReminders(reminders: ReminderToSend[]): Promise<number> {
    let enqueued = 0;
    for (const reminder of reminders) {
      const candidate = this.candidateList.find((c) => c.learnerId === reminder.learnerId);
      // Marked once per local day, as the repository does in its transaction.
      if (!candidate || (candidate.lastRemindedOn ?? '') >= reminder.day) continue;
      candidate.lastRemindedOn = reminder.day;
      this.enqueued.push(reminder);
      enqueued += 1;
    }
    return Promise.resolve(enqueued);
  }
}
