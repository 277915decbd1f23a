import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { loadProgramme } from '../src/curriculum/load-programme';
import { projectPath } from '../src/project-paths';
import { openStorage } from '../src/storage/database';
import { KyselyUnitStore } from '../src/storage/unit-repository';
import { UnitService } from '../src/units/unit-service';
import { type Member, type Team } from '../src/units/unit-store';
import { activitiesFor, newUser, TENANT, type TestUser } from '../tests/support/activities';
import { FakeConnector, type FakeMember } from '../tests/support/fake-connector';
import { buildDeliveryChild } from './build-children';
import { BenchChild } from './child-harness';
import { machineLine, writeGeneratedReport, writesResults } from './common';
import { startNodeFlags } from './start-flags';
import type { DeliveryChildReport, DeliveryChildRequest, DeliveryStats } from './delivery-child';

/**
 * Delivery bench (issue 5, "Measured"): one `assign f1-a` to a whole team against the loopback
 * Bot Connector stand-in (tests/support/fake-connector.ts) throttling at the real limit.
 *
 *   npx tsx bench/delivery.ts
 *
 * Settings (environment):
 * - BENCH_MEMBERS (25000): team size of the main runs.
 * - BENCH_RATES ("500,50"): for each R, TEAMS_GLOBAL_RPS=R and the connector answers 429
 *   (Retry-After: 1) above R POSTs in a calendar second.
 * - BENCH_PARTS ("enqueue,memory,delivery,repeat,crash"): which measurements to run, in order.
 *   - enqueue: UnitService.assign called directly (no HTTP) for BENCH_MEMBERS members, twice
 *     (new learners, then the same learners again).
 *   - memory: a delivery run of BENCH_MEMORY_MEMBERS (5000) at BENCH_MEMORY_RATE (500), to
 *     compare with the BENCH_MEMBERS run at the same rate.
 *   - delivery: one run per rate of BENCH_RATES with BENCH_MEMBERS members.
 *   - known: BENCH_KNOWN_MEMBERS (5000) at each of BENCH_KNOWN_RATES ("50"), every member seeded
 *     in the database with a saved 1:1 conversation: no conversation to create (one request per
 *     message). Not in the default parts.
 *   - repeat: BENCH_REPEAT_MEMBERS (2000) at BENCH_REPEAT_RATE (500), two assignments in a row
 *     to the same team (f1-a, then f1-b): does the second still create every conversation?
 *   - crash: BENCH_CRASH_MEMBERS (5000) at BENCH_CRASH_RATE (500), kill -9 of the app after
 *     BENCH_CRASH_AFTER (2000) messages, restart with the same lease BENCH_CRASH_LEASE_MS (3000).
 * - BENCH_TIMEOUT_FACTOR (5): a run gives up after factor × N/R seconds + 60 s.
 *
 * The app runs in a child process (bench/delivery-child.ts, transpiled to plain JS, run with
 * bare node) so its peak RSS is its own; this process hosts the connector stand-in and drives.
 * Output: markdown on stdout and in its section of bench/RESULTS.md, settings included (not
 * with BENCH_WRITE_RESULTS=0); raw figures in bench/out/delivery-<time>.json.
 */

// The team of tests/fixtures/teams-activities/channel-mention-message.json.
/** The app under test (bench/delivery-child.ts, compiled) in its own process. */
type AppChild = BenchChild<DeliveryChildRequest, DeliveryChildReport, DeliveryStats>;

/**
 * Starts the app child with the flags `npm start` uses (its heap cap) unless
 * BENCH_CHILD_NODE_ARGS replaces them (e.g. --cpu-prof …); its warn-level logs go to `logFile`.
 */
function startApp(script: string, env: Record<string, string>, logFile: string): Promise<AppChild> {
  return BenchChild.start<DeliveryChildRequest, DeliveryChildReport, DeliveryStats>(script, {
    label: 'app child',
    env,
    logFile,
    nodeArgs: (process.env.BENCH_CHILD_NODE_ARGS ?? startNodeFlags().join(' '))
      .split(' ')
      .filter(Boolean),
  });
}

/** Outbox lesson rows by status, as the app child counts them. */
async function childCounts(child: AppChild): Promise<Record<string, number>> {
  return (await child.call({ type: 'counts' }, 'counts')).counts;
}

const TEAM_ID = '19:WxMjo8fxufyXltzV3KGHTdV9CMyuLR8h@thread.tacv2';
const SECTION_TITLE = '## Delivery: one `assign` to a whole team against the throttling stand-in';
const LESSON = 'f1-a';
const MB = 1024 * 1024;

