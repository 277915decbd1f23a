/**
 * The real entry point (src/index.ts, as `npm start` runs it) without BOT_ID: nothing is
 * authenticated, so it listens on loopback only, and says so.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { projectPath } from '../../src/project-paths';
import { tempDir } from '../support/brevet-harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** This machine's addresses other than loopback (there may be none in a sandbox). */
function otherAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((info) => info && !info.internal && info.family === 'IPv4')
    .map((info) => info!.address);
}

describe('npm start without BOT_ID', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('listens on loopback only and says so at start', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('src', 'index.ts')], {
      cwd: projectPath(),
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        SQLITE_PATH: `${tmp.dir}/brevet.sqlite`,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no start within 60 s')), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            lines.push(JSON.parse(line) as Record<string, unknown>);
            if (String(lines.at(-1)!.msg).includes('loopback only')) {
              clearTimeout(timer);
              resolve();
            }
          }
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(lines.find((l) => String(l.msg).startsWith('Brevet listening'))).toMatchObject({
        host: '127.0.0.1',
        authenticated: false,
      });
      expect(lines.find((l) => String(l.msg).includes('loopback only'))?.level).toBe(40);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      for (const address of otherAddresses())
        await expect(fetch(`http://${address}:${port}/healthz`)).rejects.toThrow();
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
