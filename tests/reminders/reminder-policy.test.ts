import {
  parseRemindTime,
  reminderDecision,
  type ReminderDecision,
  type ReminderInput,
} from '../../src/reminders/reminder-policy';

const at = (iso: string): Date => new Date(iso);

describe('parseRemindTime', () => {
  it.each([
    ['9:30', '09:30'],
    ['09:30', '09:30'],
    ['9h30', '09:30'],
    ['9H30', '09:30'],
    ['17.45', '17:45'],
    ['17h45', '17:45'],
    ['0:00', '00:00'],
    ['23:59', '23:59'],
    ['  08:05 ', '08:05'],
    ['19:00', '19:00'], // outside working hours is reminderDecision's business (it clamps)
  ])('%p → %p', (text, expected) => {
    expect(parseRemindTime(text)).toBe(expected);
  });

  it.each([
    '',
    'off',
    'on',
    '9',
    '9h',
    '930',
    '0930',
    '24:00',
    '9:60',
    '9:5',
    '123:00',
    '9:30:00',
    '9 : 30',
    '-1:30',
    '9,30',
    '٩:٣٠',
  ])('%p → undefined', (text) => {
    expect(parseRemindTime(text)).toBeUndefined();
  });
});

describe('reminderDecision', () => {
  const base: ReminderInput = {
    enabled: true,
    remindAt: '09:30',
    timeZone: 'Europe/Brussels',
    hasWork: true,
    lastActivityAt: null,
    lastRemindedOn: null,
  };
  const send = (localDate: string): ReminderDecision => ({ send: true, localDate });
  const skip = (
    reason: Extract<ReminderDecision, { send: false }>['reason'],
  ): ReminderDecision => ({
    send: false,
    reason,
  });
  // Tuesday 13 January 2026, Brussels is UTC+1.
  const TUE_0930 = '2026-01-13T08:30:00Z';
  const HOUR = 60 * 60 * 1000;
  const ago = (iso: string, ms: number): Date => new Date(at(iso).getTime() - ms);

  type Row = [string, Partial<ReminderInput>, string, ReminderDecision];

  // One row per line reads as a table.
  // prettier-ignore
  const rows: Row[] = [
    // the basic case and the switches
    ['sends at remindAt', {}, TUE_0930, send('2026-01-13')],
    ['sends later the same day', {}, '2026-01-13T14:00:00Z', send('2026-01-13')],
    ['off', { enabled: false }, TUE_0930, skip('off')],
    ['nothing waiting', { hasWork: false }, TUE_0930, skip('nothingWaiting')],

    // weekends and Belgian public holidays (Brussels summer time is UTC+2)
    ['Saturday', {}, '2026-01-17T08:30:00Z', skip('notWorkingDay')],
    ['Sunday', {}, '2026-01-18T08:30:00Z', skip('notWorkingDay')],
    ['New Year 2026', {}, '2026-01-01T08:30:00Z', skip('notWorkingDay')],
    ['Easter Monday 2026', {}, '2026-04-06T07:30:00Z', skip('notWorkingDay')],
    ['Good Friday 2026 is a working day', {}, '2026-04-03T07:30:00Z', send('2026-04-03')],
    ['Ascension 2026', {}, '2026-05-14T07:30:00Z', skip('notWorkingDay')],
    ['Whit Monday 2026', {}, '2026-05-25T07:30:00Z', skip('notWorkingDay')],
    ['National Day 2026', {}, '2026-07-21T07:30:00Z', skip('notWorkingDay')],
    ['Armistice 2026', {}, '2026-11-11T08:30:00Z', skip('notWorkingDay')],
    ['Christmas 2026', {}, '2026-12-25T08:30:00Z', skip('notWorkingDay')],
    ['Easter Monday 2027', {}, '2027-03-29T07:30:00Z', skip('notWorkingDay')],
    ['Ascension 2027', {}, '2027-05-06T07:30:00Z', skip('notWorkingDay')],
    ['All Saints 2027 (Monday)', {}, '2027-11-01T08:30:00Z', skip('notWorkingDay')],

    // working hours 08:00–18:00 local, remindAt clamped into them
    ['07:59 with remindAt 07:00', { remindAt: '07:00' }, '2026-01-13T06:59:00Z', skip('outsideHours')],
    ['08:00 with remindAt 07:00', { remindAt: '07:00' }, '2026-01-13T07:00:00Z', send('2026-01-13')],
    ['08:00 with remindAt 00:00', { remindAt: '00:00' }, '2026-01-13T07:00:00Z', send('2026-01-13')],
    ['17:59', {}, '2026-01-13T16:59:00Z', send('2026-01-13')],
    ['18:00', {}, '2026-01-13T17:00:00Z', skip('outsideHours')],
    ['17:58 with remindAt 20:00', { remindAt: '20:00' }, '2026-01-13T16:58:00Z', skip('tooEarly')],
    ['17:59 with remindAt 20:00', { remindAt: '20:00' }, '2026-01-13T16:59:00Z', send('2026-01-13')],
    ['17:59 with remindAt 18:00', { remindAt: '18:00' }, '2026-01-13T16:59:00Z', send('2026-01-13')],
    ['late evening with remindAt 20:00', { remindAt: '20:00' }, '2026-01-13T19:00:00Z', skip('outsideHours')],
    ['local midnight', {}, '2026-01-13T23:00:00Z', skip('outsideHours')],

    // not before remindAt
    ['09:29', {}, '2026-01-13T08:29:00Z', skip('tooEarly')],
    ['09:29:59', {}, '2026-01-13T08:29:59Z', skip('tooEarly')],
    ['14:59 with remindAt 15:00', { remindAt: '15:00' }, '2026-01-13T13:59:00Z', skip('tooEarly')],
    ['15:00 with remindAt 15:00', { remindAt: '15:00' }, '2026-01-13T14:00:00Z', send('2026-01-13')],
    ['lenient remindAt 9h45, 09:44', { remindAt: '9h45' }, '2026-01-13T08:44:00Z', skip('tooEarly')],
    ['lenient remindAt 9h45, 09:45', { remindAt: '9h45' }, '2026-01-13T08:45:00Z', send('2026-01-13')],
    ['unparseable remindAt → 09:30, 09:29', { remindAt: 'soon' }, '2026-01-13T08:29:00Z', skip('tooEarly')],
    ['unparseable remindAt → 09:30, 09:30', { remindAt: 'soon' }, TUE_0930, send('2026-01-13')],
    ['empty remindAt → 09:30, 09:29', { remindAt: '' }, '2026-01-13T08:29:00Z', skip('tooEarly')],
    ['out-of-range remindAt 25:00 → 09:30', { remindAt: '25:00' }, '2026-01-13T08:29:00Z', skip('tooEarly')],

    // the 20-hour rule
    ['active exactly 20 h ago', { lastActivityAt: ago(TUE_0930, 20 * HOUR) }, TUE_0930, send('2026-01-13')],
    ['active 20 h minus 1 ms ago', { lastActivityAt: ago(TUE_0930, 20 * HOUR - 1) }, TUE_0930, skip('recentlyActive')],
    ['active 1 minute ago', { lastActivityAt: ago(TUE_0930, 60_000) }, TUE_0930, skip('recentlyActive')],
    ['active yesterday at 14:00 local', { lastActivityAt: at('2026-01-12T13:00:00Z') }, TUE_0930, skip('recentlyActive')],
    ['active yesterday at 13:00 local', { lastActivityAt: at('2026-01-12T12:00:00Z') }, TUE_0930, send('2026-01-13')],
    ['activity stamped in the future', { lastActivityAt: at('2026-01-13T09:00:00Z') }, TUE_0930, skip('recentlyActive')],
    ['active three days ago', { lastActivityAt: ago(TUE_0930, 72 * HOUR) }, TUE_0930, send('2026-01-13')],

    // once per (local) day
    ['already reminded today', { lastRemindedOn: '2026-01-13' }, '2026-01-13T15:00:00Z', skip('alreadyRemindedToday')],
    ['reminded yesterday', { lastRemindedOn: '2026-01-12' }, TUE_0930, send('2026-01-13')],
    ['reminded on a later local date', { lastRemindedOn: '2026-01-14' }, TUE_0930, skip('alreadyRemindedToday')],

    // the order of the reasons when several apply
    ['off wins', { enabled: false, hasWork: false }, '2026-01-17T02:00:00Z', skip('off')],
    ['nothing waiting before the calendar', { hasWork: false }, '2026-01-17T02:00:00Z', skip('nothingWaiting')],
    ['weekend before the hours', {}, '2026-01-17T02:00:00Z', skip('notWorkingDay')],
    ['hours before remindAt', { remindAt: '10:00' }, '2026-01-13T06:00:00Z', skip('outsideHours')],
    ['too early before already reminded', { lastRemindedOn: '2026-01-13' }, '2026-01-13T08:00:00Z', skip('tooEarly')],
    [
      'already reminded before recently active',
      { lastRemindedOn: '2026-01-13', lastActivityAt: ago(TUE_0930, HOUR) },
      TUE_0930,
      skip('alreadyRemindedToday'),
    ],

    // daylight saving in Brussels: 09:30 local on the Monday after each change
    ['Sun 29 Mar 2026 (change day) is a weekend', {}, '2026-03-29T07:30:00Z', skip('notWorkingDay')],
    ['Mon 30 Mar 2026 07:29Z = 09:29 CEST', {}, '2026-03-30T07:29:00Z', skip('tooEarly')],
    ['Mon 30 Mar 2026 07:30Z = 09:30 CEST', {}, '2026-03-30T07:30:00Z', send('2026-03-30')],
    ['Mon 30 Mar 2026 05:59Z = 07:59 CEST', { remindAt: '08:00' }, '2026-03-30T05:59:00Z', skip('outsideHours')],
    ['Mon 30 Mar 2026 06:00Z = 08:00 CEST', { remindAt: '08:00' }, '2026-03-30T06:00:00Z', send('2026-03-30')],
    ['Mon 30 Mar 2026 15:59Z = 17:59 CEST', {}, '2026-03-30T15:59:00Z', send('2026-03-30')],
    ['Mon 30 Mar 2026 16:00Z = 18:00 CEST', {}, '2026-03-30T16:00:00Z', skip('outsideHours')],
    ['Fri 27 Mar 2026 07:30Z = 08:30 CET', {}, '2026-03-27T07:30:00Z', skip('tooEarly')],
    ['Mon 26 Oct 2026 07:30Z = 08:30 CET', {}, '2026-10-26T07:30:00Z', skip('tooEarly')],
    ['Mon 26 Oct 2026 08:29Z = 09:29 CET', {}, '2026-10-26T08:29:00Z', skip('tooEarly')],
    ['Mon 26 Oct 2026 08:30Z = 09:30 CET', {}, '2026-10-26T08:30:00Z', send('2026-10-26')],
    ['Mon 26 Oct 2026 16:59Z = 17:59 CET', {}, '2026-10-26T16:59:00Z', send('2026-10-26')],
    ['Mon 26 Oct 2026 17:00Z = 18:00 CET', {}, '2026-10-26T17:00:00Z', skip('outsideHours')],
    ['Fri 23 Oct 2026 07:30Z = 09:30 CEST', {}, '2026-10-23T07:30:00Z', send('2026-10-23')],

    // other time zones (Belgian public holidays still apply)
    ...((): Row[] => {
      const ny: Partial<ReminderInput> = { timeZone: 'America/New_York' };
      const nz: Partial<ReminderInput> = { timeZone: 'Pacific/Auckland' };
      return [
        ['New York 09:29 EST', ny, '2026-01-13T14:29:00Z', skip('tooEarly')],
        ['New York 09:30 EST', ny, '2026-01-13T14:30:00Z', send('2026-01-13')],
        ['New York 07:59 EST', { ...ny, remindAt: '07:00' }, '2026-01-13T12:59:00Z', skip('outsideHours')],
        ['New York 17:59 EST', ny, '2026-01-13T22:59:00Z', send('2026-01-13')],
        ['New York 18:00 EST', ny, '2026-01-13T23:00:00Z', skip('outsideHours')],
        ['New York Mon after its DST change 09:29 EDT', ny, '2026-03-09T13:29:00Z', skip('tooEarly')],
        ['New York Mon after its DST change 09:30 EDT', ny, '2026-03-09T13:30:00Z', send('2026-03-09')],
        ['New York on Belgian National Day', ny, '2026-07-21T13:30:00Z', skip('notWorkingDay')],
        ['New York, Friday evening = Saturday in Brussels', { ...ny, remindAt: '17:00' }, '2026-01-16T22:30:00Z', send('2026-01-16')],
        ['New York, reminded on this local date', { ...ny, lastRemindedOn: '2026-01-13' }, '2026-01-13T22:30:00Z', skip('alreadyRemindedToday')],
        ['Auckland Monday while Sunday in UTC', nz, '2026-01-11T20:30:00Z', send('2026-01-12')],
        ['Auckland Saturday while Friday in UTC', nz, '2026-01-16T20:30:00Z', skip('notWorkingDay')],
        ['Auckland, reminded on the UTC date only', { ...nz, lastRemindedOn: '2026-01-12' }, '2026-01-12T20:30:00Z', send('2026-01-13')],
        ['unknown zone falls back to Brussels, 09:29', { timeZone: 'Mars/Olympus_Mons' }, '2026-01-13T08:29:00Z', skip('tooEarly')],
        ['unknown zone falls back to Brussels, 09:30', { timeZone: 'Mars/Olympus_Mons' }, TUE_0930, send('2026-01-13')],
        ['empty zone falls back to Brussels', { timeZone: '' }, TUE_0930, send('2026-01-13')],
      ];
    })(),
  ];

  it.each(rows)('%s', (_name, overrides, nowIso, expected) => {
    expect(reminderDecision({ ...base, ...overrides }, at(nowIso))).toEqual(expected);
  });

  it('a pass over the same learner every five minutes sends exactly once per working day', () => {
    let learner: ReminderInput = { ...base, remindAt: '10:00' };
    const sent: string[] = [];
    // Friday 27 March to Tuesday 31 March 2026, across the spring change.
    for (let t = at('2026-03-27T00:00:00Z').getTime(); t < at('2026-04-01T00:00:00Z').getTime();) {
      const now = new Date(t);
      const decision = reminderDecision(learner, now);
      if (decision.send) {
        sent.push(now.toISOString());
        learner = { ...learner, lastRemindedOn: decision.localDate };
      }
      t += 5 * 60 * 1000;
    }
    expect(sent).toEqual([
      '2026-03-27T09:00:00.000Z', // Friday 10:00 CET
      '2026-03-30T08:00:00.000Z', // Monday 10:00 CEST
      '2026-03-31T08:00:00.000Z', // Tuesday 10:00 CEST
    ]);
  });

  it('rejects an invalid now', () => {
    expect(() => reminderDecision(base, new Date(NaN))).toThrow(RangeError);
  });
});
