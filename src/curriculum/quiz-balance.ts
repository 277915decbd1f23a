import { LANGUAGES, type Language } from '../i18n/languages';
import { type ContentProblem } from './content-loader';
import { type Curriculum, type Lesson, type Question } from './curriculum-types';

// Quiz giveaway rules (issue 13): a learner who has not read a lesson must not be able to pass its
// quiz from the shape of the choices. Lengths are counted in characters, in each language.

/** A choice under half its question's mean length reads as the throw-away distractor. */
export const MIN_LENGTH_RATIO = 0.5;
/** A choice over 1.5x its question's mean length reads as the carefully qualified answer. */
export const MAX_LENGTH_RATIO = 1.5;
/** A lesson is judged alone only from 2 single-choice questions (1 of 1 says nothing). */
export const LESSON_MIN_SINGLE_QUESTIONS = 2;
/** In one lesson, a key that is the longest choice in more than half its questions is a pattern. */
export const LESSON_MAX_KEY_LONGEST_SHARE = 0.5;
/** With 3 or 4 choices, chance puts the key longest in 25–33% of questions; over 40% is a tell. */
export const MAX_KEY_LONGEST_SHARE = 0.4;
/** Shares of the key's length rank are judged from 20 single-choice questions (fewer is noise). */
export const RANK_MIN_QUESTIONS = 20;
/** A key that is (almost) never the longest lets a learner rule the longest choice out. */
export const MIN_KEY_LONGEST_SHARE = 0.15;
/** Nor must "pick the shortest" pay, or "never the shortest" rule a choice out. */
export const MIN_KEY_SHORTEST_SHARE = 0.15;
export const MAX_KEY_SHORTEST_SHARE = 0.4;
/** True/false balance is judged only from 5 items (fewer cannot be balanced meaningfully). */
export const MIN_TRUE_FALSE_ITEMS = 5;
/** "When in doubt, answer False" must not pay: at least 40% of true/false keys are True. */
export const MIN_TRUE_SHARE = 0.4;
/** Nor must "answer True": at most 60% of true/false keys are True. */
export const MAX_TRUE_SHARE = 0.6;
/** One shown letter (A, B, C, D) keyed in over 40% of questions is worth always guessing. */
export const MAX_LETTER_SHARE = 0.4;
/** "Longest choice, always False" must score under 50%, far below the passing score. */
export const MAX_GUESSING_SCORE = 0.5;

/** The letters the cards show before choices, by position (see `choiceLabel`). */
const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

function lessonFile(lesson: Lesson, language: Language): string {
  return `lessons/${lesson.id} (${language})`;
}

/** Characters (code points), as an author counts them. */
function length(text: string): number {
  return Array.from(text).length;
}

function percent(count: number, total: number): string {
  const value = (100 * count) / total;
  return Number.isInteger(value) ? `${value}%` : `${value.toFixed(1)}%`;
}

/** How many of `count` must go for `ok(remaining)` to hold (0 if it already holds). */
function excess(count: number, ok: (remaining: number) => boolean): number {
  let remaining = count;
  while (remaining > 0 && !ok(remaining)) remaining--;
  return count - remaining;
}

