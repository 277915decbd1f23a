import { LANGUAGES } from '../../src/i18n/languages';
import { catalogue, translate } from '../../src/i18n/messages';

describe('the bot strings', () => {
  const reference = catalogue('en');

  it.each(LANGUAGES)('exist in %s for every key, with the same {parameters}', (language) => {
    const strings = catalogue(language);
    expect(Object.keys(strings).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, text] of Object.entries(reference)) {
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect([key, params(strings[key as keyof typeof strings])]).toEqual([key, params(text)]);
      expect(strings[key as keyof typeof strings].trim()).not.toBe('');
    }
  });

  it.each(LANGUAGES.filter((l) => l !== 'en'))(
    'are translated in %s, not copied from English',
    (language) => {
      const strings = catalogue(language);
      // Strings with no words of their own (only {parameters} and punctuation) need no translation.
      const hasWords = (text: string) => /\p{L}{4,}/u.test(text.replace(/\{\w+\}/g, ''));
      const same = Object.entries(reference).filter(
        ([key, text]) =>
          strings[key as keyof typeof strings] === text && hasWords(text) && !/^\w+$/.test(text),
      );
      expect(same.map(([key]) => key)).toEqual([]);
    },
  );

  it('fills parameters', () => {
    expect(
      translate('fr', 'lesson.position', { position: 3, total: 10, phase: 'Fondements' }),
    ).toBe('Leçon 3 sur 10 · Fondements');
  });
});
