import {
  isKnownTimeZone,
  knownTimeZoneOrDefault,
  localParts,
  PROGRAMME_TIME_ZONE,
  zonedTimeToUtc,
} from '../../src/time/zones';

const at = (iso: string): Date => new Date(iso);

describe('localParts', () => {
  it.each([
    // Brussels, winter (UTC+1) and summer (UTC+2)
    ['2026-01-13T08:30:00Z', 'Europe/Brussels', '2026-01-13', 9 * 60 + 30, 2],
    ['2026-07-14T07:30:00Z', 'Europe/Brussels', '2026-07-14', 9 * 60 + 30, 2],
    // Brussels, spring forward on Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST
    ['2026-03-29T00:59:00Z', 'Europe/Brussels', '2026-03-29', 1 * 60 + 59, 7],
    ['2026-03-29T01:00:00Z', 'Europe/Brussels', '2026-03-29', 3 * 60, 7],
    ['2026-03-30T07:30:00Z', 'Europe/Brussels', '2026-03-30', 9 * 60 + 30, 1],
    // Brussels, fall back on Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET
    ['2026-10-25T00:59:00Z', 'Europe/Brussels', '2026-10-25', 2 * 60 + 59, 7],
    ['2026-10-25T01:00:00Z', 'Europe/Brussels', '2026-10-25', 2 * 60, 7],
    ['2026-10-26T08:30:00Z', 'Europe/Brussels', '2026-10-26', 9 * 60 + 30, 1],
    // the local date changes before the UTC date does
    ['2026-06-30T22:30:00Z', 'Europe/Brussels', '2026-07-01', 30, 3],
    ['2026-01-14T23:00:00Z', 'Europe/Brussels', '2026-01-15', 0, 4], // midnight is 0, not 1440
    ['2026-12-31T23:15:00Z', 'Europe/Brussels', '2027-01-01', 15, 5],
    // New York: behind UTC, and its own DST date (8 March 2026)
    ['2026-01-14T03:00:00Z', 'America/New_York', '2026-01-13', 22 * 60, 2],
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08', 1 * 60 + 59, 7],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08', 3 * 60, 7],
    // Auckland: ahead of UTC, so Monday there while Sunday in UTC
    ['2026-01-11T20:30:00Z', 'Pacific/Auckland', '2026-01-12', 9 * 60 + 30, 1],
    // a half-hour zone
    ['2026-01-13T04:00:00Z', 'Asia/Kolkata', '2026-01-13', 9 * 60 + 30, 2],
    ['2026-01-13T08:30:59Z', 'UTC', '2026-01-13', 8 * 60 + 30, 2], // seconds are dropped
  ])('%s in %s is %s, minute %i, weekday %i', (iso, zone, date, minutes, weekday) => {
    expect(localParts(at(iso), zone)).toEqual({ date, minutes, weekday });
  });

  it('uses Europe/Brussels by default', () => {
    expect(localParts(at('2026-03-30T07:30:00Z'))).toEqual({
      date: '2026-03-30',
      minutes: 9 * 60 + 30,
      weekday: 1,
    });
  });

  it('gives the right answer when instants alternate (the per-zone memo does not stick)', () => {
    const a = at('2026-03-29T00:59:00Z');
    const b = at('2026-03-29T01:00:00Z');
    expect([a, b, a, b].map((d) => localParts(d, 'Europe/Brussels').minutes)).toEqual([
      119, 180, 119, 180,
    ]);
  });

  it('hands out a copy: changing the result does not change the next one', () => {
    const instant = at('2026-01-13T08:30:00Z');
    const first = localParts(instant, 'Europe/Brussels');
    first.minutes = -1;
    first.date = 'changed';
    expect(localParts(instant, 'Europe/Brussels')).toEqual({
      date: '2026-01-13',
      minutes: 570,
      weekday: 2,
    });
  });

  it('rejects an unknown time zone and an invalid date', () => {
    expect(() => localParts(at('2026-01-13T08:30:00Z'), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => localParts(new Date(NaN), 'Europe/Brussels')).toThrow(RangeError);
  });
});

describe('isKnownTimeZone', () => {
  it('knows IANA zones and nothing else', () => {
    for (const zone of ['Europe/Brussels', 'America/New_York', 'Asia/Kolkata', 'UTC'])
      expect(isKnownTimeZone(zone)).toBe(true);
    for (const zone of ['', 'Mars/Olympus_Mons', 'Europe/Brussels ', `Europe/${'x'.repeat(64)}`])
      expect(isKnownTimeZone(zone)).toBe(false);
  });
});

