import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createBrevet, type Brevet, type BrevetOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { testEndpointsFromEnv, type ServiceEndpoints } from '../../src/service-endpoints';
import { TEST_DATABASE_URL, uniqueSchema } from './postgres';

/**
 * A controllable clock for the app: `set` jumps to a moment, from which time keeps flowing (so
 * delivery leases and backoffs still expire).
 */
export class TestClock {
  private offsetMs = 0;
  constructor(start = '2026-11-29T09:00:00Z') {
    this.set(start);
  }
  /** A clock at the real time, for tests that never move it (the app's "today" is today). */
  static atRealTime(): TestClock {
    return new TestClock(new Date().toISOString());
  }
  now = (): Date => new Date(Date.now() + this.offsetMs);
  set(iso: string): void {
    this.offsetMs = new Date(iso).getTime() - Date.now();
  }
}

/** Log lines the app wrote during a test (to check what is and is not logged). */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line));
    callback();
  }
}

export interface RunningBrevet {
  brevet: Brevet;
  baseUrl: string;
  logs: LogCapture;
  /** POSTs an activity to /api/messages; returns status and parsed body (if JSON). */
  post(activity: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/** A temporary directory for one test file's SQLite database, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-test-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How a test starts the app: its clock, database schema, delivery tuning, Entra certificate. */
export interface StartOptions {
  clock?: TestClock;
  postgresSchema?: string;
  delivery?: BrevetOptions['delivery'];
  endpoints?: ServiceEndpoints;
  entraCertificate?: string;
}

/** Starts the real app (real adapter, teams-ai routes, storage) on a loopback port. */
export async function startBrevet(
  env: Record<string, string | undefined>,
  options: StartOptions = {},
): Promise<RunningBrevet> {
  const settings = { LOG_LEVEL: 'info', BREVET_TEST_MODE: 'true', ...env };
  const config = loadConfig(settings);
  const logs = new LogCapture();
  const brevet = await createBrevet(config, createLogger(config.LOG_LEVEL, logs), {
    // Stand-ins named in `env` (as a process under test would be given them) or given directly.
    endpoints: options.endpoints ?? testEndpointsFromEnv(settings),
    clock: options.clock?.now,
    postgresSchema: options.postgresSchema,
    delivery: options.delivery,
    entraCertificate: options.entraCertificate,
  });
  await new Promise<void>((resolve) => brevet.server.listen(0, '127.0.0.1', () => resolve()));
  const port = (brevet.server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    brevet,
    baseUrl,
    logs,
    async post(activity, headers = {}) {
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    stop: () => brevet.close(),
  };
}

/**
 * Database settings for one test file on a dialect: a SQLite file in `dir` (removed with it) or a
 * fresh PostgreSQL schema (dropped at the end of the run: see `runSchemaPrefix`).
 */
export function testDatabase(dialect: 'sqlite' | 'postgres', dir: string) {
  return {
    env:
      dialect === 'sqlite'
        ? { SQLITE_PATH: `${dir}/brevet.sqlite` }
        : { DATABASE_URL: TEST_DATABASE_URL },
    postgresSchema: dialect === 'postgres' ? uniqueSchema() : undefined,
  };
}
