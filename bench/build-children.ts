import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Transpiles src/ and the bench's server files to plain CommonJS under bench/out/build, so the
 * measured servers run on bare `node` like `npm start` does (no tsx loader in their memory or
 * CPU). Type-only transpilation, file by file (the project has `isolatedModules`), in ~1 s.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out', 'build');

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

function emit(file: string): void {
  const target = path.join(OUT, path.relative(ROOT, file));
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

/** Builds the server entry points; returns the path of the compiled child script. */
export function buildChildren(): string {
  rmSync(OUT, { recursive: true, force: true });
  const sources = walk(path.join(ROOT, 'src')).filter(
    (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || file.endsWith('.json'),
  );
  const benchFiles = ['server-child.ts', 'echo-bot.ts'].map((name) =>
    path.join(ROOT, 'bench', name),
  );
  for (const file of [...sources, ...benchFiles]) emit(file);
  return path.join(OUT, 'bench', 'server-child.js');
}
