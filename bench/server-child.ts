import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Server } from 'restify';
import { createBrevet } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { runBenchChild } from './child-runtime';
import { createEchoServer } from './echo-bot';

/**
 * One server measured by bench/turns.ts, alone in its process (so its memory is its own):
 * `brevet` (the real app, SQLite in a temporary directory) or `echo` (the baseline), named by
 * the first argument. Answers the shared requests of bench/child-runtime.ts (stats, profile,
 * stop); a profile covers the measured turns only, not start-up.
 */
export type BotName = 'brevet' | 'echo';

const kind = process.argv[2];

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

runBenchChild(`${kind} server`, async () => {
  const running = await start();
  await new Promise<void>((resolve) => running.server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (running.server.address() as AddressInfo).port,
    close: () => running.close(),
  };
});
