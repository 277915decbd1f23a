import { RepeatedFailureLog, type Logger } from '../logger';

/** Runs a pass every `intervalMs`, never two at once; stop() waits for the pass under way. */
export class IntervalRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly failures: RepeatedFailureLog;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly intervalMs: number,
    logger: Logger,
  ) {
    this.failures = new RepeatedFailureLog(logger, 'periodic pass failed', 60);
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pass()
        .then(() => this.failures.succeeded())
        .catch((error: unknown) => this.failures.failed(error))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