describe('knownTimeZoneOrDefault', () => {
  it('keeps a known zone and replaces anything else with Europe/Brussels', () => {
    expect(PROGRAMME_TIME_ZONE).toBe('Europe/Brussels');
    expect(knownTimeZoneOrDefault('America/New_York')).toBe('America/New_York');
    expect(knownTimeZoneOrDefault('Europe/Brussels')).toBe('Europe/Brussels');
    for (const zone of ['', 'Mars/Olympus_Mons', 'Europe/Brussels ', `Europe/${'x'.repeat(64)}`])
      expect(knownTimeZoneOrDefault(zone)).toBe('Europe/Brussels');
  });
});

describe('zonedTimeToUtc', () => {
  const iso = (local: string, zone: string) => zonedTimeToUtc(local, zone)?.toISOString();

  it.each([
    // Brussels, winter (UTC+1) and summer (UTC+2)
    ['2026-01-13 09:30', 'Europe/Brussels', '2026-01-13T08:30:00.000Z'],
    ['2026-07-14 09:30', 'Europe/Brussels', '2026-07-14T07:30:00.000Z'],
    ['2026-07-14T09:30', 'Europe/Brussels', '2026-07-14T07:30:00.000Z'],
    [' 2026-07-14 9:30 ', 'Europe/Brussels', '2026-07-14T07:30:00.000Z'],
    ['2027-01-01 00:30', 'Europe/Brussels', '2026-12-31T23:30:00.000Z'],
    // other zones, behind and ahead of UTC, a half-hour one
    ['2026-01-13 22:00', 'America/New_York', '2026-01-14T03:00:00.000Z'],
    ['2026-01-12 09:30', 'Pacific/Auckland', '2026-01-11T20:30:00.000Z'],
    ['2026-01-13 09:30', 'Asia/Kolkata', '2026-01-13T04:00:00.000Z'],
    ['2026-01-13 09:30', 'UTC', '2026-01-13T09:30:00.000Z'],
  ])('%p in %s is %s', (local, zone, expected) => {
    expect(iso(local, zone)).toBe(expected);
  });

  it('skips the hour that does not exist when Brussels moves to summer time (29 March 2026)', () => {
    const zone = 'Europe/Brussels';
    expect(iso('2026-03-29 01:59', zone)).toBe('2026-03-29T00:59:00.000Z'); // UTC+1
    for (const local of ['2026-03-29 02:00', '2026-03-29 02:30', '2026-03-29 02:59'])
      expect(iso(local, zone)).toBeUndefined();
    expect(iso('2026-03-29 03:00', zone)).toBe('2026-03-29T01:00:00.000Z'); // UTC+2
  });

  it('takes the later of the repeated hour when Brussels moves back to winter time (25 October 2026)', () => {
    const zone = 'Europe/Brussels';
    expect(iso('2026-10-25 01:59', zone)).toBe('2026-10-24T23:59:00.000Z'); // UTC+2
    expect(iso('2026-10-25 02:00', zone)).toBe('2026-10-25T01:00:00.000Z'); // UTC+1
    expect(iso('2026-10-25 02:30', zone)).toBe('2026-10-25T01:30:00.000Z');
    expect(iso('2026-10-25 02:59', zone)).toBe('2026-10-25T01:59:00.000Z');
    expect(iso('2026-10-25 03:00', zone)).toBe('2026-10-25T02:00:00.000Z');
  });

  it('follows New York’s own change (8 March 2026), not Brussels’s', () => {
    expect(iso('2026-03-08 02:30', 'America/New_York')).toBeUndefined();
    expect(iso('2026-03-08 02:30', 'Europe/Brussels')).toBe('2026-03-08T01:30:00.000Z');
    expect(iso('2026-03-29 02:30', 'America/New_York')).toBe('2026-03-29T06:30:00.000Z');
  });

  it('is the inverse of localParts on every minute of both Brussels change days', () => {
    const zone = 'Europe/Brussels';
    for (const day of ['2026-03-29', '2026-10-25']) {
      for (let minute = 0; minute < 24 * 60; minute += 1) {
        const local = `${day} ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        const instant = zonedTimeToUtc(local, zone);
        if (instant === undefined) continue;
        expect([local, localParts(instant, zone)]).toEqual([
          local,
          { date: day, minutes: minute, weekday: 7 },
        ]);
      }
    }
  });

  it.each([
    '',
    '2026-01-13',
    '2026-01-13 9h30',
    '13/01/2026 09:30',
    '2026-1-13 09:30',
    '2026-13-01 09:30',
    '2026-00-10 09:30',
    '2026-01-00 09:30',
    '2026-01-32 09:30',
    '2026-02-30 09:30', // rolls over to 2 March: refused
    '2026-01-13 24:00',
    '2026-01-13 09:60',
  ])('refuses %p', (local) => {
    expect(zonedTimeToUtc(local, 'Europe/Brussels')).toBeUndefined();
  });

  it('throws on an unknown zone', () => {
    expect(() => zonedTimeToUtc('2026-01-13 09:30', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
