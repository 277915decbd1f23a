import {
  dayNumber,
  formatDayNumber,
  formatLocalDate,
  isoWeekday,
  parseLocalDate,
} from '../../src/time/calendar-dates';

describe('parseLocalDate', () => {
  it.each([
    ['2026-01-13', { year: 2026, month: 1, day: 13 }],
    ['2028-02-29', { year: 2028, month: 2, day: 29 }], // leap year
    ['2000-02-29', { year: 2000, month: 2, day: 29 }], // divisible by 400
    ['0001-01-01', { year: 1, month: 1, day: 1 }],
    ['9999-12-31', { year: 9999, month: 12, day: 31 }],
  ])('%s → %p', (text, expected) => {
    expect(parseLocalDate(text)).toEqual(expected);
  });

  it.each([
    '2026-02-29',
    '1900-02-29', // divisible by 100, not by 400
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '0000-01-01',
    '2026-1-5',
    '2026-01-13T00:00',
    ' 2026-01-13',
    '',
  ])('%p → undefined', (text) => {
    expect(parseLocalDate(text)).toBeUndefined();
  });
});

describe('day numbers and weekdays', () => {
  it('counts days from 1 January 1970, a Thursday', () => {
    expect(dayNumber(1970, 1, 1)).toBe(0);
    expect(isoWeekday(0)).toBe(4);
    expect(dayNumber(1969, 12, 31)).toBe(-1);
    expect(isoWeekday(-1)).toBe(3);
    expect(dayNumber(2026, 1, 13)).toBe(20466);
    expect(isoWeekday(20466)).toBe(2); // Tuesday
  });

  it('takes years below 100 literally', () => {
    expect(formatDayNumber(dayNumber(50, 3, 1))).toBe('0050-03-01');
    expect(formatDayNumber(dayNumber(1, 1, 1))).toBe('0001-01-01');
  });

  it('goes round trip and gives Monday to Sunday in turn, across months, years and leap days', () => {
    let weekday = isoWeekday(dayNumber(2023, 12, 25)); // a Monday
    expect(weekday).toBe(1);
    for (let n = dayNumber(2023, 12, 25); n < dayNumber(2025, 1, 8); n += 1) {
      const date = formatDayNumber(n);
      const { year, month, day } = parseLocalDate(date)!;
      expect([date, dayNumber(year, month, day), isoWeekday(n)]).toEqual([date, n, weekday]);
      weekday = (weekday % 7) + 1;
    }
    expect(formatDayNumber(dayNumber(2024, 2, 29) + 1)).toBe('2024-03-01');
  });

  it('pads the year to four digits', () => {
    expect(formatLocalDate(987, 6, 5)).toBe('0987-06-05');
    expect(formatLocalDate(2026, 12, 31)).toBe('2026-12-31');
  });
});
