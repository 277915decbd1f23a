import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Transpiles src/ and bench/delivery-child.ts to plain CommonJS under bench/out/delivery-build,
 * so the app measured by bench/delivery.ts runs on bare `node` as `npm start` would (no tsx
 * loader thread in its memory or CPU). Type-only transpilation, file by file (`isolatedModules`).
 * Its own directory: bench/turns.ts rebuilds bench/out/build and may run at the same time.
 */
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out', 'delivery-build');

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

/**
 * Builds the app and the child entry point into its own directory (`name`: one per bench run,
 * so a second run does not rebuild under a running one); returns the compiled child script.
 */
export function buildDeliveryChild(name: string): { script: string; remove(): void } {
  const out = path.join(OUT, name);
  rmSync(out, { recursive: true, force: true });
  const sources = walk(path.join(ROOT, 'src')).filter(
    (file) => (file.endsWith('.ts') && !file.endsWith('.d.ts')) || file.endsWith('.json'),
  );
  for (const file of [...sources, path.join(ROOT, 'bench', 'delivery-child.ts')]) emit(file, out);
  return {
    script: path.join(out, 'bench', 'delivery-child.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
