import path from 'node:path';
import { oversizedLessonCards } from './cards/lesson-card-sizes';
import { type ContentProblem } from './curriculum/content-loader';
import { checkLessonRules } from './curriculum/content-rules';
import { readCurriculum } from './curriculum/load-programme';
import { checkQuizBalance } from './curriculum/quiz-balance';

/** Every problem `npm run content:check` reports for a content directory. */
export function checkContent(dir: string): { problems: ContentProblem[]; lessons: number } {
  const { curriculum, problems } = readCurriculum(dir);
  const where = (lessonId: string, language?: string) =>
    `lessons/${lessonId}${language ? ` (${language})` : ''}`;
  problems.push(...checkLessonRules(curriculum, (lesson, language) => where(lesson.id, language)));
  for (const lesson of curriculum.lessons) {
    const phase = curriculum.phases.find((p) => p.id === lesson.phaseId);
    if (!phase) continue;
    for (const card of oversizedLessonCards(lesson, phase))
      problems.push({
        file: where(lesson.id, card.language),
        message: `the ${card.name} card is ${card.bytes} bytes; cards stay under 40 KB`,
      });
  }
  problems.push(...checkQuizBalance(curriculum));
  return { problems, lessons: curriculum.lessons.length };
}

export function contentDirFromArgs(argv: string[]): string {
  return path.resolve(argv[2] ?? 'content');
}
