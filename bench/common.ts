import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** What the benches share: settings from the environment, quantiles, PostgreSQL, RESULTS.md. */

/** A number from the environment within [min, max] (the fallback when unset or empty). */
export function envNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new Error(`${name} must be a number from ${min} to ${max} (got ${raw})`);
  return value;
}

/** A whole number from the environment within [min, max]. */
export function envWhole(name: string, fallback: number, min: number, max: number): number {
  const value = envNumber(name, fallback, min, max);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number (got ${value})`);
  return value;
}

/** A comma-separated list from the environment. */
export function envList(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The q-quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

export interface LatencyFigures {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Count, p50, p90, p99 and max of latencies (ms). */
export function latencyFigures(latencies: number[]): LatencyFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the benches run on SQLite, then on PostgreSQL when it answers.

export const POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type BenchDatabase = 'sqlite' | 'postgres';

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

/** Runs `measure` for each database named; PostgreSQL is skipped (and listed) when it is down. */
export async function forEachDatabase<T>(
  databases: string[],
  measure: (database: BenchDatabase) => Promise<T>,
): Promise<{ figures: T[]; skipped: string[] }> {
  const figures: T[] = [];
  const skipped: string[] = [];
  for (const database of databases) {
    if (database !== 'sqlite' && database !== 'postgres')
      throw new Error(`unknown database ${database}`);
    if (database === 'postgres' && !(await postgresAnswers())) {
      console.error(`[postgres] ${POSTGRES_URL} does not answer: skipped`);
      skipped.push(database);
      continue;
    }
    figures.push(await measure(database));
  }
  return { figures, skipped };
}

/** Drops a bench's PostgreSQL schema. */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// CPU profiles and RESULTS.md

/** Starts the V8 CPU profiler of this process; the returned function stops it and writes `file`. */
export async function profileThisProcess(file: string): Promise<() => Promise<void>> {
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

export const RESULTS_FILE = path.join(__dirname, 'RESULTS.md');

/** Whether this run writes its report into RESULTS.md (BENCH_WRITE_RESULTS=0: stdout only). */
export function writesResults(): boolean {
  return process.env.BENCH_WRITE_RESULTS !== '0';
}

/** The machine a report was measured on, in one line. */
export function machineLine(): string {
  const cpus = os.cpus();
  return (
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · \`nproc\` ${cpus.length} ` +
    `(${cpus[0]?.model.trim() ?? 'unknown CPU'}), shared · Node ${process.version} · Linux ` +
    `${os.release()} · load average ${os.loadavg()[0]!.toFixed(1)} at the end`
  );
}

/** The markers around the part of RESULTS.md a bench writes itself (`bench` names its file). */
export function generatedMarkers(bench: string): { begin: string; end: string } {
  return {
    begin: `<!-- bench/${bench}: generated report, replaced by each run -->`,
    end: `<!-- bench/${bench}: end of generated report -->`,
  };
}

/**
 * Replaces the generated report of a bench in RESULTS.md (what lies between its markers, in
 * the section titled `title`); the section is appended when missing. The notes written around
 * the report and the other sections stay as they are. `raw` is markdown whose first line is its
 * title; it is formatted as `npm run lint` (prettier --check) expects.
 */
export async function writeGeneratedReport(bench: string, title: string, raw: string) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(RESULTS_FILE)) ?? {};
  const section = await prettier.format(raw, { ...options, parser: 'markdown' });
  const report = section.slice(section.indexOf('\n') + 1).trim();
  const { begin: BEGIN, end: END } = generatedMarkers(bench);
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : '';
  const start = current.indexOf(title);
  const begin = start === -1 ? -1 : current.indexOf(BEGIN, start);
  const end = begin === -1 ? -1 : current.indexOf(END, begin);
  if (start !== -1 && (begin === -1 || end === -1))
    throw new Error(`${RESULTS_FILE}: "${title}" lacks the markers ${BEGIN} … ${END}`);
  const next =
    start !== -1
      ? `${current.slice(0, begin + BEGIN.length)}\n\n${report}\n\n${current.slice(end)}`
      : `${current.replace(/\s*$/, '') || '# Benchmark results'}\n\n${title}\n\n${BEGIN}\n\n${report}\n\n${END}\n`;
  writeFileSync(RESULTS_FILE, `${next.replace(/\s*$/, '')}\n`);
}

/**
 * A bench's end: its figures to bench/out/<name>.json, its report to RESULTS.md (when `write`)
 * and to stdout. `bench` names its file, e.g. `progress.ts`.
 */
export async function publishReport(
  bench: string,
  title: string,
  section: string,
  figures: object,
  write: boolean,
): Promise<void> {
  const outDir = path.join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, `${bench.replace(/\.ts$/, '')}.json`),
    JSON.stringify(figures, null, 2),
  );
  if (write) await writeGeneratedReport(bench, title, section);
  console.log(section);
}
