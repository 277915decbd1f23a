import { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { TeamsInfo } from 'botbuilder';
import { createBrevet } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { UnitService } from '../src/units/unit-service';

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
 * IPC: `ready` with the port once listening; `stats` (peak RSS and heap sampled every 50 ms
 * since the last reset, CPU, messages in flight, timings); `counts` (outbox rows by status);
 * exits on `stop` or when the bench goes away.
 */
export type DeliveryChildRequest =
  { type: 'stats'; reset?: boolean; gc?: boolean } | { type: 'counts' } | { type: 'stop' };

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

export type DeliveryChildReport =
  | { type: 'ready'; port: number; rssBytes: number; heapUsedBytes: number }
  | {
      type: 'stats';
      peakRssBytes: number;
      peakHeapUsedBytes: number;
      rssBytes: number;
      heapUsedBytes: number;
      cpuMicros: number;
      inFlight: number;
      timings: ChildTimings;
    }
  | { type: 'counts'; counts: Record<string, number> };

const send = (report: DeliveryChildReport) => process.send?.(report);

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
};
sample();
const sampler = setInterval(sample, 50);

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

async function main(): Promise<void> {
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

  process.on('message', (request: DeliveryChildRequest) => {
    if (request.type === 'stats') {
      const collect = (globalThis as { gc?: () => void }).gc;
      if (request.gc && collect) collect();
      sample();
      const usage = process.memoryUsage();
      const cpu = process.cpuUsage();
      send({
        type: 'stats',
        peakRssBytes: peakRss,
        peakHeapUsedBytes: peakHeap,
        rssBytes: usage.rss,
        heapUsedBytes: usage.heapUsed,
        cpuMicros: cpu.user + cpu.system,
        inFlight: brevet.worker.inFlightCount,
        timings,
      });
      if (request.reset) {
        peakRss = usage.rss;
        peakHeap = usage.heapUsed;
      }
    } else if (request.type === 'counts') {
      void brevet.storage.db
        .selectFrom('outbox')
        .select(['status', (eb) => eb.fn.countAll().as('n')])
        .where('kind', '=', 'lesson')
        .groupBy('status')
        .execute()
        .then((rows) =>
          send({
            type: 'counts',
            counts: Object.fromEntries(rows.map((row) => [row.status, Number(row.n)])),
          }),
        );
    } else if (request.type === 'stop') {
      clearInterval(sampler);
      void brevet.close().then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  const usage = process.memoryUsage();
  send({
    type: 'ready',
    port: (brevet.server.address() as AddressInfo).port,
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`delivery child failed to start: ${String((error as Error)?.stack)}\n`);
  process.exit(1);
});
