import { workingDayStreak } from '../../src/reminders/streak';

/** Every calendar date from `from` to `to` inclusive, YYYY-MM-DD. */
function everyDay(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 864e5)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

describe('workingDayStreak', () => {
  // 2026-01-09 Fri, 10 Sat, 11 Sun, 12 Mon, 13 Tue, 17 Sat.
  // prettier-ignore
  const rows: [string, string[], string, number][] = [
    ['no activity', [], '2026-01-13', 0],
    ['today only', ['2026-01-13'], '2026-01-13', 1],
    ['yesterday and today', ['2026-01-12', '2026-01-13'], '2026-01-13', 2],
    ['yesterday, nothing yet today (the day is not over)', ['2026-01-12'], '2026-01-13', 1],
    ['the day before yesterday only: yesterday broke it', ['2026-01-09'], '2026-01-13', 0],
    ['the weekend neither breaks nor counts', ['2026-01-09', '2026-01-12', '2026-01-13'], '2026-01-13', 3],
    ['a missed Monday breaks it', ['2026-01-09', '2026-01-13'], '2026-01-13', 1],
    ['weekend activity does not count', ['2026-01-10', '2026-01-11', '2026-01-13'], '2026-01-13', 1],
    ['weekend activity does not save a missed Friday', ['2026-01-08', '2026-01-10', '2026-01-12'], '2026-01-12', 1],
    ['Monday, nothing yet today, Friday counts', ['2026-01-08', '2026-01-09'], '2026-01-12', 2],
    ['on a Saturday: ends on Friday', ['2026-01-15', '2026-01-16'], '2026-01-17', 2],
    ['on a Saturday with activity that day', ['2026-01-15', '2026-01-16', '2026-01-17'], '2026-01-17', 2],
    ['on a Sunday with a missed Friday', ['2026-01-15', '2026-01-17', '2026-01-18'], '2026-01-18', 0],
    ['repeats and any order', ['2026-01-13', '2026-01-12', '2026-01-13', '2026-01-12'], '2026-01-13', 2],
    ['malformed entries are ignored', ['garbage', '', '2026-1-12', '2026-01-13'], '2026-01-13', 1],

    // Belgian public holidays (Easter Monday 2026-04-06; Good Friday 04-03 is a working day)
    ['over Easter Monday', ['2026-04-02', '2026-04-03', '2026-04-07'], '2026-04-07', 3],
    ['activity on Easter Monday does not count', ['2026-04-03', '2026-04-06', '2026-04-07'], '2026-04-07', 2],
    ['a missed Good Friday breaks it', ['2026-04-02', '2026-04-07'], '2026-04-07', 1],
    ['on Easter Monday itself: ends on Friday', ['2026-04-02', '2026-04-03'], '2026-04-06', 2],
    ['over Ascension 2026 (Thu 14 May)', ['2026-05-13', '2026-05-15'], '2026-05-15', 2],
    ['over Ascension and Whit Monday 2027', ['2027-05-05', '2027-05-07', '2027-05-14', '2027-05-18'], '2027-05-18', 2],
    [
      'over Christmas and New Year 2026–2027',
      ['2026-12-24', '2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', '2027-01-04'],
      '2027-01-04',
      6,
    ],
    ['over National Day 2026 (Tue 21 Jul)', ['2026-07-20', '2026-07-22'], '2026-07-22', 2],
  ];

  it.each(rows)('%s', (_name, dates, today, expected) => {
    expect(workingDayStreak(dates, today)).toBe(expected);
  });

  it('counts a long run: every day from 1 Jan to 13 Feb 2026 is 31 working days', () => {
    // 1 Jan is New Year; 31 Dec 2025 (a working day) has no activity and ends the run.
    expect(workingDayStreak(everyDay('2026-01-01', '2026-02-13'), '2026-02-13')).toBe(31);
  });

  it('does not mutate its input', () => {
    const dates = ['2026-01-13', '2026-01-12'];
    workingDayStreak(dates, '2026-01-13');
    expect(dates).toEqual(['2026-01-13', '2026-01-12']);
  });

  it.each(['', '2026-02-30', '13/01/2026'])('rejects today = %p', (today) => {
    expect(() => workingDayStreak(['2026-01-13'], today)).toThrow(RangeError);
  });
});
