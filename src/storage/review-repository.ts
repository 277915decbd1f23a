import { type Kysely, type Selectable } from 'kysely';
import { type Card } from 'ts-fsrs';
import { type ReviewItem, type ReviewStore } from '../review/review-service';
import { prepareQuery } from './prepared-query';
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

type ItemRow = Omit<Selectable<ReviewItemsTable>, 'learner_id'>;

/** The statements of answers and reviews, compiled once (prepared-query.ts). */
function reviewQueries(db: Kysely<Database>) {
  return {
    addItem: prepareQuery(db, (a: ItemRow & { learner_id: string }) =>
      db
        .insertInto('review_items')
        .values({
          learner_id: a.learner_id,
          lesson_id: a.lesson_id,
          question_id: a.question_id,
          due: a.due,
          stability: a.stability,
          difficulty: a.difficulty,
          elapsed_days: a.elapsed_days,
          scheduled_days: a.scheduled_days,
          learning_steps: a.learning_steps,
          reps: a.reps,
          lapses: a.lapses,
          state: a.state,
          last_review: a.last_review,
          reviews: a.reviews,
          reviews_right: a.reviews_right,
        })
        .onConflict((oc) => oc.columns(['learner_id', 'lesson_id', 'question_id']).doNothing()),
    ),
    dueItems: prepareQuery(db, (a: { learnerId: string; now: string; limit: number }) =>
      db
        .selectFrom('review_items')
        .selectAll()
        .where('learner_id', '=', a.learnerId)
        .where('due', '<=', a.now)
        .orderBy('due')
        .limit(a.limit),
    ),
    countDue: prepareQuery(db, (a: { learnerId: string; now: string }) =>
      db
        .selectFrom('review_items')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('learner_id', '=', a.learnerId)
        .where('due', '<=', a.now),
    ),
  };
}

export class KyselyReviewStore implements ReviewStore {
  private readonly queries: ReturnType<typeof reviewQueries>;

  constructor(private readonly db: Kysely<Database>) {
    this.queries = reviewQueries(db);
  }

  async addItem(learnerId: string, item: ReviewItem): Promise<void> {
    await this.queries.addItem({
      learner_id: learnerId,
      lesson_id: item.lessonId,
      question_id: item.questionId,
      ...cardColumns(item.card),
      reviews: item.reviews,
      reviews_right: item.reviewsRight,
    });
  }

  async dueItems(learnerId: string, now: string, limit: number): Promise<ReviewItem[]> {
    const { rows } = await this.queries.dueItems({ learnerId, now, limit });
    return rows.map(toItem);
  }

  async countDue(learnerId: string, now: string): Promise<number> {
    const { rows } = await this.queries.countDue({ learnerId, now });
    return Number(rows[0]?.n ?? 0);
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
