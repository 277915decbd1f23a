import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { RepeatedFailureLog, type Logger } from '../logger';
import { type OutboxStore, type Settlement } from './outbox-store';
import {
  type MessageSender,
  type OutboxMessage,
  type SendOutcome,
  type SendResult,
} from './outbox-types';
import { RateLimiter } from './rate-limiter';

export interface DeliveryWorkerOptions {
  store: OutboxStore;
  sender: MessageSender;
  logger: Logger;
  /** Sends per second for the whole app in this tenant (TEAMS_GLOBAL_RPS). */
  ratePerSecond: number;
  /** A claimed row returns to the queue this long after its claim if not settled (crash safety). */
  leaseMs?: number;
  /** Tries for a transient failure (412, 502, 503, 504, network) before a row is marked failed. */
  maxAttempts?: number;
  /** Idle wait between polls of an empty outbox. */
  idleMs?: number;
  /**
   * How often a worker tells the others it is alive (default 1 s); one not heard from for three
   * beats is counted out, and the rows it held are taken over at once. The rate limit is shared
   * equally among the workers alive (a departed worker's share is taken back three beats later).
   */
  beatMs?: number;
  /** Called once an assignment has nothing left to send (the Teams glue sends the summary). */
  onAssignmentFinished?: (assignmentId: string) => Promise<void>;
  now?: () => Date;
}

const DEFAULT_BEAT_MS = 1000;
/**
 * How often an idle worker looks for assignments whose last "finished?" check was given up (the
 * first idle pass looks at once).
 */
const SWEEP_MS = 60_000;

/** Beats a departed worker's share is still held back (see `beatOnce`). */
const SHARE_MEMORY_BEATS = 3;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 60_000;
const DEFAULT_RETRY_AFTER_MS = 2000;

/** Thrown from a send's rate-limit slot when the row is no longer this worker's. */
class ClaimLost extends Error {
  constructor() {
    super('outbox row claimed by another worker');
  }
}

/**
 * Exponential backoff with full jitter; 412/502/503/504 are retried too
 * (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Sends the outbox: claims due rows with a lease, sends each within the rate limit, and settles
 * it: sent; retried later (429 after Retry-After, with the whole sender slowed down; 412/5xx with
 * jittered backoff, a bounded number of times); blocked (403, never retried); conversation
 * recreated once (404); failed (413 and other errors, with the reason).
 */
export class DeliveryWorker {
  readonly id = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly limiter: RateLimiter;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Callers of `whenIdle`, answered by the next claim that finds nothing due. */
  private idleWaiters: (() => void)[] = [];
  /** Rows this worker claimed and has not settled yet: the only leases it renews. */
  private readonly holding = new Set<string>();
  private readonly claimLog: RepeatedFailureLog;
  private readonly heartbeatLog: RepeatedFailureLog;
  /** When an idle pass last looked for given-up assignments (process time, not the clock). */
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.limiter = new RateLimiter(options.ratePerSecond);
    // During an outage claims fail every poll (backing off to 5 s), beats every second.
    this.claimLog = new RepeatedFailureLog(options.logger, 'outbox claim failed', 100);
    this.heartbeatLog = new RepeatedFailureLog(options.logger, 'delivery heartbeat failed', 60);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private later(ms: number): string {
    return new Date(this.now().getTime() + ms).toISOString();
  }

  /** Messages claimed but not yet settled: at most these can be sent twice after a crash. */
  get inFlightCount(): number {
    return this.holding.size;
  }

  private heartbeat?: NodeJS.Timeout;
  private beat?: NodeJS.Timeout;
  private workersAlive = 1;
  /** The registry's counts at the last beats, newest last (see `beatOnce`). */
  private readonly recentCounts: number[] = [];

  /** How many workers (app instances) share the rate limit, as of the last beat. */
  get sharingWith(): number {
    return this.workersAlive;
  }

