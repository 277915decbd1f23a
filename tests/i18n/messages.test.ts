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
      // Strings with no words of their own (only {parameters} and punctuation) need no
      // translation, nor do single words that are the same in both languages ("Brevet",
      // "{phase}: status", "E-mail").
      const words = (text: string) => text.replace(/\{\w+\}/g, ' ').match(/[\p{L}-]+/gu) ?? [];
      const needsTranslation = (text: string) =>
        words(text).length > 1 && words(text).some((word) => /\p{L}{4,}/u.test(word));
      const same = Object.entries(reference).filter(
        ([key, text]) => strings[key as keyof typeof strings] === text && needsTranslation(text),
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
