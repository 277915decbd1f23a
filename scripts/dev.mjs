#!/usr/bin/env node
// `npm run dev`: build, then run Brevet and the Microsoft 365 Agents Playground side by side.
//
// - Brevet: `node dist/src/index.js` on PORT (default 3978), SQLite at SQLITE_PATH (default
//   data/brevet.sqlite). With no BOT_ID, inbound auth is off, as the playground needs.
// - Playground (@microsoft/m365agentsplayground, a devDependency): a Teams-like web chat with a
//   mock Bot Connector, fully offline, no browser opened (TEAMSAPPTESTER_BROWSER=none). It reads
//   .m365agentsplayground.yml from the repo root (mock users, team "Unit Alpha") and logs to
//   devTools/m365agentsplayground.log (git-ignored; its errors appear there only, and below when
//   it dies). PLAYGROUND_PORT overrides 56150; if the port is taken the playground picks a
//   random one, and the URL printed below is the real one.
// - Every activity the playground sends says locale en-US (hard-coded in 0.2.28, neither the
//   config file nor the browser changes it): type `language fr` (nl, de) to switch languages.
//
// Ctrl-C (or SIGTERM) stops both; if either one exits, the other is stopped too.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const appPort = Number(process.env.PORT || 3978);
const playgroundPort = Number(process.env.PLAYGROUND_PORT || 56150);
const botEndpoint = `http://127.0.0.1:${appPort}/api/messages`;

/** Prefixes each line a child writes, so the two logs stay readable side by side. */
function pipeLines(stream, prefix, target, onLine = () => {}) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      target.write(`${prefix} ${line}\n`);
      onLine(line);
    }
  });
  stream.on('end', () => pending && target.write(`${prefix} ${pending}\n`));
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port (or gives up). */
async function waitForPort(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

// 1. Build what is missing or older than its sources (as `npm start` does); stop if it fails.
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-stale.cjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error(`[dev] build failed (${build.error?.message ?? `exit code ${build.status}`})`);
  process.exit(build.status || 1);
}

// 2. Start both children.
const children = new Map();
let stopping = false;
let exitCode = 0;

function printLogTail() {
  try {
    const lines = readFileSync(playgroundLog, 'utf8').trim().split('\n').slice(-15);
    console.error(`[dev] last lines of ${path.relative(root, playgroundLog)}:`);
    for (const line of lines) console.error(`[playground log] ${line}`);
  } catch {
    // no log yet
  }
}

function stopAll(reason) {
  if (stopping) return;
  stopping = true;
  console.log(`[dev] ${reason}: stopping`);
  for (const child of children.values()) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  // Whatever has not exited after 5 s is killed; the timer does not keep the process alive.
  setTimeout(() => {
    for (const child of children.values()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 5000).unref();
}

function start(name, args, env, onLine) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  pipeLines(child.stdout, `[${name}]`, process.stdout, onLine);
  pipeLines(child.stderr, `[${name}]`, process.stderr, onLine);
  child.on('error', (error) => {
    console.error(`[dev] ${name} could not start: ${error.message}`);
    exitCode ||= 1;
    stopAll(`${name} failed`);
  });
  child.on('exit', (code, signal) => {
    // Ctrl-C reaches the children too (same process group): give our own SIGINT handler a
    // moment to run first, so a child stopping on Ctrl-C is not reported as a crash.
    setTimeout(() => {
      if (!stopping) {
        console.error(`[dev] ${name} exited (${signal ?? `code ${code}`})`);
        if (name === 'playground') printLogTail();
        exitCode ||= code || 1;
        stopAll(`${name} exited`);
      }
      if ([...children.values()].every((c) => c.exitCode !== null || c.signalCode !== null)) {
        process.exit(exitCode);
      }
    }, 100);
  });
  return child;
}

start('brevet', [path.join(root, 'dist', 'src', 'index.js')], { PORT: String(appPort) });

// The playground's own messages (a bad config file, for one) go to this file, not to stdout.
const playgroundLog = path.join(root, 'devTools', 'm365agentsplayground.log');
const playgroundEnv = {
  TEAMSAPPTESTER_BROWSER: 'none',
  BOT_ENDPOINT: botEndpoint,
  M365_AGENTS_PLAYGROUND_CONFIG_PATH: path.join(root, '.m365agentsplayground.yml'),
  M365_AGENTS_PLAYGROUND_LOGFILE: playgroundLog,
};
let announced = false;
start(
  'playground',
  [
    require.resolve('@microsoft/m365agentsplayground/cli.js'),
    '--disable-telemetry',
    '-c',
    'msteams',
    '-p',
    String(playgroundPort),
  ],
  playgroundEnv,
  (line) => {
    const match = /Listening on (\d+)/.exec(line);
    if (!match || announced) return;
    announced = true;
    void waitForPort(appPort, 30_000).then((ready) => {
      if (stopping) return;
      if (!ready) console.warn(`[dev] Brevet does not answer on port ${appPort} yet`);
      console.log(
        `\n[dev] Agents Playground: http://localhost:${match[1]}  (bot: ${botEndpoint})\n` +
          '[dev] Open it in a browser; Ctrl-C stops both.\n',
      );
    });
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  // A requested stop exits 0 (unless a child had already failed).
  process.on(signal, () => stopAll(signal));
}