/** A threshold share as a percentage: 0.4 → "40%". */
function limit(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function choiceLengths(question: Question, language: Language): number[] {
  const choices = question.text[language].choices;
  return question.choices.map((choice) => length(choices[choice] ?? ''));
}

/** The keyed answer is longer than every other choice (ties do not count). */
export function keyIsStrictlyLongest(question: Question, language: Language): boolean {
  const lengths = choiceLengths(question, language);
  const keyIndex = question.choices.indexOf(question.answer);
  const key = lengths[keyIndex] ?? 0;
  return lengths.every((n, index) => index === keyIndex || n < key);
}

/** The keyed answer is shorter than every other choice (ties do not count). */
export function keyIsStrictlyShortest(question: Question, language: Language): boolean {
  const lengths = choiceLengths(question, language);
  const keyIndex = question.choices.indexOf(question.answer);
  const key = lengths[keyIndex] ?? 0;
  return lengths.every((n, index) => index === keyIndex || n > key);
}

/** The choice "always pick the longest" picks: the first of the longest, in display order. */
export function longestChoice(question: Question, language: Language): string | undefined {
  const lengths = choiceLengths(question, language);
  let best = 0;
  for (const [index, n] of lengths.entries()) if (n > (lengths[best] ?? 0)) best = index;
  return question.choices[best];
}

const singles = (lessons: Lesson[]) =>
  lessons.flatMap((lesson) =>
    lesson.questions
      .filter((question) => question.kind === 'single')
      .map((question) => ({ lesson, question })),
  );

function checkLengths(lesson: Lesson, language: Language): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const question of lesson.questions) {
    if (question.kind !== 'single') continue;
    const lengths = choiceLengths(question, language);
    const sum = lengths.reduce((a, b) => a + b, 0);
    if (sum === 0) continue;
    for (const [index, n] of lengths.entries()) {
      const ratio = (n * lengths.length) / sum;
      if (ratio >= MIN_LENGTH_RATIO && ratio <= MAX_LENGTH_RATIO) continue;
      const mean = sum / lengths.length;
      const fix =
        ratio < MIN_LENGTH_RATIO
          ? 'lengthen it or shorten the other choices'
          : 'shorten it or lengthen the other choices';
      problems.push({
        file: lessonFile(lesson, language),
        message:
          `quiz.${question.id} choice ${question.choices[index]}: ${n} characters, ` +
          `${ratio.toFixed(2)}x the question's mean choice length (${mean.toFixed(1)}); ` +
          `every choice stays between ${MIN_LENGTH_RATIO}x and ${MAX_LENGTH_RATIO}x the mean ` +
          `so that its length gives nothing away: ${fix}`,
      });
    }
  }
  return problems;
}

function checkLessonKeys(lesson: Lesson, language: Language): ContentProblem[] {
  const questions = singles([lesson]).map(({ question }) => question);
  if (questions.length < LESSON_MIN_SINGLE_QUESTIONS) return [];
  const longest = questions.filter((question) => keyIsStrictlyLongest(question, language));
  const ok = (n: number) => n / questions.length <= LESSON_MAX_KEY_LONGEST_SHARE;
  if (ok(longest.length)) return [];
  return [
    {
      file: lessonFile(lesson, language),
      message:
        `the keyed answer is the longest choice in ${longest.length} of ${questions.length} ` +
        `single-choice questions (${longest.map((q) => q.id).join(', ')}), more than half: ` +
        `shorten it or lengthen a distractor in at least ` +
        `${plural(excess(longest.length, ok), 'question')}`,
    },
  ];
}

/**
 * Over many questions the key's length rank must look like chance: the key is sometimes the
 * longest choice and sometimes the shortest, neither often nor never.
 */
