/**
 * Time zones: which names are known, local date and time of an instant in a zone, and the instant
 * of a local time. One formatter per zone, created once (creating an Intl.DateTimeFormat costs far
 * more than formatting with it), and the local parts of the last few minutes memoised per zone:
 * a reminder pass converts the same `now` for every learner, and turns and the tab convert the
 * current minute again and again.
 */
import { dayNumber, formatLocalDate, isoWeekday } from './calendar-dates';

/**
 * Belgian Defence's time zone: phases open at 00:00 there, and it is everyone's default (teams,
 * learners, and any zone name this runtime does not know).
 */
export const PROGRAMME_TIME_ZONE = 'Europe/Brussels';

export interface LocalParts {
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
  /** Local wall-clock minutes since midnight: hour * 60 + minute (seconds dropped). */
  minutes: number;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

interface ZoneEntry {
  readonly format: Intl.DateTimeFormat;
  /** Local parts by UTC minute (Math.floor(ms / 60 000)), for instants from 1980 on. */
  readonly byMinute: Map<number, LocalParts>;
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
        second: 'numeric',
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

function knownZoneEntry(timeZone: string): ZoneEntry {
  const entry = zoneEntry(timeZone);
  if (!entry) throw new RangeError(`unknown time zone: ${JSON.stringify(timeZone)}`);
  return entry;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (e.g. "Europe/Brussels"). */
export function isKnownTimeZone(timeZone: string): boolean {
  return timeZone.length > 0 && timeZone.length <= 64 && zoneEntry(timeZone) !== null;
}

/** `timeZone` when it is known, else the programme's zone (clients and old rows may send anything). */
export function knownTimeZoneOrDefault(timeZone: string): string {
  return isKnownTimeZone(timeZone) ? timeZone : PROGRAMME_TIME_ZONE;
}

function wallClock(entry: ZoneEntry, ms: number): WallClock {
  const wall: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of entry.format.formatToParts(ms)) {
    switch (part.type) {
      case 'year':
      case 'month':
      case 'day':
      case 'minute':
      case 'second':
        wall[part.type] = Number(part.value);
        break;
      case 'hour':
        wall.hour = Number(part.value) % 24; // some ICU versions say 24 for midnight
        break;
    }
  }
  return wall;
}

function memoisedLocalParts(entry: ZoneEntry, ms: number): LocalParts {
  const utcMinute = ms >= WHOLE_MINUTES_FROM_MS ? Math.floor(ms / MINUTE_MS) : undefined;
  if (utcMinute !== undefined) {
    const known = entry.byMinute.get(utcMinute);
    if (known) return known;
  }
  const { year, month, day, hour, minute } = wallClock(entry, ms);
  const result: LocalParts = {
    date: formatLocalDate(year, month, day),
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
export function localParts(instant: Date, timeZone: string = PROGRAMME_TIME_ZONE): LocalParts {
  const entry = knownZoneEntry(timeZone);
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid date');
  const { date, minutes, weekday } = memoisedLocalParts(entry, ms);
  return { date, minutes, weekday };
}

/** Today's date in Brussels, YYYY-MM-DD: phases open at 00:00 Europe/Brussels. */
export function brusselsDate(now: Date): string {
  return localParts(now, PROGRAMME_TIME_ZONE).date;
}

/** Offset of a zone from UTC at an instant, in minutes (e.g. +60 for Brussels in winter). */
function offsetMinutes(entry: ZoneEntry, instant: number): number {
  const { year, month, day, hour, minute, second } = wallClock(entry, instant);
  return Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - instant) / MINUTE_MS);
}

const LOCAL_TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/;

/**
 * The instant of a wall-clock time "YYYY-MM-DD HH:mm" in a time zone; undefined if the text is
 * not such a time or names a time that does not exist (the hour skipped when summer time starts).
 * A time that occurs twice (the hour repeated when summer time ends) gives one of the two: in
 * Brussels the later one, in winter time.
 * Throws a RangeError for an unknown time zone.
 */
export function zonedTimeToUtc(local: string, timeZone: string): Date | undefined {
  const match = LOCAL_TIME_RE.exec(local.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const entry = knownZoneEntry(timeZone);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - offsetMinutes(entry, wall) * MINUTE_MS;
  // Around a DST change the first guess can be an hour off: correct once with the offset there.
  instant = wall - offsetMinutes(entry, instant) * MINUTE_MS;
  const check = new Date(instant + offsetMinutes(entry, instant) * MINUTE_MS);
  if (
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCDate() !== day
  )
    return undefined;
  return new Date(instant);
}
