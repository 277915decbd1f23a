import de from './de.json';
import en from './en.json';
import fr from './fr.json';
import nl from './nl.json';
import { type Language } from './languages';

/** A key of the bot's user-facing strings; en.json is the reference every language must match. */
export type MessageKey = keyof typeof en;

const catalogues: Record<Language, Record<MessageKey, string>> = { en, fr, nl, de };

/** The catalogue of one language (for tests comparing the four). */
export function catalogue(language: Language): Readonly<Record<MessageKey, string>> {
  return catalogues[language];
}

/** Returns the string in the learner's language with `{name}` parameters filled in. */
export function translate(
  language: Language,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = catalogues[language][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(language: Language): Translate {
  return (key, params) => translate(language, key, params);
}
