import { PROGRAMME_MESSAGES, type ProgrammeMessages } from '../../tab/src/programme/programme-i18n';
import { LANGUAGES, type Language } from '../../tab/src/progress';

/*
 * Every string of the programme dashboard in fr/nl/de/en: the `ProgrammeMessages` type makes a
 * missing key a compile error; this checks that none is empty, that parameters appear in the
 * text, and that no language was left in English.
 */

const SAMPLE_ARGS: Partial<Record<keyof ProgrammeMessages, unknown[]>> = {
  asOf: ['DATE'],
  ofPopulation: ['SHARE', 'POPULATION'],
  ofLearners: ['SHARE'],
  brevetsOf: ['PHASE'],
  weekOf: ['DATE'],
  passed: [85],
  startedIn: [7],
  completedIn: [7],
  openUnit: ['NAME'],
  phase: [3, 'TITLE'],
  questionsHint: [21, 33],
  percent: [42],
};

function rendered(language: Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(PROGRAMME_MESSAGES[language])) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'function') {
      const args = SAMPLE_ARGS[key as keyof ProgrammeMessages];
      if (!args) throw new Error(`no sample arguments for ${key}`);
      out[key] = (value as (...a: unknown[]) => string)(...args);
    } else
      for (const [sub, text] of Object.entries(value as Record<string, string>))
        out[`${key}.${sub}`] = text;
  }
  return out;
}

// Texts that are rightly the same as in English (shared words, signs).
const SAME_AS_ENGLISH: Record<Exclude<Language, 'en'>, string[]> = {
  fr: ['brevets', 'noValue', 'question'],
  nl: ['noValue', 'percent'],
  de: ['brevets', 'brevetsOf', 'noValue', 'phase'],
};

describe('the programme dashboard speaks fr, nl, de and en', () => {
  const english = rendered('en');

  it.each(LANGUAGES)('%s has every message, none empty', (language) => {
    const texts = rendered(language);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(texts))
      expect([key, text.trim().length > 0]).toEqual([key, true]);
  });

  it.each(LANGUAGES)('%s puts every parameter into the text', (language) => {
    const texts = rendered(language);
    for (const [key, args] of Object.entries(SAMPLE_ARGS))
      for (const arg of args)
        expect([key, texts[key]]).toEqual([key, expect.stringContaining(String(arg))]);
  });

  it.each(['fr', 'nl', 'de'] as const)('%s is translated, not left in English', (language) => {
    const texts = rendered(language);
    const same = Object.keys(texts).filter((key) => texts[key] === english[key]);
    expect(same.sort()).toEqual([...SAME_AS_ENGLISH[language]].sort());
  });

  it('writes decimals as each language does', () => {
    expect(LANGUAGES.map((language) => PROGRAMME_MESSAGES[language].percent(72.5))).toEqual([
      '72,5 %',
      '72,5%',
      '72,5 %',
      '72.5%',
    ]);
  });
});
