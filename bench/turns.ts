/**
 * Turns per second and latency of Brevet under a realistic learner mix, against a bare
 * botbuilder echo bot on the same adapter and HTTP stack, in the same run (`npm run bench`).
 *
 * Each bot runs alone in a child process (plain `node` on transpiled JS, so its peak RSS is its
 * own); this process drives BENCH_LEARNERS virtual learners (closed loop, no think time) over
 * HTTP on 127.0.0.1 and plays the Bot Connector the replies go to. Measured time is cut into
 * slices run in ABBA order, so machine noise falls on both bots alike.
 *
 * Env: BENCH_SECONDS (measured seconds per bot, default 20), BENCH_WARMUP_SECONDS (3),
 * BENCH_LEARNERS (16), BENCH_SLICES (slices per bot, 8), BENCH_LOG_LEVEL (warn); BENCH_CPU_PROF
 * (brevet | echo | both: profile the measured slices into bench/out/profiles, summarised by
 * bench/profile-summary.ts), BENCH_SERVER_NODE_ARGS (node flags for both servers; default: the
 * flags of `npm start`).
 * Output: a markdown report on stdout and in its section of bench/RESULTS.md (not with
 * BENCH_WRITE_RESULTS=0 or a CPU profile), the figures in bench/out/turns.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { startNodeFlags } from './start-flags';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProgramme } from '../src/curriculum/load-programme';
import { type Programme } from '../src/curriculum/programme';
import { projectPath } from '../src/project-paths';
import { cardActions } from '../tests/support/activities';
import { FakeConnector, type Received } from '../tests/support/fake-connector';
import { buildChildren } from './build-children';
import { envNumber, machineLine, writeGeneratedReport, writesResults } from './common';
import { learnerJourney, seededRandom, type Step } from './learner-script';
import { BenchChild } from './child-harness';
import { type BotName } from './server-child';
import {
  compare,
  figuresOf,
  renderReport,
  Sample,
  type SliceFigures,
  type Targets,
} from './turn-figures';

const SETTINGS = {
  seconds: envNumber('BENCH_SECONDS', 20, 1, 600),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 3, 0, 60),
  learners: Math.round(envNumber('BENCH_LEARNERS', 16, 1, 256)),
  slices: Math.round(envNumber('BENCH_SLICES', 8, 1, 40)),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
  /** `brevet`, `echo` or `both`: CPU-profile that server over the measured slices (slower). */
  cpuProfile: process.env.BENCH_CPU_PROF ?? '',
  /**
   * Node flags for both servers: by default those `npm start` runs the app with (its heap cap);
   * BENCH_SERVER_NODE_ARGS replaces them (heap-size experiments; "" for none).
   */
  serverNodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? startNodeFlags().join(' '))
    .split(/\s+/)
    .filter(Boolean),
};
const PROFILE_DIR = path.join(__dirname, 'out', 'profiles');
const SECTION_TITLE = '## Turns: Brevet against a bare echo bot';
const REQUEST_TIMEOUT_MS = 10_000;
const TARGETS: Targets = { throughputRatio: 0.5, p99Ratio: 3, peakRssMb: 250 };

// ---------------------------------------------------------------------------------------------
// The load: virtual learners over keep-alive HTTP

interface Response {
  status: number;
  body: string;
}

