import { type Lesson, type Phase } from '../curriculum/curriculum-types';
import { LANGUAGES, type Language } from '../i18n/languages';
import { type QuizStep } from '../learning/learning-service';
import { type AdaptiveCardJson } from './card-templates';
import { renderLessonPage, renderQuiz } from './lesson-cards';

/**
 * Teams accepts ~100 KB per message; Brevet keeps every card under 40 KB
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/format-your-bot-messages).
 */
export const MAX_CARD_BYTES = 40 * 1024;

export function cardBytes(card: AdaptiveCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/**
 * Every card a lesson produces in one language: each page, each question with the feedback on
 * the one before (a wrong answer, the longest form), and the summary with every question missed.
 */
export function lessonCards(
  lesson: Lesson,
  phase: Phase,
  language: Language,
): { name: string; card: AdaptiveCardJson }[] {
  const place = { lesson, phase, position: 1, total: 1 };
  const cards = lesson.text[language].pages.map((_, page) => ({
    name: `page ${page + 1}`,
    card: renderLessonPage(language, place, page),
  }));
  const wrongFeedback = (index: number) => {
    const question = lesson.questions[index];
    if (!question) return undefined;
    const wrong = question.choices.find((choice) => choice !== question.answer) ?? question.answer;
    return {
      question,
      answer: {
        lessonId: lesson.id,
        questionId: question.id,
        choiceId: wrong,
        correct: false,
        answeredAt: '',
      },
      alreadyAnswered: true,
    };
  };
  lesson.questions.forEach((question, index) => {
    const step: QuizStep = {
      kind: 'question',
      question: { lesson, question, position: index + 1, total: lesson.questions.length },
    };
    cards.push({
      name: `question ${question.id}`,
      card: renderQuiz(language, step, wrongFeedback(index - 1)),
    });
  });
  const summary: QuizStep = {
    kind: 'summary',
    summary: {
      lesson,
      correct: 0,
      total: lesson.questions.length,
      percent: 0,
      missed: lesson.questions,
    },
  };
  cards.push({
    name: 'summary',
    card: renderQuiz(language, summary, wrongFeedback(lesson.questions.length - 1)),
  });
  return cards;
}

/** Cards over the size limit, in every language. */
export function oversizedLessonCards(
  lesson: Lesson,
  phase: Phase,
): { language: Language; name: string; bytes: number }[] {
  return LANGUAGES.flatMap((language) =>
    lessonCards(lesson, phase, language)
      .map(({ name, card }) => ({ language, name, bytes: cardBytes(card) }))
      .filter(({ bytes }) => bytes >= MAX_CARD_BYTES),
  );
}
