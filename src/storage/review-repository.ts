import { type Kysely, type Selectable } from 'kysely';
import { type Card } from 'ts-fsrs';
import { type ReviewItem, type ReviewStore } from '../review/review-service';
import { type Database, type ReviewItemsTable } from './schema';

function toItem(row: Selectable<ReviewItemsTable>): ReviewItem {
  const card: Card = {
    due: new Date(row.due),
    stability: Number(row.stability),
    difficulty: Number(row.difficulty),
    elapsed_days: Number(row.elapsed_days),
    scheduled_days: Number(row.scheduled_days),
    learning_steps: Number(row.learning_steps),
    reps: Number(row.reps),
    lapses: Number(row.lapses),
    state: Number(row.state),
    last_review: row.last_review ? new Date(row.last_review) : undefined,
  };
  return {
    lessonId: row.lesson_id,
    questionId: row.question_id,
    card,
    reviews: Number(row.reviews),
    reviewsRight: Number(row.reviews_right),
  };
}

function cardColumns(card: Card) {
  return {
    due: card.due.toISOString(),
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: card.elapsed_days,
    scheduled_days: card.scheduled_days,
    learning_steps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.last_review ? card.last_review.toISOString() : null,
  };
}

export class KyselyReviewStore implements ReviewStore {
  constructor(private readonly db: Kysely<Database>) {}

  async addItem(learnerId: string, item: ReviewItem): Promise<void> {
    await this.db
      .insertInto('review_items')
      .values({
        learner_id: learnerId,
        lesson_id: item.lessonId,
        question_id: item.questionId,
        ...cardColumns(item.card),
        reviews: item.reviews,
        reviews_right: item.reviewsRight,
      })
      .onConflict((oc) => oc.columns(['learner_id', 'lesson_id', 'question_id']).doNothing())
      .execute();
  }

  async dueItems(learnerId: string, now: string, limit: number): Promise<ReviewItem[]> {
    const rows = await this.db
      .selectFrom('review_items')
      .selectAll()
      .where('learner_id', '=', learnerId)
      .where('due', '<=', now)
      .orderBy('due')
      .limit(limit)
      .execute();
    return rows.map(toItem);
  }

  async countDue(learnerId: string, now: string): Promise<number> {
    const row = await this.db
      .selectFrom('review_items')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('learner_id', '=', learnerId)
      .where('due', '<=', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async saveReview(learnerId: string, item: ReviewItem, expectedReps: number): Promise<boolean> {
    const result = await this.db
      .updateTable('review_items')
      .set({ ...cardColumns(item.card), reviews: item.reviews, reviews_right: item.reviewsRight })
      .where('learner_id', '=', learnerId)
      .where('lesson_id', '=', item.lessonId)
      .where('question_id', '=', item.questionId)
      .where('reps', '=', expectedReps)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
