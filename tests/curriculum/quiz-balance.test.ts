import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkContent } from '../../src/content-check';
import {
  type Curriculum,
  type Lesson,
  type Localised,
  type Question,
} from '../../src/curriculum/curriculum-types';
import { checkQuizBalance } from '../../src/curriculum/quiz-balance';
import { LANGUAGES, type Language } from '../../src/i18n/languages';
import { projectPath } from '../../src/project-paths';
import { tempDir } from '../support/brevet-harness';

// A small balanced programme, built in code so that every choice length is visible here.
// Phase 1: common lessons c1 (4 single-choice) and c2 (3 single-choice, 1 true/false);
// phase 2: track alpha (lesson ta) and track beta (lesson tb), 2 single-choice + 1 true/false each.
// Keys: A 4, B 3, C 3, D 1 of 11 (36% at most); true/false: 3 items (too few to judge); the key is never the
// longest choice; "longest choice, always false" scores 1 of 11 (alpha) and 2 of 11 (beta).

const LETTERS = ['a', 'b', 'c', 'd'];

/** A choice text of exactly `n` characters. */
const text = (n: number) => 'x'.repeat(n);

function localised<T>(make: (language: Language) => T): Localised<T> {
  return Object.fromEntries(
    LANGUAGES.map((language) => [language, make(language)]),
  ) as Localised<T>;
}

/** Single choice with `count` choices: the key 20 characters, the distractors 22, 24, 26. */
function single(id: string, answer: string, count = 3): Question {
  const choices = LETTERS.slice(0, count);
  const lengths: Record<string, number> = {};
  let next = 22;
  for (const choice of choices) {
    lengths[choice] = choice === answer ? 20 : next;
    if (choice !== answer) next += 2;
  }
  return {
    id,
    kind: 'single',
    choices,
    answer,
    text: localised(() => ({
      question: `Question ${id}?`,
      choices: Object.fromEntries(choices.map((choice) => [choice, text(lengths[choice] ?? 0)])),
      explanation: `Explanation ${id}.`,
    })),
  };
}

function trueFalse(id: string, answer: boolean): Question {
  return {
    id,
    kind: 'truefalse',
    choices: ['true', 'false'],
    answer: String(answer),
    text: localised(() => ({
      question: `Statement ${id}.`,
      choices: { true: 'True', false: 'False' },
      explanation: `Explanation ${id}.`,
    })),
  };
}

function lesson(id: string, phaseId: string, questions: Question[], trackId?: string): Lesson {
  return {
    id,
    phaseId,
    trackId,
    order: 1,
    minutes: 3,
    reviewed: '2026-12-04',
    sources: [{ title: 'Source', url: 'https://learn.microsoft.com/' }],
    questions,
    text: localised((language) => ({
      title: `${id} ${language}`,
      objective: 'Objective',
      pages: ['Page'],
    })),
  };
}

function balanced(): Curriculum {
  const title = localised(() => 'Title');
  return {
    passingScore: 80,
    phases: [
      { id: 'phase-1', number: 1, opensAt: '2025-10-01', chooseTrack: false, title },
      { id: 'phase-2', number: 2, opensAt: '2026-01-15', chooseTrack: true, title },
    ],
    tracks: [
      { id: 'alpha', title, description: title },
      { id: 'beta', title, description: title },
    ],
    lessons: [
      lesson('c1', 'phase-1', [
        single('q1', 'a', 3),
        single('q2', 'b', 3),
        single('q3', 'c', 4),
        single('q4', 'd', 4),
      ]),
      lesson('c2', 'phase-1', [
        single('q1', 'c'),
        single('q2', 'a'),
        single('q3', 'b'),
        trueFalse('q4', true),
      ]),
      lesson(
        'ta',
        'phase-2',
        [single('q1', 'a'), single('q2', 'c'), trueFalse('q3', true)],
        'alpha',
      ),
      lesson(
        'tb',
        'phase-2',
        [single('q1', 'b'), single('q2', 'a'), trueFalse('q3', false)],
        'beta',
      ),
    ],
  };
}

/** A question of a lesson: [lesson id, question id]. */
type At = readonly [lessonId: string, questionId: string];

function question(curriculum: Curriculum, lessonId: string, questionId: string): Question {
  const found = curriculum.lessons
    .find((l) => l.id === lessonId)
    ?.questions.find((q) => q.id === questionId);
  if (!found) throw new Error(`no ${lessonId} ${questionId}`);
  return found;
}

