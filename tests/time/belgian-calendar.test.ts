import {
  belgianPublicHolidays,
  isWorkingDay,
  isWorkingLocalDay,
  previousWorkingDay,
} from '../../src/time/belgian-calendar';

describe('Belgian public holidays', () => {
  it('2026 (Easter on 5 April)', () => {
    expect(belgianPublicHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-04-06', // Easter Monday
      '2026-05-01',
      '2026-05-14', // Ascension
      '2026-05-25', // Whit Monday
      '2026-07-21',
      '2026-08-15',
      '2026-11-01',
      '2026-11-11',
      '2026-12-25',
    ]);
  });

  it('2027 (Easter on 28 March)', () => {
    expect(belgianPublicHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-03-29', // Easter Monday
      '2027-05-01',
      '2027-05-06', // Ascension
      '2027-05-17', // Whit Monday
      '2027-07-21',
      '2027-08-15',
      '2027-11-01',
      '2027-11-11',
      '2027-12-25',
    ]);
  });

  it.each([
    [2008, '2008-03-24'], // early Easter (23 March)
    [2019, '2019-04-22'],
    [2024, '2024-04-01'], // Easter Monday in another month than Easter
    [2025, '2025-04-21'],
    [2038, '2038-04-26'], // latest possible Easter (25 April)
  ])('Easter Monday %i is %s', (year, easterMonday) => {
    expect(belgianPublicHolidays(year)[1]).toBe(easterMonday);
  });

  it('keeps calendar order when Ascension falls before Labour Day (Easter on 22 March 2285)', () => {
    expect(belgianPublicHolidays(2285).slice(0, 4)).toEqual([
      '2285-01-01',
      '2285-03-23',
      '2285-04-30',
      '2285-05-01',
    ]);
  });

  it('hands out a copy: changing the result does not change the cache', () => {
    const first = belgianPublicHolidays(2026);
    first.length = 0;
    expect(belgianPublicHolidays(2026)).toHaveLength(10);
  });

  it.each([2026.5, 0, 10000, NaN])('rejects year %p', (year) => {
    expect(() => belgianPublicHolidays(year)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-01-13', true], // Tuesday
    ['2026-01-16', true], // Friday
    ['2026-01-17', false], // Saturday
    ['2026-01-18', false], // Sunday
    ['2026-01-01', false], // New Year, Thursday
    ['2026-01-02', true], // the Friday after New Year is not a holiday
    ['2026-04-03', true], // Good Friday is not a legal holiday
    ['2026-04-06', false], // Easter Monday
    ['2026-04-07', true],
    ['2026-05-01', false], // Labour Day, Friday
    ['2026-05-14', false], // Ascension, Thursday
    ['2026-05-15', true], // the bridge day is a working day
    ['2026-05-25', false], // Whit Monday
    ['2026-07-21', false], // National Day, Tuesday
    ['2026-11-11', false], // Armistice, Wednesday
    ['2026-12-25', false], // Christmas, Friday
    ['2026-12-24', true],
    ['2026-11-02', true], // All Saints is a Sunday in 2026 and is not moved
    ['2027-01-01', false],
    ['2027-03-29', false], // Easter Monday
    ['2027-03-26', true], // Good Friday
    ['2027-05-06', false], // Ascension
    ['2027-05-17', false], // Whit Monday
    ['2027-07-21', false], // National Day, Wednesday
    ['2027-11-01', false], // All Saints, Monday
    ['2027-11-11', false], // Armistice, Thursday
    ['2027-12-24', true],
    ['2027-12-27', true], // Christmas is a Saturday and is not moved
  ])('%s → %p', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-1-5', '13/01/2026', ''])(
    'rejects %p',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(RangeError);
    },
  );

  it('accepts 29 February of a leap year', () => {
    expect(isWorkingDay('2028-02-29')).toBe(true); // Tuesday
  });
});

describe('isWorkingLocalDay', () => {
  it.each([
    [{ date: '2026-01-13', weekday: 2 }, true],
    [{ date: '2026-01-17', weekday: 6 }, false], // Saturday
    [{ date: '2026-01-18', weekday: 7 }, false], // Sunday
    [{ date: '2026-04-06', weekday: 1 }, false], // Easter Monday
    [{ date: '2026-07-21', weekday: 2 }, false], // National Day
    [{ date: '2027-12-27', weekday: 1 }, true], // Christmas 2027 is a Saturday and is not moved
  ])('%p → %p, as isWorkingDay says', (local, expected) => {
    expect(isWorkingLocalDay(local)).toBe(expected);
    expect(isWorkingDay(local.date)).toBe(expected);
  });
});

describe('previousWorkingDay', () => {
  it.each([
    ['2026-01-14', '2026-01-13'], // Wednesday → Tuesday
    ['2026-01-12', '2026-01-09'], // Monday → Friday
    ['2026-01-18', '2026-01-16'], // Sunday → Friday
    ['2026-01-02', '2025-12-31'], // over New Year, into the year before
    ['2026-04-07', '2026-04-03'], // over Easter Monday, to Good Friday
    ['2026-05-26', '2026-05-22'], // over Whit Monday
    ['2026-05-15', '2026-05-13'], // over Ascension
    ['2027-01-04', '2026-12-31'], // over the weekend and New Year
    ['2024-03-01', '2024-02-29'], // a leap day
  ])('before %s is %s', (date, expected) => {
    expect(previousWorkingDay(date)).toBe(expected);
  });

  it.each(['2026-02-30', '2026-1-5', ''])('rejects %p', (date) => {
    expect(() => previousWorkingDay(date)).toThrow(RangeError);
  });
});
