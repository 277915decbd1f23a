/**
 * The training office's dashboard routes (GET /api/programme/…) at the programme's full scale.
 *
 *   npx tsx bench/dashboard.ts
 *
 * For each database (SQLite, the default, then PostgreSQL when it answers): starts the real app
 * in this process on the real curriculum (content/), seeds 25,000 learners in 500 Belgian units
 * with 1,000,000 first answers over a year of programme (tests/support/dashboard-seed.ts: rows
 * inserted in batches, migration 007's triggers keeping the dashboard's totals as the bot's own
 * writes would), checks that the totals equal the GROUP BY over the raw tables, then measures
 * each route from a child process (so the client neither queues behind the server nor counts in
 * its CPU time), two ways:
 *
 * - one route at a time: BENCH_DASHBOARD_REQUESTS requests of each route in a row, one in flight
 *   (the route's own latency);
 * - page loads: the tab's own pattern, the summary then the five other documents at once, as an
 *   admin opening the page; BENCH_DASHBOARD_PAGES loads (the latency of each request under the
 *   burst).
 *
 * The unit drill-down asks for a random unit each time. It also times, once per database, the
 * GROUP BY over the raw tables that the totals replace (the questions and the units figures), to
 * show why they exist, and what rebuilding the totals costs after a curriculum change (start-up). Writes its section of bench/RESULTS.md (other sections are left alone) and
 * bench/out/dashboard.json.
 *
 * Env: BENCH_DASHBOARD_LEARNERS (25000), BENCH_DASHBOARD_UNITS (500), BENCH_DASHBOARD_ANSWERS
 * (1000000), BENCH_DASHBOARD_REQUESTS (300 per route), BENCH_DASHBOARD_PAGES (100),
 * BENCH_DASHBOARD_WARMUP (20 per route), BENCH_DASHBOARD_DATABASES (sqlite,postgres),
 * TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_DASHBOARD_WRITE_RESULTS=0
 * (print the section without writing it into RESULTS.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { type Brevet } from '../src/app';
import { loadProgramme } from '../src/curriculum/load-programme';
import { type Programme } from '../src/curriculum/programme';
import { phaseRequirements } from '../src/dashboard/dashboard-service';
import { KyselyDashboardStore } from '../src/storage/dashboard-repository';
import { projectPath } from '../src/project-paths';
import { seedDashboard, type Seeded } from '../tests/support/dashboard-seed';
import { type TokenIssuer } from '../tests/support/token-issuer';
import {
  envList,
  envWhole,
  forEachDatabase,
  latencyFigures,
  machineLine,
  publishReport,
  writesResults,
  type BenchDatabase,
  type LatencyFigures,
} from './common';
import { HttpLoad } from './http-load';
import { openSsoApp, startEntraStandIn } from './sso-app';

const SETTINGS = {
  learners: envWhole('BENCH_DASHBOARD_LEARNERS', 25_000, 10, 1_000_000),
  units: envWhole('BENCH_DASHBOARD_UNITS', 500, 1, 10_000),
  answers: envWhole('BENCH_DASHBOARD_ANSWERS', 1_000_000, 0, 100_000_000),
  requests: envWhole('BENCH_DASHBOARD_REQUESTS', 300, 10, 1_000_000),
  pages: envWhole('BENCH_DASHBOARD_PAGES', 100, 0, 100_000),
  warmup: envWhole('BENCH_DASHBOARD_WARMUP', 20, 0, 10_000),
  databases: envList('BENCH_DASHBOARD_DATABASES', 'sqlite,postgres'),
  writeResults: writesResults() && process.env.BENCH_DASHBOARD_WRITE_RESULTS !== '0',
};
const TARGET_P99_MS = 200;
const TENANT = '72f988bf-0000-0000-0000-00000000da5b';
const CLIENT_ID = '6f1e2d3c-0000-4000-8000-00000000da5b';
const ADMIN = '0a0a0a0a-0000-4000-8000-00000000da5b';
const TODAY = '2026-11-30';
const SECTION_TITLE = '## Programme dashboard: GET /api/programme/… at 25,000 learners';
const ROUTES = [
  'summary',
  'activity',
  'completion',
  'funnel',
  'units',
  'units/:unitId',
  'questions',
  'units?format=csv',
] as const;

type Figures = LatencyFigures;
const figures = latencyFigures;

/**
 * What a curriculum change costs at start-up: syncProgramme rebuilds the totals that depend on
 * the curriculum's shape (here a passing score changed, then changed back; the second is timed).
 */
