import { z } from 'zod';
import {
  renderAllDone,
  renderBrevet,
  renderPhaseNotOpen,
  renderRefusal,
  renderTrackAlreadyChosen,
  renderTrackChoice,
} from '../../cards/learner-cards';
import { renderLessonPage, renderQuiz } from '../../cards/lesson-cards';
import { renderReview } from '../../cards/review-cards';
import { VERBS, type Verb } from '../../cards/card-verbs';
import { type AdaptiveCardJson } from '../../cards/card-templates';
import { type LearnerRecord } from '../../learning/learning-store';
import { type NextStep, type QuizStep } from '../../learning/learning-service';
import { type BotDeps } from '../bot-deps';
import { type CardReply } from '../card-replies';

const id = z.string().trim().min(1).max(64);

/** The data each verb's card carries; anything else is a stale or tampered card. */
const ACTION_DATA = {
  [VERBS.nextLesson]: z.object({ afterLessonId: id.optional() }),
  [VERBS.lessonPage]: z.object({ lessonId: id, page: z.coerce.number().int().min(0).max(9) }),
  [VERBS.startQuiz]: z.object({ lessonId: id }),
  [VERBS.answer]: z.object({ lessonId: id, questionId: id, choiceId: id }),
  [VERBS.chooseTrack]: z.object({ trackId: id }),
  [VERBS.review]: z.object({
    lessonId: id,
    questionId: id,
    choiceId: id,
    reps: z.coerce.number().int().min(0),
  }),
  [VERBS.startReview]: z.object({}),
} satisfies Record<Verb, z.ZodTypeAny>;

type ActionData<V extends Verb> = z.infer<(typeof ACTION_DATA)[V]>;

/** The card for whatever comes next: a lesson's first page, the track choice, or a notice. */
export function renderNextStep(
  deps: BotDeps,
  learner: LearnerRecord,
  step: NextStep,
): AdaptiveCardJson {
  const language = learner.language;
  switch (step.kind) {
    case 'lesson':
      return renderLessonPage(language, step.place, 0);
    case 'chooseTrack':
      return renderTrackChoice(language, deps.programme, step.phase);
    case 'phaseNotOpen':
      return renderPhaseNotOpen(language, step.phase);
    case 'allDone':
      return renderAllDone(language);
  }
}

function quizReply(learner: LearnerRecord, step: QuizStep, card: AdaptiveCardJson): CardReply {
  if (step.kind === 'summary' && step.brevet) {
    return {
      card,
      followUps: [renderBrevet(learner.language, step.brevet.phase, step.brevet.score)],
    };
  }
  return { card };
}

/** Where the click happened: in a channel, a pushed lesson opens for whoever clicks. */
export interface ActionPlace {
  inChannel: boolean;
}

type Handler<V extends Verb> = (
  deps: BotDeps,
  learner: LearnerRecord,
  data: ActionData<V>,
  place: ActionPlace,
) => Promise<CardReply>;

const HANDLERS: { [V in Verb]: Handler<V> } = {
  async [VERBS.nextLesson](deps, learner, data) {
    const nextCard = renderNextStep(deps, learner, await deps.learning.next(learner));
    if (data.afterLessonId) {
      // From a lesson summary: keep the summary in the chat and send the next lesson below it.
      const finished = await deps.learning.quiz(learner, data.afterLessonId);
      if (finished.kind === 'ok' && finished.step.kind === 'summary') {
        return {
          card: renderQuiz(learner.language, finished.step, undefined, { nextSent: true }),
          followUps: [nextCard],
        };
      }
    }
    return { card: nextCard };
  },

  async [VERBS.lessonPage](deps, learner, data, place) {
    if (place.inChannel) await deps.learning.openDelivered(learner, data.lessonId);
    const opened = await deps.learning.openedLesson(learner, data.lessonId);
    if (opened.kind === 'refused') return { card: renderRefusal(learner.language, opened.reason) };
    return { card: renderLessonPage(learner.language, opened.place, data.page) };
  },

  async [VERBS.startQuiz](deps, learner, data, place) {
    if (place.inChannel) await deps.learning.openDelivered(learner, data.lessonId);
    const quiz = await deps.learning.quiz(learner, data.lessonId);
    if (quiz.kind === 'refused') return { card: renderRefusal(learner.language, quiz.reason) };
    return quizReply(learner, quiz.step, renderQuiz(learner.language, quiz.step, undefined, place));
  },

  async [VERBS.answer](deps, learner, data, place) {
    const result = await deps.learning.answer(learner, data);
    if (result.kind === 'refused') return { card: renderRefusal(learner.language, result.reason) };
    return quizReply(
      learner,
      result.next,
      renderQuiz(learner.language, result.next, result.feedback, place),
    );
  },

  async [VERBS.chooseTrack](deps, learner, data) {
    const result = await deps.learning.chooseTrack(learner, data.trackId);
    if (result.kind === 'unknownTrack')
      return { card: renderRefusal(learner.language, 'staleCard') };
    if (result.kind === 'alreadyChosen') {
      const title = deps.programme.track(learner.trackId)?.title[learner.language] ?? '';
      return { card: renderTrackAlreadyChosen(learner.language, title) };
    }
    return { card: renderNextStep(deps, result.learner, await deps.learning.next(result.learner)) };
  },

  async [VERBS.startReview](deps, learner) {
    return { card: renderReview(learner.language, await deps.reviews.next(learner)) };
  },

  async [VERBS.review](deps, learner, data) {
    const result = await deps.reviews.answer(learner, data);
    if (result.kind === 'refused') return { card: renderRefusal(learner.language, result.reason) };
    if (result.kind === 'stale') return { card: renderReview(learner.language, result.next) };
    return {
      card: renderReview(learner.language, result.next, {
        question: result.question,
        choiceId: result.choiceId,
        correct: result.correct,
      }),
    };
  },
};

export function isVerb(value: unknown): value is Verb {
  return typeof value === 'string' && (Object.values(VERBS) as string[]).includes(value);
}

/**
 * Answers a card action: validates the card data for the verb, then runs the learner's step.
 * Card data only ever names lessons, questions and choices; who acts comes from the activity.
 */
export async function handleCardAction(
  deps: BotDeps,
  learner: LearnerRecord,
  verb: string,
  rawData: unknown,
  place: ActionPlace = { inChannel: false },
): Promise<CardReply> {
  if (!isVerb(verb)) return { card: renderRefusal(learner.language, 'staleCard') };
  const parsed = ACTION_DATA[verb].safeParse(rawData ?? {});
  if (!parsed.success) return { card: renderRefusal(learner.language, 'staleCard') };
  const handler = HANDLERS[verb] as Handler<Verb>;
  const reply = await handler(deps, learner, parsed.data as ActionData<Verb>, place);
  // Nothing personal is posted to a channel: the clicker's own view is the card itself.
  return place.inChannel ? { card: reply.card } : reply;
}
