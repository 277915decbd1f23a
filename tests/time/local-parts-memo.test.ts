import { localParts, type LocalParts } from '../../src/time/zones';

/** Local parts computed from scratch, with a formatter of its own (nothing memoised). */
function reference(instant: Date, timeZone: string): LocalParts {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  ) as Record<string, number>;
  const { year, month, day } = parts as { year: number; month: number; day: number };
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return {
    date: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
    minutes: (parts.hour! % 24) * 60 + parts.minute!,
    weekday: ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1,
  };
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Zones with half- and quarter-hour offsets, half-hour daylight saving (Lord Howe), a date-line
// jump (Apia, end of 2011), southern-hemisphere and abolished daylight saving.
const ZONES = [
  'Europe/Brussels',
  'UTC',
  'America/New_York',
  'America/Sao_Paulo',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Africa/Casablanca',
];

describe('localParts, memoised per UTC minute', () => {
  it('gives every instant of a minute the parts computed from scratch, around zone changes too', () => {
    const next = random(20261129);
    for (const zone of ZONES) {
      for (let i = 0; i < 200; i += 1) {
        // Random minutes from 1980 to 2040, and the minutes around 02:00–03:00 local on the last
        // Sundays of March and October and the first Sundays of April and November, where most
        // zones change their offset.
        const minute =
          i % 2 === 0
            ? Math.floor(Date.UTC(1980, 0, 1) / 60_000 + next() * 60 * 365.25 * 24 * 60)
            : Math.floor(
                Date.UTC(1990 + Math.floor(next() * 50), [2, 3, 9, 10][i % 4]!, 1) / 60_000 +
                  Math.floor(next() * 31 * 24 * 60),
              );
        const first = new Date(minute * 60_000 + Math.floor(next() * 60_000));
        const second = new Date(minute * 60_000 + Math.floor(next() * 60_000));
        expect([zone, first.toISOString(), localParts(first, zone)]).toEqual([
          zone,
          first.toISOString(),
          reference(first, zone),
        ]);
        expect([zone, second.toISOString(), localParts(second, zone)]).toEqual([
          zone,
          second.toISOString(),
          reference(second, zone),
        ]);
      }
    }
  });

  it('switches at the minute: 23:59:59.999 and 00:00 local are different days', () => {
    const zone = 'Europe/Brussels';
    // 2026-03-28: UTC+1 until the next night, so local midnight is 23:00 UTC.
    expect(localParts(new Date('2026-03-28T23:00:30Z'), zone)).toEqual({
      date: '2026-03-29',
      minutes: 0,
      weekday: 7,
    });
    expect(localParts(new Date('2026-03-28T22:59:59.999Z'), zone)).toEqual({
      date: '2026-03-28',
      minutes: 23 * 60 + 59,
      weekday: 6,
    });
    expect(localParts(new Date('2026-03-28T23:00:00Z'), zone).date).toBe('2026-03-29');
    // The change to summer time: 01:59:59 UTC+1, then 03:00 UTC+2.
    expect(localParts(new Date('2026-03-29T00:59:59Z'), zone).minutes).toBe(60 + 59);
    expect(localParts(new Date('2026-03-29T01:00:00Z'), zone).minutes).toBe(3 * 60);
  });

  it('keeps more than one minute per zone: a streak asks for now and for 400 days ago in turn', () => {
    const zone = 'America/New_York';
    const now = new Date('2026-11-30T15:20:10Z');
    const before = new Date(now.getTime() - 400 * 24 * 3600 * 1000);
    for (let i = 0; i < 3; i += 1) {
      expect(localParts(now, zone)).toEqual(reference(now, zone));
      expect(localParts(before, zone)).toEqual(reference(before, zone));
    }
  });

  it('does not memoise before 1980, when offsets could have seconds (Liberia, −0:44:30)', () => {
    const zone = 'Africa/Monrovia';
    const a = new Date('1971-06-01T12:00:10Z');
    const b = new Date('1971-06-01T12:00:40Z');
    // One UTC minute, two local minutes (11:15:40 and 11:16:10).
    expect(reference(a, zone).minutes).not.toBe(reference(b, zone).minutes);
    expect(localParts(a, zone)).toEqual(reference(a, zone));
    expect(localParts(b, zone)).toEqual(reference(b, zone));
    expect(localParts(a, zone)).toEqual(reference(a, zone));
  });
});
