import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TeamsInfo } from 'botbuilder';
import { createBrevet } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { UnitService } from '../src/units/unit-service';
import { runBenchChild } from './child-runtime';

/**
 * The app measured by bench/delivery.ts, alone in its process so that its memory is its own:
 * `createBrevet` from src/app.ts on the SQLite file the bench names, with the delivery worker
 * and schedule runner running. Settings come from the environment (BENCH_SQLITE_PATH,
 * BENCH_RPS, BENCH_ADMIN, BENCH_LEASE_MS, BENCH_LOG_LEVEL).
 *
 * Two app functions are wrapped (at run time; src/ is untouched) to time the two halves of an
 * `assign` turn: `TeamsInfo.getPagedTeamMembers` (the roster, page by page) and
 * `UnitService.prototype.assign` (the one transaction that writes learners, lesson opens, the
 * assignment and the outbox rows).
 *
 * IPC: the shared requests of bench/child-runtime.ts (`stats` adds the messages in flight and
 * these timings; memory sampled every 50 ms) and `counts` (outbox rows by status).
 */

/** The delivery child's own request, besides the shared ones (bench/child-runtime.ts). */
export type DeliveryChildRequest = { type: 'counts' };

/** Its own figures in each `stats` report. */
export interface DeliveryStats {
  /** Messages the worker has claimed and is sending (worker.inFlightCount). */
  inFlight: number;
  timings: ChildTimings;
}

export interface ChildTimings {
  /** From the first roster page request to the last page's answer, ms. */
  rosterMs?: number;
  rosterPages: number;
  /** UnitService.assign: the createAssignment transaction (and its 25k rows), ms. */
  assignMs?: number;
  assignedMembers?: number;
  /** Wall-clock (epoch ms) marks, to place these inside the bench's POST. */
  rosterStartedAt?: number;
  assignStartedAt?: number;
  assignEndedAt?: number;
}

export type DeliveryChildReport = { type: 'counts'; counts: Record<string, number> };

const timings: ChildTimings = { rosterPages: 0 };
let rosterStart: number | undefined;

const getPaged = TeamsInfo.getPagedTeamMembers.bind(TeamsInfo);
TeamsInfo.getPagedTeamMembers = async (...args: Parameters<typeof getPaged>) => {
  const start = performance.now();
  if (args[3] === undefined) {
    rosterStart = start;
    timings.rosterPages = 0;
    timings.rosterStartedAt = Date.now();
  }
  const page = await getPaged(...args);
  timings.rosterPages += 1;
  timings.rosterMs = performance.now() - (rosterStart ?? start);
  return page;
};

const assign = UnitService.prototype.assign;
UnitService.prototype.assign = async function (this: UnitService, ...args) {
  const start = performance.now();
  timings.assignStartedAt = Date.now();
  const result = await assign.apply(this, args);
  timings.assignMs = performance.now() - start;
  timings.assignEndedAt = Date.now();
  timings.assignedMembers = result.total;
  return result;
};

runBenchChild<DeliveryChildRequest, DeliveryChildReport, DeliveryStats>(
  'delivery child',
  async () => {
    const env = process.env;
    const config = loadConfig({
      LOG_LEVEL: env.BENCH_LOG_LEVEL ?? 'warn',
      SQLITE_PATH: env.BENCH_SQLITE_PATH,
      TEAMS_GLOBAL_RPS: env.BENCH_RPS,
      ADMIN_AAD_OBJECT_IDS: env.BENCH_ADMIN,
      CONTENT_DIR: 'tests/fixtures/content',
    });
    const leaseMs = env.BENCH_LEASE_MS ? Number(env.BENCH_LEASE_MS) : undefined;
    // Logs (warn and above) go to stderr, never into the bench's report on stdout.
    const brevet = await createBrevet(config, createLogger(config.LOG_LEVEL, process.stderr), {
      delivery: { leaseMs },
    });
    await new Promise<void>((resolve) => brevet.server.listen(0, '127.0.0.1', () => resolve()));
    return {
      port: (brevet.server.address() as AddressInfo).port,
      close: () => brevet.close(),
      extra: () => ({ inFlight: brevet.worker.inFlightCount, timings: { ...timings } }),
      async handle() {
        // `counts`: outbox lesson rows by status.
        const rows = await brevet.storage.db
          .selectFrom('outbox')
          .select(['status', (eb) => eb.fn.countAll().as('n')])
          .where('kind', '=', 'lesson')
          .groupBy('status')
          .execute();
        return {
          type: 'counts',
          counts: Object.fromEntries(rows.map((row) => [row.status, Number(row.n)])),
        };
      },
    };
  },
  { sampleMs: 50 },
);
