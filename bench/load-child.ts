import { performance } from 'node:perf_hooks';
import { runBenchChild } from './child-runtime';

/**
 * The HTTP load generator of bench/progress.ts and bench/dashboard.ts, in its own process so
 * that the bench's process (the server under test) counts only the server's CPU time and the
 * client never queues behind the server. Driven by bench/http-load.ts; two kinds of run:
 *
 * - `loop`: `concurrency` closed loops of GETs until `count` requests, each to a random one of
 *   `urls` with a random one of `tokens` (as Bearer);
 * - `pages`: `count` page loads, each a sequence of stages whose requests go out at once (the
 *   tab's own pattern: one document, then the others together); latencies by label and per page.
 *
 * A request that does not answer 200 is counted in `failures` by status (or error code).
 */
export type LoadRequest =
  | {
      type: 'loop';
      urls: string[];
      tokens: string[];
      concurrency: number;
      count: number;
      record: boolean;
    }
  | { type: 'pages'; stages: { label: string; url: string }[][]; token: string; count: number };

export type LoadReport =
  | { type: 'loop'; latencies: number[]; failures: Record<string, number>; seconds: number }
  | {
      type: 'pages';
      latencies: Record<string, number[]>;
      failures: Record<string, number>;
      pageMs: number[];
    };

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

async function get(url: string, token: string): Promise<{ ms: number; status: string }> {
  const started = performance.now();
  let status: string;
  try {
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    status = String(response.status);
  } catch (error) {
    status = String((error as { code?: string })?.code ?? error);
  }
  return { ms: performance.now() - started, status };
}

async function loop(request: Extract<LoadRequest, { type: 'loop' }>): Promise<LoadReport> {
  let next = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const run = async () => {
    while (next < request.count) {
      next += 1;
      const { ms, status } = await get(pick(request.urls), pick(request.tokens));
      if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
      if (request.record) latencies.push(ms);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: request.concurrency }, run));
  return { type: 'loop', latencies, failures, seconds: (performance.now() - started) / 1000 };
}

async function pages(request: Extract<LoadRequest, { type: 'pages' }>): Promise<LoadReport> {
  const latencies: Record<string, number[]> = {};
  const failures: Record<string, number> = {};
  const pageMs: number[] = [];
  for (let i = 0; i < request.count; i += 1) {
    const started = performance.now();
    for (const stage of request.stages) {
      const results = await Promise.all(stage.map(({ url }) => get(url, request.token)));
      results.forEach(({ ms, status }, k) => {
        (latencies[stage[k]!.label] ??= []).push(ms);
        if (status !== '200') failures[status] = (failures[status] ?? 0) + 1;
      });
    }
    pageMs.push(performance.now() - started);
  }
  return { type: 'pages', latencies, failures, pageMs };
}

runBenchChild<LoadRequest, LoadReport>('load generator', async () => ({
  port: 0,
  close: async () => undefined,
  handle: (request) => (request.type === 'loop' ? loop(request) : pages(request)),
}));
