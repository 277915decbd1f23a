import { existsSync } from 'node:fs';
import path from 'node:path';

function findProjectRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The repository root, whether running from src/ (tests, tsx) or dist/src/ (npm start). */
export const PROJECT_ROOT = findProjectRoot(__dirname);

/** A path inside the repository. */
export function projectPath(...segments: string[]): string {
  return path.resolve(PROJECT_ROOT, ...segments);
}
