/**
 * What a fuzz run reads from the environment. Every package's suite uses the same variables,
 * so one command scales them all (see CONTRIBUTING.md, "Fuzzing").
 */

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not "${v}"`);
  return n;
}

/**
 * `FUZZ_ITERATIONS`: generated inputs for the main property of each entry point (default
 * sized so that every suite together runs in seconds in CI); each property takes its share
 * of it (see `runsFor`).
 */
export const ITERATIONS = envInt('FUZZ_ITERATIONS', 30_000);

/** `FUZZ_SEED`: fast-check's seed, fixed by default so every CI run checks the same inputs. */
export const SEED = envInt('FUZZ_SEED', 20_240_601) | 0;

/** `FUZZ_PATH`: replays one failure: the `path` a failure report printed, with its `FUZZ_SEED`. */
export const REPLAY_PATH = process.env['FUZZ_PATH'] || undefined;

/** `FUZZ_STALL_SECONDS`: seconds one input may run before it is declared hung (default 30). */
export const STALL_MS = envInt('FUZZ_STALL_SECONDS', 30) * 1000;

/** `FUZZ_REPORT`: a file to which each property appends one JSON line of its numbers. */
export const REPORT_FILE = process.env['FUZZ_REPORT'] || undefined;

/** Runs of a property that gets `share` of `FUZZ_ITERATIONS`, and never fewer than `min`. */
export function runsFor(share: number, min = 50): number {
  return Math.max(min, Math.round(ITERATIONS * share));
}

/**
 * A test's time limit for `runs` inputs: a safety net against a runaway loop around the
 * inputs (a hung input is reported by the watchdog long before), never a speed check.
 */
export function timeoutFor(runs: number): number {
  return 120_000 + runs * 2;
}
