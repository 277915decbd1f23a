import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Transpiles src/ and a bench's child entry points to plain CommonJS under bench/out, so the
 * measured servers run on bare `node` like `npm start` does (no tsx loader in their memory or
 * CPU). Type-only transpilation, file by file (the project has `isolatedModules`), in ~1 s.
 */
const ROOT = path.resolve(__dirname, '..');

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  esModuleInterop: true,
  resolveJsonModule: true,
  isolatedModules: true,
  sourceMap: false,
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

function emit(file: string, out: string): void {
  const target = path.join(out, path.relative(ROOT, file));
  mkdirSync(path.dirname(target), { recursive: true });
  if (file.endsWith('.json')) {
    copyFileSync(file, target);
    return;
  }
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: COMPILER_OPTIONS,
    fileName: file,
  });
  writeFileSync(target.replace(/\.ts$/, '.js'), output.outputText);
}

/** Builds the given bench files, and src/ unless told not to, into `out` (emptied first). */
function transpileForNode(out: string, benchFiles: string[], withSources = true): void {
  rmSync(out, { recursive: true, force: true });
  const sources = withSources
    ? walk(path.join(ROOT, 'src')).filter(
        (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || file.endsWith('.json'),
      )
    : [];
  for (const file of [...sources, ...benchFiles.map((name) => path.join(ROOT, 'bench', name))])
    emit(file, out);
}

/** The turns bench's servers (Brevet and echo); returns the compiled child script. */
export function buildChildren(): string {
  const out = path.join(ROOT, 'bench', 'out', 'build');
  transpileForNode(out, ['server-child.ts', 'child-runtime.ts', 'echo-bot.ts']);
  return path.join(out, 'bench', 'server-child.js');
}

/**
 * The delivery bench's app child, in its own directory (`name`: one per run, so a second run
 * does not rebuild under a running one, nor under bench/turns.ts); returns the compiled script.
 */
export function buildDeliveryChild(name: string): { script: string; remove(): void } {
  const out = path.join(ROOT, 'bench', 'out', 'delivery-build', name);
  transpileForNode(out, ['delivery-child.ts', 'child-runtime.ts']);
  return {
    script: path.join(out, 'bench', 'delivery-child.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

/** The HTTP load generator (bench/load-child.ts; no app code), in a directory of its own. */
export function buildLoadChild(): { script: string; remove(): void } {
  const out = path.join(ROOT, 'bench', 'out', 'load-build', String(process.pid));
  transpileForNode(out, ['load-child.ts', 'child-runtime.ts'], false);
  return {
    script: path.join(out, 'bench', 'load-child.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
