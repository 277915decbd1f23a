import { parseCommand } from '../../src/i18n/commands';
import { parseLeadCommand } from '../../src/i18n/lead-commands';

// Messages are parsed before anything else in a turn: a message built to make a regular
// expression backtrack must not hold the process. The best of three runs absorbs a noisy machine;
// the quadratic trim this guards against took about 450 ms on a 30,000-character message.
const LONG = 30_000;
const INPUTS: [string, string][] = [
  ['dots inside', `a${'.'.repeat(LONG)}a`],
  ['spaces inside', `a${' '.repeat(LONG)}a`],
  ['dots and spaces inside', `next${'. '.repeat(LONG / 2)}x`],
  ['punctuation only', ';:,!'.repeat(LONG / 4)],
  ['leading dots', `${'.'.repeat(LONG)}next`],
  ['one long word', 'x'.repeat(LONG)],
  ['many words', 'push '.repeat(LONG / 5)],
];

function bestOfThree(parse: () => unknown): number {
  let best = Infinity;
  for (let run = 0; run < 3; run += 1) {
    const started = performance.now();
    parse();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('parsing a 30,000-character message', () => {
  it.each(INPUTS)('learner command, %s: under 20 ms', (_name, text) => {
    expect(bestOfThree(() => parseCommand(text))).toBeLessThan(20);
  });

  it.each(INPUTS)('lead command, %s: under 20 ms', (_name, text) => {
    expect(bestOfThree(() => parseLeadCommand(text))).toBeLessThan(20);
  });

  it('still trims surrounding punctuation and spaces', () => {
    expect(parseCommand(`  ...next!!  `)?.command).toBe('next');
    expect(parseCommand(`${'.'.repeat(LONG)}next${' '.repeat(LONG)}`)?.command).toBe('next');
  });
});
