import { type Lesson, type Phase } from '../src/curriculum/curriculum-types';
import { isPhaseOpen, type Programme } from '../src/curriculum/programme';
import { type Language } from '../src/i18n/languages';
import { activitiesFor, newUser } from '../tests/support/activities';

/** The kinds of turn a learner takes, for the mix and the per-kind latencies. */
export const TURN_KINDS = ['install', 'next', 'page', 'quiz.start', 'answer', 'track'] as const;
export type TurnKind = (typeof TURN_KINDS)[number];

/** What the real app must answer to a step (the echo bot is only checked for status/replies). */
export interface BrevetExpectation {
  /** An Action.Execute of the invoke response card: its verb and some of its data. */
  cardAction?: { verb: string; data: Record<string, string | number> };
  /** A substring of the last activity sent to the connector during the turn. */
  reply?: string;
  /** How many activities the turn sends to the connector. */
  replies?: number;
}

/** One turn of a virtual learner: the activity POSTed to /api/messages and what to expect. */
export interface Step {
  kind: TurnKind;
  activity: Record<string, unknown>;
  conversationId: string;
  invoke: boolean;
  message: boolean;
  brevet: BrevetExpectation;
}

const LOCALES: { locale: string; language: Language; next: string }[] = [
  { locale: 'fr-BE', language: 'fr', next: 'suivant' },
  { locale: 'nl-BE', language: 'nl', next: 'volgende' },
  { locale: 'en-US', language: 'en', next: 'next' },
  { locale: 'de-DE', language: 'de', next: 'weiter' },
];

/** A small deterministic PRNG (mulberry32): both bots get exactly the same load. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CORRECT_SHARE = 0.8;

/**
 * One learner's whole programme, as Teams would send it: install (installationUpdate +
 * conversationUpdate), then per lesson `next` typed in their language, every page by the card's
 * "next page" button (lesson.page), quiz.start, one quiz.answer per question (80 % right); at
 * the phase with tracks, `next` brings the track choice and track.choose the first lesson; at
 * the end `next` says all is done. Data are what the cards carry (checked on Brevet).
 */
export function* learnerJourney(
  programme: Programme,
  learnerNumber: number,
  serviceUrl: string,
  random: () => number,
  now: Date = new Date(),
): Generator<Step> {
  const profile = LOCALES[learnerNumber % LOCALES.length] as (typeof LOCALES)[number];
  const user = newUser(profile.locale);
  const send = activitiesFor(user, serviceUrl);
  const conversationId = `a:${user.aadObjectId}`;
  const step = (
    kind: TurnKind,
    activity: Record<string, unknown>,
    brevet: BrevetExpectation,
  ): Step => ({
    kind,
    activity,
    conversationId,
    invoke: activity.type === 'invoke',
    message: activity.type === 'message',
    brevet,
  });

  yield step('install', send.installationUpdate(), { replies: 0 });
  yield step('install', send.install(), { replies: 1, reply: '"lesson.next"' });

  // The button a page card offers to go on: the next page, or the quiz on the last page.
  const pages = (lesson: Lesson) => lesson.text[profile.language].pages.length;
  const pageButton = (lesson: Lesson, page: number): BrevetExpectation['cardAction'] =>
    page + 1 < pages(lesson)
      ? { verb: 'lesson.page', data: { lessonId: lesson.id, page: page + 1 } }
      : { verb: 'quiz.start', data: { lessonId: lesson.id } };

  function* lessonTurns(lesson: Lesson, withNext: boolean): Generator<Step> {
    const lessonId = lesson.id;
    if (withNext) {
      yield step('next', send.message(profile.next), {
        replies: 1,
        reply: `"lessonId":"${lessonId}"`,
      });
    }
    for (let page = 1; page < pages(lesson); page += 1) {
      yield step('page', send.execute('lesson.page', { lessonId, page }), {
        replies: 0,
        cardAction: pageButton(lesson, page),
      });
    }
    const questions = lesson.questions;
    yield step('quiz.start', send.execute('quiz.start', { lessonId }), {
      replies: 0,
      cardAction: {
        verb: 'quiz.answer',
        data: { lessonId, questionId: questions[0]?.id ?? '' },
      },
    });
    for (const [index, question] of questions.entries()) {
      const wrong = question.choices.filter((choice) => choice !== question.answer);
      const choiceId =
        random() < CORRECT_SHARE || wrong.length === 0
          ? question.answer
          : (wrong[Math.floor(random() * wrong.length)] as string);
      const following = questions[index + 1];
      yield step(
        'answer',
        send.execute('quiz.answer', { lessonId, questionId: question.id, choiceId }),
        {
          // The last answer may also send a brevet card to the chat: not counted.
          cardAction: following
            ? { verb: 'quiz.answer', data: { lessonId, questionId: following.id } }
            : { verb: 'lesson.next', data: { afterLessonId: lessonId } },
        },
      );
    }
  }

  const phaseIsOpen = (phase: Phase) => isPhaseOpen(phase, now);
  for (const phase of programme.phases) {
    if (programme.lessonsOfPhase(phase.id).length === 0) continue;
    if (!phaseIsOpen(phase)) {
      yield step('next', send.message(profile.next), { replies: 1 });
      return;
    }
    let trackId: string | null = null;
    let first = true;
    if (phase.chooseTrack) {
      const tracks = programme.curriculum.tracks;
      trackId = (tracks[learnerNumber % tracks.length] as { id: string }).id;
      const firstLesson = programme.sequence(phase.id, trackId)[0] as Lesson;
      yield step('next', send.message(profile.next), { replies: 1, reply: '"track.choose"' });
      yield step('track', send.execute('track.choose', { trackId }), {
        replies: 0,
        cardAction: pageButton(firstLesson, 0),
      });
      yield* lessonTurns(firstLesson, false);
      first = false;
    }
    const lessons = programme.sequence(phase.id, trackId);
    for (const lesson of first ? lessons : lessons.slice(1)) yield* lessonTurns(lesson, true);
  }
  // All done: `next` says so; the slot then takes a new learner (a new install).
  yield step('next', send.message(profile.next), { replies: 1 });
}
