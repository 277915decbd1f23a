import { COMMAND_WORDS, parseCommand, parseLanguageArgument } from '../../src/i18n/commands';
import { formatDate, languageFromLocale } from '../../src/i18n/languages';

describe('typed commands', () => {
  it.each([
    ['next', 'next'],
    ['Suivant', 'next'],
    ['volgende', 'next'],
    ['weiter', 'next'],
    ['Nächste', 'next'],
    ['progress', 'progress'],
    ['progression', 'progress'],
    ['Voortgang', 'progress'],
    ['FORTSCHRITT', 'progress'],
    ['lessons', 'lessons'],
    ['leçons', 'lessons'],
    ['lessen', 'lessons'],
    ['Lektionen', 'lessons'],
    ['language fr', 'language'],
    ['langue nl', 'language'],
    ['taal de', 'language'],
    ['Sprache en', 'language'],
    ['help', 'help'],
    ['aide', 'help'],
    ['hulp', 'help'],
    ['hilfe', 'help'],
    ['  help!  ', 'help'],
  ])('"%s" is the %s command', (text, command) => {
    expect(parseCommand(text)?.command).toBe(command);
  });

  it.each(['', '   ', 'what is this', 'nextlesson', 'hello next'])('"%s" is no command', (text) => {
    expect(parseCommand(text)).toBeUndefined();
  });

  it('keeps the argument', () => {
    expect(parseCommand('langue  Nederlands')).toEqual({
      command: 'language',
      argument: 'nederlands',
    });
  });

  it.each([
    ['fr', 'fr'],
    ['Français', 'fr'],
    ['nl', 'nl'],
    ['Nederlands', 'nl'],
    ['néerlandais', 'nl'],
    ['de', 'de'],
    ['Deutsch', 'de'],
    ['allemand', 'de'],
    ['en', 'en'],
    ['English', 'en'],
    ['Engels', 'en'],
  ])('the language argument "%s" names %s', (argument, language) => {
    expect(parseLanguageArgument(argument)).toBe(language);
  });

  it('rejects an unknown language', () => {
    expect(parseLanguageArgument('klingon')).toBeUndefined();
    expect(parseLanguageArgument('')).toBeUndefined();
  });

  it('never gives one word to two commands', () => {
    const words = Object.values(COMMAND_WORDS).flat();
    expect(new Set(words).size).toBe(words.length);
  });
});

describe('language from the Teams locale', () => {
  it.each([
    ['fr-BE', 'fr'],
    ['fr-FR', 'fr'],
    ['nl-BE', 'nl'],
    ['nl-NL', 'nl'],
    ['de-DE', 'de'],
    ['de-BE', 'de'],
    ['en-US', 'en'],
    ['it-IT', 'en'],
    [undefined, 'en'],
    ['', 'en'],
  ])('%s → %s', (locale, language) => {
    expect(languageFromLocale(locale)).toBe(language);
  });

  it('formats dates as a Belgian reader of each language expects', () => {
    expect(formatDate('fr', '2026-01-15')).toBe('15 janvier 2026');
    expect(formatDate('nl', '2026-01-15')).toBe('15 januari 2026');
    expect(formatDate('de', '2026-01-15')).toBe('15. Januar 2026');
    expect(formatDate('en', '2026-01-15')).toBe('15 January 2026');
  });
});
