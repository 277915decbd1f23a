import { type Question } from '../curriculum/curriculum-types';
import { type Language } from '../i18n/languages';
import { translator } from '../i18n/messages';
import { type ReviewStep } from '../review/review-service';
import { type AdaptiveCardJson, expandCard } from './card-templates';
import { choiceLabel, choiceViews } from './lesson-cards';

/** Fisher–Yates: review shows the same question with its choices in another order. */
function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** A review card: feedback on the previous review answer (if any), then the next due question. */
export function renderReview(
  language: Language,
  step: ReviewStep,
  feedback?: { question: Question; choiceId: string; correct: boolean; note?: string },
  random: () => number = Math.random,
): AdaptiveCardJson {
  const t = translator(language);
  return expandCard('review', {
    title: t('review.title'),
    feedback: feedback
      ? {
          verdict:
            feedback.note ?? (feedback.correct ? `✔ ${t('quiz.correct')}` : `✘ ${t('quiz.wrong')}`),
          color: feedback.correct ? 'Good' : 'Attention',
          style: feedback.correct ? 'good' : 'attention',
          question: feedback.question.text[language].question,
          rightAnswer: feedback.correct
            ? ''
            : t('quiz.rightAnswer', {
                choice: choiceLabel(language, feedback.question, feedback.question.answer),
              }),
          explanation: feedback.question.text[language].explanation,
        }
      : null,
    question:
      step.kind === 'question'
        ? {
            lessonId: step.due.lesson.id,
            id: step.due.question.id,
            reps: step.due.reps,
            remaining: t('review.remaining', { remaining: step.due.remaining }),
            text: step.due.question.text[language].question,
            choices: choiceViews(
              language,
              step.due.question,
              step.due.question.kind === 'single'
                ? shuffled(step.due.question.choices, random)
                : undefined,
            ),
          }
        : null,
    done: step.kind === 'done' ? { title: t('review.doneTitle'), text: t('review.done') } : null,
  });
}
