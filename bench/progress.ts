/**
 * GET /api/me/progress (the "My brevet" tab's API) under load, and the tab's first-render bundle.
 *
 *   npx tsx bench/progress.ts
 *
 * For each database (SQLite, the default, then PostgreSQL when it answers): seeds 25,000 learners
 * with 30 lessons of progress each (a synthetic 3 × 10-lesson programme; rows inserted with Kysely
 * in batches), starts the real app in this process with tab SSO pointed at a loopback Entra
 * stand-in, pre-signs tokens for a few hundred random learners, and measures the latency of
 * GET /api/me/progress at 32 concurrent requests, sent from a child process (so the client neither
 * queues behind the server nor counts in its CPU time). Then builds the tab with Vite and measures the
 * gzipped JavaScript the first render loads. Writes its section of bench/RESULTS.md (replacing an
 * earlier one; other sections are left alone) and bench/out/progress.json.
 *
 * Env: BENCH_PROGRESS_LEARNERS (25000), BENCH_PROGRESS_LESSONS (30, a multiple of 3),
 * BENCH_PROGRESS_REQUESTS (20000 measured per database), BENCH_PROGRESS_WARMUP (2000),
 * BENCH_PROGRESS_CONCURRENCY (32), BENCH_PROGRESS_TOKENS (300), BENCH_PROGRESS_DATABASES
 * (sqlite,postgres), TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * BENCH_PROGRESS_CPU_PROF=1 (a V8 CPU profile of the measured requests only, per database, in
 * bench/out/profiles/progress-<database>.cpuprofile; summarise it with bench/profile-summary.ts),
 * BENCH_PROGRESS_WRITE_RESULTS=0 (print the section without writing it into RESULTS.md).
 */
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { sql, type Insertable } from 'kysely';
import { Client } from 'pg';
import { createBrevet, type Brevet } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { projectPath } from '../src/project-paths';
import {
  type BrevetsTable,
  type LearnersTable,
  type LessonProgressTable,
} from '../src/storage/schema';
import { startTokenIssuer, type TokenIssuer } from '../tests/support/token-issuer';

