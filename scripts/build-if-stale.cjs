// @ts-check
// `npm start` (prestart) and `npm run dev` build only what is missing or older than its sources:
// an unchanged restart starts at once (App Service restarts instances with `npm start`; a full
// tsc + vite build took about 12 s of each restart). `node scripts/build-if-stale.cjs` builds;
// `--check` only prints what is stale.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

/**
 * Each part: what it is built from, the file whose age says when it was last built, and the
 * npm script that builds it.
 */
const PARTS = [
  {
    name: 'server',
    sources: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'],
    output: 'dist/src/index.js',
    script: 'build:server',
  },
  {
    name: 'tab',
    sources: ['tab', 'package-lock.json'],
    output: 'tab/dist/index.html',
    script: 'build:tab',
    skip: ['tab/dist'],
  },
];

/** The newest modification time under `entry` (a file or a folder), skipping `skip` folders. */
function newestMtime(root, entry, skip) {
  const full = path.join(root, entry);
  if (!existsSync(full) || skip.includes(entry)) return 0;
  const stat = statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(full))
    newest = Math.max(newest, newestMtime(root, path.join(entry, child), skip));
  return newest;
}

/** The parts whose output is missing or older than one of their sources. */
function staleParts(root) {
  return PARTS.filter((part) => {
    const output = path.join(root, part.output);
    if (!existsSync(output)) return true;
    const built = statSync(output).mtimeMs;
    return part.sources.some((source) => newestMtime(root, source, part.skip ?? []) > built);
  });
}

function main() {
  const root = path.resolve(__dirname, '..');
  const stale = staleParts(root);
  if (process.argv.includes('--check')) {
    console.log(stale.map((part) => part.name).join(' ') || 'up to date');
    return;
  }
  if (stale.length === 0) {
    console.log('[build] dist/ and tab/dist/ are up to date: no build');
    return;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  for (const part of stale) {
    console.log(
      `[build] ${part.name} is missing or older than its sources: npm run ${part.script}`,
    );
    const result = spawnSync(npm, ['run', part.script], {
      cwd: root,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    });
    if (result.status !== 0) process.exit(result.status || 1);
  }
}

module.exports = { PARTS, staleParts };
if (require.main === module) main();
