import { childReply } from './child-reply';
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildReport, ChildRequest } from './server-child';

export type BotName = 'brevet' | 'echo';

/** A report of the server child, by type. */
export type Reply<T extends ChildReport['type']> = Extract<ChildReport, { type: T }>;

/** A measured server (bench/server-child.ts) in its own process, and the IPC to it. */
export class ServerProcess {
  /** Set when the child exits on its own: the run is then aborted, not measured. */
  exited = false;

  private constructor(
    readonly name: BotName,
    readonly child: ChildProcess,
    readonly port: number,
    /** RSS once listening, before any turn. */
    readonly startRssBytes: number,
  ) {
    child.once('exit', () => (this.exited = true));
  }

  static async start(
    name: BotName,
    script: string,
    options: { logLevel: string; nodeArgs: string[] },
  ): Promise<ServerProcess> {
    const child = fork(script, [name], {
      // --expose-gc only lets the bench measure live memory at the end (`stats` with gc).
      execArgv: ['--expose-gc', ...options.nodeArgs],
      env: { ...process.env, BENCH_LOG_LEVEL: options.logLevel },
      // The app's logs (warn and above only) go to stderr, never into the report.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.pipe(process.stderr);
    const ready = await childReply<ChildReport, 'ready'>(child, `${name} server`, 'ready', 60_000);
    return new ServerProcess(name, child, ready.port, ready.rssBytes);
  }

  private call<T extends ChildReport['type']>(request: ChildRequest, type: T): Promise<Reply<T>> {
    if (this.exited) return Promise.reject(new Error(`${this.name} server is gone`));
    const reply = childReply<ChildReport, T>(this.child, `${this.name} server`, type, 30_000);
    this.child.send(request);
    return reply;
  }

  stats(gc = false): Promise<Reply<'stats'>> {
    return this.call({ type: 'stats', gc }, 'stats');
  }

  /** Starts the CPU profiler, or stops it and writes the profile to `file`. */
  async profile(action: 'start' | 'stop', file = ''): Promise<void> {
    await this.call(
      action === 'start' ? { type: 'profile', action } : { type: 'profile', action, file },
      'profiled',
    );
  }

  async stop(): Promise<void> {
    if (this.exited || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies ChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
