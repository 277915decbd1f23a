/**
 * Pure decision logic for reminders (nudges): who may get a reminder now, and on which local day.
 * No I/O and no clock of its own: the caller passes `now`. Built to be called once per learner in a
 * reminder pass over tens of thousands of learners (zone conversions are memoised in time/zones).
 */
import { isWorkingLocalDay } from '../time/belgian-calendar';
import { knownTimeZoneOrDefault, localParts } from '../time/zones';

/** The reminder time of a learner who has not set one (or whose stored value does not parse). */
export const DEFAULT_REMIND_AT = '09:30';
/** Reminders go out from 08:00 local (inclusive)... */
export const WORKING_HOURS_START_MINUTES = 8 * 60;
/** ...until 18:00 local (exclusive): at 18:00 it is too late. */
export const WORKING_HOURS_END_MINUTES = 18 * 60;
/** No reminder when the learner did something less than 20 hours ago. */
export const RECENT_ACTIVITY_MS = 20 * 60 * 60 * 1000;

export type ReminderSkipReason =
  | 'off'
  | 'nothingWaiting'
  | 'notWorkingDay'
  | 'outsideHours'
  | 'tooEarly'
  | 'alreadyRemindedToday'
  | 'recentlyActive';

export type ReminderDecision =
  { send: true; localDate: string } | { send: false; reason: ReminderSkipReason };

export interface ReminderInput {
  /** `remind off` sets this to false. */
  enabled: boolean;
  /** 'HH:mm' local time of day; the lenient forms of {@link parseRemindTime} are accepted too. */
  remindAt: string;
  /** IANA time zone name, e.g. 'Europe/Brussels'. */
  timeZone: string;
  /** A lesson waiting or reviews due. */
  hasWork: boolean;
  lastActivityAt: Date | null;
  /** Local date (YYYY-MM-DD, in the learner's zone at the time) of the last reminder sent. */
  lastRemindedOn: string | null;
}

// ---------------------------------------------------------------------------------------------
// Reminder time

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const REMIND_TIME_RE = /^(\d{1,2})[:hH.](\d{2})$/;

/**
 * A time of day typed by a learner ('9:30', '09:30', '9h30', '17.45'; surrounding spaces ignored)
 * as 'HH:mm', or undefined when it is not one (including hours above 23 or minutes above 59).
 * Whether the time lies within working hours is not checked here: {@link reminderDecision} clamps.
 */
export function parseRemindTime(text: string): string | undefined {
  const m = REMIND_TIME_RE.exec(text.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return undefined;
  return `${pad2(hour)}:${pad2(minute)}`;
}

const DEFAULT_REMIND_MINUTES = 9 * 60 + 30;

/** Minutes since midnight of a stored remindAt; the default when it does not parse. */
function remindMinutes(remindAt: string): number {
  // Fast path for the normalised form 'HH:mm' that is stored.
  if (remindAt.length === 5 && remindAt.charCodeAt(2) === 58 /* : */) {
    const h1 = remindAt.charCodeAt(0) - 48;
    const h2 = remindAt.charCodeAt(1) - 48;
    const m1 = remindAt.charCodeAt(3) - 48;
    const m2 = remindAt.charCodeAt(4) - 48;
    if (h1 >= 0 && h1 <= 9 && h2 >= 0 && h2 <= 9 && m1 >= 0 && m1 <= 5 && m2 >= 0 && m2 <= 9) {
      const hour = h1 * 10 + h2;
      if (hour <= 23) return hour * 60 + m1 * 10 + m2;
    }
    return DEFAULT_REMIND_MINUTES;
  }
  const normalised = parseRemindTime(remindAt);
  if (normalised === undefined) return DEFAULT_REMIND_MINUTES;
  return Number(normalised.slice(0, 2)) * 60 + Number(normalised.slice(3));
}

// ---------------------------------------------------------------------------------------------
// Decision

/**
 * Whether `input`'s learner gets a reminder at `now`. Rules, checked in this order (the first that
 * fails gives the reason): enabled; something waiting; a working day in the learner's zone (not a
 * weekend, not a Belgian public holiday); 08:00 <= local time < 18:00; not before remindAt (clamped
 * into 08:00–17:59); not already reminded on this local date; no activity in the last 20 hours.
 * On `send: true`, store `localDate` as the learner's lastRemindedOn once the reminder is enqueued.
 */
export function reminderDecision(input: ReminderInput, now: Date): ReminderDecision {
  if (!input.enabled) return { send: false, reason: 'off' };
  if (!input.hasWork) return { send: false, reason: 'nothingWaiting' };

  const local = localParts(now, knownTimeZoneOrDefault(input.timeZone)); // throws if now is invalid

  if (!isWorkingLocalDay(local)) return { send: false, reason: 'notWorkingDay' };
  if (local.minutes < WORKING_HOURS_START_MINUTES || local.minutes >= WORKING_HOURS_END_MINUTES)
    return { send: false, reason: 'outsideHours' };

  const remindAt = Math.min(
    Math.max(remindMinutes(input.remindAt), WORKING_HOURS_START_MINUTES),
    WORKING_HOURS_END_MINUTES - 1,
  );
  if (local.minutes < remindAt) return { send: false, reason: 'tooEarly' };

  // ">=": a learner who moved west after a reminder must not get a second one on the same day.
  if (input.lastRemindedOn !== null && input.lastRemindedOn >= local.date)
    return { send: false, reason: 'alreadyRemindedToday' };

  if (input.lastActivityAt !== null) {
    const since = now.getTime() - input.lastActivityAt.getTime();
    // Activity "in the future" (clock skew) counts as recent; an invalid date is ignored.
    if (since < RECENT_ACTIVITY_MS) return { send: false, reason: 'recentlyActive' };
  }

  return { send: true, localDate: local.date };
}