  /** Tells the others this worker is alive and takes its share of the rate limit. */
  private async beatOnce(): Promise<void> {
    const beatMs = this.options.beatMs ?? DEFAULT_BEAT_MS;
    try {
      const alive = await this.options.store.heartbeat(
        this.id,
        this.now().toISOString(),
        new Date(this.now().getTime() - 3 * beatMs).toISOString(),
      );
      // A worker joining takes its share at once; one leaving gives its share back only after
      // SHARE_MEMORY_BEATS beats. A live instance whose beat was late (a busy event loop, a slow
      // database) is counted out for a moment and comes back at its next beat: meanwhile the
      // others must not double their rate, or together they would exceed the tenant's limit.
      this.recentCounts.push(alive);
      if (this.recentCounts.length > SHARE_MEMORY_BEATS) this.recentCounts.shift();
      const sharing = Math.max(...this.recentCounts);
      if (sharing !== this.workersAlive)
        this.options.logger.info({ workers: sharing }, 'delivery rate shared among workers');
      this.workersAlive = sharing;
      this.limiter.shareWith(sharing);
      this.heartbeatLog.succeeded();
    } catch (error) {
      this.heartbeatLog.failed(error);
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.beatOnce().then(() => this.run());
    this.beat = setInterval(() => void this.beatOnce(), this.options.beatMs ?? DEFAULT_BEAT_MS);
    // A live worker renews its leases, so another instance never takes over (and sends again)
    // a message it is still holding, however long the rate limit makes it wait.
    const leaseMs = this.options.leaseMs ?? 60_000;
    this.heartbeat = setInterval(() => {
      if (this.holding.size === 0) return;
      this.options.store
        .renewLeases(this.id, [...this.holding], this.later(leaseMs))
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'lease renewal failed'),
        );
    }, leaseMs / 3);
  }

  /** Stops claiming; waits for the messages in flight to settle. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
    clearInterval(this.heartbeat);
    clearInterval(this.beat);
    await this.options.store
      .leave(this.id)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'delivery worker could not leave'),
      );
  }

  /** Ends the idle wait now (something was just enqueued). */
  poke(): void {
    this.wake?.();
  }

  /**
   * Resolves once a claim that starts after this call finds nothing due and nothing is held: all
   * that was due has been sent (or settled otherwise). At once if the worker is not running.
   */
  whenIdle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.idleWaiters.push(resolve);
      this.poke();
    });
  }

  private async run(): Promise<void> {
    const leaseMs = this.options.leaseMs ?? 60_000;
    // Claim about one second of sending at a time: enough to keep the pipe full, little held
    // (after a crash, at most these can be sent twice).
    const batch = Math.max(1, Math.min(200, Math.ceil(this.options.ratePerSecond)));
    while (this.running) {
      const waiting = this.idleWaiters.splice(0);
      let claimed: OutboxMessage[] = [];
      let claimFailed = false;
      try {
        claimed = await this.options.store.claim(
          this.id,
          batch,
          this.now().toISOString(),
          this.later(leaseMs),
        );
        this.claimLog.succeeded();
      } catch (error) {
        // The database is away (restart, lock): nothing is lost, the next pass claims again.
        this.claimLog.failed(error);
        claimFailed = true;
      }
      // Idle: first finish the assignments a stopped worker left unfinished; their summaries are
      // then due, so this is not idle yet.
      if (claimed.length === 0 && !claimFailed && (await this.finishGivenUpAssignments())) {
        this.idleWaiters.unshift(...waiting);
        continue;
      }
      if (claimed.length === 0 && !claimFailed && this.holding.size === 0)
        for (const resolve of waiting) resolve();
      else this.idleWaiters.unshift(...waiting);
      if (claimed.length === 0) {
        // Idle, or the database is away: then wait longer each time (up to 5 s), so that a
        // long outage costs almost nothing.
        const idleMs = this.options.idleMs ?? 500;
        // (No wait when someone asked `whenIdle` during this claim: claim again for them.)
        const wait =
          this.claimLog.count > 0
            ? Math.min(5000, idleMs * 2 ** Math.min(this.claimLog.count, 8))
            : this.idleWaiters.length > 0
              ? 0
              : idleMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
        continue;
      }
      // Each message waits for rate-limit slots inside the sender (one per HTTP request).
      await Promise.all(claimed.map((message) => this.deliver(message)));
    }
  }

  /**
   * An assignment is finished by the worker that settles its last row. A worker stopping while
   * the database is away gives that check up, and no settle of the assignment may come after it:
   * an idle worker (now and then) finishes such assignments, so their summaries are sent. True
   * when it finished one.
   */
  private async finishGivenUpAssignments(): Promise<boolean> {
    if (performance.now() - this.lastSweep < SWEEP_MS) return false;
    this.lastSweep = performance.now();
    let finishedAny = false;
    try {
      for (const assignmentId of await this.options.store.unfinishedButDone(50)) {
        // One worker wins each assignment (the same check as after a settle): one summary.
        if (
          !(await this.options.store.finishAssignmentIfDone(assignmentId, this.now().toISOString()))
        )
          continue;
        finishedAny = true;
        this.options.logger.info(
          { assignmentId },
          'assignment finished after its last check was given up',
        );
        await this.options.onAssignmentFinished?.(assignmentId);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, 'looking for unfinished assignments failed');
    }
    return finishedAny;
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    this.holding.add(message.id);
    const leaseMs = this.options.leaseMs ?? 60_000;
    let lost = false;
    // Before each request to Teams: is the row still ours? A worker counted out during a long
    // pause may have lost it to another, which sends it instead. The check (which also extends the
    // lease) comes before the rate-limit slot, so that the request leaves the moment it has its
    // slot: a slot followed by a database round trip lets a slow moment of the database (a busy
    // pool, a new connection) release many requests at once, over Teams' per-second limit. A slot
    // that took long to come (a Retry-After pause) is followed by a second check.
    const confirmHold = async () => {
      const holds = await this.persistently(message.id, 'outbox claim check failed', () =>
        this.options.store.stillHolds(this.id, message.id, this.later(leaseMs)),
      );
      if (!holds) {
        lost = true;
        throw new ClaimLost();
      }
    };
    const acquire = async () => {
      await confirmHold();
      const asked = this.now().getTime();
      await this.limiter.acquire();
      if (this.now().getTime() - asked > leaseMs / 2) await confirmHold();
    };
    try {
      const outcome = await this.sendSafely(message, acquire);
      if (lost) {
        this.options.logger.info(
          { messageId: message.id },
          'outbox message taken over by another worker: not sent here',
        );
        return;
      }
      const settlement: Settlement = {
        ...this.settlementFor(message, outcome),
        ...(outcome.createdConversationId
          ? { createdConversationId: outcome.createdConversationId }
          : {}),
      };
      // What was sent must be recorded, or it is sent again: a settle that fails (the database
      // restarting) is retried while this worker runs, and the row's lease kept meanwhile.
      const settled = await this.persistently(message.id, 'outbox settle failed', () =>
        this.options.store.settle(this.id, message.id, settlement, this.now().toISOString()),
      );
      if (settled && message.assignmentId && settlement.status !== 'retry') {
        const assignmentId = message.assignmentId;
        const finished = await this.persistently(message.id, 'assignment check failed', () =>
          this.options.store.finishAssignmentIfDone(assignmentId, this.now().toISOString()),
        );
        if (finished) await this.options.onAssignmentFinished?.(assignmentId);
      }
    } catch (error) {
      this.options.logger.error({ err: error, messageId: message.id }, 'outbox delivery failed');
    } finally {
      // Settled, or given up on at shutdown: no longer renewed, so its lease expires and another
      // worker takes it over.
      this.holding.delete(message.id);
    }
  }

  /**
   * Runs a database step until it succeeds, with backoff (0.2 s doubling to 5 s); gives up only
   * when the worker stops (undefined then).
   */
  private async persistently<T>(
    messageId: string,
    failure: string,
    step: () => Promise<T>,
  ): Promise<T | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await step();
      } catch (error) {
        if (attempt === 0 || attempt % 20 === 0)
          this.options.logger.warn({ err: error, messageId, attempt }, failure);
        if (!this.running) return undefined;
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  private async sendSafely(
    message: OutboxMessage,
    acquire: () => Promise<void>,
  ): Promise<SendResult> {
    try {
      return await this.options.sender.send(message, {
        createConversation: message.conversationId === null,
        acquire,
      });
    } catch (error) {
      if (error instanceof ClaimLost) return { kind: 'transient', status: 0 };
      this.options.logger.warn(
        { err: error, messageId: message.id },
        'send failed before an answer',
      );
      return { kind: 'transient', status: 0 };
    }
  }

  private settlementFor(message: OutboxMessage, outcome: SendOutcome): Settlement {
    const maxAttempts = this.options.maxAttempts ?? 5;
    switch (outcome.kind) {
      case 'sent':
        this.limiter.succeeded();
        return { status: 'sent', conversationId: outcome.conversationId };
      case 'throttled': {
        const wait = outcome.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
        this.limiter.throttled(wait);
        this.options.logger.warn(
          { retryAfterMs: wait, rate: this.limiter.currentRate },
          'throttled by Teams',
        );
        // A 429 is Teams pacing us, not the message failing: it does not use up a try.
        return {
          status: 'retry',
          notBefore: this.later(wait),
          error: '429 throttled',
          countAttempt: false,
        };
      }
      case 'transient':
        if (message.attempts + 1 >= maxAttempts)
          return {
            status: 'failed',
            error: `gave up after ${maxAttempts} tries (last: ${outcome.status || 'network error'})`,
          };
        return {
          status: 'retry',
          notBefore: this.later(backoffMs(message.attempts)),
          error: `${outcome.status || 'network error'}`,
          countAttempt: true,
        };
      case 'conversationNotFound':
        if (message.conversationRecreated || message.conversationId === null)
          return { status: 'failed', error: '404 conversation not found (already recreated once)' };
        return {
          status: 'retry',
          notBefore: this.now().toISOString(),
          error: '404 conversation not found',
          conversationRecreated: true,
          countAttempt: false,
        };
      case 'blocked':
        return { status: 'blocked', error: outcome.reason };
      case 'failed':
        return { status: 'failed', error: outcome.reason };
    }
  }
}
