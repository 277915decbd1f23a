/** The share of the configured rate sent steadily; the rest is the bucket's burst. */
export const STEADY_SHARE = 0.95;
/**
 * With several instances sharing the limit, each keeps more headroom: their bursts can fall in
 * the same second, their clocks and beats are not aligned, and the network between them and Teams
 * delays some requests more than others. 10 % of 250 RPS covers about 100 ms of such jitter at a
 * second's boundary. (The two-instance test once saw 3 to 14 429s at 95 % and 90 %: most came
 * from a database round trip between the slot and the request, since removed (the worker checks
 * its claim before taking the slot), and from counting in a stand-in inside the busy test
 * runner; at 85 % it now sees none, and 114 when the instances do not share.)
 */
export const SHARED_STEADY_SHARE = 0.85;
/** The bucket: 5 % of an instance's share of the rate. */
const BURST_SHARE = 0.05;

/**
 * A token bucket for the app's send rate with multiplicative slow-down on 429 and gradual
 * recovery (Teams: 50 requests per second per app per tenant,
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit).
 * It runs at 95 % of the configured rate with a bucket of the other 5 %, so that no window of one
 * second ever holds more than the configured rate: Teams counts per second, and a sender that
 * runs at exactly the limit with any burst on top gets a 429, and a Retry-After pause, every few
 * seconds (measured: bench/RESULTS.md).
 */
export class RateLimiter {
  private tokens: number;
  private rate: number;
  private last: number;
  private pausedUntil = 0;
  private steadyRate: number;
  private burst: number;
  private share = 1;

  constructor(
    private readonly maxRate: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.steadyRate = maxRate * STEADY_SHARE;
    this.burst = Math.max(1, maxRate * BURST_SHARE);
    this.rate = this.steadyRate;
    this.tokens = 1;
    this.last = now();
  }

  /**
   * With `workers` instances sending for the same app, each takes an equal share of the limit
   * (the rate limit is the app's, not the instance's). A slowed-down rate keeps its proportion.
   */
  shareWith(workers: number): void {
    const share = 1 / Math.max(1, Math.floor(workers));
    if (share === this.share) return;
    this.refill();
    const previousSteady = this.steadyRate;
    this.share = share;
    this.steadyRate = this.maxRate * share * (share < 1 ? SHARED_STEADY_SHARE : STEADY_SHARE);
    this.burst = Math.max(1, this.maxRate * share * BURST_SHARE);
    this.rate = Math.max(1, (this.rate / previousSteady) * this.steadyRate);
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** The current allowed rate (requests per second). */
  get currentRate(): number {
    return this.rate;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
  }

  /** Waits for a send slot. */
  async acquire(): Promise<void> {
    for (;;) {
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        await this.sleep(pause);
        continue;
      }
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.max(1, ((1 - this.tokens) / this.rate) * 1000));
    }
  }

  /**
   * Teams said 429: stop everything for `retryAfterMs` and halve the rate, once per pause (the
   * other requests in flight answer 429 too; they must not divide the rate again and again).
   */
  throttled(retryAfterMs: number): void {
    const now = this.now();
    if (now >= this.pausedUntil) this.rate = Math.max(1, this.rate / 2);
    this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    this.tokens = 0;
  }

  /** A send went through: creep back towards the steady rate. */
  succeeded(): void {
    if (this.rate < this.steadyRate)
      this.rate = Math.min(this.steadyRate, this.rate + this.steadyRate / 100);
  }
}
