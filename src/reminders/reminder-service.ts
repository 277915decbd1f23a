import { type Programme } from '../curriculum/programme';
import { openWork } from '../learning/standing';
import { OFF_WORDS, ON_WORDS } from '../i18n/commands';
import { knownTimeZoneOrDefault, localParts } from '../time/zones';
import { type ReminderCandidate, type ReminderStore } from './reminder-store';
import { parseRemindTime, reminderDecision } from './reminder-policy';
import { workingDayStreak } from './streak';

export type RemindSetting =
  | { kind: 'on' }
  | { kind: 'off' }
  | { kind: 'time'; remindAt: string }
  | { kind: 'show' }
  | { kind: 'invalid' };

/** What `remind …` asks for: on, off, a time (09:30, 9h30), or nothing (show the setting). */
export function parseRemindArgument(argument: string): RemindSetting {
  const word = argument
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  if (word === '') return { kind: 'show' };
  if (ON_WORDS.includes(word)) return { kind: 'on' };
  if (OFF_WORDS.includes(word)) return { kind: 'off' };
  const remindAt = parseRemindTime(word);
  return remindAt ? { kind: 'time', remindAt } : { kind: 'invalid' };
}

/** A learner as far as days and streaks are concerned. */
export interface LearnerZone {
  id: string;
  timeZone: string;
}

/**
 * Nudges: at most one reminder per working day, at the learner's time, within working hours,
 * never after recent activity (reminder-policy.ts), through the durable outbox. Also keeps the
 * activity days behind the 20-hour rule and the working-day streak.
 */
export class ReminderService {
  constructor(
    private readonly programme: Programme,
    private readonly store: ReminderStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Something was done (a lesson opened, an answer, a review): the learner's local day counts for
   * the streak.
   */
  recordActivity(learner: LearnerZone, at: Date): Promise<void> {
    return this.store.recordActivity(
      learner.id,
      localParts(at, knownTimeZoneOrDefault(learner.timeZone)).date,
      at.toISOString(),
    );
  }

  /** Working days in a row with activity, up to today in the learner's zone. */
  async streak(learner: LearnerZone): Promise<number> {
    const zone = knownTimeZoneOrDefault(learner.timeZone);
    const now = this.clock();
    const since = new Date(now.getTime() - 400 * 24 * 3600 * 1000);
    const days = await this.store.activityDays(learner.id, localParts(since, zone).date);
    return workingDayStreak(days, localParts(now, zone).date);
  }

  settings(learnerId: string) {
    return this.store.settings(learnerId);
  }

  async apply(learnerId: string, setting: RemindSetting): Promise<void> {
    if (setting.kind === 'on') await this.store.updateSettings(learnerId, { enabled: true });
    if (setting.kind === 'off') await this.store.updateSettings(learnerId, { enabled: false });
    if (setting.kind === 'time')
      await this.store.updateSettings(learnerId, { enabled: true, remindAt: setting.remindAt });
  }

  /** One pass over every learner: decides who gets a reminder now and enqueues it. */
  async runPass(): Promise<{ considered: number; enqueued: number }> {
    const now = this.clock();
    // Once per track, not per learner: a pass considers tens of thousands of learners.
    const work = new Map<string | null, { lessonIds: string[]; items: number }>();
    const workOf = (trackId: string | null) => {
      if (!work.has(trackId)) work.set(trackId, openWork(this.programme, trackId, now));
      return work.get(trackId)!;
    };
    // A lesson pushed to a learner today is that day's nudge (two days back covers every zone).
    const lessonsSince = new Date(now.getTime() - 2 * 24 * 3600 * 1000).toISOString();
    const [candidates, completed, dueReviews] = await Promise.all([
      this.store.candidates(lessonsSince),
      this.store.completedCounts(workOf(null).lessonIds),
      this.store.dueReviewCounts(now.toISOString()),
    ]);
    const toSend = [];
    for (const c of candidates) {
      const reviewDue = dueReviews.get(c.learnerId) ?? 0;
      const lessonWaiting = (completed.get(c.learnerId) ?? 0) < workOf(c.trackId).items;
      const decision = reminderDecision(
        {
          enabled: true,
          remindAt: c.remindAt,
          timeZone: c.timeZone,
          hasWork: lessonWaiting || reviewDue > 0,
          lastActivityAt: c.lastActivityAt ? new Date(c.lastActivityAt) : null,
          lastRemindedOn: lastNudgedOn(c),
        },
        now,
      );
      if (!decision.send) continue;
      toSend.push({
        learnerId: c.learnerId,
        day: decision.localDate,
        tenantId: c.tenantId,
        serviceUrl: c.serviceUrl,
        conversationId: c.conversationId,
        recipientId: c.recipientId,
        payload: { type: 'reminder' as const, language: c.language, lessonWaiting, reviewDue },
      });
    }
    const enqueued = toSend.length
      ? await this.store.enqueueReminders(toSend, now.toISOString())
      : 0;
    return { considered: candidates.length, enqueued };
  }
}

/**
 * The learner's local day of their last nudge: the last reminder, or a lesson a lead pushed to
 * them, whichever is later. A learner who got this morning's assignment is not reminded of it
 * the same day (at most one nudge per working day).
 */
function lastNudgedOn(candidate: ReminderCandidate): string | null {
  if (!candidate.lastLessonSentAt) return candidate.lastRemindedOn;
  const zone = knownTimeZoneOrDefault(candidate.timeZone);
  const pushedOn = localParts(new Date(candidate.lastLessonSentAt), zone).date;
  return candidate.lastRemindedOn && candidate.lastRemindedOn > pushedOn
    ? candidate.lastRemindedOn
    : pushedOn;
}
