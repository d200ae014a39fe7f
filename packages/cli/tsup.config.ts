import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: false,
    // The parallel reader starts its threads from new URL('./read-worker.js', import.meta.url).
    shims: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { bin: 'src/bin.ts', 'read-worker': 'src/parallel/read-worker.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
