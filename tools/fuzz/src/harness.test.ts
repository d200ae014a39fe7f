import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMutations, fromSeeds, MUTATION_KINDS, noise, type FuzzInput, type Mutation } from './bytes.js';
import { growthDuring } from './memory.js';
import { fuzz } from './property.js';
import { Watchdog } from './watchdog.js';

// The fuzz suites are only as good as their harness: these make sure each part of it works.

const watchdog = new Watchdog(30_000);
afterAll(() => watchdog.stop());

describe('fuzz harness', () => {
  it('mutates deterministically, within the length bound, in many ways', () => {
    const input = Uint8Array.from({ length: 200 }, (_, i) => i);
    const lists: Mutation[][] = Array.from({ length: 60 }, (_, i) => [
      [i % MUTATION_KINDS, i * 37, i * 7919],
      [(i * 3) % MUTATION_KINDS, i * 11, i * 104729],
    ]);
    const a = lists.map((m) => applyMutations(input, m, [noise(300, 5)], 220));
    const b = lists.map((m) => applyMutations(input, m, [noise(300, 5)], 220));
    expect(a).toEqual(b);
    expect(a.every((m) => m.length <= 220)).toBe(true);
    expect(new Set(a.map((m) => Buffer.from(m).toString('hex'))).size).toBeGreaterThan(50);
    // The input itself is never changed.
    expect(input[5]).toBe(5);
  });

  it('reports a failure shrunk, with the seed and path that replay it', () => {
    const seeds = [{ origin: 'ten bytes', bytes: noise(10, 3) }];
    expect(seeds[0]!.bytes.includes(0x2a)).toBe(false);
    const target = { name: 'finds a 0x2a byte', file: 'x.test.ts', arbitrary: fromSeeds(seeds, { maxRandom: 0 }), runs: 5000, watch: (x: FuzzInput) => ({ bytes: x.bytes, tag: 0 }) };
    let error: Error | undefined;
    try {
      fuzz(target, watchdog, (x) => {
        if (x.bytes.includes(0x2a)) throw new RangeError('found 0x2a');
      });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^finds a 0x2a byte: Property failed after \d+ tests/);
    expect(error?.message).toMatch(/Got (error: )?RangeError: found 0x2a/);
    // Shown as the seed, the changes made to it and the bytes, after shrinking.
    expect(error?.message).toMatch(/Counterexample: \[ten bytes mutated \[(\[\d+,\d+,\d+\],?){1,4}\] \(\d+ bytes: [0-9a-f]*2a[0-9a-f]*\)\]\nShrunk [1-9]\d* time/);
    expect(error?.message).toMatch(/Replay: FUZZ_SEED=\d+ FUZZ_PATH=[\d:]+ npx vitest run --project pure x\.test\.ts -t "finds a 0x2a byte"/);
  });

  it('replays the failing input from its seed and path alone', () => {
    const arbitrary = fc.nat(1000);
    let found: number | undefined;
    const params = { seed: 42, numRuns: 10000 };
    const details = fc.check(fc.property(arbitrary, (n) => n < 700), params);
    expect(details.failed).toBe(true);
    fc.check(
      fc.property(arbitrary, (n) => {
        if (n >= 700) found ??= n;
        return n < 700;
      }),
      { ...params, path: details.counterexamplePath! },
    );
    expect(found).toBe(details.counterexample![0]);
  });

  it('sees a 100 MB buffer made and dropped during an input', () => {
    const grew = growthDuring(() => {
      const big = new Uint8Array(100 * 1024 * 1024);
      big[0] = 1;
    });
    expect(grew).toBeGreaterThan(90 * 1024 * 1024);
    expect(growthDuring(() => void new Uint8Array(1024))).toBeLessThan(8 * 1024 * 1024);
  });

  it('notices an input that makes no progress', async () => {
    const dog = new Watchdog(300, { kill: false });
    dog.begin('stall');
    dog.enter(Uint8Array.of(1), 1, 0);
    const until = Date.now() + 2000;
    // Stands in for a decoder that never returns: the main thread is blocked, the watcher is not.
    while (Date.now() < until && !dog.stalled) {
      /* spin */
    }
    expect(dog.stalled).toBe(true);
    await dog.stop();
  });
});
