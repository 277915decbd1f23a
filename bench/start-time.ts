/**
 * How long a restart takes to answer /healthz: `npm start` with dist/ up to date (the prestart
 * check finds nothing to build) against `node dist/src/index.js` directly (the floor), and
 * `npm start` after a source changed (a real build), in one run.
 *
 *   npx tsx bench/start-time.ts   (BENCH_RUNS=5 by default)
 *
 * Output: stdout and its section of bench/RESULTS.md (not with BENCH_WRITE_RESULTS=0).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectPath } from '../src/project-paths';
import { envWhole, machineLine, writeGeneratedReport, writesResults } from './common';
import { startNodeFlags } from './start-flags';

const RUNS = envWhole('BENCH_RUNS', 5, 1, 100);
const SECTION_TITLE = '## Restart: `npm start` to `/healthz`';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `command`, polls /healthz until it answers 200, stops the process; returns ms. */
async function timeToHealthy(command: string, args: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: projectPath(),
    env: { ...process.env, PORT: String(port), SQLITE_PATH: `${dataDir}/start.sqlite` },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
      const healthy = await fetch(`http://127.0.0.1:${port}/healthz`)
        .then((response) => response.ok)
        .catch(() => false);
      if (healthy) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    // npm runs the app as its child: stop the whole process group.
    process.kill(-child.pid!, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return `median ${(median / 1000).toFixed(2)} s (min ${(sorted[0]! / 1000).toFixed(2)}, max ${(sorted.at(-1)! / 1000).toFixed(2)}, n=${values.length})`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'brevet-start-'));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  try {
    // Make sure dist/ is current first (this run may build; it is not measured).
    await timeToHealthy(npm, ['start'], dataDir);
    const direct: number[] = [];
    const unchanged: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      direct.push(
        await timeToHealthy(
          process.execPath,
          [...startNodeFlags(), projectPath('dist', 'src', 'index.js')],
          dataDir,
        ),
      );
      unchanged.push(await timeToHealthy(npm, ['start'], dataDir));
    }
    // One source touched: npm start rebuilds the server (not the tab).
    const touched = projectPath('src', 'index.ts');
    const now = new Date();
    utimesSync(touched, now, now);
    const rebuild = await timeToHealthy(npm, ['start'], dataDir);
    const report = [
      SECTION_TITLE,
      '',
      `${machineLine()} · ${RUNS} runs of each, alternating`,
      '',
      '| start | time to /healthz 200 |',
      '| --- | --- |',
      `| \`node dist/src/index.js\` (the floor) | ${summary(direct)} |`,
      `| \`npm start\`, dist/ up to date | ${summary(unchanged)} |`,
      `| \`npm start\` after touching src/index.ts (rebuilds the server) | ${(rebuild / 1000).toFixed(2)} s |`,
    ].join('\n');
    console.log(report);
    if (writesResults()) await writeGeneratedReport('start-time.ts', SECTION_TITLE, report);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
