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
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { sql, type Insertable } from 'kysely';
import { type Brevet } from '../src/app';
import { projectPath } from '../src/project-paths';
import {
  type BrevetsTable,
  type LearnersTable,
  type LessonProgressTable,
} from '../src/storage/schema';
import { type TokenIssuer } from '../tests/support/token-issuer';
import {
  envList,
  envWhole,
  forEachDatabase,
  latencyFigures,
  machineLine,
  profileThisProcess,
  publishReport,
  writesResults,
  type BenchDatabase,
} from './common';
import { HttpLoad } from './http-load';
import { openSsoApp, startEntraStandIn } from './sso-app';

const SETTINGS = {
  learners: envWhole('BENCH_PROGRESS_LEARNERS', 25_000, 1, 1_000_000),
  lessons: envWhole('BENCH_PROGRESS_LESSONS', 30, 3, 300),
  requests: envWhole('BENCH_PROGRESS_REQUESTS', 20_000, 100, 10_000_000),
  warmup: envWhole('BENCH_PROGRESS_WARMUP', 2_000, 0, 1_000_000),
  concurrency: envWhole('BENCH_PROGRESS_CONCURRENCY', 32, 1, 1024),
  tokens: envWhole('BENCH_PROGRESS_TOKENS', 300, 1, 100_000),
  databases: envList('BENCH_PROGRESS_DATABASES', 'sqlite,postgres'),
  cpuProfile: process.env.BENCH_PROGRESS_CPU_PROF === '1',
  writeResults: writesResults() && process.env.BENCH_PROGRESS_WRITE_RESULTS !== '0',
};
const TARGETS = { p99Ms: 20, firstRenderGzipKb: 350 };
const TENANT = '72f988bf-0000-0000-0000-00000000be0c';
const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000be0c';
const PHASES = 3;
const QUESTIONS = 2;
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
// Load: CONCURRENCY closed loops of GET /api/me/progress from a child process (bench/http-load.ts),
// so this process's CPU time (process.cpuUsage) is the server's alone.

interface LoadResult {
  latencies: number[];
  failures: Record<string, number>;
  seconds: number;
  /** CPU time of this process (the server) during the run, in ms. */
  serverCpuMs: number;
  loadAverage: [number, number];
}

async function measure(
  url: string,
  tokens: string[],
  profileFile: string | undefined,
): Promise<LoadResult> {
  const load = await HttpLoad.start();
  const run = (count: number, record: boolean) =>
    load.loop({ urls: [url], tokens, concurrency: SETTINGS.concurrency, count, record });
  try {
    if (SETTINGS.warmup > 0) await run(SETTINGS.warmup, false);
    const stopProfile = profileFile ? await profileThisProcess(profileFile) : undefined;
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
    await load.stop();
  }
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
  database: BenchDatabase,
  contentDir: string,
  lessonIds: string[],
  issuer: TokenIssuer,
  workDir: string,
): Promise<DatabaseFigures> {
  const app = await openSsoApp({
    database,
    workDir,
    issuer,
    tenant: TENANT,
    clientId: CLIENT_ID,
    env: { CONTENT_DIR: contentDir },
  });
  try {
    console.error(`[${database}] seeding ${SETTINGS.learners} learners × ${lessonIds.length}…`);
    const seeded = await seed(app.brevet, lessonIds, SETTINGS.learners);
    console.error(`[${database}] seeded in ${seeded.seconds.toFixed(1)} s`);
    const url = `${await app.listen()}/api/me/progress`;

    const sample = Array.from(
      { length: SETTINGS.tokens },
      () => seeded.oids[Math.floor(Math.random() * seeded.oids.length)]!,
    );
    const tokens = await Promise.all(sample.map((oid) => app.token(oid)));
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
    const result = await measure(url, tokens, profileFile);
    const latency = latencyFigures(result.latencies);
    return {
      database,
      seeded: seeded.rows,
      seedSeconds: seeded.seconds,
      requests: latency.count,
      failures: result.failures,
      throughput: latency.count / result.seconds,
      p50: latency.p50,
      p90: latency.p90,
      p99: latency.p99,
      max: latency.max,
      responseBytes,
      serverCpuMsPerRequest: result.serverCpuMs / latency.count,
      loadAverage: result.loadAverage,
    };
  } finally {
    await app.close();
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
  const lines = [
    SECTION_TITLE,
    '',
    machineLine(),
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

async function main(): Promise<void> {
  if (SETTINGS.lessons % PHASES !== 0)
    throw new Error(`BENCH_PROGRESS_LESSONS must be a multiple of ${PHASES}`);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'brevet-progress-bench-'));
  const issuer = await startEntraStandIn(TENANT);
  try {
    const contentDir = path.join(workDir, 'content');
    mkdirSync(contentDir);
    const lessonIds = writeContent(contentDir, SETTINGS.lessons);
    const { figures, skipped } = await forEachDatabase(SETTINGS.databases, (database) =>
      benchDatabase(database, contentDir, lessonIds, issuer, workDir),
    );
    console.error('[tab] building and measuring the bundle…');
    const bundle = measureBundle();
    const section = renderSection(figures, skipped, bundle);
    await publishReport(
      'progress.ts',
      SECTION_TITLE,
      section,
      { settings: SETTINGS, figures, skipped, bundle },
      SETTINGS.writeResults,
    );
  } finally {
    await issuer.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
