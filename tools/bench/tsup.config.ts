import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/run.ts', 'src/generate.ts', 'src/child.ts', 'src/floor.ts'],
  format: ['esm'],
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  external: [/^@pcap\//],
});
