import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LANGUAGES } from '../i18n/languages';
import {
  type Curriculum,
  type GlossaryTerm,
  type Lesson,
  type LessonText,
  type Localised,
  type Question,
  type QuestionText,
} from './curriculum-types';

/** One thing wrong with the content, located precisely enough for an author to fix it. */
export interface ContentProblem {
  file: string;
  message: string;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
const text = z.string().trim().min(1);
const localised = z.object({ en: text, fr: text, nl: text, de: text }).strict();
const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');

const programmeSchema = z
  .object({
    passingScore: z.number().int().min(1).max(100),
    phases: z
      .array(
        z
          .object({
            id,
            opensAt: isoDate,
            chooseTrack: z.boolean().optional(),
            title: localised,
          })
          .strict(),
      )
      .min(1),
    tracks: z.array(z.object({ id, title: localised, description: localised }).strict()),
  })
  .strict();

const lessonSchema = z
  .object({
    id,
    phase: id,
    track: id.optional(),
    order: z.number().int().min(1),
    minutes: z.number().int().min(2).max(5),
    reviewed: isoDate,
    sources: z
      .array(z.object({ title: text, url: z.string().url().startsWith('https://') }).strict())
      .min(1),
    quiz: z
      .array(
        z.discriminatedUnion('kind', [
          z
            .object({
              id,
              kind: z.literal('single'),
              choices: z.array(id).min(2).max(4),
              answer: id,
            })
            .strict(),
          z.object({ id, kind: z.literal('truefalse'), answer: z.boolean() }).strict(),
        ]),
      )
      .min(2)
      .max(4),
  })
  .strict();

const lessonTextSchema = z
  .object({
    title: text,
    objective: text,
    pages: z.array(text).min(1).max(3),
    quiz: z.record(
      z.object({ question: text, choices: z.record(text).optional(), explanation: text }).strict(),
    ),
  })
  .strict();

const glossarySchema = z
  .object({
    title: text,
    terms: z.array(z.object({ id, term: text, definition: text }).strict()).min(1),
  })
  .strict();

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
}

class ProblemList {
  readonly items: ContentProblem[] = [];
  constructor(private readonly root: string) {}
  add(file: string, message: string): void {
    this.items.push({ file: path.relative(this.root, file) || file, message });
  }
}

