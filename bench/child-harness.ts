import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { SharedReport, SharedRequest } from './child-runtime';

/**
 * The parent side of every bench child process (bench/child-runtime.ts is the child side):
 * starts a compiled child script on plain `node`, waits for its `ready`, asks it for reports
 * over IPC with a timeout, and stops or kills it. A child that exits early fails the request
 * being waited for instead of hanging the bench.
 */
export interface ChildOptions {
  /** Names the child in errors ("brevet server", "app child", "load generator"). */
  label: string;
  args?: string[];
  /** Added to this process's environment. */
  env?: Record<string, string | undefined>;
  /** Node flags (e.g. npm start's heap cap); `--expose-gc` is always added. */
  nodeArgs?: string[];
  /** Where its stdout and stderr go: this process's stderr (default) or a file (appended). */
  logFile?: string;
  /** How long it may take to start (default 60 s). */
  readyTimeoutMs?: number;
}

type Ready = Extract<SharedReport, { type: 'ready' }>;

export class BenchChild<
  Request extends { type: string } = never,
  Report extends { type: string } = never,
  Extra = Record<string, never>,
> {
  private exitCode?: number | null;
  private readonly exitedPromise: Promise<void>;

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
    readonly ready: Ready,
  ) {
    this.exitedPromise = new Promise((resolve) => {
      if (child.exitCode !== null) {
        this.exitCode = child.exitCode;
        resolve();
      } else
        child.once('exit', (code) => {
          this.exitCode = code;
          resolve();
        });
    });
  }

  static async start<
    Request extends { type: string } = never,
    Report extends { type: string } = never,
    Extra = Record<string, never>,
  >(script: string, options: ChildOptions): Promise<BenchChild<Request, Report, Extra>> {
    const fd = options.logFile ? openSync(options.logFile, 'a') : undefined;
    const child = fork(script, options.args ?? [], {
      // --expose-gc only lets the bench measure live memory (`stats` with gc).
      execArgv: ['--expose-gc', ...(options.nodeArgs ?? [])],
      env: { ...process.env, ...options.env },
      stdio: fd === undefined ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', fd, fd, 'ipc'],
    });
    if (fd !== undefined) closeSync(fd);
    // Its output never goes into the bench's report on stdout.
    child.stdout?.pipe(process.stderr);
    const ready = await reply<Ready>(
      child,
      options.label,
      'ready',
      options.readyTimeoutMs ?? 60_000,
    );
    return new BenchChild<Request, Report, Extra>(options.label, child, ready);
  }

  get port(): number {
    return this.ready.port;
  }

  /** True once the child has exited (on its own or stopped). */
  get exited(): boolean {
    return this.exitCode !== undefined || this.child.exitCode !== null;
  }

  /** Sends a request and waits for the report of `type` (or the child's failure). */
  call<T extends Report['type'] | SharedReport['type']>(
    request: Request | SharedRequest,
    type: T,
    timeoutMs = 60_000,
  ): Promise<Extract<Report | SharedReport<Extra>, { type: T }>> {
    if (this.exited) return Promise.reject(new Error(`${this.label} is gone`));
    const answer = reply<Extract<Report | SharedReport<Extra>, { type: T }>>(
      this.child,
      this.label,
      type,
      timeoutMs,
    );
    this.child.send(request);
    return answer;
  }

  /** Memory, CPU and the child's own figures; `reset` starts a new peak; `gc` collects first. */
  stats(
    options: { reset?: boolean; gc?: boolean } = {},
  ): Promise<Extract<SharedReport<Extra>, { type: 'stats' }>> {
    return this.call({ type: 'stats', ...options }, 'stats') as Promise<
      Extract<SharedReport<Extra>, { type: 'stats' }>
    >;
  }

  /** Starts the child's CPU profiler, or stops it and writes the profile to `file`. */
  async profile(action: 'start' | 'stop', file = ''): Promise<void> {
    await this.call(
      action === 'start' ? { type: 'profile', action } : { type: 'profile', action, file },
      'profiled',
    );
  }

  /** kill -9, and wait until the process is gone. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exitedPromise;
  }

  /** Asks the child to close and exit; kills it after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.send({ type: 'stop' } satisfies SharedRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }
}

/** The child's next report of `type`; fails if it reports a failure, exits or times out. */
function reply<R>(child: ChildProcess, label: string, type: string, timeoutMs: number): Promise<R> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', listener);
      child.off('exit', onExit);
    };
    const listener = (report: { type: string; message?: string }) => {
      if (report.type === 'failed') {
        done();
        reject(new Error(`${label} failed while the bench waited for ${type}: ${report.message}`));
      } else if (report.type === type) {
        done();
        resolve(report as R);
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`${label} exited (code ${code}) while the bench waited for ${type}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${label} did not answer ${type} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', listener);
    child.once('exit', onExit);
  });
}
