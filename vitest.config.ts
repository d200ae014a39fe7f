import { defineConfig } from 'vitest/config';

// Two projects: `pure` tests need nothing but Node; `live` tests capture for real with
// libpcap (root, loopback or a network namespace they create). CI runs both.
const live = ['packages/*/src/**/*.live.test.ts', 'tools/*/src/**/*.live.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default', './tools/test-summary.ts'],
    projects: [
      {
        test: {
          name: 'pure',
          include: ['packages/*/src/**/*.test.ts', 'tools/*/src/**/*.test.ts', 'tools/*/test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', ...live],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'live',
          include: live,
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
