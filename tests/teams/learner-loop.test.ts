import { LANGUAGES, type Language } from '../../src/i18n/languages';
import { translate } from '../../src/i18n/messages';
import { loadProgramme } from '../../src/curriculum/load-programme';
import { projectPath } from '../../src/project-paths';
import { cardActions, cardText, invokeCard } from '../support/activities';
import { conversationFixture } from '../support/conversation';
import { testDialects } from '../support/postgres';

const programme = loadProgramme(projectPath('content'));
const firstLesson = programme.curriculum.lessons[0]!;

const LOCALES: Record<Language, string> = { fr: 'fr-BE', nl: 'nl-BE', de: 'de-DE', en: 'en-US' };
const NEXT_WORD: Record<Language, string> = {
  fr: 'suivant',
  nl: 'volgende',
  de: 'weiter',
  en: 'next',
};
const PROGRESS_WORD: Record<Language, string> = {
  fr: 'progression',
  nl: 'voortgang',
  de: 'Fortschritt',
  en: 'progress',
};

describe.each(testDialects())(
  'on %s, a learner takes a lesson 1:1, end to end over HTTP',
  (dialect) => {
    const chat = conversationFixture({ dialect });
    const { connector } = chat;
    beforeEach(() => connector.clear());

    it.each(LANGUAGES)(
      'in %s: install, welcome, next, pages, every answer, summary, progress',
      async (language) => {
        const user = chat.user(LOCALES[language]);
        const send = chat.send(user);
        const t = (
          key: Parameters<typeof translate>[1],
          params?: Record<string, string | number>,
        ) => translate(language, key, params);

        // Install → the welcome card, in the language of the Teams locale.
        expect((await chat.app.post(send.installationUpdate())).status).toBe(200);
        expect(connector.cards()).toHaveLength(0);
        expect((await chat.app.post(send.install())).status).toBe(200);
        const [welcome] = connector.cards();
        expect(cardText(welcome)).toContain(t('welcome.title'));
        expect(cardActions(welcome).map((a) => a.verb)).toEqual(['lesson.next']);

        // "next" in the learner's language → the first lesson, page 1, with its position.
        connector.clear();
        expect((await chat.app.post(send.message(NEXT_WORD[language]))).status).toBe(200);
        const [page1] = connector.cards();
        const text = firstLesson.text[language];
        expect(cardText(page1)).toContain(text.title);
        expect(cardText(page1)).toContain(
          t('lesson.position', {
            position: 1,
            total: 10,
            phase: programme.phases[0]!.title[language],
          }),
        );

        // Page through the lesson with the card's own buttons.
        let card: Record<string, any> = page1 as Record<string, any>;
        for (let page = 1; page < text.pages.length; page += 1) {
          const nextPage = cardActions(card).find((a) => a.title === t('lesson.nextPage'))!;
          const response = await chat.app.post(send.execute(nextPage.verb, nextPage.data));
          expect(response.status).toBe(200);
          card = invokeCard(response.body);
          expect(cardText(card)).toContain(
            t('lesson.page', { page: page + 1, pages: text.pages.length }),
          );
        }
        const startQuiz = cardActions(card).find((a) => a.verb === 'quiz.start')!;
        card = invokeCard((await chat.app.post(send.execute(startQuiz.verb, startQuiz.data))).body);

        // Answer every question: wrong on the first, right on the others.
        firstLesson.questions.forEach((q) => expect(q.choices.length).toBeGreaterThan(1));
        for (const [index, question] of firstLesson.questions.entries()) {
          expect(cardText(card)).toContain(question.text[language].question);
          const choice =
            index === 0 ? question.choices.find((c) => c !== question.answer)! : question.answer;
          const button = cardActions(card).find(
            (a) => a.verb === 'quiz.answer' && a.data.choiceId === choice,
          )!;
          expect(button.data).toEqual({
            lessonId: firstLesson.id,
            questionId: question.id,
            choiceId: choice,
          });
          const response = await chat.app.post(send.execute(button.verb, button.data));
          card = invokeCard(response.body);
          expect(cardText(card)).toContain(index === 0 ? t('quiz.wrong') : t('quiz.correct'));
          expect(cardText(card)).toContain(question.text[language].explanation);
        }
        const total = firstLesson.questions.length;
        const percent = Math.round(((total - 1) / total) * 100);
        expect(cardText(card)).toContain(t('summary.title', { lesson: text.title }));
        expect(cardText(card)).toContain(
          t('summary.score', { correct: total - 1, total, percent }),
        );

        // Progress card: phase 1 has one lesson done, with the quiz score.
        connector.clear();
        await chat.app.post(send.message(PROGRESS_WORD[language]));
        const progress = cardText(connector.cards()[0]);
        expect(progress).toContain(t('progress.lessons', { done: 1, total: 10 }));
        expect(progress).toContain(t('progress.score', { score: percent }));
      },
    );
    it.each([
      ['glossary', 'en'],
      ['glossaire', 'fr'],
      ['woordenlijst', 'nl'],
      ['Glossar', 'de'],
    ] as const)('"%s" sends the glossary in %s', async (word, language) => {
      const user = chat.user(LOCALES[language]);
      await chat.app.post(chat.send(user).message(word));
      const glossary = programme.curriculum.glossary![language];
      const text = cardText(connector.cards()[0]);
      expect(text).toContain(glossary.title);
      for (const term of glossary.terms) expect(text).toContain(term.definition);
    });

    it('keeps progress across a restart of the app', async () => {
      const user = chat.user('fr-BE');
      const send = chat.send(user);
      await chat.app.post(send.message('suivant'));
      const quiz = await chat.app.post(send.execute('quiz.start', { lessonId: firstLesson.id }));
      const question = firstLesson.questions[0]!;
      expect(cardText(invokeCard(quiz.body))).toContain(question.text.fr.question);
      await chat.app.post(
        send.execute('quiz.answer', {
          lessonId: firstLesson.id,
          questionId: question.id,
          choiceId: question.answer,
        }),
      );

      await chat.restart();

      // The first answer is still recorded: the quiz resumes at question 2.
      const resumed = invokeCard(
        (await chat.app.post(send.execute('quiz.start', { lessonId: firstLesson.id }))).body,
      );
      expect(cardText(resumed)).toContain(firstLesson.questions[1]!.text.fr.question);
      connector.clear();
      await chat.app.post(send.message('leçons'));
      expect(cardText(connector.cards()[0])).toContain(translate('fr', 'lessons.inProgress'));
    });
  },
);
