import { isWorkingDay, previousWorkingDay } from '../time/belgian-calendar';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Working days in a row on which the learner did something (a lesson or a review), ending today
 * or, when today is not a working day or has no activity yet, on the last working day before
 * today. Weekends and Belgian public holidays neither break the streak nor count; activity on them
 * does not count either. A working day without activity breaks it.
 *
 * `activityLocalDates` are local dates (YYYY-MM-DD) in the learner's zone, in any order, repeats
 * allowed; entries that are not real dates and dates after `today` are ignored. Throws a
 * RangeError when `today` is not a real YYYY-MM-DD date.
 */
export function workingDayStreak(activityLocalDates: string[], today: string): number {
  const todayIsWorking = isWorkingDay(today); // validates `today`
  const active = new Set<string>();
  for (const date of activityLocalDates) {
    if (date <= today && DATE_RE.test(date)) active.add(date);
  }

  let day = todayIsWorking && active.has(today) ? today : previousWorkingDay(today);
  let streak = 0;
  // Terminates: each step consumes a distinct date of the finite set `active`.
  while (active.has(day)) {
    streak++;
    day = previousWorkingDay(day);
  }
  return streak;
}