function post(agent: http.Agent, port: number, body: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/messages',
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('request timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/** What is wrong with a turn's outcome, if anything. */
function problemOf(bot: BotName, step: Step, response: Response, received: Received) {
  if (response.status !== 200) return `HTTP ${response.status}: ${response.body.slice(0, 200)}`;
  if (bot === 'echo') {
    const expected = step.message ? 1 : 0;
    return received.count === expected
      ? undefined
      : `${received.count} replies instead of ${expected}`;
  }
  const expect = step.brevet;
  if (expect.replies !== undefined && received.count !== expect.replies)
    return `${step.kind}: ${received.count} replies instead of ${expect.replies}`;
  if (expect.reply && !received.last.includes(expect.reply))
    return `${step.kind}: reply lacks ${expect.reply}: ${received.last.slice(0, 300)}`;
  if (expect.cardAction) {
    const { verb, data } = expect.cardAction;
    const body = JSON.parse(response.body) as {
      statusCode?: number;
      type?: string;
      value?: unknown;
    };
    if (body.statusCode !== 200 || body.type !== 'application/vnd.microsoft.card.adaptive')
      return `${step.kind}: not a card invoke response: ${response.body.slice(0, 300)}`;
    const found = cardActions(body.value).some(
      (action) =>
        action.verb === verb &&
        Object.entries(data).every(([key, value]) => String(action.data[key]) === String(value)),
    );
    if (!found) return `${step.kind}: card lacks ${verb} ${JSON.stringify(data)}`;
  }
  return undefined;
}

/** A bot under load: its server, connection pool and the learners it is serving. */
class Target {
  private agent = Target.newAgent();
  private readonly journeys: Generator<Step>[] = [];
  private learnersStarted = 0;

  constructor(
    readonly name: BotName,
    readonly server: BenchChild,
    private readonly programme: Programme,
    private readonly connector: FakeConnector,
  ) {
    for (let slot = 0; slot < SETTINGS.learners; slot += 1) this.journeys.push(this.newJourney());
  }

  private static newAgent(): http.Agent {
    return new http.Agent({ keepAlive: true, maxSockets: SETTINGS.learners });
  }

  get learners(): number {
    return this.learnersStarted;
  }

  private newJourney(): Generator<Step> {
    const number = this.learnersStarted++;
    // Same seed per learner number for both bots: the same answers, the same mix.
    return learnerJourney(this.programme, number, this.connector.url, seededRandom(number + 1));
  }

  private nextStep(slot: number): Step {
    for (;;) {
      const result = (this.journeys[slot] as Generator<Step>).next();
      if (!result.done) return result.value;
      this.journeys[slot] = this.newJourney();
    }
  }

  /** Runs every learner until `seconds` have passed; in-flight turns are let to finish. */
  async run(seconds: number, sink: Sample): Promise<void> {
    // Fresh connections: a socket left idle while the other bot ran may be closing on the server
    // side (its 5 s keep-alive timeout), which would show up as a spurious ECONNRESET.
    this.closeConnections();
    this.agent = Target.newAgent();
    const deadline = performance.now() + seconds * 1000;
    const worker = async (slot: number) => {
      while (performance.now() < deadline && !this.server.exited) {
        const step = this.nextStep(slot);
        const started = performance.now();
        let problem: string | undefined;
        try {
          const response = await post(this.agent, this.server.port, JSON.stringify(step.activity));
          const latency = performance.now() - started;
          problem = problemOf(this.name, step, response, this.connector.take(step.conversationId));
          if (!problem) sink.record(step.kind, latency);
        } catch (error) {
          problem = `${step.kind}: ${(error as Error).message}`;
        }
        if (problem) sink.fail(problem);
      }
    };
    await Promise.all(Array.from({ length: SETTINGS.learners }, (_, slot) => worker(slot)));
    if (this.server.exited) throw new Error(`${this.name} server exited during the run`);
  }

  closeConnections(): void {
    this.agent.destroy();
  }
}

/** Runs one bot for one slice; its throughput and the CPU it and this driver used. */
async function measureSlice(
  target: Target,
  seconds: number,
  sample: Sample,
): Promise<SliceFigures> {
  const before = await target.server.stats();
  const driverBefore = process.cpuUsage();
  const turnsBefore = sample.latencies.length;
  const started = performance.now();
  await target.run(seconds, sample);
  const elapsed = (performance.now() - started) / 1000;
  const driver = process.cpuUsage(driverBefore);
  const after = await target.server.stats();
  const turns = sample.latencies.length - turnsBefore;
  return {
    bot: target.name,
    seconds: elapsed,
    turns,
    turnsPerSecond: turns / elapsed,
    serverCpuPercent: (after.cpuMicros - before.cpuMicros) / 1e4 / elapsed,
    driverCpuPercent: (driver.user + driver.system) / 1e4 / elapsed,
  };
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    kernel: os.release(),
  };
  const servers: BenchChild[] = [];
  // Bounded whatever happens: measured and warm-up time, one request timeout per slice, start-up.
  const budgetSeconds =
    2 * (SETTINGS.warmupSeconds + SETTINGS.seconds) +
    (2 * SETTINGS.slices + 2) * (REQUEST_TIMEOUT_MS / 1000) +
    180;
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench aborted: still running after ${budgetSeconds} s\n`);
    for (const server of servers) server.child.kill('SIGKILL');
    process.exit(1);
  }, budgetSeconds * 1000);
  watchdog.unref();
  const script = buildChildren();
  const programme = loadProgramme(projectPath('content'));
  // The Bot Connector stand-in of the tests, counting only: per conversation, the replies since
  // the turn was sent and the last one's JSON (checked against what the learner expects).
  const connector = await new FakeConnector().start();
  connector.record = false;
  connector.keepLast = true;
  try {
    // Started one after the other: each peak RSS is the server's own.
    const start = async (name: BotName) => {
      const server = await BenchChild.start(script, {
        label: `${name} server`,
        args: [name],
        env: { BENCH_LOG_LEVEL: SETTINGS.logLevel },
        nodeArgs: SETTINGS.serverNodeArgs,
      });
      servers.push(server);
      return new Target(name, server, programme, connector);
    };
    const brevet = await start('brevet');
    const echo = await start('echo');
    const samples = new Map<BotName, Sample>([
      ['brevet', new Sample()],
      ['echo', new Sample()],
    ]);

    process.stderr.write(`warming up (${SETTINGS.warmupSeconds} s each)…\n`);
    const warmup = new Sample();
    for (const target of [brevet, echo]) await target.run(SETTINGS.warmupSeconds, warmup);
    if (warmup.errors > 0)
      throw new Error(`warm-up failed: ${warmup.errors} errors, e.g. ${warmup.firstErrors[0]}`);

    const profiled = [brevet, echo].filter((target) =>
      ['both', target.name].includes(SETTINGS.cpuProfile),
    );
    const profileFile = (target: Target) => path.join(PROFILE_DIR, `${target.name}.cpuprofile`);
    for (const target of profiled) await target.server.profile('start');
    const sliceSeconds = SETTINGS.seconds / SETTINGS.slices;
    const slices: SliceFigures[] = [];
    for (let i = 0; i < SETTINGS.slices; i += 1) {
      for (const target of i % 2 === 0 ? [brevet, echo] : [echo, brevet]) {
        const slice = await measureSlice(target, sliceSeconds, samples.get(target.name) as Sample);
        slices.push(slice);
        process.stderr.write(
          `slice ${i + 1}/${SETTINGS.slices} ${slice.bot}: ${slice.turnsPerSecond.toFixed(0)} turns/s\n`,
        );
      }
    }

    for (const target of profiled) await target.server.profile('stop', profileFile(target));
    const figures = async (target: Target) =>
      figuresOf(
        {
          name: target.name,
          learnersStarted: target.learners,
          startRssBytes: target.server.ready.rssBytes,
        },
        samples.get(target.name) as Sample,
        slices,
        await target.server.stats(),
        await target.server.stats({ gc: true }),
      );
    const brevetFigures = await figures(brevet);
    const echoFigures = await figures(echo);
    const heading = [
      `${machineLine()} · ${SETTINGS.learners} concurrent learners, ${SETTINGS.seconds} s ` +
        `measured per bot in ${SETTINGS.slices} ABBA slices after ` +
        `${SETTINGS.warmupSeconds} s warm-up each` +
        (SETTINGS.cpuProfile ? ` · **CPU profiler on (${SETTINGS.cpuProfile}): slower**` : '') +
        (SETTINGS.serverNodeArgs.length > 0
          ? ` · servers run with \`${SETTINGS.serverNodeArgs.join(' ')}\``
          : ''),
    ];
    const report = renderReport(brevetFigures, echoFigures, TARGETS, heading);
    process.stdout.write(`${report}\n`);
    if (writesResults() && SETTINGS.cpuProfile === '')
      await writeGeneratedReport('turns.ts', SECTION_TITLE, `${SECTION_TITLE}\n\n${report}`);

    const outDir = path.join(__dirname, 'out');
    mkdirSync(outDir, { recursive: true });
    const json = {
      machine,
      settings: SETTINGS,
      targets: TARGETS,
      ...compare(brevetFigures, echoFigures, TARGETS),
      bots: { brevet: brevetFigures, echo: echoFigures },
      slices,
      connectorCalls: connector.requestCount,
    };
    writeFileSync(path.join(outDir, 'turns.json'), `${JSON.stringify(json, null, 2)}\n`);
    if (brevetFigures.errors + echoFigures.errors > 0) process.exitCode = 1;
    brevet.closeConnections();
    echo.closeConnections();
  } finally {
    await Promise.all(servers.map((server) => server.stop(5_000)));
    await connector.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
