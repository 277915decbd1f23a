import { type ChildProcess, spawn } from 'node:child_process';
import { projectPath } from '../../src/project-paths';
import { type ConnectorCommand } from './connector-main';
import { type ConnectorCounts, type FakeMember } from './fake-connector';

const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;

/**
 * The Bot Connector stand-in (FakeConnector) in a process of its own, for a test that measures
 * the rate the app sends at. Teams counts requests on its own machines; a stand-in inside the
 * test runner counts them when the runner's event loop gets to them, so a busy moment of the
 * runner (a garbage collection, another suite's work) bunches a second's requests into the next
 * one and makes 429s the app did not cause.
 */
export class ConnectorProcess {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting || message.id === undefined) return;
      this.pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
  }

  static async start(): Promise<ConnectorProcess> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', projectPath('tests', 'support', 'connector-main.ts')],
      { cwd: projectPath(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error('the connector stand-in did not start'));
      }, START_TIMEOUT_MS);
      child.once('message', (message: { ready?: boolean; url?: string }) => {
        clearTimeout(timer);
        if (message.ready && message.url) resolve(message.url);
        else reject(new Error(`unexpected first message ${JSON.stringify(message)}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the connector stand-in exited with ${code}`));
      });
    });
    return new ConnectorProcess(child, url);
  }

  private call<T>(message: ConnectorCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`connector stand-in: no answer to ${message.call}`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.child.send({ id, ...message });
    });
  }

  setRoster(teamId: string, members: FakeMember[]): Promise<void> {
    return this.call({ call: 'setRoster', args: [teamId, members] });
  }

  /** Above `rps` sends in a second, answer 429 with `Retry-After: retryAfterSeconds`. */
  throttleAbove(rps: number | undefined, retryAfterSeconds = 1): Promise<void> {
    return this.call({ call: 'throttleAbove', args: [rps, retryAfterSeconds] });
  }

  /** Record full activities, or only count them. */
  setRecord(record: boolean): Promise<void> {
    return this.call({ call: 'setRecord', args: [record] });
  }

  /** Message activities sent so far (cheap enough to poll). */
  sentCount(): Promise<number> {
    return this.call({ call: 'sentCount', args: [] });
  }

  counts(): Promise<ConnectorCounts> {
    return this.call({ call: 'counts', args: [] });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
