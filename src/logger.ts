import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. At info level they carry ids, types and timings only: never message
 * text, names or other personal data.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'brevet' } }, destination);
}

/**
 * The log of a step that fails again and again while something is away (the database restarting,
 * a lock): the first failure at error level, then one line every `every` failures, and one info
 * line when it works again, so that an outage cannot flood the logs.
 */
export class RepeatedFailureLog {
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    private readonly every: number,
  ) {}

  /** Failures in a row so far. */
  get count(): number {
    return this.failures;
  }

  failed(error: unknown): void {
    if (this.failures % this.every === 0)
      this.logger.error({ err: error, failures: this.failures + 1 }, this.message);
    this.failures += 1;
  }

  succeeded(): void {
    if (this.failures > 0)
      this.logger.info({ failures: this.failures }, `${this.message}: works again`);
    this.failures = 0;
  }
}