function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max} (got ${raw})`);
  return value;
}

const SETTINGS = {
  learners: envNumber('BENCH_PROGRESS_LEARNERS', 25_000, 1, 1_000_000),
  lessons: envNumber('BENCH_PROGRESS_LESSONS', 30, 3, 300),
  requests: envNumber('BENCH_PROGRESS_REQUESTS', 20_000, 100, 10_000_000),
  warmup: envNumber('BENCH_PROGRESS_WARMUP', 2_000, 0, 1_000_000),
  concurrency: envNumber('BENCH_PROGRESS_CONCURRENCY', 32, 1, 1024),
  tokens: envNumber('BENCH_PROGRESS_TOKENS', 300, 1, 100_000),
  databases: (process.env.BENCH_PROGRESS_DATABASES ?? 'sqlite,postgres')
    .split(',')
    .map((d) => d.trim())
    .filter(Boolean),
  cpuProfile: process.env.BENCH_PROGRESS_CPU_PROF === '1',
  writeResults: process.env.BENCH_PROGRESS_WRITE_RESULTS !== '0',
};
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGETS = { p99Ms: 20, firstRenderGzipKb: 350 };
const TENANT = '72f988bf-0000-0000-0000-00000000be0c';
const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000be0c';
const PHASES = 3;
const QUESTIONS = 2;
const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');
const SECTION_TITLE = '## Tab: GET /api/me/progress and the first-render bundle';

// ---------------------------------------------------------------------------------------------
// A synthetic curriculum: PHASES phases of lessons/PHASES lessons each, all phases open.

function writeContent(dir: string, lessons: number): string[] {
  const languages = ['en', 'fr', 'nl', 'de'];
  const perPhase = lessons / PHASES;
  const ids: string[] = [];
  const phases = Array.from({ length: PHASES }, (_, p) =>
    [
      `  - id: phase-${p + 1}`,
      `    opensAt: 2025-0${p + 1}-01`,
      `    title: { en: Phase ${p + 1} EN, fr: Phase ${p + 1} FR, nl: Fase ${p + 1} NL, de: Phase ${p + 1} DE }`,
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'programme.yaml'),
    `passingScore: 80\nphases:\n${phases.join('\n')}\ntracks: []\n`,
  );
  for (let p = 1; p <= PHASES; p += 1) {
    for (let n = 1; n <= perPhase; n += 1) {
      const id = `b${p}-${String(n).padStart(2, '0')}`;
      ids.push(id);
      const folder = path.join(dir, 'lessons', id);
      mkdirSync(folder, { recursive: true });
      writeFileSync(
        path.join(folder, 'lesson.yaml'),
        [
          `id: ${id}`,
          `phase: phase-${p}`,
          `order: ${n}`,
          'minutes: 3',
          'reviewed: 2026-11-29',
          'sources:',
          '  - title: Bench source',
          '    url: https://learn.microsoft.com/copilot/manage',
          'quiz:',
          '  - { id: q1, kind: single, choices: [a, b, c], answer: b }',
          '  - { id: q2, kind: truefalse, answer: false }',
          '',
        ].join('\n'),
      );
      for (const language of languages) {
        writeFileSync(
          path.join(folder, `${language}.yaml`),
          [
            `title: Lesson ${id} ${language.toUpperCase()}`,
            `objective: Objective of ${id}`,
            'pages:',
            `  - Page one of ${id}.`,
            'quiz:',
            '  q1:',
            `    question: Question one of ${id}?`,
            '    choices: { a: Choice a, b: Choice b, c: Choice c }',
            `    explanation: Explanation one of ${id}.`,
            '  q2:',
            `    question: Statement two of ${id}.`,
            `    explanation: Explanation two of ${id}.`,
            '',
          ].join('\n'),
        );
      }
    }
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// Seeding: learners, their lesson progress and the brevets it earns, straight into the tables.

interface Seeded {
  oids: string[];
  seconds: number;
  rows: { learners: number; lessonProgress: number; brevets: number };
}

async function seed(brevet: Brevet, lessonIds: string[], learners: number): Promise<Seeded> {
  const db = brevet.storage.db;
  const started = performance.now();
  const at = '2026-11-29T09:00:00.000Z';
  const perPhase = lessonIds.length / PHASES;
  const oids: string[] = [];
  const rows = { learners: 0, lessonProgress: 0, brevets: 0 };
  const learnersPerBatch = brevet.storage.dialect === 'sqlite' ? 100 : 200;
  for (let first = 0; first < learners; first += learnersPerBatch) {
    const learnerRows: Insertable<LearnersTable>[] = [];
    const progressRows: Insertable<LessonProgressTable>[] = [];
    const brevetRows: Insertable<BrevetsTable>[] = [];
    for (let i = first; i < Math.min(first + learnersPerBatch, learners); i += 1) {
      const id = randomUUID();
      const oid = randomUUID();
      oids.push(oid);
      learnerRows.push({
        id,
        tenant_id: TENANT,
        user_key: oid,
        language: ['fr', 'nl', 'de', 'en'][i % 4]!,
        track_id: null,
        created_at: at,
        updated_at: at,
      });
      const correctByPhase = new Array<number>(PHASES).fill(0);
      lessonIds.forEach((lessonId, index) => {
        const correct = Math.random() < 0.85 ? QUESTIONS : Math.floor(Math.random() * QUESTIONS);
        correctByPhase[Math.floor(index / perPhase)]! += correct;
        progressRows.push({
          learner_id: id,
          lesson_id: lessonId,
          opened_at: at,
          completed_at: at,
          correct_count: correct,
          question_count: QUESTIONS,
        });
      });
      correctByPhase.forEach((correct, p) => {
        const score = Math.round((correct / (perPhase * QUESTIONS)) * 100);
        if (score >= 80)
          brevetRows.push({ learner_id: id, phase_id: `phase-${p + 1}`, earned_at: at, score });
      });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('learners').values(learnerRows).execute();
      // 500 rows × 6 columns per statement stays under both databases' parameter limits.
      for (let i = 0; i < progressRows.length; i += 500)
        await trx
          .insertInto('lesson_progress')
          .values(progressRows.slice(i, i + 500))
          .execute();
      if (brevetRows.length > 0) await trx.insertInto('brevets').values(brevetRows).execute();
    });
    rows.learners += learnerRows.length;
    rows.lessonProgress += progressRows.length;
    rows.brevets += brevetRows.length;
  }
  // Fresh planner statistics, as a database that grew over months would have.
  await sql`analyze`.execute(db);
  return { oids, seconds: (performance.now() - started) / 1000, rows };
}

// ---------------------------------------------------------------------------------------------
// Load: a child process with CONCURRENCY closed loops of GET /api/me/progress. A separate
// process, so this process's CPU time (process.cpuUsage) is the server's alone.

const LOAD_SOURCE = `
const { performance } = require('node:perf_hooks');
let settings;
async function run(count, record) {
  const { url, tokens, concurrency } = settings;
  let next = 0;
  const latencies = [];
  const failures = {};
  async function loop() {
    for (;;) {
      if (next >= count) return;
      next += 1;
      const token = tokens[Math.floor(Math.random() * tokens.length)];
      const started = performance.now();
      let status = 0;
      try {
        const response = await fetch(url, { headers: { Authorization: 'Bearer ' + token } });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = String((error && error.code) || error);
      }
      const ms = performance.now() - started;
      if (status !== 200) failures[status] = (failures[status] || 0) + 1;
      if (record) latencies.push(ms);
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { latencies, failures, seconds: (performance.now() - started) / 1000 };
}
process.on('message', async (message) => {
  if (message.settings) settings = message.settings;
  else process.send(await run(message.count, message.record));
});
`;

interface LoadResult {
  latencies: number[];
  failures: Record<string, number>;
  seconds: number;
  /** CPU time of this process (the server) during the run, in ms. */
  serverCpuMs: number;
  loadAverage: [number, number];
}

/** Starts the V8 CPU profiler of this process; the returned function stops it and writes `file`. */
async function startProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    session.disconnect();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    console.error(`[profile] ${path.relative(process.cwd(), file)}`);
  };
}

async function measure(
  url: string,
  tokens: string[],
  workDir: string,
  profileFile: string | undefined,
): Promise<LoadResult> {
  const script = path.join(workDir, 'load.cjs');
  writeFileSync(script, LOAD_SOURCE);
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const run = (count: number, record: boolean) =>
    new Promise<Omit<LoadResult, 'serverCpuMs' | 'loadAverage'>>((resolve, reject) => {
      child.once('message', (result) => resolve(result as LoadResult));
      child.once('exit', (code) => reject(new Error(`load generator exited (${code})`)));
      child.send({ count, record });
    });
  try {
    child.send({ settings: { url, tokens, concurrency: SETTINGS.concurrency } });
    if (SETTINGS.warmup > 0) await run(SETTINGS.warmup, false);
    const stopProfile = profileFile ? await startProfile(profileFile) : undefined;
    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    const result = await run(SETTINGS.requests, true);
    const cpu = process.cpuUsage(cpuBefore);
    await stopProfile?.();
    return {
      ...result,
      serverCpuMs: (cpu.user + cpu.system) / 1000,
      loadAverage: [loadBefore, os.loadavg()[0]!],
    };
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

interface DatabaseFigures {
  database: string;
  seeded: Seeded['rows'];
  seedSeconds: number;
  requests: number;
  failures: Record<string, number>;
  throughput: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  responseBytes: number;
  /** Server CPU time (user + system) per request, ms: what the machine's load does not inflate. */
  serverCpuMsPerRequest: number;
  loadAverage: [number, number];
}

async function benchDatabase(
  database: 'sqlite' | 'postgres',
  contentDir: string,
  lessonIds: string[],
  issuer: TokenIssuer,
  workDir: string,
): Promise<DatabaseFigures> {
  const schema = `brevet_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    CONTENT_DIR: contentDir,
    SQLITE_PATH: path.join(workDir, 'progress-bench.sqlite'),
    DATABASE_URL: database === 'postgres' ? POSTGRES_URL : undefined,
    AAD_APP_CLIENT_ID: CLIENT_ID,
    AAD_APP_TENANT_ID: TENANT,
    AAD_OPENID_METADATA_URL: issuer.metadataUrl,
    BREVET_TEST_MODE: 'true',
  });
  const brevet = await createBrevet(config, createLogger('warn'), {
    postgresSchema: database === 'postgres' ? schema : undefined,
  });
  try {
    console.error(`[${database}] seeding ${SETTINGS.learners} learners × ${lessonIds.length}…`);
    const seeded = await seed(brevet, lessonIds, SETTINGS.learners);
    console.error(`[${database}] seeded in ${seeded.seconds.toFixed(1)} s`);
    await new Promise<void>((resolve) => brevet.server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(brevet.server.address() as AddressInfo).port}/api/me/progress`;

    const sample = Array.from(
      { length: SETTINGS.tokens },
      () => seeded.oids[Math.floor(Math.random() * seeded.oids.length)]!,
    );
    const tokens = await Promise.all(
      sample.map((oid) =>
        issuer.sign({ aud: CLIENT_ID, tid: TENANT, oid, scp: 'access_as_user', ver: '2.0' }),
      ),
    );
    // One request checked by hand: a known learner with every lesson done.
    const check = await fetch(url, { headers: { Authorization: `Bearer ${tokens[0]}` } });
    const body = (await check.json()) as {
      learner: { known: boolean };
      phases: { lessonsDone: number }[];
    };
    const done = body.phases.reduce((sum, p) => sum + p.lessonsDone, 0);
    if (check.status !== 200 || !body.learner.known || done !== lessonIds.length)
      throw new Error(`unexpected progress document: ${check.status} ${JSON.stringify(body)}`);
    const responseBytes = Buffer.byteLength(JSON.stringify(body));

    console.error(`[${database}] ${SETTINGS.requests} requests at ${SETTINGS.concurrency}…`);
    const profileFile = SETTINGS.cpuProfile
      ? path.join(__dirname, 'out', 'profiles', `progress-${database}.cpuprofile`)
      : undefined;
    const result = await measure(url, tokens, workDir, profileFile);
    const sorted = [...result.latencies].sort((a, b) => a - b);
    return {
      database,
      seeded: seeded.rows,
      seedSeconds: seeded.seconds,
      requests: sorted.length,
      failures: result.failures,
      throughput: sorted.length / result.seconds,
      p50: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      p99: quantile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? NaN,
      responseBytes,
      serverCpuMsPerRequest: result.serverCpuMs / sorted.length,
      loadAverage: result.loadAverage,
    };
  } finally {
    await brevet.close();
    if (database === 'postgres') {
      const client = new Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
}

async function postgresAnswers(): Promise<boolean> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// The tab's bundle: what index.html loads before the first render, gzipped.

interface BundleFigures {
  files: { file: string; bytes: number; gzipBytes: number }[];
  totalBytes: number;
  totalGzipBytes: number;
  viteReport: string[];
}

function measureBundle(): BundleFigures {
  const output = execFileSync('npm', ['run', '--silent', 'build:tab'], {
    cwd: projectPath(),
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const viteReport = output
    // eslint-disable-next-line no-control-regex
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => /^tab\/dist\/.*gzip:/.test(line.trim()))
    .map((line) => line.trim().replace(/\s+/g, ' '));
  const dist = projectPath('tab', 'dist');
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  // Everything index.html makes the browser fetch before React renders: entry scripts, module
  // preloads and stylesheets (Vite emits no CSS for this tab: Fluent styles are CSS-in-JS).
  const refs = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]+href="([^"]+)"/g),
  ].map((match) => match[1]!);
  const files = refs.map((ref) => {
    const file = path.join(dist, ref.replace(/^\/tab\//, ''));
    const content = readFileSync(file);
    return {
      file: path.relative(projectPath(), file),
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
    };
  });
  return {
    files,
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    totalGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
    viteReport,
  };
}

// ---------------------------------------------------------------------------------------------
// Report.

const ms = (value: number) => value.toFixed(2);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/**
 * What the SQLite run says about the target: Little's law gives the mean latency, and the p99 is a
 * multiple of it (a request arriving while the server works through a round of the others waits
 * for that round, and GC and the scheduler add their pauses). At the measured multiple, the
 * throughput and the server CPU per request a p99 under the target needs.
 */
function reading(sqlite: DatabaseFigures | undefined): string {
  if (!sqlite) return '';
  const concurrency = SETTINGS.concurrency;
  const meanMs = (concurrency * 1000) / sqlite.throughput;
  const tail = sqlite.p99 / meanMs;
  const neededThroughput = (concurrency * 1000 * tail) / TARGETS.p99Ms;
  const neededCpuMs = sqlite.serverCpuMsPerRequest * (sqlite.throughput / neededThroughput);
  return (
    `Reading: with ${concurrency} requests always in flight, the mean latency is ` +
    `${concurrency} ÷ throughput (Little's law): ${ms(meanMs)} ms on SQLite here, and its p99 ` +
    `was ${tail.toFixed(1)}× that mean. At the same ratio, a p99 under ${TARGETS.p99Ms} ms needs ` +
    `about ${Math.round(neededThroughput).toLocaleString('en')} requests/s from this one process: ` +
    `about ${neededCpuMs.toFixed(2)} ms of server CPU per request or less, with a core to itself.`
  );
}