/** Sets the choice lengths of a question, in display order, in the given languages. */
function setLengths(
  curriculum: Curriculum,
  at: At,
  lengths: number[],
  languages: readonly Language[] = LANGUAGES,
): void {
  const q = question(curriculum, ...at);
  expect(lengths).toHaveLength(q.choices.length);
  for (const language of languages)
    q.text[language].choices = Object.fromEntries(
      q.choices.map((choice, index) => [choice, text(lengths[index] ?? 0)]),
    );
}

/** Makes the key the strictly longest choice (30 characters; the others keep theirs, ≤ 26). */
function keyLongest(
  curriculum: Curriculum,
  at: At,
  languages: readonly Language[] = LANGUAGES,
): void {
  const q = question(curriculum, ...at);
  for (const language of languages) q.text[language].choices[q.answer] = text(30);
}

/** Ties the key for longest with the next choice, every other choice shorter: the key comes first. */
function keyTiedFirst(curriculum: Curriculum, at: At): void {
  const q = question(curriculum, ...at);
  const keyIndex = q.choices.indexOf(q.answer);
  expect(keyIndex).toBeLessThan(q.choices.length - 1);
  setLengths(
    curriculum,
    at,
    q.choices.map((_, index) => (index === keyIndex || index === keyIndex + 1 ? 24 : 20)),
  );
}

/** Moves the answer to another choice, swapping the texts so the key keeps its length. */
function rekey(curriculum: Curriculum, at: At, to: string) {
  const q = question(curriculum, ...at);
  for (const language of LANGUAGES) {
    const choices = q.text[language].choices;
    [choices[q.answer], choices[to]] = [choices[to] ?? '', choices[q.answer] ?? ''];
  }
  q.answer = to;
}

const lines = (curriculum: Curriculum) =>
  checkQuizBalance(curriculum).map((p) => `${p.file}: ${p.message}`);