const env = process.env;
const MEMBERS = Number(env.BENCH_MEMBERS ?? 25_000);
const RATES = (env.BENCH_RATES ?? '500,50').split(',').map(Number).filter(Boolean);
const PARTS = new Set((env.BENCH_PARTS ?? 'enqueue,memory,delivery,repeat,crash').split(','));
const MEMORY_MEMBERS = Number(env.BENCH_MEMORY_MEMBERS ?? 5000);
const MEMORY_RATE = Number(env.BENCH_MEMORY_RATE ?? 500);
const CRASH_MEMBERS = Number(env.BENCH_CRASH_MEMBERS ?? 5000);
const CRASH_RATE = Number(env.BENCH_CRASH_RATE ?? 500);
const CRASH_AFTER = Number(env.BENCH_CRASH_AFTER ?? 2000);
const CRASH_LEASE_MS = Number(env.BENCH_CRASH_LEASE_MS ?? 3000);
const REPEAT_MEMBERS = Number(env.BENCH_REPEAT_MEMBERS ?? 2000);
const REPEAT_RATE = Number(env.BENCH_REPEAT_RATE ?? 500);
const KNOWN_MEMBERS = Number(env.BENCH_KNOWN_MEMBERS ?? 5000);
const KNOWN_RATES = (env.BENCH_KNOWN_RATES ?? '50').split(',').map(Number).filter(Boolean);
const TIMEOUT_FACTOR = Number(env.BENCH_TIMEOUT_FACTOR ?? 5);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round(bytes / MB);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));

