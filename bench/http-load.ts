import { buildLoadChild } from './build-children';
import { BenchChild } from './child-harness';
import type { LoadReport, LoadRequest } from './load-child';

type Report<T extends LoadReport['type']> = Extract<LoadReport, { type: T }>;

/**
 * The parent side of the HTTP load generator (bench/load-child.ts): a child process that sends
 * the GETs, so this process's CPU time (process.cpuUsage) is the server's alone.
 */
export class HttpLoad {
  private constructor(
    private readonly child: BenchChild<LoadRequest, LoadReport>,
    private readonly build: { remove(): void },
  ) {}

  static async start(): Promise<HttpLoad> {
    const build = buildLoadChild();
    try {
      const child = await BenchChild.start<LoadRequest, LoadReport>(build.script, {
        label: 'load generator',
      });
      return new HttpLoad(child, build);
    } catch (error) {
      build.remove();
      throw error;
    }
  }

  /** Closed loops: `count` GETs, `concurrency` at a time, each to a random URL with a random token. */
  loop(request: Omit<Extract<LoadRequest, { type: 'loop' }>, 'type'>): Promise<Report<'loop'>> {
    return this.child.call({ type: 'loop', ...request }, 'loop', 600_000);
  }

  /** Page loads: each stage's requests at once, stage after stage. */
  pages(request: Omit<Extract<LoadRequest, { type: 'pages' }>, 'type'>): Promise<Report<'pages'>> {
    return this.child.call({ type: 'pages', ...request }, 'pages', 600_000);
  }

  async stop(): Promise<void> {
    await this.child.stop(5_000);
    this.build.remove();
  }
}
