/**
 * A token bucket for the app's send rate with multiplicative slow-down on 429 and gradual
 * recovery (Teams: 50 requests per second per app per tenant, TEAMS-PLATFORM.md "Rate limits").
 */
export class RateLimiter {
  private tokens: number;
  private rate: number;
  private last: number;
  private pausedUntil = 0;

  constructor(
    private readonly maxRate: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.rate = maxRate;
    this.tokens = 1;
    this.last = now();
  }

  /** The current allowed rate (requests per second). */
  get currentRate(): number {
    return this.rate;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    // A bucket of a tenth of a second: the rate holds over any second (Teams counts per second).
    this.tokens = Math.min(Math.max(1, this.rate / 10), this.tokens + elapsed * this.rate);
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

  /** A send went through: creep back towards the configured rate. */
  succeeded(): void {
    if (this.rate < this.maxRate)
      this.rate = Math.min(this.maxRate, this.rate + this.maxRate / 100);
  }
}
