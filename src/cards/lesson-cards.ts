import { type Question } from '../curriculum/curriculum-types';
import { type Language } from '../i18n/languages';
import { translator } from '../i18n/messages';
import {
  type AnswerFeedback,
  type LessonSummary,
  type QuestionInPlace,
  type QuizStep,
} from '../learning/learning-service';
import { type LessonInPlace } from '../learning/standing';
import { type AdaptiveCardJson, expandCard } from './card-templates';

/** Splits a page of markdown into paragraphs (blank-line separated), one TextBlock each. */
export function paragraphs(page: string): string[] {
  return page
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

/** One page of a lesson, with back / next page / take the quiz. */
export function renderLessonPage(
  language: Language,
  place: LessonInPlace,
  page: number,
): AdaptiveCardJson {
  const t = translator(language);
  const text = place.lesson.text[language];
  const last = text.pages.length - 1;
  const index = Math.min(Math.max(page, 0), last);
  return expandCard('lesson-page', {
    lessonId: place.lesson.id,
    position: t('lesson.position', {
      position: place.position,
      total: place.total,
      phase: place.phase.title[language],
    }),
    minutes: t('lesson.minutes', { minutes: place.lesson.minutes }),
    title: text.title,
    objective: t('lesson.objective', { objective: text.objective }),
    paragraphs: paragraphs(text.pages[index] ?? ''),
    pageLabel: t('lesson.page', { page: index + 1, pages: text.pages.length }),
    hasBack: index > 0,
    backPage: index - 1,
    backLabel: t('lesson.back'),
    hasNext: index < last,
    nextPage: index + 1,
    nextLabel: t('lesson.nextPage'),
    quizLabel: t('lesson.startQuiz'),
  });
}

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** A choice as read on a card: "B. text" (or the True/False label). */
export function choiceLabel(language: Language, question: Question, choiceId: string): string {
  const text = question.text[language];
  if (question.kind === 'truefalse') return text.choices[choiceId] ?? choiceId;
  const index = question.choices.indexOf(choiceId);
  return `${LETTERS[index] ?? '?'}. ${text.choices[choiceId] ?? choiceId}`;
}

/** The choices of a question as card rows and buttons, in `order` (default: as written). */
export function choiceViews(
  language: Language,
  question: Question,
  order: string[] = question.choices,
) {
  const text = question.text[language];
  return order.map((choiceId) => {
    const index = question.choices.indexOf(choiceId);
    return {
      id: choiceId,
      // Long choices read as text; buttons carry the letter (Teams truncates long button titles).
      text: question.kind === 'single' ? choiceLabel(language, question, choiceId) : '',
      button: question.kind === 'single' ? (LETTERS[index] ?? choiceId) : text.choices[choiceId],
    };
  });
}

function questionData(language: Language, place: QuestionInPlace) {
  const t = translator(language);
  const { question } = place;
  return {
    id: question.id,
    position: t('quiz.question', { position: place.position, total: place.total }),
    text: question.text[language].question,
    choices: choiceViews(language, question),
  };
}

function feedbackData(language: Language, feedback: AnswerFeedback) {
  const t = translator(language);
  const { question, answer } = feedback;
  const text = question.text[language];
  return {
    verdict: answer.correct ? `✔ ${t('quiz.correct')}` : `✘ ${t('quiz.wrong')}`,
    color: answer.correct ? 'Good' : 'Attention',
    style: answer.correct ? 'good' : 'attention',
    question: text.question,
    yourAnswer: t('quiz.yourAnswer', {
      choice: choiceLabel(language, question, answer.choiceId),
    }),
    rightAnswer: answer.correct
      ? ''
      : t('quiz.rightAnswer', { choice: choiceLabel(language, question, question.answer) }),
    explanation: text.explanation,
    note: feedback.alreadyAnswered ? t('quiz.alreadyAnswered') : '',
  };
}

function summaryData(
  language: Language,
  summary: LessonSummary,
  nextSent: boolean,
  inChannel: boolean,
) {
  const t = translator(language);
  const missed = summary.missed.map((q) => `“${q.text[language].question}”`).join(' · ');
  return {
    title: t('summary.title', { lesson: summary.lesson.text[language].title }),
    score: t('summary.score', {
      correct: summary.correct,
      total: summary.total,
      percent: summary.percent,
    }),
    review: missed === '' ? t('summary.perfect') : t('summary.review', { questions: missed }),
    // In a channel the next lesson is the learner's own business: no button there.
    nextLabel: nextSent || inChannel ? '' : t('summary.nextLesson'),
    nextSent: nextSent ? t('summary.nextSent') : '',
  };
}

/**
 * The quiz card: feedback on the answer just given (if any), then the next question or the
 * lesson summary. `nextSent` renders a summary whose next lesson was already sent below it.
 */
export function renderQuiz(
  language: Language,
  step: QuizStep,
  feedback?: AnswerFeedback,
  options: { nextSent?: boolean; inChannel?: boolean } = {},
): AdaptiveCardJson {
  const lesson = step.kind === 'question' ? step.question.lesson : step.summary.lesson;
  return expandCard('quiz', {
    lessonId: lesson.id,
    lessonTitle: lesson.text[language].title,
    feedback: feedback ? feedbackData(language, feedback) : null,
    question: step.kind === 'question' ? questionData(language, step.question) : null,
    summary:
      step.kind === 'summary'
        ? summaryData(language, step.summary, options.nextSent ?? false, options.inChannel ?? false)
        : null,
  });
}
