import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The "My brevet" tab: built into tab/dist, served by the Brevet server under /tab/
 * (src/http/tab-routes.ts). `npm install` builds it (the `prepare` script).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  // React 17+ automatic JSX runtime, compiled by Vite's own transformer (no Babel plugin needed).
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    // Everything the first render needs is one entry chunk (React, Fluent UI, teams-js); its
    // gzipped size is what bench/RESULTS.md tracks (budget: 350 KB).
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Fluent UI marks its modules 'use client' (for React Server Components); meaningless
        // in a client-only bundle, and one warning per module would bury real ones.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
