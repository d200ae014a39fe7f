import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Repository root, from this file's place in it. */
export const REPO_ROOT = resolve(here, '../../../..');

/** Where seed captures come from: the repository's fixtures and the shared corpus beside the repository. */
export const SEED_DIRS = [resolve(REPO_ROOT, 'fixtures'), resolve(REPO_ROOT, '../shared/corpus')];

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${v}"`);
  return n;
}

/** Mutated packets to decode: `FUZZ_ITERATIONS` (default sized for a CI run of a few seconds). */
export const ITERATIONS = envInt('FUZZ_ITERATIONS', 30_000);

/** The PRNG seed: `FUZZ_SEED`, fixed by default so every CI run checks the same inputs. */
export const SEED = envInt('FUZZ_SEED', 20_240_601);

/** Seconds without progress before an input is declared hung: `FUZZ_STALL_SECONDS`. */
export const STALL_MS = envInt('FUZZ_STALL_SECONDS', 30) * 1000;

/**
 * Per-test time limit: a safety net sized to the iteration count (about 15 times the usual
 * throughput), not a speed check; a hung input is reported by the watchdog long before.
 */
export const TEST_TIMEOUT_MS = 60_000 + ITERATIONS;

/** Findings listed in a failure report before the rest are counted only. */
export const MAX_REPORTED = 10;
