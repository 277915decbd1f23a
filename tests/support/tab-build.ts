import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectPath } from '../../src/project-paths';

/** The newest modification time under `dir` (files only). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const file = path.join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }, 0);
}

/**
 * `npm install` builds the tab (prepare) and CI runs `npm ci`; a checkout that skipped it, or tab
 * sources edited since the last build, get a fresh build here (a few seconds).
 */
export function ensureTabBuilt(): void {
  const built = projectPath('tab', 'dist', 'index.html');
  const sources = Math.max(
    newest(projectPath('tab', 'src')),
    statSync(projectPath('tab', 'index.html')).mtimeMs,
    statSync(projectPath('tab', 'vite.config.mts')).mtimeMs,
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    execFileSync('npm', ['run', 'build:tab'], { cwd: projectPath(), stdio: 'ignore' });
  }
}