function renderSection(
  figures: DatabaseFigures[],
  skipped: string[],
  bundle: BundleFigures,
): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    SECTION_TITLE,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} threads), ` +
      `Node ${process.version}, ${os.platform()} ${os.release()}.`,
    '',
    'Command: `npx tsx bench/progress.ts` (settings in its header comment).',
    '',
    `**GET /api/me/progress** — ${SETTINGS.learners.toLocaleString('en')} learners × ` +
      `${SETTINGS.lessons} lessons of progress (every lesson done; brevets where the phase ` +
      `score is 80% or more), seeded with Kysely in batches (no quiz answers, review items or ` +
      `activity days: the review-count and streak queries run on empty tables). The real app, ` +
      `one Node process, full route: SSO token check, progress, review count, streak, JSON. ` +
      `${SETTINGS.concurrency} concurrent closed-loop requests from a child process over ` +
      `keep-alive HTTP on 127.0.0.1, each with the token of one of ${SETTINGS.tokens} random ` +
      `learners (a tab reuses its Teams token, so tokens repeat); ` +
      `${SETTINGS.warmup.toLocaleString('en')} warm-up requests, then ` +
      `${SETTINGS.requests.toLocaleString('en')} measured. "Server CPU per request" is this ` +
      `process's user + system CPU time over the measured requests (the load generator runs ` +
      `in another process); latency also counts time spent waiting for a CPU, so it is the ` +
      `figure most affected when other work shares the machine (see the load average). ` +
      `Target: p99 under ${TARGETS.p99Ms} ms on SQLite.`,
    '',
    '| database | rows seeded (learners / lesson progress / brevets) | seeding | requests | errors | req/s | p50 | p90 | p99 | max | server CPU per request | load average (1 min, before → after) | p99 target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map((f) => {
      const errors = Object.values(f.failures).reduce((a, b) => a + b, 0);
      const verdict =
        f.database === 'sqlite' ? (f.p99 < TARGETS.p99Ms ? 'met' : '**missed**') : '(SQLite only)';
      return (
        `| ${f.database} | ${f.seeded.learners.toLocaleString('en')} / ` +
        `${f.seeded.lessonProgress.toLocaleString('en')} / ${f.seeded.brevets.toLocaleString('en')} | ` +
        `${f.seedSeconds.toFixed(0)} s | ${f.requests.toLocaleString('en')} | ${errors} | ` +
        `${f.throughput.toFixed(0)} | ${ms(f.p50)} ms | ${ms(f.p90)} ms | ${ms(f.p99)} ms | ` +
        `${ms(f.max)} ms | ${ms(f.serverCpuMsPerRequest)} ms | ` +
        `${f.loadAverage[0].toFixed(1)} → ${f.loadAverage[1].toFixed(1)} | ${verdict} |`
      );
    }),
    ...skipped.map((d) => `| ${d} | not run: the database did not answer | | | | | | | | | | | |`),
    '',
    `A response is ${kb(figures[0]?.responseBytes ?? 0)} KB of JSON (3 phases, ${SETTINGS.lessons} lessons).`,
    '',
    reading(figures.find((f) => f.database === 'sqlite')),
    '',
    `**The tab's first render** — the JavaScript index.html loads before React renders (React, ` +
      `Fluent UI v9, teams-js; one entry chunk, no CSS files), gzip -9: ` +
      `**${kb(bundle.totalGzipBytes)} KB** (${kb(bundle.totalBytes)} KB raw). ` +
      `Target: under ${TARGETS.firstRenderGzipKb} KB — ` +
      `${bundle.totalGzipBytes / 1024 < TARGETS.firstRenderGzipKb ? 'met' : '**missed**'}.`,
    '',
    ...bundle.files.map((f) => `- \`${f.file}\`: ${kb(f.bytes)} KB, ${kb(f.gzipBytes)} KB gzipped`),
    ...(bundle.viteReport.length > 0
      ? ['', "Vite's own report (`npm run build:tab`):", '', '```', ...bundle.viteReport, '```']
      : []),
    '',
  ];
  return lines.join('\n');
}