function readYaml(file: string, problems: ProblemList): unknown {
  if (!existsSync(file)) {
    problems.add(file, 'file is missing');
    return undefined;
  }
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.add(file, `not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

function parseWith<T>(schema: z.ZodType<T>, file: string, problems: ProblemList): T | undefined {
  const raw = readYaml(file, problems);
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const line of describe(result.error)) problems.add(file, line);
    return undefined;
  }
  return result.data;
}

function loadLesson(
  folder: string,
  problems: ProblemList,
  answerLabels: Localised<{ true: string; false: string }>,
): Lesson | undefined {
  const structureFile = path.join(folder, 'lesson.yaml');
  const structure = parseWith(lessonSchema, structureFile, problems);
  if (!structure) return undefined;

  const questions: Question[] = structure.quiz.map((q) => ({
    id: q.id,
    kind: q.kind,
    choices: q.kind === 'single' ? q.choices : ['true', 'false'],
    answer: q.kind === 'single' ? q.answer : String(q.answer),
    text: {} as Localised<QuestionText>,
  }));
  const seenQuestions = new Set<string>();
  for (const q of structure.quiz) {
    if (seenQuestions.has(q.id)) problems.add(structureFile, `quiz: question id ${q.id} repeats`);
    seenQuestions.add(q.id);
    if (q.kind === 'single') {
      if (new Set(q.choices).size !== q.choices.length)
        problems.add(structureFile, `quiz.${q.id}: a choice id repeats`);
      if (!q.choices.includes(q.answer))
        problems.add(
          structureFile,
          `quiz.${q.id}: the answer "${q.answer}" is not one of its choices: exactly one choice must be correct`,
        );
    }
  }

  const texts = {} as Localised<LessonText>;
  let complete = true;
  for (const language of LANGUAGES) {
    const file = path.join(folder, `${language}.yaml`);
    const lessonText = parseWith(lessonTextSchema, file, problems);
    if (!lessonText) {
      complete = false;
      continue;
    }
    texts[language] = {
      title: lessonText.title,
      objective: lessonText.objective,
      pages: lessonText.pages,
    };
    const textIds = Object.keys(lessonText.quiz);
    for (const extra of textIds.filter((qid) => !seenQuestions.has(qid)))
      problems.add(file, `quiz.${extra}: no such question in lesson.yaml`);
    for (const question of questions) {
      const qText = lessonText.quiz[question.id];
      if (!qText) {
        problems.add(file, `quiz.${question.id}: missing`);
        complete = false;
        continue;
      }
      let choices: Record<string, string>;
      if (question.kind === 'single') {
        choices = qText.choices ?? {};
        const missing = question.choices.filter((choice) => !(choice in choices));
        const extra = Object.keys(choices).filter((choice) => !question.choices.includes(choice));
        if (missing.length > 0 || extra.length > 0) {
          problems.add(
            file,
            `quiz.${question.id}.choices: expected exactly ${question.choices.join(', ')}`,
          );
          complete = false;
        }
      } else {
        if (qText.choices)
          problems.add(file, `quiz.${question.id}.choices: a true/false question has no choices`);
        choices = { true: answerLabels[language].true, false: answerLabels[language].false };
      }
      question.text[language] = {
        question: qText.question,
        choices,
        explanation: qText.explanation,
      };
    }
  }
  if (!complete) return undefined;
  const pageCounts = new Set(LANGUAGES.map((language) => texts[language].pages.length));
  if (pageCounts.size > 1)
    problems.add(structureFile, 'every language must have the same number of pages');

  return {
    id: structure.id,
    phaseId: structure.phase,
    trackId: structure.track,
    order: structure.order,
    minutes: structure.minutes,
    reviewed: structure.reviewed,
    sources: structure.sources,
    questions,
    text: texts,
  };
}

function loadGlossary(dir: string, problems: ProblemList): Curriculum['glossary'] {
  const glossaryDir = path.join(dir, 'glossary');
  if (!existsSync(glossaryDir)) return undefined;
  const glossary = {} as Localised<{ title: string; terms: GlossaryTerm[] }>;
  for (const language of LANGUAGES) {
    const file = path.join(glossaryDir, `${language}.yaml`);
    const parsed = parseWith(glossarySchema, file, problems);
    if (!parsed) return undefined;
    glossary[language] = parsed;
  }
  const reference = glossary.en.terms.map((term) => term.id).join(',');
  for (const language of LANGUAGES) {
    if (glossary[language].terms.map((term) => term.id).join(',') !== reference)
      problems.add(
        path.join(glossaryDir, `${language}.yaml`),
        'terms: must list the same ids, in the same order, as en.yaml',
      );
  }
  return glossary;
}

/**
 * Reads `content/` (programme, lessons, glossary) and checks its structure: every language,
 * every key, exactly one answer per single-choice question, unique ids, valid references.
 */
export function loadCurriculum(
  dir: string,
  answerLabels: Localised<{ true: string; false: string }>,
): { curriculum: Curriculum; problems: ContentProblem[] } {
  const root = path.resolve(dir);
  const problems = new ProblemList(root);
  const programmeFile = path.join(root, 'programme.yaml');
  const programme = parseWith(programmeSchema, programmeFile, problems) ?? {
    passingScore: 80,
    phases: [],
    tracks: [],
  };

  const phaseIds = programme.phases.map((phase) => phase.id);
  const trackIds = programme.tracks.map((track) => track.id);
  if (new Set(phaseIds).size !== phaseIds.length)
    problems.add(programmeFile, 'phases: a phase id repeats');
  if (new Set(trackIds).size !== trackIds.length)
    problems.add(programmeFile, 'tracks: a track id repeats');

  const lessonsDir = path.join(root, 'lessons');
  const folders = existsSync(lessonsDir)
    ? readdirSync(lessonsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(lessonsDir, entry.name))
        .sort()
    : [];
  const lessons: Lesson[] = [];
  const seenIds = new Map<string, string>();
  const seenOrders = new Map<string, string>();
  for (const folder of folders) {
    const lesson = loadLesson(folder, problems, answerLabels);
    if (!lesson) continue;
    const file = path.join(folder, 'lesson.yaml');
    const duplicate = seenIds.get(lesson.id);
    if (duplicate) {
      problems.add(file, `id ${lesson.id} is already used by ${duplicate}`);
      continue;
    }
    seenIds.set(lesson.id, path.basename(folder));
    if (!phaseIds.includes(lesson.phaseId))
      problems.add(file, `phase: no phase ${lesson.phaseId} in programme.yaml`);
    if (lesson.trackId !== undefined && !trackIds.includes(lesson.trackId))
      problems.add(file, `track: no track ${lesson.trackId} in programme.yaml`);
    if (
      lesson.trackId !== undefined &&
      !programme.phases.find((p) => p.id === lesson.phaseId)?.chooseTrack
    )
      problems.add(file, `track: phase ${lesson.phaseId} has no track choice (chooseTrack)`);
    const orderKey = `${lesson.phaseId}/${lesson.trackId ?? '-'}/${lesson.order}`;
    const sameOrder = seenOrders.get(orderKey);
    if (sameOrder) problems.add(file, `order ${lesson.order} is already used by ${sameOrder}`);
    seenOrders.set(orderKey, lesson.id);
    lessons.push(lesson);
  }

  lessons.sort(
    (a, b) =>
      phaseIds.indexOf(a.phaseId) - phaseIds.indexOf(b.phaseId) ||
      Number(a.trackId !== undefined) - Number(b.trackId !== undefined) ||
      a.order - b.order ||
      a.id.localeCompare(b.id),
  );

  const curriculum: Curriculum = {
    passingScore: programme.passingScore,
    phases: programme.phases.map((phase, index) => ({
      id: phase.id,
      number: index + 1,
      opensAt: phase.opensAt,
      chooseTrack: phase.chooseTrack ?? false,
      title: phase.title,
    })),
    tracks: programme.tracks,
    lessons,
    glossary: loadGlossary(root, problems),
  };
  return { curriculum, problems: problems.items };
}