describe('the quiz balance check', () => {
  it('finds nothing in a balanced programme', () => {
    expect(checkQuizBalance(balanced())).toEqual([]);
  });

  it('reports a choice under half the mean length, with lesson, language, question, choice and ratio', () => {
    const curriculum = balanced();
    // 20, 8, 24: mean 17.3, b is 0.46x (the key a is still not the longest).
    setLengths(curriculum, ['c1', 'q1'], [20, 8, 24], ['nl']);
    expect(lines(curriculum)).toEqual([
      expect.stringMatching(
        /^lessons\/c1 \(nl\): quiz\.q1 choice b: 8 characters, 0\.46x the question's mean .*between 0\.5x and 1\.5x .*lengthen it/,
      ),
    ]);
  });

  it('reports a choice over 1.5 times the mean length', () => {
    const curriculum = balanced();
    // 20, 22, 60: mean 34, c is 1.76x.
    setLengths(curriculum, ['c2', 'q2'], [20, 22, 60], ['fr']);
    expect(lines(curriculum)).toEqual([
      expect.stringMatching(
        /^lessons\/c2 \(fr\): quiz\.q2 choice c: 60 characters, 1\.76x .*shorten it/,
      ),
    ]);
  });

  it('accepts choices at exactly 0.5 and 1.5 times the mean', () => {
    const curriculum = balanced();
    // 60, 40, 20, 40 (key c): mean 40.
    setLengths(curriculum, ['c1', 'q3'], [60, 40, 20, 40]);
    expect(checkQuizBalance(curriculum)).toEqual([]);
  });

  it('reports a lesson whose key is the longest choice in more than half its questions', () => {
    const curriculum = balanced();
    for (const q of ['q1', 'q2', 'q3']) keyLongest(curriculum, ['c1', q]);
    expect(lines(curriculum)).toEqual(
      LANGUAGES.map(
        (language) =>
          `lessons/c1 (${language}): the keyed answer is the longest choice in 3 of 4 single-choice questions (q1, q2, q3), more than half: shorten it or lengthen a distractor in at least 1 question`,
      ),
    );
  });

  it('does not judge a lesson with a single single-choice question alone', () => {
    const curriculum = balanced();
    const tb = curriculum.lessons.find((l) => l.id === 'tb');
    tb?.questions.splice(1, 1);
    keyLongest(curriculum, ['tb', 'q1']);
    expect(checkQuizBalance(curriculum)).toEqual([]);
  });

  it('reports a curriculum whose key is the longest choice in over 40% of questions, per language', () => {
    const curriculum = balanced();
    // 5 of 11 (45%), never more than half of one lesson: c1 2 of 4, c2 1 of 3, ta 1 of 2, tb 1 of 2.
    for (const at of [
      ['c1', 'q1'],
      ['c1', 'q2'],
      ['c2', 'q1'],
      ['ta', 'q1'],
      ['tb', 'q1'],
    ] as const)
      keyLongest(curriculum, at, ['de']);
    expect(lines(curriculum)).toEqual([
      'lessons (de): the keyed answer is the longest choice in 5 of 11 single-choice questions (45.5%; at most 40%): shorten the key or lengthen a distractor in at least 1 of them (c1 q1, q2; c2 q1; ta q1; tb q1)',
    ]);
  });

  it.each([
    [
      'true',
      [true, true],
      /4 of 5 statements are true and 1 false \(80% true\).*make at least 1 true statement false/,
    ],
    [
      'false',
      [false, false, false],
      /2 of 6 statements are true and 4 false \(33\.3% true\).*make at least 1 false statement true/,
    ],
  ])('reports true/false keys mostly %s', (_name, keys, expected) => {
    const curriculum = balanced();
    curriculum.lessons.push(
      lesson(
        'c3',
        'phase-1',
        keys.map((key, index) => trueFalse(`q${index + 1}`, key)),
      ),
    );
    const problems = lines(curriculum);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^lessons: true\/false keys: /);
    expect(problems[0]).toMatch(expected);
  });

  it('judges true/false balance only from 5 items', () => {
    const curriculum = balanced();
    // 4 items, 3 true (75%): too few to judge.
    const c3 = trueFalse('q1', true);
    curriculum.lessons.push(lesson('c3', 'phase-1', [c3]));
    expect(checkQuizBalance(curriculum)).toEqual([]);
    // 5 items, 2 true (40%): in range.
    c3.answer = 'false';
    curriculum.lessons.push(lesson('c4', 'phase-1', [trueFalse('q1', false)]));
    expect(checkQuizBalance(curriculum)).toEqual([]);
  });

  it('reports one letter keyed in over 40% of single-choice questions', () => {
    const curriculum = balanced();
    rekey(curriculum, ['c2', 'q1'], 'a'); // A 5 of 11
    expect(lines(curriculum)).toEqual([
      'lessons: choice A is the keyed answer in 5 of 11 single-choice questions (45.5%; keys: A 5, B 3, C 2, D 1); at most 40% per letter: move the answer to another position in at least 1 question (reorder choices and answer in lesson.yaml and the choices in the four language files)',
    ]);
  });

  it('reports a track that "longest choice, first on ties; always false" passes half of', () => {
    const curriculum = balanced();
    // Ties are not "strictly longest": the lesson and curriculum key rules stay silent.
    for (const at of [
      ['c1', 'q1'],
      ['c1', 'q2'],
      ['c1', 'q3'],
      ['tb', 'q1'],
      ['tb', 'q2'],
    ] as const)
      keyTiedFirst(curriculum, at);
    // beta: 5 ties + tb q3 (false) = 6 of 11; alpha: 3 of 11.
    expect(lines(curriculum)).toEqual(
      LANGUAGES.map(
        (language) =>
          `lessons (${language}): track beta (common lessons + beta lessons): always picking the longest choice (the first one on ties) and always answering false scores 6 of 11 questions (54.5%: the longest choice is right in 5 of 9 single-choice questions, false in 1 of 2 true/false ones); a learner who has not read the lessons must score under 50%: in at least 1 question, make a distractor the longest choice (a key tied for longest and shown first is still found) or turn a false statement into a true one`,
      ),
    );
  });

  it('judges the common lessons alone when there are no tracks, and 50% is too much', () => {
    const curriculum = balanced();
    curriculum.tracks = [];
    curriculum.lessons = curriculum.lessons.filter((l) => l.trackId === undefined);
    expect(checkQuizBalance(curriculum)).toEqual([]);
    // c1 q1, c1 q2, c1 q3, c2 q2: 4 of 8 questions.
    for (const at of [
      ['c1', 'q1'],
      ['c1', 'q2'],
      ['c1', 'q3'],
      ['c2', 'q2'],
    ] as const)
      keyTiedFirst(curriculum, at);
    const problems = lines(curriculum);
    expect(problems).toHaveLength(LANGUAGES.length);
    for (const problem of problems)
      expect(problem).toMatch(
        /^lessons \(\w\w\): common lessons: .* scores 4 of 8 questions \(50%/,
      );
  });

  it('runs in npm run content:check', () => {
    // The test fixture copied, with one choice made an outlier in the English file of f1-a.
    const tmp = tempDir();
    try {
      cpSync(projectPath('tests/fixtures/content'), tmp.dir, { recursive: true });
      const outlier = /lessons\/f1-a \(en\): quiz\.q1 choice a: \d+ characters, [\d.]+x/;
      const before = checkContent(tmp.dir).problems.map((p) => `${p.file}: ${p.message}`);
      expect(before.join('\n')).not.toMatch(outlier);
      const file = path.join(tmp.dir, 'lessons', 'f1-a', 'en.yaml');
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'a: Choice a EN',
          'a: Choice a EN, written at far greater length than the other two',
        ),
      );
      const after = checkContent(tmp.dir).problems.map((p) => `${p.file}: ${p.message}`);
      expect(after.join('\n')).toMatch(outlier);
    } finally {
      tmp.cleanup();
    }
  });

  describe('over 20 single-choice questions or more, the key’s length rank', () => {
    type Rank = 'long' | 'short' | 'middle';
    /** Four choices: the key 26 (longest), 20 (shortest) or 23 (middle) characters. */
    function ranked(id: string, answer: string, rank: Rank): Question {
      const q = single(id, answer, 4);
      const others = { long: [20, 22, 24], short: [22, 24, 26], middle: [20, 22, 25] }[rank];
      const key = { long: 26, short: 20, middle: 23 }[rank];
      const distractors = q.choices.filter((choice) => choice !== answer);
      for (const language of LANGUAGES)
        q.text[language].choices = Object.fromEntries(
          q.choices.map((choice) => [
            choice,
            text(choice === answer ? key : (others[distractors.indexOf(choice)] ?? 0)),
          ]),
        );
      return q;
    }

    /** 20 questions in five common lessons of four; `ranks` gives the key's rank, in order. */
    function programme(ranks: Rank[]): Curriculum {
      expect(ranks).toHaveLength(20);
      const curriculum = balanced();
      curriculum.tracks = [];
      curriculum.lessons = [0, 1, 2, 3, 4].map((l) =>
        lesson(
          `r${l}`,
          'phase-1',
          [0, 1, 2, 3].map((q) =>
            ranked(`q${q + 1}`, LETTERS[(l + q) % 4] ?? 'a', ranks[l * 4 + q] ?? 'middle'),
          ),
        ),
      );
      return curriculum;
    }

    /** `long` questions with the key longest and `short` with it shortest, spread over lessons. */
    function spread(long: number, short: number): Rank[] {
      const ranks: Rank[] = Array.from({ length: 20 }, () => 'middle');
      // Positions 0, 4, 8, … then 1, 5, 9, …: never more than half of one lesson.
      const order = [0, 4, 8, 12, 16, 1, 5, 9, 13, 17, 2, 6, 10, 14, 18, 3, 7, 11, 15, 19];
      for (const at of order.slice(0, long)) ranks[at] = 'long';
      for (const at of order.slice(10, 10 + short)) ranks[at] = 'short';
      return ranks;
    }

    it('looks like chance: sometimes longest, sometimes shortest', () => {
      expect(lines(programme(spread(4, 4)))).toEqual([]);
    });

    it('reports a key that is almost never the longest choice (the longest can be ruled out)', () => {
      expect(lines(programme(spread(2, 4)))).toEqual(
        LANGUAGES.map(
          (language) =>
            `lessons (${language}): the keyed answer is the longest choice in only 2 of 20 single-choice questions (10%; at least 15%): a learner can rule the longest choice out; make the key the longest choice in at least 1 more question`,
        ),
      );
    });

    it('reports a key that is almost never, or too often, the shortest choice', () => {
      expect(lines(programme(spread(4, 0)))).toEqual(
        LANGUAGES.map(
          (language) =>
            `lessons (${language}): the keyed answer is the shortest choice in only 0 of 20 single-choice questions (0%; at least 15%): a learner can rule the shortest choice out; make the key the shortest choice in at least 3 more questions`,
        ),
      );
      expect(lines(programme(spread(4, 9)))).toEqual(
        LANGUAGES.map(
          (language) =>
            `lessons (${language}): the keyed answer is the shortest choice in 9 of 20 single-choice questions (45%; at most 40%): lengthen the key or shorten a distractor in at least 1 question`,
        ),
      );
    });

    it('is not judged on fewer than 20 questions', () => {
      const curriculum = programme(spread(0, 0));
      curriculum.lessons.pop();
      expect(lines(curriculum)).toEqual([]);
    });
  });
});
