/**
 * Calendar dates written YYYY-MM-DD (proleptic Gregorian, years 1 to 9999): validation, day
 * numbers, ISO weekdays. No time zone here: a local date is already in someone's zone.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A date as YYYY-MM-DD (the year padded to four digits). */
export function formatLocalDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Year, month, day of a real calendar date written YYYY-MM-DD, or undefined. */
export function parseLocalDate(
  text: string,
): { year: number; month: number; day: number } | undefined {
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

/** Days since 1970-01-01 of a date (negative before it). */
export function dayNumber(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0–99 to 1900–1999
  return Math.floor(d.getTime() / DAY_MS);
}

/** The date, YYYY-MM-DD, of a day number. */
export function formatDayNumber(dayNum: number): string {
  const d = new Date(dayNum * DAY_MS);
  return formatLocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** ISO weekday (1 = Monday ... 7 = Sunday) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekday(dayNum: number): number {
  return ((((dayNum + 3) % 7) + 7) % 7) + 1;
}
