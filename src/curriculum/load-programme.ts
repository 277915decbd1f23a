import { LANGUAGES } from '../i18n/languages';
import { translate } from '../i18n/messages';
import { type ContentProblem, loadCurriculum } from './content-loader';
import { type Curriculum, type Localised } from './curriculum-types';
import { Programme } from './programme';

/** "True" / "False" in each language, for true/false questions. */
export function trueFalseLabels(): Localised<{ true: string; false: string }> {
  return Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      { true: translate(language, 'quiz.true'), false: translate(language, 'quiz.false') },
    ]),
  ) as Localised<{ true: string; false: string }>;
}

/** Loads the content directory with its structural problems (for `content:check`). */
export function readCurriculum(dir: string): {
  curriculum: Curriculum;
  problems: ContentProblem[];
} {
  return loadCurriculum(dir, trueFalseLabels());
}

/** Loads the programme the app serves; invalid content stops the start with every problem listed. */
export function loadProgramme(dir: string): Programme {
  const { curriculum, problems } = readCurriculum(dir);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.file}: ${p.message}`);
    throw new Error(`Invalid content in ${dir}:\n  ${lines.join('\n  ')}`);
  }
  return new Programme(curriculum);
}
