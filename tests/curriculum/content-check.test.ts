import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkContent } from '../../src/content-check';
import { dominantLanguage } from '../../src/curriculum/content-rules';
import { projectPath } from '../../src/project-paths';
import { tempDir } from '../support/brevet-harness';

/** A copy of the shipped content to break on purpose. */
function contentCopy() {
  const tmp = tempDir();
  cpSync(projectPath('content'), tmp.dir, { recursive: true });
  const lesson = (id: string) => path.join(tmp.dir, 'lessons', id);
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(file, change(readFileSync(file, 'utf8')));
  return { dir: tmp.dir, lesson, edit, cleanup: tmp.cleanup };
}

describe('the content check', () => {
  it('passes on the shipped curriculum', () => {
    const { problems, lessons } = checkContent(projectPath('content'));
    expect(problems).toEqual([]);
    expect(lessons).toBeGreaterThanOrEqual(3);
  });

  it.each([
    [
      'a missing language file',
      (c: ReturnType<typeof contentCopy>) =>
        rmSync(path.join(c.lesson('p1-01-what-generative-ai-is'), 'de.yaml')),
      /de\.yaml: file is missing/,
    ],
    [
      'a missing key',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-02-meet-copilot-chat'), 'fr.yaml'), (t) =>
          t.replace(/^objective:.*$/m, ''),
        ),
      /fr\.yaml: objective: Required/,
    ],
    [
      'an answer that is not a choice',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-03-the-shield'), 'lesson.yaml'), (t) =>
          t.replace(/answer: [a-d]\b/, 'answer: z'),
        ),
      /not one of its choices/,
    ],
    [
      'a duplicate lesson id',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-02-meet-copilot-chat'), 'lesson.yaml'), (t) =>
          t.replace('id: p1-02', 'id: p1-01'),
        ),
      /already used/,
    ],
    [
      'an unknown phase',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-03-the-shield'), 'lesson.yaml'), (t) =>
          t.replace('phase: phase-1', 'phase: phase-9'),
        ),
      /no phase phase-9/,
    ],
    [
      'an unknown track',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p2-su-01-letters-with-placeholders'), 'lesson.yaml'), (t) =>
          t.replace('track: support', 'track: logistics'),
        ),
      /no track logistics/,
    ],
    [
      'an English paragraph left in French',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-01-what-generative-ai-is'), 'fr.yaml'), (t) =>
          t.replace(
            'pages:\n  - |\n',
            'pages:\n  - |\n    This paragraph was not translated and it is still in English, so the check must catch it for you.\n\n',
          ),
        ),
      /looks en, not fr/,
    ],
    [
      'placeholder text',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-01-what-generative-ai-is'), 'nl.yaml'), (t) =>
          t.replace(/^objective: /m, 'objective: TODO '),
        ),
      /placeholder/,
    ],
    [
      'a reading time over the stated minutes',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-01-what-generative-ai-is'), 'lesson.yaml'), (t) =>
          t.replace(/minutes: \d/, 'minutes: 2'),
        ),
      /more than the lesson's 2 minutes/,
    ],
    [
      'a quiz question resting on a price',
      (c: ReturnType<typeof contentCopy>) =>
        c.edit(path.join(c.lesson('p1-02-meet-copilot-chat'), 'en.yaml'), (t) =>
          t.replace(/question: /, 'question: At €30 a month, '),
        ),
      /must not rest on a price/,
    ],
  ])('rejects %s', (_name, breakIt, expected) => {
    const copy = contentCopy();
    try {
      breakIt(copy);
      const { problems } = checkContent(copy.dir);
      expect(problems.map((p) => `${p.file}: ${p.message}`).join('\n')).toMatch(expected);
    } finally {
      copy.cleanup();
    }
  });

  it('tells the languages apart', () => {
    expect(
      dominantLanguage('Vous ne devez jamais mettre des informations classifiées dans le chat.'),
    ).toBe('fr');
    expect(
      dominantLanguage(
        'Je mag nooit geclassificeerde informatie in de chat zetten, dat is een regel.',
      ),
    ).toBe('nl');
    expect(
      dominantLanguage(
        'Sie dürfen niemals eingestufte Informationen in den Chat eingeben, das ist die Regel.',
      ),
    ).toBe('de');
    expect(
      dominantLanguage(
        'You must never put classified information into the chat, that is the rule.',
      ),
    ).toBe('en');
  });
});
