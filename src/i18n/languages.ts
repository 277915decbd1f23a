import { PROGRAMME_TIME_ZONE } from '../time/zones';

/** The four languages of the programme. */
export const LANGUAGES = ['fr', 'nl', 'de', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The learner's language from a Teams locale on first contact: fr-* → French, nl-* → Dutch,
 * de-* → German, anything else (or nothing) → English.
 */
export function languageFromLocale(locale: string | undefined | null): Language {
  const prefix = (locale ?? '').trim().toLowerCase().slice(0, 2);
  return isLanguage(prefix) ? prefix : 'en';
}

/** BCP 47 tag used to format dates and numbers for a language (Belgian where it applies). */
export const LOCALE_TAG: Record<Language, string> = {
  fr: 'fr-BE',
  nl: 'nl-BE',
  de: 'de-BE',
  en: 'en-GB',
};

/** A date (YYYY-MM-DD or Date) as learners of that language read it, e.g. "15 janvier 2026". */
export function formatDate(language: Language, date: Date | string): string {
  const value = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T12:00:00Z`) : date;
  return new Intl.DateTimeFormat(LOCALE_TAG[language], {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: PROGRAMME_TIME_ZONE,
  }).format(value);
}
