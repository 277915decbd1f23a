import { childReply } from './child-reply';
import { startNodeFlags } from './start-flags';
import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { DeliveryChildReport, DeliveryChildRequest } from './delivery-child';

type Reply<T extends DeliveryChildReport['type']> = Extract<DeliveryChildReport, { type: T }>;

/** The app under test (bench/delivery-child.ts, compiled) in its own process, and its IPC. */
export class AppChild {
  private exitCode?: number | null;
  private readonly exited: Promise<void>;

  private constructor(
    readonly child: ChildProcess,
    readonly ready: Reply<'ready'>,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        resolve();
      }),
    );
  }

  get port(): number {
    return this.ready.port;
  }

  /** Starts the app; its output (warn-level JSON logs) is appended to `logFile`. */
  static async start(
    script: string,
    env: Record<string, string>,
    logFile: string,
  ): Promise<AppChild> {
    const fd = openSync(logFile, 'a');
    const child = fork(script, [], {
      // --expose-gc only lets the bench read the live heap at the end (`stats` with gc).
      // BENCH_CHILD_NODE_ARGS: node flags for the app instead of npm start's (e.g. --cpu-prof …).
      execArgv: [
        '--expose-gc',
        // The flags `npm start` uses (its heap cap) unless BENCH_CHILD_NODE_ARGS replaces them.
        ...(process.env.BENCH_CHILD_NODE_ARGS ?? startNodeFlags().join(' '))
          .split(' ')
          .filter(Boolean),
      ],
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    const ready = await childReply<DeliveryChildReport, 'ready'>(
      child,
      'app child',
      'ready',
      60_000,
    );
    return new AppChild(child, ready);
  }

  private call<T extends DeliveryChildReport['type']>(
    request: DeliveryChildRequest,
    type: T,
  ): Promise<Reply<T>> {
    const reply = childReply<DeliveryChildReport, T>(this.child, 'app child', type, 60_000);
    this.child.send(request);
    return reply;
  }

  /** Memory, CPU and timings; `reset` starts a new peak; `gc` collects first (live heap). */
  stats(options: { reset?: boolean; gc?: boolean } = {}): Promise<Reply<'stats'>> {
    return this.call({ type: 'stats', ...options }, 'stats');
  }

  async counts(): Promise<Record<string, number>> {
    return (await this.call({ type: 'counts' }, 'counts')).counts;
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.exitCode !== undefined || this.child.exitCode !== null) return;
    this.child.send({ type: 'stop' } satisfies DeliveryChildRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
