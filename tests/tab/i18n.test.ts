import { MESSAGES, type Messages } from '../../tab/src/i18n';
import { LANGUAGES, type Language } from '../../tab/src/progress';

/*
 * Every string of the tab in fr/nl/de/en: the `Messages` type already makes a missing key a
 * compile error; this checks that none is empty, that parameters appear in the text, and that no
 * language was left in English.
 */

const SAMPLE_ARGS: Partial<Record<keyof Messages, unknown[]>> = {
  teamsTimeoutDetail: [10],
  requestTimeoutDetail: [10],
  nextLesson: ['LESSON', 'PHASE'],
  nextChooseTrack: ['PHASE'],
  nextPhaseNotOpen: ['PHASE', 'DATE'],
  typeInChat: ['COMMAND'],
  openChatFailed: ['COMMAND'],
  reviewDue: [7],
  reviewHint: ['COMMAND'],
  streak: [4],
  phaseHeading: [3, 'TITLE'],
  opensOn: ['DATE'],
  progressLabel: ['PHASE', 4, 9],
  lessonsDone: [4, 9],
  scoreValue: [85],
  brevetEarnedOn: ['DATE'],
  track: ['TRACK'],
  lessonScore: [85],
  minutes: [3],
};

/** Every message of a language as text: functions called with sample arguments. */
function rendered(language: Language): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(MESSAGES[language])) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'function') {
      const args = SAMPLE_ARGS[key as keyof Messages];
      if (!args) throw new Error(`no sample arguments for ${key}`);
      out[key] = (value as (...a: unknown[]) => string)(...args);
    } else {
      for (const [sub, text] of Object.entries(value as Record<string, string>))
        out[`${key}.${sub}`] = text;
    }
  }
  return out;
}

// Texts that are rightly the same as in English (names, numbers, formats, shared words).
const SAME_AS_ENGLISH: Record<Exclude<Language, 'en'>, string[]> = {
  fr: ['statBrevet', 'nextLesson', 'minutes'],
  nl: ['statBrevet', 'nextLesson', 'scoreValue', 'lessonScore', 'phaseState.open'],
  de: ['statBrevet', 'nextLesson', 'phaseHeading'],
};

describe('the tab speaks fr, nl, de and en', () => {
  const english = rendered('en');

  it.each(LANGUAGES)('%s has every message, none empty', (language) => {
    const texts = rendered(language);
    expect(Object.keys(texts).sort()).toEqual(Object.keys(english).sort());
    for (const [key, text] of Object.entries(texts)) {
      expect([key, text.trim().length > 0]).toEqual([key, true]);
    }
  });

  it.each(LANGUAGES)('%s puts every parameter into the text', (language) => {
    const texts = rendered(language);
    for (const [key, args] of Object.entries(SAMPLE_ARGS)) {
      for (const arg of args)
        expect([key, texts[key]]).toEqual([key, expect.stringContaining(String(arg))]);
    }
  });

  it.each(['fr', 'nl', 'de'] as const)('%s is translated, not left in English', (language) => {
    const texts = rendered(language);
    const same = Object.keys(texts).filter((key) => texts[key] === english[key]);
    expect(same.sort()).toEqual([...SAME_AS_ENGLISH[language]].sort());
  });

  it('gives the bot command each language types in the chat', () => {
    expect(LANGUAGES.map((language) => MESSAGES[language].nextCommand)).toEqual([
      'suivant',
      'volgende',
      'weiter',
      'next',
    ]);
  });

  it('gives the review command each language types in the chat', () => {
    expect(LANGUAGES.map((language) => MESSAGES[language].reviewCommand)).toEqual([
      'revoir',
      'herhalen',
      'wiederholen',
      'review',
    ]);
  });

  it('counts review questions in the singular and the plural', () => {
    expect(LANGUAGES.map((language) => MESSAGES[language].reviewDue(1))).toEqual([
      '1 question à revoir',
      '1 vraag om te herhalen',
      '1 Frage zu wiederholen',
      '1 question to review',
    ]);
    expect(MESSAGES.en.reviewDue(0)).toBe('No questions to review');
  });
});