function checkKeyRanks(curriculum: Curriculum, language: Language): ContentProblem[] {
  const all = singles(curriculum.lessons);
  if (all.length < RANK_MIN_QUESTIONS) return [];
  const problems: ContentProblem[] = [];
  const count = (rank: (question: Question, language: Language) => boolean) =>
    all.filter(({ question }) => rank(question, language)).length;
  const need = (share: number) => Math.ceil(share * all.length);
  const longest = count(keyIsStrictlyLongest);
  if (longest / all.length < MIN_KEY_LONGEST_SHARE)
    problems.push({
      file: `lessons (${language})`,
      message:
        `the keyed answer is the longest choice in only ${longest} of ${all.length} ` +
        `single-choice questions (${percent(longest, all.length)}; at least ` +
        `${limit(MIN_KEY_LONGEST_SHARE)}): a learner can rule the longest choice out; make the ` +
        `key the longest choice in at least ${plural(need(MIN_KEY_LONGEST_SHARE) - longest, 'more question')}`,
    });
  const shortest = count(keyIsStrictlyShortest);
  if (shortest / all.length < MIN_KEY_SHORTEST_SHARE)
    problems.push({
      file: `lessons (${language})`,
      message:
        `the keyed answer is the shortest choice in only ${shortest} of ${all.length} ` +
        `single-choice questions (${percent(shortest, all.length)}; at least ` +
        `${limit(MIN_KEY_SHORTEST_SHARE)}): a learner can rule the shortest choice out; make the ` +
        `key the shortest choice in at least ${plural(need(MIN_KEY_SHORTEST_SHARE) - shortest, 'more question')}`,
    });
  const ok = (n: number) => n / all.length <= MAX_KEY_SHORTEST_SHARE;
  if (!ok(shortest))
    problems.push({
      file: `lessons (${language})`,
      message:
        `the keyed answer is the shortest choice in ${shortest} of ${all.length} ` +
        `single-choice questions (${percent(shortest, all.length)}; at most ` +
        `${limit(MAX_KEY_SHORTEST_SHARE)}): lengthen the key or shorten a distractor in at least ` +
        `${plural(excess(shortest, ok), 'question')}`,
    });
  return problems;
}

function checkCurriculumKeys(curriculum: Curriculum, language: Language): ContentProblem[] {
  const all = singles(curriculum.lessons);
  if (all.length === 0) return [];
  const longest = all.filter(({ question }) => keyIsStrictlyLongest(question, language));
  const ok = (n: number) => n / all.length <= MAX_KEY_LONGEST_SHARE;
  if (ok(longest.length)) return [];
  const byLesson = new Map<string, string[]>();
  for (const { lesson, question } of longest)
    byLesson.set(lesson.id, [...(byLesson.get(lesson.id) ?? []), question.id]);
  const where = [...byLesson].map(([id, questions]) => `${id} ${questions.join(', ')}`);
  return [
    {
      file: `lessons (${language})`,
      message:
        `the keyed answer is the longest choice in ${longest.length} of ${all.length} ` +
        `single-choice questions (${percent(longest.length, all.length)}; at most ` +
        `${limit(MAX_KEY_LONGEST_SHARE)}): shorten the key or lengthen a distractor in at ` +
        `least ${excess(longest.length, ok)} of them (${where.join('; ')})`,
    },
  ];
}

function checkTrueFalse(curriculum: Curriculum): ContentProblem[] {
  const items = curriculum.lessons.flatMap((lesson) =>
    lesson.questions.filter((question) => question.kind === 'truefalse'),
  );
  if (items.length < MIN_TRUE_FALSE_ITEMS) return [];
  const trueKeys = items.filter((question) => question.answer === 'true').length;
  const falseKeys = items.length - trueKeys;
  const share = trueKeys / items.length;
  if (share >= MIN_TRUE_SHARE && share <= MAX_TRUE_SHARE) return [];
  const range = `${limit(MIN_TRUE_SHARE)} and ${limit(MAX_TRUE_SHARE)}`;
  const fix =
    share < MIN_TRUE_SHARE
      ? `make at least ${plural(
          excess(falseKeys, (n) => (items.length - n) / items.length >= MIN_TRUE_SHARE),
          'false statement',
        )} true (rewrite it and key it true)`
      : `make at least ${plural(
          excess(trueKeys, (n) => n / items.length <= MAX_TRUE_SHARE),
          'true statement',
        )} false (rewrite it and key it false)`;
  return [
    {
      file: 'lessons',
      message:
        `true/false keys: ${trueKeys} of ${items.length} statements are true and ${falseKeys} ` +
        `false (${percent(trueKeys, items.length)} true); keep true between ${range} so that ` +
        `always answering one way does not pay: ${fix}`,
    },
  ];
}

