import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. At info level they carry ids, types and timings only: never message
 * text, names or other personal data.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { app: 'brevet' } }, destination);
}
