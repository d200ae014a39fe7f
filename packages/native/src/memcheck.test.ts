// The addon under valgrind when only worker threads load it: each worker that exits unloads
// it, the next loads it again. The libpcap function table used to be allocated on every such
// load and never freed (456 bytes per worker); it now lives and dies with the addon.
// The full runs are `pnpm --filter @pcap/native valgrind` and `... asan` (RELIABILITY.md).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distMissing, have, packageRoot, run } from './test/helpers.js';

const reason = !have('valgrind') ? 'valgrind not installed' : distMissing();
if (reason) console.log(`memcheck.test.ts: skipped, ${reason}`);

async function lostAfter(rounds: number): Promise<number> {
  const r = await run(
    'valgrind',
    [
      '--undef-value-errors=no',
      '--leak-check=full',
      '--errors-for-leak-kinds=none',
      '--error-exitcode=99',
      process.execPath,
      join(packageRoot, 'scripts', 'valgrind-smoke.mjs'),
      '--workers-only',
      '--rounds',
      String(rounds),
    ],
    { timeoutMs: 240_000 },
  );
  expect(r.code, r.stderr.slice(-3000)).toBe(0);
  expect(r.stdout).toContain(`workers-only × ${rounds} rounds, 0 failed`);
  const m = /definitely lost: ([\d,]+) bytes/.exec(r.stderr);
  return Number((m?.[1] ?? '0').replaceAll(',', ''));
}

describe.skipIf(reason !== undefined)('valgrind: addon loaded only by workers', () => {
  it('loses nothing more with two worker loads than with one, and makes no invalid access', { timeout: 480_000 }, async () => {
    const one = await lostAfter(1);
    const two = await lostAfter(2);
    expect(two).toBe(one);
  });
});