function checkLetters(curriculum: Curriculum): ContentProblem[] {
  const all = singles(curriculum.lessons);
  if (all.length === 0) return [];
  const counts = new Map<string, number>();
  for (const { question } of all) {
    const letter = LETTERS[question.choices.indexOf(question.answer)] ?? question.answer;
    counts.set(letter, (counts.get(letter) ?? 0) + 1);
  }
  const spread = [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([letter, n]) => `${letter} ${n}`)
    .join(', ');
  const problems: ContentProblem[] = [];
  for (const [letter, count] of counts) {
    const ok = (n: number) => n / all.length <= MAX_LETTER_SHARE;
    if (ok(count)) continue;
    problems.push({
      file: 'lessons',
      message:
        `choice ${letter} is the keyed answer in ${count} of ${all.length} single-choice ` +
        `questions (${percent(count, all.length)}; keys: ${spread}); at most ` +
        `${limit(MAX_LETTER_SHARE)} per letter: move the answer to another position in at ` +
        `least ${plural(excess(count, ok), 'question')} (reorder choices and answer in ` +
        `lesson.yaml and the choices in the four language files)`,
    });
  }
  return problems;
}

/** Who takes which lessons: each track with the lessons everyone takes, or those alone. */
function learnerPaths(curriculum: Curriculum): { name: string; lessons: Lesson[] }[] {
  const common = curriculum.lessons.filter((lesson) => lesson.trackId === undefined);
  if (curriculum.tracks.length === 0) return [{ name: 'common lessons', lessons: common }];
  return curriculum.tracks.map((track) => ({
    name: `track ${track.id} (common lessons + ${track.id} lessons)`,
    lessons: curriculum.lessons.filter(
      (lesson) => lesson.trackId === undefined || lesson.trackId === track.id,
    ),
  }));
}

function checkGuessing(curriculum: Curriculum, language: Language): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const { name, lessons } of learnerPaths(curriculum)) {
    const questions = lessons.flatMap((lesson) => lesson.questions);
    if (questions.length === 0) continue;
    const single = questions.filter((question) => question.kind === 'single');
    const trueFalse = questions.filter((question) => question.kind === 'truefalse');
    const longestRight = single.filter(
      (question) => longestChoice(question, language) === question.answer,
    ).length;
    const falseRight = trueFalse.filter((question) => question.answer === 'false').length;
    const score = longestRight + falseRight;
    const ok = (n: number) => n / questions.length < MAX_GUESSING_SCORE;
    if (ok(score)) continue;
    problems.push({
      file: `lessons (${language})`,
      message:
        `${name}: always picking the longest choice (the first one on ties) and always ` +
        `answering false scores ${score} of ${questions.length} questions ` +
        `(${percent(score, questions.length)}: the longest choice is right in ${longestRight} of ` +
        `${single.length} single-choice questions, false in ${falseRight} of ${trueFalse.length} ` +
        `true/false ones); a learner who has not read the lessons must score under ` +
        `${limit(MAX_GUESSING_SCORE)}: in at least ` +
        `${plural(excess(score, ok), 'question')}, make a distractor the longest choice (a key ` +
        `tied for longest and shown first is still found) or turn a false statement into a true one`,
    });
  }
  return problems;
}

/**
 * Quiz giveaway rules: choice lengths, keys that are the longest choice (per lesson and overall),
 * the key's length rank over the curriculum (sometimes longest, sometimes shortest),
 * true/false balance, keyed letter balance, and the score of "longest choice, always false".
 */
export function checkQuizBalance(curriculum: Curriculum): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const lesson of curriculum.lessons)
    for (const language of LANGUAGES)
      problems.push(...checkLengths(lesson, language), ...checkLessonKeys(lesson, language));
  for (const language of LANGUAGES)
    problems.push(
      ...checkCurriculumKeys(curriculum, language),
      ...checkKeyRanks(curriculum, language),
    );
  problems.push(...checkTrueFalse(curriculum), ...checkLetters(curriculum));
  for (const language of LANGUAGES) problems.push(...checkGuessing(curriculum, language));
  return problems;
}
