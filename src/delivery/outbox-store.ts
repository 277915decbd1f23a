import { type NewOutboxMessage, type OutboxMessage, type OutboxStatus } from './outbox-types';

/** Counts of an assignment's messages by status. */
export type DeliveryCounts = Record<OutboxStatus, number>;

/** A terminal decision about a claimed message. */
export type Settlement = (
  | { status: 'sent'; conversationId: string }
  | {
      status: 'retry';
      notBefore: string;
      error: string;
      conversationRecreated?: boolean;
      countAttempt: boolean;
    }
  | { status: 'failed' | 'blocked'; error: string }
) & {
  /** A 1:1 chat created for this message: kept for its retries and the learner's next messages. */
  createdConversationId?: string;
};

/** The durable outbox. Claims are exclusive among live workers (PostgreSQL: SKIP LOCKED). */
export interface OutboxStore {
  /**
   * Claims up to `limit` due messages: pending, or sending with an expired lease, or sending but
   * claimed by a worker no longer in the registry (counted out by `heartbeat`: it died), or
   * sending under `workerId` itself (the caller claims only when it holds nothing: such rows are
   * the result of a claim whose answer was lost).
   */
  claim(workerId: string, limit: number, now: string, leaseUntil: string): Promise<OutboxMessage[]>;
  /**
   * Extends the lease of the messages this worker is still sending (a live worker keeps those
   * claims; a row it no longer works on must not stay leased for ever).
   */
  renewLeases(workerId: string, messageIds: readonly string[], leaseUntil: string): Promise<void>;
  /**
   * True (and the lease extended) when this worker still holds the message: asked just before each
   * request to Teams, so that a worker counted out while alive (a long pause) and whose rows were
   * taken over does not send them as well.
   */
  stillHolds(workerId: string, messageId: string, leaseUntil: string): Promise<boolean>;
  /** Records what happened to a claimed message, if this worker still holds it. */
  settle(
    workerId: string,
    messageId: string,
    settlement: Settlement,
    now: string,
  ): Promise<boolean>;
  /** Marks an assignment finished once nothing of it is pending; true for the one caller that did. */
  finishAssignmentIfDone(assignmentId: string, now: string): Promise<boolean>;
  /**
   * Assignments not marked finished although nothing of them is pending or sending (their last
   * "finished?" check was given up: a worker stopped while the database was away), oldest first.
   */
  unfinishedButDone(limit: number): Promise<string[]>;
  enqueue(messages: NewOutboxMessage[], now: string): Promise<void>;
  /**
   * Deletes the messages settled for good (sent, failed, blocked) created before `createdBefore`,
   * except those of an assignment still running; returns how many.
   */
  purgeFinished(createdBefore: string): Promise<number>;
  /**
   * Records that `workerId` is alive at `now`, forgets workers not seen since `staleBefore`, and
   * returns how many are alive (this one included): each sends its share of the rate limit.
   */
  heartbeat(workerId: string, now: string, staleBefore: string): Promise<number>;
  /** A worker that stops leaves the registry (the others take back its share of the rate a few beats later). */
  leave(workerId: string): Promise<void>;
  countsByAssignment(assignmentId: string): Promise<DeliveryCounts>;
}
