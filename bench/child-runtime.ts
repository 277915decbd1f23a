import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

/**
 * The child side of every bench child process (bench/child-harness.ts is the parent side): the
 * measured servers of bench/turns.ts and bench/delivery.ts, and the load generator of
 * bench/progress.ts and bench/dashboard.ts. One process, one job, so that its memory and CPU
 * are its own.
 *
 * It answers the requests every child shares over IPC — `stats` (peak RSS and heap sampled
 * every `sampleMs` since the last reset, CPU time, the body's own figures), `profile` (a V8 CPU
 * profile written to a file), `stop` — passes any other request to the body, reports `ready`
 * once the body has started, and exits when the bench goes away.
 */

/** Memory and CPU of a child process. */
export interface ProcessStats {
  peakRssBytes: number;
  peakHeapUsedBytes: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** User + system CPU time since the process started. */
  cpuMicros: number;
}

/** Requests every bench child answers. */
export type SharedRequest =
  | { type: 'stats'; reset?: boolean; gc?: boolean }
  | { type: 'profile'; action: 'start' }
  | { type: 'profile'; action: 'stop'; file: string }
  | { type: 'stop' };

/** Reports every bench child sends; `Extra` is what its body adds to `stats`. */
export type SharedReport<Extra = Record<string, never>> =
  | { type: 'ready'; port: number; rssBytes: number; heapUsedBytes: number }
  | ({ type: 'stats'; extra: Extra } & ProcessStats)
  | { type: 'profiled'; action: 'start' | 'stop' }
  | { type: 'failed'; message: string };

/** What a child runs: started once, then asked for its own requests and figures. */
export interface ChildBody<Request, Report, Extra> {
  /** The port it listens on (0 for a child that serves nothing). */
  port: number;
  close(): Promise<void>;
  /** Answers a request other than the shared ones. */
  handle?(request: Request): Promise<Report>;
  /** Figures added to each `stats` report (in flight, timings…). */
  extra?(): Extra;
}

/** Runs a bench child: `start` builds its body; the shared requests are answered here. */
export function runBenchChild<
  Request extends { type: string },
  Report extends { type: string },
  Extra = Record<string, never>,
>(
  label: string,
  start: () => Promise<ChildBody<Request, Report, Extra>>,
  options: { sampleMs?: number } = {},
): void {
  const send = (report: SharedReport<Extra> | Report) => process.send?.(report);
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    return usage;
  };
  sample();
  const sampler = setInterval(sample, options.sampleMs ?? 100);
  const profiler = new Session();

  const profile = async (request: Extract<SharedRequest, { type: 'profile' }>) => {
    const post = (method: string) =>
      new Promise<unknown>((resolve, reject) =>
        profiler.post(method, (error, result) => (error ? reject(error) : resolve(result))),
      );
    if (request.action === 'start') {
      profiler.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
    } else {
      const { profile: written } = (await post('Profiler.stop')) as { profile: unknown };
      profiler.disconnect();
      mkdirSync(path.dirname(request.file), { recursive: true });
      writeFileSync(request.file, JSON.stringify(written));
    }
    send({ type: 'profiled', action: request.action });
  };

  start()
    .then((body) => {
      process.on('message', (request: SharedRequest | Request) => {
        const answer = async () => {
          if (request.type === 'stats') {
            const { reset, gc } = request as Extract<SharedRequest, { type: 'stats' }>;
            // With --expose-gc, `gc` first collects everything: heapUsed is then what is live.
            const collect = (globalThis as { gc?: () => void }).gc;
            if (gc && collect) collect();
            const usage = sample();
            const cpu = process.cpuUsage();
            send({
              type: 'stats',
              peakRssBytes: peakRss,
              peakHeapUsedBytes: peakHeap,
              rssBytes: usage.rss,
              heapUsedBytes: usage.heapUsed,
              cpuMicros: cpu.user + cpu.system,
              extra: body.extra?.() ?? ({} as Extra),
            });
            if (reset) {
              peakRss = usage.rss;
              peakHeap = usage.heapUsed;
            }
          } else if (request.type === 'profile') {
            await profile(request as Extract<SharedRequest, { type: 'profile' }>);
          } else if (request.type === 'stop') {
            clearInterval(sampler);
            await body.close();
            process.exit(0);
          } else if (body.handle) {
            send(await body.handle(request as Request));
          } else {
            throw new Error(`unknown request ${request.type}`);
          }
        };
        answer().catch((error: unknown) =>
          send({ type: 'failed', message: String((error as Error)?.stack ?? error) }),
        );
      });
      // The bench went away (crash, Ctrl-C): do not outlive it.
      process.on('disconnect', () => process.exit(0));
      const usage = sample();
      send({ type: 'ready', port: body.port, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed });
    })
    .catch((error: unknown) => {
      process.stderr.write(`${label} failed to start: ${String((error as Error)?.stack)}\n`);
      process.exit(1);
    });
}