function log(message: string): void {
  process.stderr.write(`[delivery ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

const STAMP = new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = path.join(__dirname, 'out', 'delivery-logs');

/** Where the app child of one run writes its (warn-level) logs. */
function logFile(label: string): string {
  mkdirSync(LOG_DIR, { recursive: true });
  return path.join(LOG_DIR, `${STAMP}-${label}.log`);
}

interface LogSummary {
  file: string;
  /** Log lines by message. */
  messages: Record<string, number>;
  /** Lowest rate the limiter fell to after a 429 ("throttled by Teams" lines). */
  minLimiterRate?: number;
}

function summariseLog(file: string): LogSummary {
  const messages: Record<string, number> = {};
  let minLimiterRate: number | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: { msg?: string; rate?: number };
    try {
      entry = JSON.parse(line) as { msg?: string; rate?: number };
    } catch {
      messages['(not JSON)'] = (messages['(not JSON)'] ?? 0) + 1;
      continue;
    }
    const msg = entry.msg ?? '(no msg)';
    messages[msg] = (messages[msg] ?? 0) + 1;
    if (msg === 'throttled by Teams' && typeof entry.rate === 'number')
      minLimiterRate = Math.min(minLimiterRate ?? Infinity, entry.rate);
  }
  return { file: path.relative(process.cwd(), file), messages, minLimiterRate };
}

/** A team of `n`: the lead (an admin) first, then n − 1 members. */
function team(n: number) {
  const lead = newUser('en-GB');
  const members: FakeMember[] = [
    { id: `29:${lead.aadObjectId}`, aadObjectId: lead.aadObjectId, name: 'Lead' },
  ];
  for (let i = 1; i < n; i += 1) {
    const aad = randomUUID();
    members.push({ id: `29:${aad}`, aadObjectId: aad, name: `Member ${i}` });
  }
  return { lead, members };
}

// ---------------------------------------------------------------------------------------------
// enqueue: UnitService.assign alone

interface EnqueueResult {
  members: number;
  newLearnersMs: number;
  existingLearnersMs: number;
  outboxRows: number;
}

async function enqueueRun(n: number): Promise<EnqueueResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-delivery-'));
  const storage = await openStorage({ sqlitePath: path.join(dir, 'brevet.sqlite') });
  try {
    const programme = loadProgramme(projectPath('tests/fixtures/content'));
    const units = new UnitService(programme, new KyselyUnitStore(storage.db, storage.dialect), []);
    const unit: Team = {
      teamId: TEAM_ID,
      tenantId: TENANT,
      name: 'Unit Alpha',
      serviceUrl: 'http://127.0.0.1:9/',
      channelId: TEAM_ID,
      timeZone: 'Europe/Brussels',
    };
    await units.saveTeam(unit);
    const members: Member[] = team(n).members;
    const timed = async () => {
      const start = performance.now();
      await units.assign(unit, LESSON, 'lead', 'en', members);
      return performance.now() - start;
    };
    const newLearnersMs = await timed();
    const existingLearnersMs = await timed();
    const rows = await storage.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return { members: n, newLearnersMs, existingLearnersMs, outboxRows: Number(rows.n) };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// delivery runs

interface Sample {
  /** ms since the assign POST was sent. */
  t: number;
  memberSends: number;
  creates: number;
  throttled: number;
}

interface Audit {
  /** Members with no message. */
  lost: number;
  /** Members with two messages or more. */
  duplicated: number;
  /** Extra messages (sum over members of count − 1). */
  extraMessages: number;
  histogram: Record<string, number>;
}

/** Messages each member has had so far (through whichever 1:1 conversation they have now). */
function perMember(connector: FakeConnector, members: FakeMember[]): number[] {
  return members.map((member) => {
    const created = connector.conversationFor(member.id);
    return (
      (created ? (connector.sentPerConversation.get(created) ?? 0) : 0) +
      (connector.sentPerConversation.get(knownConversation(member)) ?? 0)
    );
  });
}

/** The 1:1 conversation a `known` run seeds for a member (as if they had talked to the bot). */
function knownConversation(member: FakeMember): string {
  return `a:known:${member.aadObjectId}`;
}

/**
 * Seeds every member as a learner with a saved 1:1 chat address (what installing the app
 * personally and talking to it leaves), in the app's database, so the assignment sends straight
 * to the known chat: one request per message instead of create + send.
 */
function seedKnownConversations(file: string, members: FakeMember[], serviceUrl: string): void {
  const db = new SqliteDatabase(file);
  db.pragma('busy_timeout = 5000');
  try {
    const insert = db.prepare(
      'insert into learners (id, tenant_id, user_key, language, track_id, service_url, conversation_id, recipient_id, created_at, updated_at) values (?, ?, ?, ?, null, ?, ?, ?, ?, ?)',
    );
    const at = new Date().toISOString();
    db.transaction(() => {
      for (const member of members)
        insert.run(
          randomUUID(),
          TENANT,
          member.aadObjectId.toLowerCase(),
          'en',
          serviceUrl,
          knownConversation(member),
          member.id,
          at,
          at,
        );
    })();
  } finally {
    db.close();
  }
}

/** Messages per member since `baseline` (a perMember snapshot): lost, duplicated. */
function audit(connector: FakeConnector, members: FakeMember[], baseline?: number[]): Audit {
  const histogram: Record<string, number> = {};
  let lost = 0;
  let duplicated = 0;
  let extraMessages = 0;
  const now = perMember(connector, members);
  for (let i = 0; i < members.length; i += 1) {
    const count = now[i]! - (baseline?.[i] ?? 0);
    histogram[count] = (histogram[count] ?? 0) + 1;
    if (count === 0) lost += 1;
    if (count > 1) {
      duplicated += 1;
      extraMessages += count - 1;
    }
  }
  return { lost, duplicated, extraMessages, histogram };
}

/**
 * Watches the connector's counters for one assignment: member 1:1 messages (everything but the
 * channel posts), conversations created and 429s, as deltas from when the watch began.
 */
class Watch {
  readonly samples: Sample[] = [];
  private readonly base: { sends: number; channel: number; creates: number; throttled: number };
  private readonly baseSummaries: number;

  constructor(
    readonly connector: FakeConnector,
    readonly replyConversation: string,
    readonly start: number,
  ) {
    this.baseSummaries = connector.sentPerConversation.get(TEAM_ID) ?? 0;
    this.base = {
      sends: connector.sentCount,
      channel: this.channelSends(),
      creates: connector.createdConversations,
      throttled: connector.throttledCount,
    };
  }

  private channelSends(): number {
    return (
      (this.connector.sentPerConversation.get(TEAM_ID) ?? 0) +
      (this.connector.sentPerConversation.get(this.replyConversation) ?? 0)
    );
  }

  memberSends(): number {
    return this.connector.sentCount - this.base.sends - (this.channelSends() - this.base.channel);
  }

  summarySent(): boolean {
    return (this.connector.sentPerConversation.get(TEAM_ID) ?? 0) > this.baseSummaries;
  }

  sample(): Sample {
    const sample = {
      t: performance.now() - this.start,
      memberSends: this.memberSends(),
      creates: this.connector.createdConversations - this.base.creates,
      throttled: this.connector.throttledCount - this.base.throttled,
    };
    this.samples.push(sample);
    return sample;
  }

  /** Samples every `everyMs` until `done` or the deadline; true if done. */
  async until(done: () => boolean, deadlineMs: number, everyMs = 100): Promise<boolean> {
    for (;;) {
      this.sample();
      if (done()) return true;
      if (performance.now() > deadlineMs) return false;
      await sleep(everyMs);
    }
  }

  /** First sample time at which at least `count` member messages had been sent. */
  timeOf(count: number): number | undefined {
    return this.samples.find((s) => s.memberSends >= count)?.t;
  }

  /** Member messages per second in consecutive windows of `windowMs` (full windows only). */
  windows(windowMs: number, from: number, to: number): number[] {
    const rates: number[] = [];
    let prev = this.samples.find((s) => s.t >= from);
    if (!prev) return rates;
    for (const s of this.samples) {
      if (s.t > to) break;
      if (s.t - prev.t >= windowMs) {
        rates.push(((s.memberSends - prev.memberSends) * 1000) / (s.t - prev.t));
        prev = s;
      }
    }
    return rates;
  }
}

interface DeliveryResult {
  label: string;
  lesson: string;
  members: number;
  rate: number;
  complete: boolean;
  /** assign POST sent → HTTP 200 (the reply card was posted within the turn). */
  enqueueMs: number;
  turn: TurnBreakdown;
  rosterMs?: number;
  rosterPages: number;
  assignMs?: number;
  firstMessageS?: number;
  lastMessageS?: number;
  summaryS?: number;
  floorS: number;
  /** Member messages per second from the first to the last one. */
  sendPhaseRate?: number;
  /** Between 10 % and 90 % of the messages. */
  steadyRate?: number;
  /** Member messages per second over 5 s windows (min, median, max). */
  window5s?: { min: number; median: number; max: number };
  /** Connector POSTs answered 2xx (sends + conversation creations) per second, send phase. */
  acceptedRequestRate?: number;
  memberSends: number;
  createdConversations: number;
  throttled: number;
  audit: Audit;
  /** App CPU (user + system) per member message, from the POST to the summary. */
  appCpuMsPerMessage?: number;
  /** [s since the POST, member messages, conversations created, 429s], about once a second. */
  timeline: number[][];
  outbox: Record<string, number>;
  log: LogSummary;
  memory: {
    readyRssMb: number;
    readyHeapMb: number;
    peakRssEnqueueMb: number;
    peakHeapEnqueueMb: number;
    peakRssDeliveryMb: number;
    peakHeapDeliveryMb: number;
    endRssMb: number;
    liveHeapAfterGcMb: number;
  };
  cpu: { appPercent: number; driverPercent: number };
}

function timeline(watch: Watch): number[][] {
  const rows: number[][] = [];
  let next = 0;
  for (const s of watch.samples) {
    if (s.t < next && s !== watch.samples.at(-1)) continue;
    rows.push([round(s.t / 1000, 2), s.memberSends, s.creates, s.throttled]);
    next = s.t + 1000;
  }
  return rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function postActivity(port: number, activity: unknown): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await response.text();
  return response.status;
}

/** Where the assign turn's time went, beyond the roster and the transaction. */
interface TurnBreakdown {
  /** POST sent → first roster page requested. */
  beforeRosterMs: number;
  /** Last roster page answered → UnitService.assign called. */
  rosterToAssignMs: number;
  /** UnitService.assign returned → HTTP 200 (the reply card is posted in between). */
  afterAssignMs: number;
  /** Member messages the connector had already received when the POST was answered. */
  sentDuringTurn: number;
}

interface AssignOutcome {
  lesson: string;
  turn: TurnBreakdown;
  audit: Audit;
  complete: boolean;
  enqueueMs: number;
  watch: Watch;
  enqueued: Awaited<ReturnType<AppChild['stats']>>;
  end: Awaited<ReturnType<AppChild['stats']>>;
  appCpuMicros: number;
  driverCpuMicros: number;
  wallMicros: number;
  summaryS?: number;
}

/** One `assign <lesson>` by the lead, watched until every member has a message and the summary. */
async function assignAndWatch(
  child: AppChild,
  connector: FakeConnector,
  lead: TestUser,
  members: FakeMember[],
  rate: number,
  lesson: string,
): Promise<AssignOutcome> {
  const n = members.length;
  const activity = activitiesFor(lead, connector.url).channelMessage(
    `assign ${lesson}`,
  ) as unknown as { conversation: { id: string } };
  const baseline = perMember(connector, members);
  const appCpu0 = (await child.stats({ reset: true })).cpuMicros;
  const driverCpu0 = process.cpuUsage();
  const start = performance.now();
  const startedAt = Date.now();
  const watch = new Watch(connector, activity.conversation.id, start);
  const deadline = start + (TIMEOUT_FACTOR * (n / rate) + 60) * 1000;
  let lastLog = performance.now();
  // Watched from the POST on: the worker starts sending while the turn is still answering.
  const watching = watch.until(() => {
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      const s = watch.samples.at(-1)!;
      log(
        `N=${n} R=${rate} ${lesson}: ${s.memberSends} sent, ${s.creates} created, ${s.throttled} throttled at ${Math.round(s.t / 1000)} s`,
      );
    }
    return watch.memberSends() >= n && watch.summarySent();
  }, deadline);
  const status = await postActivity(child.port, activity);
  const enqueueMs = performance.now() - start;
  const answeredAt = Date.now();
  if (status !== 200) throw new Error(`assign answered HTTP ${status}`);
  const enqueued = await child.stats({ reset: true });
  const t = enqueued.extra.timings;
  const turn = {
    beforeRosterMs: (t.rosterStartedAt ?? startedAt) - startedAt,
    rosterToAssignMs: (t.assignStartedAt ?? 0) - (t.rosterStartedAt ?? 0) - (t.rosterMs ?? 0),
    afterAssignMs: answeredAt - (t.assignEndedAt ?? answeredAt),
    sentDuringTurn: watch.memberSends(),
  };
  log(
    `N=${n} R=${rate} ${lesson}: enqueued in ${Math.round(enqueueMs)} ms (roster ${Math.round(t.rosterMs ?? 0)} ms, assign ${Math.round(t.assignMs ?? 0)} ms, ${JSON.stringify(turn)})`,
  );
  const complete = await watching;
  const summaryS = complete ? (performance.now() - start) / 1000 : undefined;
  const wallMicros = (performance.now() - start) * 1000;
  const driverCpu = process.cpuUsage(driverCpu0);
  // Anything still coming (a duplicate would show up here).
  await sleep(1500);
  watch.sample();
  const end = await child.stats();
  return {
    lesson,
    audit: audit(connector, members, baseline),
    complete,
    enqueueMs,
    turn,
    watch,
    enqueued,
    end,
    appCpuMicros: end.cpuMicros - appCpu0,
    driverCpuMicros: driverCpu.user + driverCpu.system,
    wallMicros,
    summaryS,
  };
}

function describeOutcome(
  label: string,
  n: number,
  rate: number,
  outcome: AssignOutcome,
  extra: {
    ready: AppChild['ready'];
    liveHeapAfterGcBytes: number;
    outbox: Record<string, number>;
    log: LogSummary;
  },
): DeliveryResult {
  const { watch, enqueued, end } = outcome;
  const first = watch.timeOf(1);
  const last = watch.timeOf(n);
  const t10 = watch.timeOf(Math.ceil(n * 0.1));
  const t90 = watch.timeOf(Math.floor(n * 0.9));
  const phaseS = first !== undefined && last !== undefined ? (last - first) / 1000 : undefined;
  const windows = first !== undefined && last !== undefined ? watch.windows(5000, first, last) : [];
  const final = watch.samples.at(-1)!;
  return {
    label,
    lesson: outcome.lesson,
    members: n,
    rate,
    complete: outcome.complete,
    enqueueMs: outcome.enqueueMs,
    turn: outcome.turn,
    rosterMs: enqueued.extra.timings.rosterMs,
    rosterPages: enqueued.extra.timings.rosterPages,
    assignMs: enqueued.extra.timings.assignMs,
    firstMessageS: first !== undefined ? first / 1000 : undefined,
    lastMessageS: last !== undefined ? last / 1000 : undefined,
    summaryS: outcome.summaryS,
    floorS: n / rate,
    sendPhaseRate: phaseS ? n / phaseS : undefined,
    steadyRate:
      t10 !== undefined && t90 !== undefined && t90 > t10
        ? ((Math.floor(n * 0.9) - Math.ceil(n * 0.1)) * 1000) / (t90 - t10)
        : undefined,
    window5s: windows.length
      ? { min: Math.min(...windows), median: median(windows), max: Math.max(...windows) }
      : undefined,
    acceptedRequestRate: phaseS ? (final.memberSends + final.creates) / phaseS : undefined,
    memberSends: final.memberSends,
    createdConversations: final.creates,
    throttled: final.throttled,
    audit: outcome.audit,
    appCpuMsPerMessage: final.memberSends
      ? round(outcome.appCpuMicros / 1000 / final.memberSends, 2)
      : undefined,
    timeline: timeline(watch),
    outbox: extra.outbox,
    log: extra.log,
    memory: {
      readyRssMb: mb(extra.ready.rssBytes),
      readyHeapMb: mb(extra.ready.heapUsedBytes),
      peakRssEnqueueMb: mb(enqueued.peakRssBytes),
      peakHeapEnqueueMb: mb(enqueued.peakHeapUsedBytes),
      peakRssDeliveryMb: mb(end.peakRssBytes),
      peakHeapDeliveryMb: mb(end.peakHeapUsedBytes),
      endRssMb: mb(end.rssBytes),
      liveHeapAfterGcMb: mb(extra.liveHeapAfterGcBytes),
    },
    cpu: {
      appPercent: round((outcome.appCpuMicros / outcome.wallMicros) * 100, 0),
      driverPercent: round((outcome.driverCpuMicros / outcome.wallMicros) * 100, 0),
    },
  };
}

/**
 * A fresh app and connector; the lead sends `deliveries` once (a warm-up turn, so the assign
 * POST is not the process's first), then `assign` each lesson in turn.
 */
async function deliveryRun(
  script: string,
  label: string,
  n: number,
  rate: number,
  lessons: string[] = [LESSON],
  options: { knownConversations?: boolean } = {},
): Promise<DeliveryResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-delivery-'));
  const connector = await new FakeConnector().start();
  connector.record = false;
  const { lead, members } = team(n);
  connector.setRoster(TEAM_ID, members);
  connector.throttleAbove(rate, 1);
  const file = logFile(`${label}-N${n}-R${rate}`);
  const database = path.join(dir, 'brevet.sqlite');
  const child = await startApp(
    script,
    {
      BENCH_SQLITE_PATH: database,
      BENCH_RPS: String(rate),
      BENCH_ADMIN: lead.aadObjectId,
    },
    file,
  );
  try {
    if (options.knownConversations) seedKnownConversations(database, members, connector.url);
    const warmUp = activitiesFor(lead, connector.url).channelMessage('deliveries');
    if ((await postActivity(child.port, warmUp)) !== 200) throw new Error('warm-up turn failed');
    const outcomes: AssignOutcome[] = [];
    for (const lesson of lessons) {
      const outcome = await assignAndWatch(child, connector, lead, members, rate, lesson);
      outcomes.push(outcome);
      if (!outcome.complete) break;
    }
    const afterGc = await child.stats({ gc: true });
    const outbox = await childCounts(child);
    const results = outcomes.map((outcome, i) =>
      describeOutcome(lessons.length > 1 ? `${label}-${i + 1}` : label, n, rate, outcome, {
        ready: child.ready,
        liveHeapAfterGcBytes: afterGc.heapUsedBytes,
        outbox,
        log: summariseLog(file),
      }),
    );
    for (const result of results) log(`${result.label}: ${JSON.stringify(result)}`);
    return results;
  } finally {
    await child.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// crash: kill -9 mid-assignment, restart, count duplicates

interface CrashResult {
  members: number;
  rate: number;
  leaseMs: number;
  killAfter: number;
  /** Messages the worker had claimed and was sending (worker.inFlightCount) just before the kill. */
  inFlightBeforeKill: number;
  /** Member messages the connector had counted when the kill was sent, and once the app died. */
  sentAtKill: number;
  sentAfterDeath: number;
  /** Outbox rows by status in the database the dead app left. */
  rowsAtKill: Record<string, number>;
  /** Messages the connector had counted but the database had not marked sent. */
  sentButNotMarked: number;
  restartToFirstMessageS?: number;
  restartToSummaryS?: number;
  complete: boolean;
  audit: Audit;
  outbox: Record<string, number>;
  logs: LogSummary[];
}

function outboxCounts(file: string): Record<string, number> {
  const db = new SqliteDatabase(file);
  try {
    const rows = db
      .prepare("select status, count(*) as n from outbox where kind = 'lesson' group by status")
      .all() as { status: string; n: number }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  } finally {
    db.close();
  }
}

async function crashRun(script: string): Promise<CrashResult> {
  const n = CRASH_MEMBERS;
  const rate = CRASH_RATE;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'brevet-delivery-'));
  const database = path.join(dir, 'brevet.sqlite');
  const connector = await new FakeConnector().start();
  connector.record = false;
  const { lead, members } = team(n);
  connector.setRoster(TEAM_ID, members);
  connector.throttleAbove(rate, 1);
  const childEnv = {
    BENCH_SQLITE_PATH: database,
    BENCH_RPS: String(rate),
    BENCH_ADMIN: lead.aadObjectId,
    BENCH_LEASE_MS: String(CRASH_LEASE_MS),
  };
  const file0 = logFile(`crash-N${n}-R${rate}-before`);
  const file1 = logFile(`crash-N${n}-R${rate}-after`);
  let child = await startApp(script, childEnv, file0);
  try {
    const activity = activitiesFor(lead, connector.url).channelMessage(
      `assign ${LESSON}`,
    ) as unknown as {
      conversation: { id: string };
    };
    const start = performance.now();
    const watch = new Watch(connector, activity.conversation.id, start);
    const watching = watch.until(() => watch.memberSends() >= CRASH_AFTER, start + 300_000, 2);
    const status = await postActivity(child.port, activity);
    if (status !== 200) throw new Error(`assign answered HTTP ${status}`);
    log(`crash: assign answered in ${Math.round(performance.now() - start)} ms`);
    const reached = await watching;
    if (!reached) throw new Error(`fewer than ${CRASH_AFTER} messages within 300 s`);
    const inFlightBeforeKill = (await child.stats()).extra.inFlight;
    const sentAtKill = watch.memberSends();
    await child.kill9();
    await sleep(300);
    const sentAfterDeath = watch.memberSends();
    const rowsAtKill = outboxCounts(database);
    log(
      `crash: killed at ${sentAtKill} (${sentAfterDeath} after death), rows ${JSON.stringify(rowsAtKill)}`,
    );
    const restart = performance.now();
    child = await startApp(script, childEnv, file1);
    const deadline = restart + ((TIMEOUT_FACTOR * n) / rate + 60 + CRASH_LEASE_MS / 1000) * 1000;
    const complete = await watch.until(
      () => watch.memberSends() >= n && watch.summarySent(),
      deadline,
    );
    const summaryAt = performance.now();
    await sleep(1500);
    watch.sample();
    const resumed = watch.samples.find(
      (s) => s.t > restart - start && s.memberSends > sentAfterDeath,
    );
    const result: CrashResult = {
      members: n,
      rate,
      leaseMs: CRASH_LEASE_MS,
      killAfter: CRASH_AFTER,
      inFlightBeforeKill,
      sentAtKill,
      sentAfterDeath,
      rowsAtKill,
      sentButNotMarked: sentAfterDeath - (rowsAtKill.sent ?? 0),
      restartToFirstMessageS: resumed ? (resumed.t - (restart - start)) / 1000 : undefined,
      restartToSummaryS: complete ? (summaryAt - restart) / 1000 : undefined,
      complete,
      audit: audit(connector, members),
      outbox: await childCounts(child),
      logs: [summariseLog(file0), summariseLog(file1)],
    };
    log(`crash: ${JSON.stringify(result)}`);
    return result;
  } finally {
    await child.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// report

function markdown(results: {
  enqueue?: EnqueueResult;
  deliveries: DeliveryResult[];
  crash?: CrashResult;
}): string {
  const lines: string[] = [];
  const fmt = (value: number | undefined, digits = 1) =>
    value === undefined ? '—' : value.toFixed(digits);
  if (results.enqueue) {
    const e = results.enqueue;
    lines.push(
      '| members | UnitService.assign, new learners | same members again | outbox rows |',
      '| ------: | -------------------------------: | -----------------: | ----------: |',
      `| ${e.members} | ${Math.round(e.newLearnersMs)} ms | ${Math.round(e.existingLearnersMs)} ms | ${e.outboxRows} |`,
      '',
    );
  }
  if (results.deliveries.length) {
    lines.push(
      '| run | N | R | assign POST → 200 | roster (pages) | createAssignment | assign → 200 (msgs sent meanwhile) | first msg | last msg | floor N/R | send-phase msg/s | % of R | steady 10–90 % msg/s | 5 s windows min/med/max | accepted POST/s | 429s | lowest limiter rate | conversations created | lost | duplicated | summary at | complete |',
      '| :-- | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | :-: |',
    );
    for (const d of results.deliveries) {
      const w = d.window5s;
      lines.push(
        `| ${d.label} (${d.lesson}) | ${d.members} | ${d.rate} | ${Math.round(d.enqueueMs)} ms | ${Math.round(d.rosterMs ?? 0)} ms (${d.rosterPages}) | ${Math.round(d.assignMs ?? 0)} ms | ${Math.round(d.turn.afterAssignMs)} ms (${d.turn.sentDuringTurn}) | ${fmt(d.firstMessageS)} s | ${fmt(d.lastMessageS)} s | ${fmt(d.floorS, 0)} s | ${fmt(d.sendPhaseRate)} | ${d.sendPhaseRate ? Math.round((d.sendPhaseRate / d.rate) * 100) : '—'} % | ${fmt(d.steadyRate)} | ${w ? `${w.min.toFixed(0)} / ${w.median.toFixed(0)} / ${w.max.toFixed(0)}` : '—'} | ${fmt(d.acceptedRequestRate)} | ${d.throttled} | ${fmt(d.log.minLimiterRate, 2)} | ${d.createdConversations} | ${d.audit.lost} | ${d.audit.duplicated} | ${fmt(d.summaryS)} s | ${d.complete ? 'yes' : 'NO'} |`,
      );
    }
    lines.push(
      '',
      '| run | N | R | RSS at ready | peak RSS, enqueue | peak heap, enqueue | peak RSS, delivery | peak heap, delivery | RSS at end | live heap after GC | app CPU | app CPU per message | driver CPU | outbox rows | app log lines |',
      '| :-- | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | -: | :-- | :-- |',
    );
    for (const d of results.deliveries) {
      const m = d.memory;
      lines.push(
        `| ${d.label} (${d.lesson}) | ${d.members} | ${d.rate} | ${m.readyRssMb} MB | ${m.peakRssEnqueueMb} MB | ${m.peakHeapEnqueueMb} MB | ${m.peakRssDeliveryMb} MB | ${m.peakHeapDeliveryMb} MB | ${m.endRssMb} MB | ${m.liveHeapAfterGcMb} MB | ${d.cpu.appPercent} % | ${fmt(d.appCpuMsPerMessage, 2)} ms | ${d.cpu.driverPercent} % | ${JSON.stringify(d.outbox)} | ${JSON.stringify(d.log.messages)} |`,
      );
    }
    lines.push('');
  }
  if (results.crash) {
    const c = results.crash;
    lines.push(
      '| N | R | lease | in flight just before kill | killed at (sent) | sent once dead | rows at kill | sent but not marked | restart → first msg | restart → summary | lost | members with 2+ msgs | extra msgs | complete |',
      '| -: | -: | -: | -: | -: | -: | :-- | -: | -: | -: | -: | -: | -: | :-: |',
      `| ${c.members} | ${c.rate} | ${c.leaseMs} ms | ${c.inFlightBeforeKill} | ${c.sentAtKill} | ${c.sentAfterDeath} | ${JSON.stringify(c.rowsAtKill)} | ${c.sentButNotMarked} | ${fmt(c.restartToFirstMessageS)} s | ${fmt(c.restartToSummaryS)} s | ${c.audit.lost} | ${c.audit.duplicated} | ${c.audit.extraMessages} | ${c.complete ? 'yes' : 'NO'} |`,
      '',
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const code = codeFingerprint();
  const build = buildDeliveryChild(STAMP);
  const script = build.script;
  try {
    await runParts(script, startedAt, code);
  } finally {
    build.remove();
  }
}

async function runParts(
  script: string,
  startedAt: string,
  code: ReturnType<typeof codeFingerprint>,
): Promise<void> {
  const results: { enqueue?: EnqueueResult; deliveries: DeliveryResult[]; crash?: CrashResult } = {
    deliveries: [],
  };
  if (PARTS.has('enqueue')) {
    log(`enqueue: UnitService.assign for ${MEMBERS}`);
    results.enqueue = await enqueueRun(MEMBERS);
    log(`enqueue: ${JSON.stringify(results.enqueue)}`);
  }
  if (PARTS.has('memory'))
    results.deliveries.push(...(await deliveryRun(script, 'memory', MEMORY_MEMBERS, MEMORY_RATE)));
  if (PARTS.has('delivery'))
    for (const rate of RATES)
      results.deliveries.push(...(await deliveryRun(script, 'delivery', MEMBERS, rate)));
  if (PARTS.has('known'))
    for (const rate of KNOWN_RATES)
      results.deliveries.push(
        ...(await deliveryRun(script, 'known', KNOWN_MEMBERS, rate, [LESSON], {
          knownConversations: true,
        })),
      );
  if (PARTS.has('repeat'))
    results.deliveries.push(
      ...(await deliveryRun(script, 'repeat', REPEAT_MEMBERS, REPEAT_RATE, [LESSON, 'f1-b'])),
    );
  if (PARTS.has('crash')) results.crash = await crashRun(script);
  const machine = {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    node: process.version,
    kernel: os.release(),
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    startedAt,
    endedAt: new Date().toISOString(),
    code,
  };
  const outDir = path.join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `delivery-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ machine, env: benchEnv(), ...results }, null, 2));
  const settings = Object.entries(benchEnv())
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const report = [
    `${machineLine()} · delivery code ${code.sha256} · ${settings || 'default settings'}`,
    '',
    markdown(results),
  ].join('\n');
  console.log(report);
  console.log(`raw figures: ${path.relative(process.cwd(), file)}`);
  if (writesResults())
    await writeGeneratedReport('delivery.ts', SECTION_TITLE, `${SECTION_TITLE}\n\n${report}`);
}

/** The delivery code measured (src/ changes while others work): a hash of the files that send. */
function codeFingerprint(): { sha256: string; files: string[] } {
  const files = [
    'src/delivery/delivery-worker.ts',
    'src/delivery/rate-limiter.ts',
    'src/storage/outbox-repository.ts',
    'src/storage/unit-repository.ts',
    'src/teams/outbox-sender.ts',
    'src/teams/bot-connector-client.ts',
    'src/app.ts',
  ];
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(projectPath(file)));
  return { sha256: hash.digest('hex').slice(0, 16), files };
}

function benchEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[0].startsWith('BENCH_')),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