async function rebuildSeconds(brevet: Brevet, programme: Programme): Promise<number> {
  const store = new KyselyDashboardStore(brevet.storage.db, brevet.storage.dialect);
  const shape = (passingScore: number) => ({
    lessons: programme.curriculum.lessons.map((l) => ({
      lessonId: l.id,
      phaseId: l.phaseId,
      trackId: l.trackId ?? null,
    })),
    requirements: phaseRequirements(programme),
    passingScore,
  });
  await store.syncProgramme(shape(programme.passingScore - 1));
  const started = performance.now();
  if (!(await store.syncProgramme(shape(programme.passingScore))))
    throw new Error('the curriculum change was not rebuilt');
  return (performance.now() - started) / 1000;
}

interface DatabaseFigures {
  database: string;
  seeded: Seeded['rows'];
  seedSeconds: number;
  totalsMatch: boolean;
  routes: Record<string, Figures & { bytes: number }>;
  pages: { routes: Record<string, Figures>; page: Figures } | undefined;
  failures: Record<string, number>;
  rawGroupByMs: { questions: number; units: number };
  rebuildSeconds: number;
  serverCpuMsPerRequest: number;
  loadAverage: [number, number];
}

/** The totals of migration 007 against the raw tables (a few sums, enough to catch a drift). */
async function totalsMatch(brevet: Brevet): Promise<boolean> {
  const db = brevet.storage.db;
  const one = async (query: ReturnType<typeof sql>) =>
    Number(((await query.execute(db)).rows[0] as { n: unknown }).n);
  const pairs = [
    [
      sql`select sum(answered) as n from question_stats`,
      sql`select count(*) as n from quiz_answers`,
    ],
    [
      sql`select sum(right_first) as n from question_stats`,
      sql`select sum(correct) as n from quiz_answers`,
    ],
    [
      sql`select sum(finished) as n from lesson_stats`,
      sql`select count(*) as n from lesson_progress lp join programme_lessons p on p.lesson_id = lp.lesson_id where lp.completed_at is not null`,
    ],
    [sql`select sum(brevet) as n from learner_phases`, sql`select count(*) as n from brevets`],
    [sql`select sum(members) as n from unit_members`, sql`select count(*) as n from team_members`],
    [sql`select sum(learners) as n from learner_groups`, sql`select count(*) as n from learners`],
    [sql`select sum(learners) as n from activity_days`, sql`select count(*) as n from learners`],
    [
      sql`select sum(brevets) as n from unit_phases`,
      sql`select count(*) as n from brevets b join learners l on l.id = b.learner_id
          join team_members tm on tm.tenant_id = l.tenant_id and tm.user_key = l.user_key`,
    ],
    [
      sql`select sum(learners) as n from weekly_activity`,
      sql`select count(*) as n from learner_weeks`,
    ],
  ] as const;
  for (const [total, raw] of pairs) if ((await one(total)) !== (await one(raw))) return false;
  return true;
}

/** What the dashboard would cost without the totals: the same figures by GROUP BY, once each. */
async function rawGroupBy(brevet: Brevet): Promise<{ questions: number; units: number }> {
  const db = brevet.storage.db;
  const time = async (query: ReturnType<typeof sql>) => {
    const started = performance.now();
    await query.execute(db);
    return performance.now() - started;
  };
  return {
    questions:
      await time(sql`select a.lesson_id, a.question_id, a.language, count(*), sum(a.correct)
      from quiz_answers a join learners l on l.id = a.learner_id where l.tenant_id = ${TENANT}
      group by a.lesson_id, a.question_id, a.language`),
    units: await time(sql`select tm.team_id, x.phase_id, count(*), sum(x.done)
      from team_members tm
        join learners l on l.tenant_id = tm.tenant_id and l.user_key = tm.user_key
        join (select lp.learner_id, p.phase_id, count(lp.completed_at) as done
              from lesson_progress lp join programme_lessons p on p.lesson_id = lp.lesson_id
              group by lp.learner_id, p.phase_id) x on x.learner_id = l.id
      where tm.tenant_id = ${TENANT} group by tm.team_id, x.phase_id`),
  };
}

