/** Offset of a time zone from UTC at an instant, in minutes (e.g. +60 for Brussels in winter). */
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - instant) / 60_000);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant of a wall-clock time "YYYY-MM-DD HH:mm" in a time zone; undefined if the text
 * is not such a time or names a time that does not exist (the hour skipped when DST starts).
 */
export function zonedTimeToUtc(local: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(local.trim());
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let instant = wall - offsetMinutes(wall, timeZone) * 60_000;
  // Around a DST change the first guess can be an hour off: correct once with the offset there.
  instant = wall - offsetMinutes(instant, timeZone) * 60_000;
  const check = new Date(instant + offsetMinutes(instant, timeZone) * 60_000);
  if (
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCDate() !== day
  )
    return undefined;
  return new Date(instant);
}
