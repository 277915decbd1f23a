import { backoffMs } from '../../src/delivery/delivery-worker';
import { RateLimiter } from '../../src/delivery/rate-limiter';

/** A limiter on a virtual clock: sleeping advances time instantly. */
function virtualLimiter(rate: number) {
  let now = 0;
  const limiter = new RateLimiter(
    rate,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  return { limiter, now: () => now };
}

describe('the send rate limiter', () => {
  it('never lets more than the configured rate through in any second', async () => {
    const { limiter, now } = virtualLimiter(50);
    const times: number[] = [];
    for (let i = 0; i < 500; i += 1) {
      await limiter.acquire();
      times.push(now());
    }
    // No window of one second, wherever it starts, holds more than 50 (Teams counts per second).
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length),
    );
    expect(busiest).toBeLessThanOrEqual(50);
    // And it keeps close to the rate: 95 % of it, steadily.
    expect(now()).toBeGreaterThanOrEqual((500 / 50 / 0.95) * 1000 - 1100);
    expect(now()).toBeLessThanOrEqual((500 / 50 / 0.95) * 1000);
  });

  it('on 429 pauses for Retry-After and halves the rate once, however many answers say 429', async () => {
    const { limiter, now } = virtualLimiter(40);
    for (let i = 0; i < 10; i += 1) limiter.throttled(2000);
    expect(limiter.currentRate).toBe(19);
    await limiter.acquire();
    expect(now()).toBeGreaterThanOrEqual(2000);
    for (let i = 0; i < 100; i += 1) limiter.succeeded();
    expect(limiter.currentRate).toBe(38);
  });

  it('shares the limit equally among the workers alive', async () => {
    const { limiter, now } = virtualLimiter(50);
    limiter.shareWith(2);
    // 85 % of its half when sharing (more headroom: see SHARED_STEADY_SHARE).
    expect(limiter.currentRate).toBeCloseTo(21.25);
    const times: number[] = [];
    for (let i = 0; i < 250; i += 1) {
      await limiter.acquire();
      times.push(now());
    }
    const busiest = Math.max(
      ...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length),
    );
    expect(busiest).toBeLessThanOrEqual(25);
    // A halved rate keeps its proportion when the share changes; alone again, the whole limit.
    limiter.throttled(0);
    limiter.shareWith(1);
    expect(limiter.currentRate).toBeCloseTo(23.75);
    for (let i = 0; i < 200; i += 1) limiter.succeeded();
    expect(limiter.currentRate).toBeCloseTo(47.5);
  });

  it('backs off exponentially with jitter, within bounds', () => {
    expect(backoffMs(0, () => 0)).toBe(500);
    expect(backoffMs(0, () => 1)).toBe(1000);
    expect(backoffMs(3, () => 0.5)).toBe(6000);
    expect(backoffMs(20, () => 1)).toBe(60_000);
  });
});
