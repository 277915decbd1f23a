import { type Language } from './languages';

/** The chat commands a learner can type. */
export const COMMANDS = [
  'next',
  'progress',
  'lessons',
  'review',
  'remind',
  'glossary',
  'language',
  'privacy',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * Every word that names a command, in the four languages. A learner may type any of them,
 * whatever their language setting. Words are compared without accents and case.
 */
export const COMMAND_WORDS: Record<Command, readonly string[]> = {
  next: [
    'next',
    'start',
    'suivant',
    'suivante',
    'commencer',
    'volgende',
    'beginnen',
    'weiter',
    'nachste',
  ],
  progress: ['progress', 'progression', 'progres', 'voortgang', 'fortschritt'],
  lessons: ['lessons', 'lecons', 'lessen', 'lektionen'],
  review: [
    'review',
    'reviser',
    'revoir',
    'revision',
    'herhalen',
    'herhaling',
    'wiederholen',
    'wiederholung',
  ],
  remind: [
    'remind',
    'reminder',
    'rappel',
    'rappels',
    'herinnering',
    'herinner',
    'erinnerung',
    'erinnern',
  ],
  glossary: ['glossary', 'glossaire', 'lexique', 'woordenlijst', 'begrippen', 'glossar'],
  language: ['language', 'langue', 'taal', 'sprache'],
  privacy: ['privacy', 'mydata', 'confidentialite', 'donnees', 'gegevens', 'datenschutz', 'daten'],
  help: ['help', '?', 'aide', 'hulp', 'hilfe'],
};

const LANGUAGE_WORDS: Record<Language, readonly string[]> = {
  fr: ['fr', 'francais', 'french', 'frans', 'franzosisch'],
  nl: ['nl', 'nederlands', 'neerlandais', 'dutch', 'niederlandisch', 'vlaams'],
  de: ['de', 'deutsch', 'allemand', 'german', 'duits'],
  en: ['en', 'english', 'anglais', 'engels', 'englisch'],
};

const TRIMMED_PUNCTUATION = '.!,;:';

function isTrimmed(character: string): boolean {
  return TRIMMED_PUNCTUATION.includes(character) || /\s/.test(character);
}

/**
 * Lower case, accents removed, surrounding punctuation and spaces trimmed. Linear in the text's
 * length: a regular expression anchored at the end (`[\s.]+$`) backtracks quadratically on long
 * runs of dots or spaces inside a message.
 */
export function normaliseWord(text: string): string {
  const folded = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  let start = 0;
  let end = folded.length;
  while (start < end && isTrimmed(folded.charAt(start))) start += 1;
  while (end > start && isTrimmed(folded.charAt(end - 1))) end -= 1;
  return folded.slice(start, end);
}

/** "On" and "off" in the four languages (normalised words), for `remind on`, `leaderboard off`. */
export const ON_WORDS: readonly string[] = [
  'on',
  'aan',
  'ein',
  'an',
  'oui',
  'ja',
  'yes',
  'activer',
  'aanzetten',
];
export const OFF_WORDS: readonly string[] = [
  'off',
  'uit',
  'aus',
  'non',
  'nee',
  'nein',
  'no',
  'desactiver',
  'uitzetten',
];

/** A typed chat message understood as a command with its argument, or undefined. */
export interface ParsedCommand {
  command: Command;
  argument: string;
}

export function parseCommand(text: string | undefined | null): ParsedCommand | undefined {
  const words = normaliseWord(text ?? '')
    .split(/\s+/)
    .filter((word) => word !== '');
  const [first, ...rest] = words;
  if (first === undefined) return undefined;
  const command = COMMANDS.find((name) => COMMAND_WORDS[name].includes(first));
  return command ? { command, argument: rest.join(' ') } : undefined;
}

/** The language a `language …` argument names, in any of the four languages. */
export function parseLanguageArgument(argument: string): Language | undefined {
  const word = normaliseWord(argument).split(/\s+/)[0] ?? '';
  return (Object.keys(LANGUAGE_WORDS) as Language[]).find((language) =>
    LANGUAGE_WORDS[language].includes(word),
  );
}
