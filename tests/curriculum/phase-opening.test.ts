import { isPhaseOpen } from '../../src/curriculum/programme';
import { type Phase } from '../../src/curriculum/curriculum-types';

describe('isPhaseOpen', () => {
  it.each([
    // summer time (UTC+2): 00:00 in Brussels is 22:00 UTC the day before
    ['2026-09-01', '2026-08-31T21:59:59Z', false],
    ['2026-09-01', '2026-08-31T22:00:00Z', true],
    // winter time (UTC+1): 23:00 UTC the day before
    ['2027-01-04', '2027-01-03T22:59:59Z', false],
    ['2027-01-04', '2027-01-03T23:00:00Z', true],
    // the change days: midnight comes before the change, in the offset of the day before
    ['2026-03-29', '2026-03-28T22:59:59Z', false],
    ['2026-03-29', '2026-03-28T23:00:00Z', true],
    ['2026-10-25', '2026-10-24T21:59:59Z', false],
    ['2026-10-25', '2026-10-24T22:00:00Z', true],
  ])('a phase opening on %s, at %s: %p', (opensAt, now, expected) => {
    expect(isPhaseOpen({ opensAt } as Phase, new Date(now))).toBe(expected);
  });
});
