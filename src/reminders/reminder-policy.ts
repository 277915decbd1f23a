/**
 * Pure decision logic for reminders (nudges): who may get a reminder now, and on which local day.
 * No I/O and no clock of its own: the caller passes `now`. Built to be called once per learner in a
 * reminder pass over tens of thousands of learners, so time-zone formatters are created once per
 * zone and the conversions of the last few minutes are memoised per zone (a pass uses the same
 * `now` for everyone; turns and the tab convert the current minute again and again).
 */
import { PROGRAMME_TIME_ZONE } from '../curriculum/programme';

/** The time zone of a learner who has not set one, or whose zone is not a valid IANA name. */
export const DEFAULT_TIME_ZONE = PROGRAMME_TIME_ZONE;
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

export interface LocalParts {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** Local wall-clock minutes since midnight: hour * 60 + minute (seconds dropped). */
  minutes: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Calendar

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return Math.floor(d.getTime() / DAY_MS);
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}

function formatDayNumber(dayNum: number): string {
  const d = new Date(dayNum * DAY_MS);
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Year, month, day of a real calendar date written YYYY-MM-DD, or undefined. */
function parseLocalDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate(); // leap year: Feb has 29
  if (day > daysInMonth) return undefined;
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  return { year, month, day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Easter Sunday (Gregorian) by the anonymous (Meeus/Jones/Butcher) algorithm, as a day number. */
function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

const holidayCache = new Map<number, { list: readonly string[]; set: ReadonlySet<string> }>();

function holidaysOf(year: number): { list: readonly string[]; set: ReadonlySet<string> } {
  let cached = holidayCache.get(year);
  if (!cached) {
    if (!Number.isInteger(year) || year < 1 || year > 9999)
      throw new RangeError(`year must be an integer from 1 to 9999, got ${year}`);
    const y = pad4(year);
    const easter = easterDayNumber(year);
    const list = [
      `${y}-01-01`, // New Year
      formatDayNumber(easter + 1), // Easter Monday
      `${y}-05-01`, // Labour Day
      formatDayNumber(easter + 39), // Ascension Day
      formatDayNumber(easter + 50), // Whit Monday
      `${y}-07-21`, // National Day
      `${y}-08-15`, // Assumption
      `${y}-11-01`, // All Saints
      `${y}-11-11`, // Armistice
      `${y}-12-25`, // Christmas
    ].sort(); // Ascension can fall on 30 April, before Labour Day
    cached = { list, set: new Set(list) };
    holidayCache.set(year, cached);
  }
  return cached;
}

/**
 * The 10 legal public holidays of Belgium in `year`, YYYY-MM-DD, in calendar order. A holiday that
 * falls on a weekend is not moved (the replacement day is a matter between employer and employee).
 */
export function belgianPublicHolidays(year: number): string[] {
  return [...holidaysOf(year).list];
}

/**
 * Monday to Friday and not a Belgian public holiday. Throws a RangeError when `localDate` is not
 * a real calendar date written YYYY-MM-DD.
 */
export function isWorkingDay(localDate: string): boolean {
  const parsed = parseLocalDate(localDate);
  if (!parsed) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(localDate)}`);
  const weekday = isoWeekday(dayNumber(parsed.year, parsed.month, parsed.day));
  return isWorkingDate(localDate, parsed.year, weekday);
}

function isWorkingDate(localDate: string, year: number, weekday: number): boolean {
  return weekday <= 5 && !holidaysOf(year).set.has(localDate);
}

// ---------------------------------------------------------------------------------------------
// Time zones

interface LocalPartsInternal extends LocalParts {
  readonly year: number;
}

interface ZoneEntry {
  readonly format: Intl.DateTimeFormat;
  /** Local parts by UTC minute (Math.floor(ms / 60 000)), for instants from 1980 on. */
  readonly byMinute: Map<number, LocalPartsInternal>;
}

const MINUTE_MS = 60 * 1000;
/**
 * From 1980 on, every zone's offset from UTC is a whole number of minutes and changes only at a
 * whole UTC minute (checked against the runtime's tz data for 1980–2040), so every instant of one
 * UTC minute has the same local date and wall-clock minute. Earlier instants are not memoised.
 */
const WHOLE_MINUTES_FROM_MS = Date.UTC(1980, 0, 1);
/** Minutes remembered per zone: `now` and `now` minus a period (streaks) both stay in. */
const MINUTES_KEPT = 8;

const zones = new Map<string, ZoneEntry>();

/** The cached formatter of a zone, or null when the zone is not a valid IANA name. */
function zoneEntry(timeZone: string): ZoneEntry | null {
  let entry = zones.get(timeZone);
  if (entry === undefined) {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      });
      entry = { format, byMinute: new Map() };
    } catch {
      // Not cached: zone names come from clients, and a bad one must not grow the map.
      return null;
    }
    zones.set(timeZone, entry);
  }
  return entry;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (e.g. "Europe/Brussels"). */
export function isKnownTimeZone(timeZone: string): boolean {
  return timeZone.length > 0 && timeZone.length <= 64 && zoneEntry(timeZone) !== null;
}

function computeLocalParts(entry: ZoneEntry, instant: Date): LocalPartsInternal {
  const ms = instant.getTime();
  const utcMinute = ms >= WHOLE_MINUTES_FROM_MS ? Math.floor(ms / MINUTE_MS) : undefined;
  if (utcMinute !== undefined) {
    const known = entry.byMinute.get(utcMinute);
    if (known) return known;
  }
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of entry.format.formatToParts(ms)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value);
        break;
      case 'month':
        month = Number(part.value);
        break;
      case 'day':
        day = Number(part.value);
        break;
      case 'hour':
        hour = Number(part.value) % 24; // some ICU versions say 24 for midnight
        break;
      case 'minute':
        minute = Number(part.value);
        break;
    }
  }
  const result: LocalPartsInternal = {
    year,
    date: `${pad4(year)}-${pad2(month)}-${pad2(day)}`,
    minutes: hour * 60 + minute,
    weekday: isoWeekday(dayNumber(year, month, day)),
  };
  if (utcMinute !== undefined) {
    if (entry.byMinute.size >= MINUTES_KEPT) entry.byMinute.clear();
    entry.byMinute.set(utcMinute, result);
  }
  return result;
}

/**
 * Local date, wall-clock minutes since midnight and ISO weekday of `instant` in `timeZone` (any
 * IANA name; Europe/Brussels by default). Daylight saving is handled by the platform's tz data.
 * Throws a RangeError for an unknown time zone or an invalid date.
 */
export function localParts(instant: Date, timeZone: string = DEFAULT_TIME_ZONE): LocalParts {
  const entry = zoneEntry(timeZone);
  if (!entry) throw new RangeError(`unknown time zone: ${JSON.stringify(timeZone)}`);
  if (Number.isNaN(instant.getTime())) throw new RangeError('invalid date');
  const { date, minutes, weekday } = computeLocalParts(entry, instant);
  return { date, minutes, weekday };
}

// ---------------------------------------------------------------------------------------------
// Reminder time

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

  const nowMs = now.getTime();
  if (Number.isNaN(nowMs)) throw new RangeError('invalid date');
  const entry = zoneEntry(input.timeZone) ?? (zoneEntry(DEFAULT_TIME_ZONE) as ZoneEntry);
  const local = computeLocalParts(entry, now);

  if (!isWorkingDate(local.date, local.year, local.weekday))
    return { send: false, reason: 'notWorkingDay' };
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
    const since = nowMs - input.lastActivityAt.getTime();
    // Activity "in the future" (clock skew) counts as recent; an invalid date is ignored.
    if (since < RECENT_ACTIVITY_MS) return { send: false, reason: 'recentlyActive' };
  }

  return { send: true, localDate: local.date };
}
