import { TURN_KINDS, type TurnKind } from './learner-script';
import { type SharedReport } from './child-runtime';
import { type BotName } from './server-child';

type Stats = Extract<SharedReport, { type: 'stats' }>;

/** The turns one bot served: every latency (ms), by kind too, and what went wrong. */
export class Sample {
  readonly latencies: number[] = [];
  readonly byKind = new Map<TurnKind, number[]>();
  errors = 0;
  readonly firstErrors: string[] = [];

  record(kind: TurnKind, ms: number): void {
    this.latencies.push(ms);
    const list = this.byKind.get(kind) ?? [];
    list.push(ms);
    this.byKind.set(kind, list);
  }

  fail(problem: string): void {
    this.errors += 1;
    if (this.firstErrors.length < 5) this.firstErrors.push(problem);
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(Math.max(rank, 0), sorted.length - 1)] as number;
}

/** One measured slice of one bot. CPU percentages are of one core. */
export interface SliceFigures {
  bot: BotName;
  seconds: number;
  turns: number;
  turnsPerSecond: number;
  serverCpuPercent: number;
  driverCpuPercent: number;
}

export interface BotFigures {
  bot: BotName;
  turns: number;
  errors: number;
  firstErrors: string[];
  measuredSeconds: number;
  turnsPerSecond: number;
  sliceTurnsPerSecond: number[];
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMb: number;
  startRssMb: number;
  finalRssMb: number;
  /** After a full GC at the end: what the server really keeps. */
  liveHeapMb: number;
  rssAfterGcMb: number;
  serverCpuMsPerTurn: number;
  serverCpuPercent: number;
  driverCpuPercent: number;
  learnersStarted: number;
  mix: { kind: TurnKind; share: number; p50Ms: number; p99Ms: number }[];
}

const MB = 2 ** 20;

export function figuresOf(
  bot: { name: BotName; learnersStarted: number; startRssBytes: number },
  sample: Sample,
  slices: SliceFigures[],
  stats: Stats,
  afterGc: Stats,
): BotFigures {
  const mine = slices.filter((slice) => slice.bot === bot.name);
  const seconds = mine.reduce((sum, slice) => sum + slice.seconds, 0);
  const turns = sample.latencies.length;
  const sorted = [...sample.latencies].sort((a, b) => a - b);
  const cpuSeconds = mine.reduce((sum, s) => sum + (s.serverCpuPercent / 100) * s.seconds, 0);
  const driverSeconds = mine.reduce((sum, s) => sum + (s.driverCpuPercent / 100) * s.seconds, 0);
  return {
    bot: bot.name,
    turns,
    errors: sample.errors,
    firstErrors: sample.firstErrors,
    measuredSeconds: seconds,
    turnsPerSecond: turns / seconds,
    sliceTurnsPerSecond: mine.map((slice) => slice.turnsPerSecond),
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
    peakRssMb: stats.peakRssBytes / MB,
    startRssMb: bot.startRssBytes / MB,
    finalRssMb: stats.rssBytes / MB,
    liveHeapMb: afterGc.heapUsedBytes / MB,
    rssAfterGcMb: afterGc.rssBytes / MB,
    serverCpuMsPerTurn: (cpuSeconds * 1000) / turns,
    serverCpuPercent: (cpuSeconds / seconds) * 100,
    driverCpuPercent: (driverSeconds / seconds) * 100,
    learnersStarted: bot.learnersStarted,
    mix: TURN_KINDS.filter((kind) => sample.byKind.has(kind)).map((kind) => {
      const list = [...(sample.byKind.get(kind) as number[])].sort((a, b) => a - b);
      return {
        kind,
        share: list.length / turns,
        p50Ms: percentile(list, 50),
        p99Ms: percentile(list, 99),
      };
    }),
  };
}

export interface Targets {
  throughputRatio: number;
  p99Ratio: number;
  peakRssMb: number;
}

