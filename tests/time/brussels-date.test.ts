import { brusselsDate } from '../../src/time/zones';

// A formatter of the test's own, asked every time (no memo).
const FORMAT = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const fresh = (instant: Date) => FORMAT.format(instant);

describe('brusselsDate, memoised per UTC minute', () => {
  it('changes day at Brussels midnight, in winter and in summer time', () => {
    // Winter (UTC+1): midnight is 23:00 UTC. Asked in an order that would expose a stale memo.
    expect(brusselsDate(new Date('2026-03-28T23:00:30Z'))).toBe('2026-03-29');
    expect(brusselsDate(new Date('2026-03-28T22:59:59.999Z'))).toBe('2026-03-28');
    expect(brusselsDate(new Date('2026-03-28T23:00:00Z'))).toBe('2026-03-29');
    expect(brusselsDate(new Date('2026-03-28T23:00:59.999Z'))).toBe('2026-03-29');
    // Summer (UTC+2): midnight is 22:00 UTC.
    expect(brusselsDate(new Date('2026-07-01T21:59:30Z'))).toBe('2026-07-01');
    expect(brusselsDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
    expect(brusselsDate(new Date('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
  });

  it('agrees with a formatter of its own on every instant, minute after minute', () => {
    let ms = Date.UTC(2026, 9, 24, 21, 0, 0);
    // Through the night of the change back to winter time (25 October 2026), in 7-second steps.
    while (ms < Date.UTC(2026, 9, 25, 23, 0, 0)) {
      const instant = new Date(ms);
      expect([instant.toISOString(), brusselsDate(instant)]).toEqual([
        instant.toISOString(),
        fresh(instant),
      ]);
      ms += 7_000;
    }
  });

  it('still answers before 1980 (not memoised: Brussels was UTC+0:17:30 until 1892)', () => {
    const instant = new Date('1880-06-01T23:50:00Z');
    expect(brusselsDate(instant)).toBe(fresh(instant));
    expect(brusselsDate(instant)).toBe('1880-06-02');
  });

  it('throws on an invalid date, as before', () => {
    expect(() => brusselsDate(new Date(NaN))).toThrow(RangeError);
  });
});