async function benchDatabase(
  database: BenchDatabase,
  issuer: TokenIssuer,
  workDir: string,
): Promise<DatabaseFigures> {
  const app = await openSsoApp({
    database,
    workDir,
    issuer,
    tenant: TENANT,
    clientId: CLIENT_ID,
    env: {
      ADMIN_AAD_OBJECT_IDS: ADMIN,
      PROGRAMME_POPULATION: String(Math.round(SETTINGS.learners * 1.12)),
    },
    options: { background: false, clock: () => new Date(`${TODAY}T10:00:00Z`) },
  });
  const brevet = app.brevet;
  try {
    console.error(
      `[${database}] seeding ${SETTINGS.learners} learners, ${SETTINGS.units} units, ` +
        `${SETTINGS.answers} answers…`,
    );
    const seedStarted = performance.now();
    let reported = 0;
    const programme = loadProgramme(projectPath('content'));
    const seeded = await seedDashboard(brevet.storage.db, programme, {
      tenantId: TENANT,
      learners: SETTINGS.learners,
      units: SETTINGS.units,
      answers: SETTINGS.answers,
      today: TODAY,
      progress: (learners) => {
        if (learners - reported >= 5000) {
          reported = learners;
          console.error(`[${database}]   ${learners} learners`);
        }
      },
    });
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    console.error(
      `[${database}] seeded in ${seedSeconds.toFixed(0)} s: ${JSON.stringify(seeded.rows)}`,
    );
    const matchBefore = await totalsMatch(brevet);
    const raw = await rawGroupBy(brevet);
    console.error(
      `[${database}] totals match the raw tables: ${matchBefore}; raw GROUP BY ${JSON.stringify(raw)}`,
    );

    const base = `${await app.listen()}/api/programme`;
    const token = await app.token(ADMIN);
    const routes: DatabaseFigures['routes'] = {};
    const failures: Record<string, number> = {};
    const load = await HttpLoad.start();
    const unitIds = seeded.units.map((u) => u.teamId);
    const urlsOf = (route: string) =>
      route === 'units/:unitId'
        ? unitIds.map((id) => `${base}/units/${encodeURIComponent(id)}`)
        : [`${base}/${route}`];
    const oneAtATime = (route: string, count: number) =>
      load.loop({ urls: urlsOf(route), tokens: [token], concurrency: 1, count, record: true });
    const loadBefore = os.loadavg()[0]!;
    const cpuBefore = process.cpuUsage();
    let requests = 0;
    try {
      for (const route of ROUTES) {
        const path =
          route === 'units/:unitId' ? `/units/${encodeURIComponent(unitIds[0]!)}` : `/${route}`;
        const sample = await fetch(`${base}${path}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        const bytes = (await sample.arrayBuffer()).byteLength;
        if (sample.status !== 200) throw new Error(`${route}: HTTP ${sample.status}`);
        if (SETTINGS.warmup > 0) await oneAtATime(route, SETTINGS.warmup);
        console.error(`[${database}] ${route}: ${SETTINGS.requests} requests, one at a time…`);
        const result = await oneAtATime(route, SETTINGS.requests);
        requests += SETTINGS.requests;
        routes[route] = { ...figures(result.latencies), bytes };
        for (const [status, n] of Object.entries(result.failures))
          failures[status] = (failures[status] ?? 0) + n;
      }
      let pages: DatabaseFigures['pages'];
      if (SETTINGS.pages > 0) {
        console.error(`[${database}] ${SETTINGS.pages} page loads…`);
        // The tab's own pattern: the summary, then the five other documents at once.
        const stage = (list: string[]) => list.map((label) => ({ label, url: `${base}/${label}` }));
        const result = await load.pages({
          stages: [
            stage(['summary']),
            stage(['activity', 'completion', 'funnel', 'units', 'questions']),
          ],
          token,
          count: SETTINGS.pages,
        });
        requests += SETTINGS.pages * 6;
        pages = {
          routes: Object.fromEntries(
            Object.entries(result.latencies).map(([route, list]) => [route, figures(list)]),
          ),
          page: figures(result.pageMs),
        };
        for (const [status, n] of Object.entries(result.failures))
          failures[status] = (failures[status] ?? 0) + n;
      }
      const cpu = process.cpuUsage(cpuBefore);
      const loadAfter = os.loadavg()[0]!;
      console.error(`[${database}] rebuilding the totals after a curriculum change…`);
      const rebuild = await rebuildSeconds(brevet, programme);
      const match = await totalsMatch(brevet);
      return {
        database,
        seeded: seeded.rows,
        seedSeconds,
        totalsMatch: match && matchBefore,
        routes,
        pages,
        failures,
        rawGroupByMs: raw,
        rebuildSeconds: rebuild,
        serverCpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests,
        loadAverage: [loadBefore, loadAfter],
      };
    } finally {
      await load.stop();
    }
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------------------------------------
// The report.

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '—');

function renderSection(all: DatabaseFigures[], skipped: string[]): string {
  const first = all[0];
  const verdict = (p99: number) => (p99 < TARGET_P99_MS ? 'met' : '**missed**');
  const lines = [
    SECTION_TITLE,
    '',
    `${machineLine()}. ` +
      `Seeded: ${SETTINGS.learners.toLocaleString('en')} learners in ${SETTINGS.units} units, ` +
      `${(first?.seeded.answers ?? 0).toLocaleString('en')} first answers, ` +
      `${(first?.seeded.lessonProgress ?? 0).toLocaleString('en')} lessons opened, ` +
      `${(first?.seeded.brevets ?? 0).toLocaleString('en')} brevets, ` +
      `${(first?.seeded.activityDays ?? 0).toLocaleString('en')} activity days ` +
      `(the real curriculum, ${TODAY} as today). Target: every route under ${TARGET_P99_MS} ms at p99.`,
    '',
    '**One route at a time** (' +
      `${SETTINGS.requests} requests per route after ${SETTINGS.warmup} of warm-up, one in flight; ` +
      'the unit drill-down asks for a random unit each time):',
    '',
    '| route | ' +
      all.map((f) => `${f.database} p50 / p90 / p99 / max ms`).join(' | ') +
      ' | response | p99 target |',
    '| --- | ' + all.map(() => '---').join(' | ') + ' | --- | --- |',
    ...ROUTES.map((route) => {
      const cells = all.map((f) => {
        const r = f.routes[route]!;
        return `${ms(r.p50)} / ${ms(r.p90)} / ${ms(r.p99)} / ${ms(r.max)}`;
      });
      const worst = Math.max(...all.map((f) => f.routes[route]!.p99));
      const bytes = first?.routes[route]?.bytes ?? 0;
      return `| \`${route}\` | ${cells.join(' | ')} | ${(bytes / 1024).toFixed(1)} KB | ${verdict(worst)} |`;
    }),
    '',
  ];
  if (all.some((f) => f.pages)) {
    lines.push(
      `**Page loads** (${SETTINGS.pages} times what the tab does when an admin opens it: the ` +
        'summary, then the five other documents at once; each request timed under that burst):',
      '',
      '| route | ' + all.map((f) => `${f.database} p50 / p99 ms`).join(' | ') + ' |',
      '| --- | ' + all.map(() => '---').join(' | ') + ' |',
      ...['summary', 'activity', 'completion', 'funnel', 'units', 'questions'].map(
        (route) =>
          `| \`${route}\` | ` +
          all
            .map((f) => {
              const r = f.pages?.routes[route];
              return r ? `${ms(r.p50)} / ${ms(r.p99)}` : '—';
            })
            .join(' | ') +
          ' |',
      ),
      '| whole page | ' +
        all
          .map((f) => (f.pages ? `${ms(f.pages.page.p50)} / ${ms(f.pages.page.p99)}` : '—'))
          .join(' | ') +
        ' |',
      '',
    );
  }
  lines.push(
    '| database | seeding | totals = GROUP BY over the raw tables (before and after the rebuild) | rebuild after a curriculum change | errors | server CPU per request | load average (1 min, before → after) | questions by GROUP BY over the answers | units by GROUP BY over lesson progress |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...all.map(
      (f) =>
        `| ${f.database} | ${f.seedSeconds.toFixed(0)} s | ${f.totalsMatch ? 'yes' : '**no**'} | ` +
        `${f.rebuildSeconds.toFixed(1)} s | ` +
        `${Object.values(f.failures).reduce((a, b) => a + b, 0)} | ${ms(f.serverCpuMsPerRequest)} ms | ` +
        `${f.loadAverage[0].toFixed(1)} → ${f.loadAverage[1].toFixed(1)} | ` +
        `${ms(f.rawGroupByMs.questions)} ms | ${ms(f.rawGroupByMs.units)} ms |`,
    ),
    ...skipped.map((d) => `| ${d} | not run: the database did not answer | | | | | | | |`),
    '',
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'brevet-dashboard-bench-'));
  const issuer = await startEntraStandIn(TENANT);
  try {
    const { figures: all, skipped } = await forEachDatabase(SETTINGS.databases, (database) =>
      benchDatabase(database, issuer, workDir),
    );
    const section = renderSection(all, skipped);
    await publishReport(
      'dashboard.ts',
      SECTION_TITLE,
      section,
      { settings: SETTINGS, figures: all, skipped },
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
