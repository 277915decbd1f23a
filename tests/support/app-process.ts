import { type ChildProcess, spawn } from 'node:child_process';
import { projectPath } from '../../src/project-paths';

/** The app running in a child process (tests/support/app-main.ts). */
export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  post(activity: unknown): Promise<number>;
  /** kill -9: no shutdown, no settling of what is in flight. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

// tsx compiles the app at start: slow on a loaded two-core machine.
const START_TIMEOUT_MS = 90_000;

export async function startAppProcess(
  env: Record<string, string | undefined>,
  options: object = {},
): Promise<AppProcess> {
  // Node itself with tsx's loader, not the `tsx` command: that is a wrapper process, and a
  // kill -9 of the wrapper would leave the app running as an orphan.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', projectPath('tests', 'support', 'app-main.ts')],
    {
      cwd: projectPath(),
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        BREVET_TEST_MODE: 'true',
        ...env,
        BREVET_TEST_OPTIONS: JSON.stringify(options),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`app did not start: ${stderr}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}: ${stderr}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    child,
    baseUrl,
    async post(activity) {
      const response = await fetch(`${baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(activity),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async crash() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
