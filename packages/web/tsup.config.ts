import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { defineConfig } from 'tsup';

/** The page: plain TypeScript and uPlot bundled into one script and one stylesheet, served from dist/page. */
async function buildPage(): Promise<void> {
  await mkdir('dist/page', { recursive: true });
  await build({
    entryPoints: { app: 'src/page/app.ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: 'dist/page',
    sourcemap: false,
    legalComments: 'none',
    banner: { js: '/*! Includes uPlot, Copyright (c) Leon Sorokin, MIT License: see THIRD-PARTY-LICENSES.txt */' },
    logLevel: 'warning',
  });
  await copyFile('src/page/index.html', 'dist/page/index.html');
  // The bundle carries uPlot, so its license travels with it.
  const license = await readFile('node_modules/uplot/LICENSE', 'utf8');
  await writeFile('dist/page/THIRD-PARTY-LICENSES.txt', `uPlot (https://github.com/leeoniya/uPlot)\n\n${license}`);
}

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    shims: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // The capture worker is loaded by path (new Worker(new URL('./worker.js', import.meta.url))).
    entry: ['src/worker.ts'],
    format: ['esm'],
    sourcemap: true,
    clean: false,
    target: 'node20',
    platform: 'node',
    onSuccess: buildPage,
  },
]);
