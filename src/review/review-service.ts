import { type Card, createEmptyCard, fsrs, Rating, State } from 'ts-fsrs';
import { type Lesson, type Question } from '../curriculum/curriculum-types';
import { type Programme } from '../curriculum/programme';
import { type LearnerRecord } from '../learning/learning-store';

/** A stored review card: which question, and its FSRS state. */
export interface ReviewItem {
  lessonId: string;
  questionId: string;
  card: Card;
  reviews: number;
  reviewsRight: number;
}

export interface ReviewStore {
  /** Creates the item of a first answer, unless it exists. */
  addItem(learnerId: string, item: ReviewItem): Promise<void>;
  dueItems(learnerId: string, now: string, limit: number): Promise<ReviewItem[]>;
  countDue(learnerId: string, now: string): Promise<number>;
  /** Saves a review, only if the item is still at `expectedReps` (a replayed click changes nothing). */
  saveReview(learnerId: string, item: ReviewItem, expectedReps: number): Promise<boolean>;
}

export interface DueQuestion {
  lesson: Lesson;
  question: Question;
  /** The item's review count when shown: a second click on the same card is recognised. */
  reps: number;
  remaining: number;
}

export type ReviewStep = { kind: 'question'; due: DueQuestion } | { kind: 'done' };

export type ReviewAnswer =
  | {
      kind: 'answered';
      question: Question;
      lesson: Lesson;
      choiceId: string;
      correct: boolean;
      next: ReviewStep;
    }
  | { kind: 'stale'; next: ReviewStep }
  | { kind: 'refused'; reason: 'unknownQuestion' | 'unknownChoice' };

/**
 * Spaced review with FSRS (ts-fsrs, default weights). Short-term learning steps are off: a
 * missed question comes back the next day, a known one days and then weeks later, which suits
 * a programme that runs over months.
 */
export class ReviewService {
  private readonly scheduler = fsrs({ enable_short_term: false });

  constructor(
    private readonly programme: Programme,
    private readonly store: ReviewStore,
    private readonly clock: () => Date = () => new Date(),
    /** Told when the learner reviews (streaks, reminders' 20-hour rule). */
    private readonly onActivity?: (learner: LearnerRecord, at: Date) => Promise<void>,
  ) {}

  /** The first answer to a quiz question starts its review card (rated from right/wrong). */
  async firstAnswer(
    learnerId: string,
    lessonId: string,
    questionId: string,
    correct: boolean,
    at: Date,
  ): Promise<void> {
    const { card } = this.scheduler.next(
      createEmptyCard(at),
      at,
      correct ? Rating.Good : Rating.Again,
    );
    await this.store.addItem(learnerId, {
      lessonId,
      questionId,
      card,
      reviews: 0,
      reviewsRight: 0,
    });
  }

  countDue(learner: LearnerRecord): Promise<number> {
    return this.store.countDue(learner.id, this.clock().toISOString());
  }

  /** The next due question (content that no longer exists is skipped). */
  async next(learner: LearnerRecord): Promise<ReviewStep> {
    const now = this.clock().toISOString();
    const due = await this.store.dueItems(learner.id, now, 50);
    const remaining = await this.store.countDue(learner.id, now);
    for (const item of due) {
      const lesson = this.programme.lesson(item.lessonId);
      const question = lesson?.questions.find((q) => q.id === item.questionId);
      if (lesson && question)
        return { kind: 'question', due: { lesson, question, reps: item.card.reps, remaining } };
    }
    return { kind: 'done' };
  }

  /** Rates a review answer (right → Good, wrong → Again) and moves to the next due question. */
  async answer(
    learner: LearnerRecord,
    input: { lessonId: string; questionId: string; choiceId: string; reps: number },
  ): Promise<ReviewAnswer> {
    const lesson = this.programme.lesson(input.lessonId);
    const question = lesson?.questions.find((q) => q.id === input.questionId);
    if (!lesson || !question) return { kind: 'refused', reason: 'unknownQuestion' };
    if (!question.choices.includes(input.choiceId))
      return { kind: 'refused', reason: 'unknownChoice' };
    const now = this.clock();
    const item = (await this.store.dueItems(learner.id, now.toISOString(), 1000)).find(
      (i) => i.lessonId === lesson.id && i.questionId === question.id,
    );
    if (!item || item.card.reps !== input.reps)
      return { kind: 'stale', next: await this.next(learner) };
    const correct = input.choiceId === question.answer;
    const { card } = this.scheduler.next(item.card, now, correct ? Rating.Good : Rating.Again);
    const saved = await this.store.saveReview(
      learner.id,
      {
        ...item,
        card,
        reviews: item.reviews + 1,
        reviewsRight: item.reviewsRight + (correct ? 1 : 0),
      },
      input.reps,
    );
    if (!saved) return { kind: 'stale', next: await this.next(learner) };
    await this.onActivity?.(learner, now);
    return {
      kind: 'answered',
      question,
      lesson,
      choiceId: input.choiceId,
      correct,
      next: await this.next(learner),
    };
  }
}

export { State as ReviewState };
