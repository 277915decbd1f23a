import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/brevet-harness';

// The prestart script is CommonJS so that `npm start` runs it with plain node, before any build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { staleParts } = require('../../scripts/build-if-stale.cjs') as {
  staleParts: (root: string) => { name: string }[];
};

describe('npm start builds only what is missing or older than its sources', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const HOUR = 3600;
  const at = (root: string, file: string, secondsAgo: number, content = 'x') => {
    const full = path.join(root, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
    const when = Date.now() / 1000 - secondsAgo;
    utimesSync(full, when, when);
  };
  const names = (root: string) => staleParts(root).map((part) => part.name);

  function project(name: string): string {
    const root = path.join(tmp.dir, name);
    at(root, 'package-lock.json', 3 * HOUR);
    at(root, 'tsconfig.json', 3 * HOUR);
    at(root, 'tsconfig.build.json', 3 * HOUR);
    at(root, 'src/index.ts', 2 * HOUR);
    at(root, 'src/http/server.ts', 2 * HOUR);
    at(root, 'tab/src/App.tsx', 2 * HOUR);
    return root;
  }

  it('builds both on a fresh clone (no dist/)', () => {
    expect(names(project('fresh'))).toEqual(['server', 'tab']);
  });

  it('builds nothing when both outputs are newer than every source', () => {
    const root = project('built');
    at(root, 'dist/src/index.js', HOUR);
    at(root, 'tab/dist/index.html', HOUR);
    expect(names(root)).toEqual([]);
  });

  it('rebuilds only the server when a server source changed, however deep', () => {
    const root = project('server-changed');
    at(root, 'dist/src/index.js', HOUR);
    at(root, 'tab/dist/index.html', HOUR);
    at(root, 'src/http/server.ts', 60);
    expect(names(root)).toEqual(['server']);
  });

  it('rebuilds only the tab when a tab source changed; its own output does not count', () => {
    const root = project('tab-changed');
    at(root, 'dist/src/index.js', HOUR);
    at(root, 'tab/dist/index.html', HOUR);
    at(root, 'tab/dist/assets/index.js', 10);
    expect(names(root)).toEqual([]);
    at(root, 'tab/src/App.tsx', 60);
    expect(names(root)).toEqual(['tab']);
  });

  it('rebuilds both after dependencies changed (package-lock.json)', () => {
    const root = project('deps-changed');
    at(root, 'dist/src/index.js', HOUR);
    at(root, 'tab/dist/index.html', HOUR);
    at(root, 'package-lock.json', 60);
    expect(names(root)).toEqual(['server', 'tab']);
  });
});
