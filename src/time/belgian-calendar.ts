/**
 * Belgium's working days: Monday to Friday, except the 10 legal public holidays. The same calendar
 * for every learner, whatever their zone (the programme is Belgian Defence's).
 */
import {
  dayNumber,
  formatDayNumber,
  formatLocalDate,
  isoWeekday,
  parseLocalDate,
} from './calendar-dates';
import { type LocalParts } from './zones';

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
    const easter = easterDayNumber(year);
    const list = [
      formatLocalDate(year, 1, 1), // New Year
      formatDayNumber(easter + 1), // Easter Monday
      formatLocalDate(year, 5, 1), // Labour Day
      formatDayNumber(easter + 39), // Ascension Day
      formatDayNumber(easter + 50), // Whit Monday
      formatLocalDate(year, 7, 21), // National Day
      formatLocalDate(year, 8, 15), // Assumption
      formatLocalDate(year, 11, 1), // All Saints
      formatLocalDate(year, 11, 11), // Armistice
      formatLocalDate(year, 12, 25), // Christmas
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

/** Parses `localDate`, throwing a RangeError when it is not a real YYYY-MM-DD date. */
function dayNumberOf(localDate: string): number {
  const parsed = parseLocalDate(localDate);
  if (!parsed) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(localDate)}`);
  return dayNumber(parsed.year, parsed.month, parsed.day);
}

function isWorkingDate(localDate: string, weekday: number): boolean {
  return weekday <= 5 && !holidaysOf(Number(localDate.slice(0, -6))).set.has(localDate);
}

/**
 * Monday to Friday and not a Belgian public holiday. Throws a RangeError when `localDate` is not
 * a real calendar date written YYYY-MM-DD.
 */
export function isWorkingDay(localDate: string): boolean {
  return isWorkingDate(localDate, isoWeekday(dayNumberOf(localDate)));
}

/**
 * {@link isWorkingDay} of a local date that comes with its weekday (from `localParts`), without
 * parsing it again: a reminder pass asks once per learner, and parsing costs ten times more.
 */
export function isWorkingLocalDay(local: Pick<LocalParts, 'date' | 'weekday'>): boolean {
  return isWorkingDate(local.date, local.weekday);
}

/**
 * The last working day strictly before `localDate`. Throws a RangeError when `localDate` is not a
 * real YYYY-MM-DD date, or when there is none from year 1 on.
 */
export function previousWorkingDay(localDate: string): string {
  let dayNum = dayNumberOf(localDate);
  let day: string;
  do {
    dayNum -= 1;
    day = formatDayNumber(dayNum);
  } while (!isWorkingDate(day, isoWeekday(dayNum)));
  return day;
}
