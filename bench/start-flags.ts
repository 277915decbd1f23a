import { readFileSync } from 'node:fs';
import { projectPath } from '../src/project-paths';

/**
 * The node flags `npm start` runs the app with (package.json `scripts.start`, e.g.
 * `--max-old-space-size=192`), so that benchmarks measure the app as it is started.
 */
export function startNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  const words = (pkg.scripts?.start ?? '').split(/\s+/);
  if (words[0] !== 'node') return [];
  const flags: string[] = [];
  for (const word of words.slice(1)) {
    if (!word.startsWith('--')) break;
    flags.push(word);
  }
  return flags;
}