/** Brevet against echo, as ratios, and whether each target is met. */
export function compare(brevet: BotFigures, echo: BotFigures, targets: Targets) {
  const ratios = {
    throughput: brevet.turnsPerSecond / echo.turnsPerSecond,
    p99: brevet.p99Ms / echo.p99Ms,
    peakRssDifferenceMb: brevet.peakRssMb - echo.peakRssMb,
    // Noise-resistant: what the throughput ratio would be if both servers were CPU-bound.
    cpuPerTurn: echo.serverCpuMsPerTurn / brevet.serverCpuMsPerTurn,
    // Each round's Brevet slice against the echo slice next to it in time: the in-run spread.
    throughputBySlicePair: brevet.sliceTurnsPerSecond.map(
      (rate, index) => rate / (echo.sliceTurnsPerSecond[index] ?? Number.NaN),
    ),
  };
  const verdicts = {
    throughput: ratios.throughput >= targets.throughputRatio,
    p99: ratios.p99 <= targets.p99Ratio,
    peakRss: brevet.peakRssMb < targets.peakRssMb,
  };
  return { ratios, verdicts };
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** `min–max, median m` of a few values. */
function spread(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const [min, max] = [sorted[0] ?? Number.NaN, sorted[sorted.length - 1] ?? Number.NaN];
  return `${fixed(min, 2)}–${fixed(max, 2)}, median ${fixed(percentile(sorted, 50), 2)}`;
}

/** The markdown report: the headline table, targets, then the details. */
export function renderReport(
  brevet: BotFigures,
  echo: BotFigures,
  targets: Targets,
  heading: string[],
): string {
  const { ratios, verdicts } = compare(brevet, echo, targets);
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const rssDifference = `${ratios.peakRssDifferenceMb >= 0 ? '+' : '−'}${fixed(Math.abs(ratios.peakRssDifferenceMb), 0)} MB`;
  const row = (f: BotFigures, ratio: string, p99: string, rss: string) =>
    `| ${f.bot} | ${fixed(f.turnsPerSecond, 0)} | ${fixed(f.p50Ms)} | ${fixed(f.p99Ms)} | ` +
    `${fixed(f.peakRssMb, 0)} | ${ratio} | ${p99} | ${rss} |`;
  const lines = [
    ...heading,
    '',
    '| bot | turns/s | p50 ms | p99 ms | peak RSS MB | turns/s vs echo | p99 vs echo | peak RSS vs echo |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(brevet, `${fixed(ratios.throughput, 2)}×`, `${fixed(ratios.p99, 2)}×`, rssDifference),
    row(echo, '1.00×', '1.00×', '—'),
    '',
    '| target | measured | verdict |',
    '| --- | ---: | --- |',
    `| throughput ≥ ${targets.throughputRatio}× echo | ${fixed(ratios.throughput, 3)}× ` +
      `(slice pairs ${spread(ratios.throughputBySlicePair)}) | ` +
      `${verdict(verdicts.throughput)} |`,
    `| p99 ≤ ${targets.p99Ratio}× echo | ${fixed(ratios.p99, 3)}× | ${verdict(verdicts.p99)} |`,
    `| Brevet peak RSS < ${targets.peakRssMb} MB | ${fixed(brevet.peakRssMb, 0)} MB | ` +
      `${verdict(verdicts.peakRss)} |`,
    `| (context) server CPU per turn, echo ÷ Brevet | ${fixed(ratios.cpuPerTurn, 3)}× | ` +
      `the throughput ratio if both were CPU-bound |`,
    '',
    '| bot | turns | errors | turns/s per slice | p90 ms | max ms | server CPU ms/turn | server CPU % | driver CPU % |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...[brevet, echo].map(
      (f) =>
        `| ${f.bot} | ${f.turns} | ${f.errors} | ` +
        `${f.sliceTurnsPerSecond.map((t) => fixed(t, 0)).join(' / ')} | ` +
        `${fixed(f.p90Ms)} | ${fixed(f.maxMs)} | ${fixed(f.serverCpuMsPerTurn, 2)} | ` +
        `${fixed(f.serverCpuPercent, 0)} | ${fixed(f.driverCpuPercent, 0)} |`,
    ),
    '',
    '| bot | RSS at start MB | peak RSS MB | RSS at end MB | live heap after full GC MB | RSS after full GC MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...[brevet, echo].map(
      (f) =>
        `| ${f.bot} | ${fixed(f.startRssMb, 0)} | ${fixed(f.peakRssMb, 0)} | ` +
        `${fixed(f.finalRssMb, 0)} | ${fixed(f.liveHeapMb, 0)} | ${fixed(f.rssAfterGcMb, 0)} |`,
    ),
    '',
    `Mix and latency per kind of turn (${brevet.learnersStarted} learners started on Brevet; ` +
      `echo gets the same activities):`,
    '',
    '| turn | share | Brevet p50 ms | Brevet p99 ms | echo p50 ms | echo p99 ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...brevet.mix.map((m) => {
      const e = echo.mix.find((x) => x.kind === m.kind);
      return (
        `| ${m.kind} | ${fixed(m.share * 100, 0)} % | ${fixed(m.p50Ms)} | ${fixed(m.p99Ms)} | ` +
        `${fixed(e?.p50Ms ?? Number.NaN)} | ${fixed(e?.p99Ms ?? Number.NaN)} |`
      );
    }),
  ];
  for (const f of [brevet, echo]) {
    if (f.errors === 0) continue;
    lines.push('', `${f.bot} errors (first ${f.firstErrors.length}):`);
    lines.push(...f.firstErrors.map((e) => `- ${e}`));
  }
  return lines.join('\n');
}
