import { LANGUAGES, type Language } from '../i18n/languages';
import { type ContentProblem } from './content-loader';
import { type Curriculum, type Lesson } from './curriculum-types';

/** Reading speed the programme assumes (words per minute). */
export const WORDS_PER_MINUTE = 200;
export const MIN_WORDS = 250;
export const MAX_WORDS = 600;

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => /\p{L}|\p{N}/u.test(word)).length;
}

// Frequent short words of each language: a paragraph is "in" the language whose stop words it
// uses most. Enough to catch an English paragraph left in the French file.
const STOP_WORDS: Record<Language, ReadonlySet<string>> = {
  en: new Set(
    'the and is of to you it that with for not are your this what be or can an'.split(' '),
  ),
  fr: new Set(
    'le la les et est des une vous pour dans que pas qui du au sur ce ne votre un de en'.split(' '),
  ),
  nl: new Set('de het een en is van je niet dat voor met op zijn te wat of bij ook die'.split(' ')),
  de: new Set(
    'der die das und ist nicht sie ein eine mit für zu den auf im es oder wie ihre'.split(' '),
  ),
};

/** The language whose stop words dominate `text`, or undefined when there are too few to tell. */
export function dominantLanguage(text: string): Language | undefined {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const counts = LANGUAGES.map((language) => ({
    language,
    hits: words.filter((word) => STOP_WORDS[language].has(word)).length,
  })).sort((a, b) => b.hits - a.hits);
  const [best, second] = counts;
  if (!best || best.hits < 4) return undefined;
  return best.hits > (second?.hits ?? 0) ? best.language : undefined;
}

const PLACEHOLDERS = [
  /\bTODO\b/i,
  /\blorem\b/i,
  /\[translate\]/i,
  /\bTBD\b/,
  /\bFIXME\b/i,
  /\bXXX\b/,
];

// Facts that change (content/README.md): they may be taught, never quizzed.
const CHANGING_FACTS = [
  { pattern: /https?:\/\/|www\.|\.com\b|\.be\b/i, what: 'an entry URL' },
  { pattern: /[€$£]\s?\d|\d\s?(€|eur\b|usd\b|euro)/i, what: 'a price' },
  {
    pattern:
      /amend|omnibus|amendement|wijziging|änderung|postpone|report(é|er) |uitstel|verschieb/i,
    what: 'the amendment status of the AI Act',
  },
];

function allText(lesson: Lesson, language: Language): string[] {
  const text = lesson.text[language];
  const parts = [text.title, text.objective, ...text.pages];
  for (const question of lesson.questions) {
    const q = question.text[language];
    parts.push(q.question, q.explanation, ...Object.values(q.choices));
  }
  return parts;
}

/** Size, language and fact rules on loaded lessons (structure is the loader's job). */
export function checkLessonRules(
  curriculum: Curriculum,
  fileOf: (lesson: Lesson, language?: Language) => string,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const lesson of curriculum.lessons) {
    for (const language of LANGUAGES) {
      const file = fileOf(lesson, language);
      const words = lesson.text[language].pages.reduce((sum, page) => sum + wordCount(page), 0);
      if (words < MIN_WORDS || words > MAX_WORDS)
        problems.push({
          file,
          message: `pages: ${words} words; a lesson has ${MIN_WORDS} to ${MAX_WORDS}`,
        });
      const minutes = Math.ceil(words / WORDS_PER_MINUTE);
      if (minutes > lesson.minutes)
        problems.push({
          file,
          message: `pages: ${words} words take ${minutes} min to read, more than the lesson's ${lesson.minutes} minutes`,
        });

      for (const [index, page] of lesson.text[language].pages.entries()) {
        for (const paragraph of page.split(/\n\s*\n/)) {
          const detected = dominantLanguage(paragraph);
          if (detected && detected !== language)
            problems.push({
              file,
              message: `pages.${index}: a paragraph looks ${detected}, not ${language}: "${paragraph.trim().slice(0, 60)}…"`,
            });
        }
      }
      for (const question of lesson.questions) {
        const q = question.text[language];
        const detected = dominantLanguage(`${q.question} ${q.explanation}`);
        if (detected && detected !== language)
          problems.push({
            file,
            message: `quiz.${question.id}: looks ${detected}, not ${language}`,
          });
        const quizText = [
          q.question,
          ...(question.kind === 'single' ? Object.values(q.choices) : []),
        ].join(' ');
        for (const fact of CHANGING_FACTS) {
          if (fact.pattern.test(quizText))
            problems.push({
              file,
              message: `quiz.${question.id}: a question must not rest on ${fact.what} (it changes)`,
            });
        }
      }
      for (const part of allText(lesson, language)) {
        const placeholder = PLACEHOLDERS.find((pattern) => pattern.test(part));
        if (placeholder)
          problems.push({
            file,
            message: `placeholder text left: "${part.match(placeholder)?.[0]}"`,
          });
      }
    }
  }
  return problems;
}