// When this bench's section holds these markers, a run replaces only what lies between them (the
// generated report) and keeps the notes and the history written around it.
const GENERATED_BEGIN = '<!-- bench/progress.ts: generated report, replaced by each run -->';
const GENERATED_END = '<!-- bench/progress.ts: end of generated report -->';

/** Replaces this bench's section of RESULTS.md (or appends it); other sections stay as they are. */
async function writeSection(raw: string): Promise<void> {
  // Formatted as `npm run lint` (prettier --check) expects, without touching other sections.
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(RESULTS_FILE)) ?? {};
  const section = await prettier.format(raw, { ...options, parser: 'markdown' });
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const start = current.indexOf(SECTION_TITLE);
  const begin = current.indexOf(GENERATED_BEGIN, start);
  const end = current.indexOf(GENERATED_END, begin);
  const nextSection = current.indexOf('\n## ', start + SECTION_TITLE.length);
  let next: string;
  if (start !== -1 && begin !== -1 && end !== -1 && (nextSection === -1 || end < nextSection)) {
    // The generated report without its title (the section keeps its own).
    const report = section.slice(section.indexOf('\n') + 1).trim();
    next = `${current.slice(0, begin + GENERATED_BEGIN.length)}\n\n${report}\n\n${current.slice(end)}`;
  } else if (start === -1) {
    next = `${current.replace(/\s*$/, '')}${current.trim() ? '\n\n' : '# Benchmark results\n\n'}${section}`;
  } else {
    const after = current.indexOf('\n## ', start + SECTION_TITLE.length);
    next =
      current.slice(0, start) + section + (after === -1 ? '' : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(RESULTS_FILE, `${next.replace(/\s*$/, '')}\n`);
}

async function main(): Promise<void> {
  if (SETTINGS.lessons % PHASES !== 0)
    throw new Error(`BENCH_PROGRESS_LESSONS must be a multiple of ${PHASES}`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'brevet-progress-bench-'));
  const issuer = await startTokenIssuer({
    issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
    keys: [{ kid: 'bench-1' }],
  });
  try {
    const contentDir = path.join(workDir, 'content');
    mkdirSync(contentDir);
    const lessonIds = writeContent(contentDir, SETTINGS.lessons);
    const figures: DatabaseFigures[] = [];
    const skipped: string[] = [];
    for (const database of SETTINGS.databases) {
      if (database !== 'sqlite' && database !== 'postgres')
        throw new Error(`unknown database ${database}`);
      if (database === 'postgres' && !(await postgresAnswers())) {
        console.error(`[postgres] ${POSTGRES_URL} does not answer: skipped`);
        skipped.push(database);
        continue;
      }
      figures.push(await benchDatabase(database, contentDir, lessonIds, issuer, workDir));
    }
    console.error('[tab] building and measuring the bundle…');
    const bundle = measureBundle();
    const section = renderSection(figures, skipped, bundle);
    mkdirSync(path.join(__dirname, 'out'), { recursive: true });
    writeFileSync(
      path.join(__dirname, 'out', 'progress.json'),
      JSON.stringify({ settings: SETTINGS, figures, skipped, bundle }, null, 2),
    );
    if (SETTINGS.writeResults) await writeSection(section);
    console.log(section);
  } finally {
    await issuer.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
