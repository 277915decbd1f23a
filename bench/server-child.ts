import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Server } from 'restify';
import { createBrevet } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createEchoServer } from './echo-bot';

/**
 * One measured server, alone in its process (so its memory is its own): `brevet` (the real app,
 * SQLite in a temporary directory) or `echo` (the baseline). Talks to the bench over IPC:
 * `ready` with its port once listening; `stats` (peak RSS sampled every 100 ms, CPU time) on
 * request; `profile` starts the V8 CPU profiler, or stops it and writes a .cpuprofile (so a
 * profile covers the measured turns only, not start-up); exits on `stop`.
 */
export type ChildRequest =
  | { type: 'stats'; gc?: boolean }
  | { type: 'profile'; action: 'start' }
  | { type: 'profile'; action: 'stop'; file: string }
  | { type: 'stop' };
export type ChildReport =
  | { type: 'ready'; port: number; rssBytes: number }
  | {
      type: 'stats';
      peakRssBytes: number;
      rssBytes: number;
      heapUsedBytes: number;
      cpuMicros: number;
    }
  | { type: 'profiled'; action: 'start' | 'stop' };

const kind = process.argv[2];
const send = (report: ChildReport) => process.send?.(report);

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);

async function start(): Promise<{ server: Server; close(): Promise<void> }> {
  if (kind === 'echo') {
    const server = createEchoServer();
    return { server, close: async () => void server.close() };
  }
  if (kind !== 'brevet') throw new Error(`unknown server kind: ${kind}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-bench-'));
  const config = loadConfig({
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    SQLITE_PATH: path.join(dir, 'brevet.sqlite'),
  });
  const brevet = await createBrevet(config, createLogger(config.LOG_LEVEL));
  return {
    server: brevet.server,
    async close() {
      await brevet.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const profiler = new Session();

function profile(request: Extract<ChildRequest, { type: 'profile' }>): void {
  const done = () => send({ type: 'profiled', action: request.action });
  if (request.action === 'start') {
    profiler.connect();
    profiler.post('Profiler.enable', () => profiler.post('Profiler.start', () => done()));
    return;
  }
  const file = request.file;
  profiler.post('Profiler.stop', (error, result) => {
    if (!error) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(result.profile));
    }
    profiler.disconnect();
    done();
  });
}

start()
  .then(async (running) => {
    await new Promise<void>((resolve) => running.server.listen(0, '127.0.0.1', () => resolve()));
    process.on('message', (request: ChildRequest) => {
      if (request.type === 'stats') {
        // With --expose-gc, `gc` first collects everything: heapUsed is then what is live.
        const collect = (globalThis as { gc?: () => void }).gc;
        if (request.gc && collect) collect();
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        const cpu = process.cpuUsage();
        send({
          type: 'stats',
          peakRssBytes: peakRss,
          rssBytes: process.memoryUsage.rss(),
          heapUsedBytes: process.memoryUsage().heapUsed,
          cpuMicros: cpu.user + cpu.system,
        });
      } else if (request.type === 'profile') {
        profile(request);
      } else if (request.type === 'stop') {
        clearInterval(sampler);
        void running.close().then(() => process.exit(0));
      }
    });
    // The bench went away (crash, Ctrl-C): do not outlive it.
    process.on('disconnect', () => process.exit(0));
    send({
      type: 'ready',
      port: (running.server.address() as AddressInfo).port,
      rssBytes: process.memoryUsage.rss(),
    });
  })
  .catch((error: unknown) => {
    process.stderr.write(`${kind} server failed to start: ${String((error as Error)?.stack)}\n`);
    process.exit(1);
  });
