import { fromSeeds, fuzz, noise, runsFor, STALL_MS, timeoutFor, Watchdog, type FuzzInput } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LAYERS } from '../packet.js';
import { defaultRegistry } from '../protocols/index.js';
import { Exerciser, FuzzFinding } from './exercise.js';
import { MAX_REPORTED, SEED_DIRS } from './settings.js';
import { loadSeeds } from './sources.js';

// Never crash: no bytes may make decodePacket, any field, any layer getter or the summary
// throw, return output out of proportion to the input, or hang. Inputs come from fast-check
// (seed FUZZ_SEED, FUZZ_ITERATIONS of them); see CONTRIBUTING.md, "Fuzzing".

const FILE = 'packages/decode/src/fuzz/decode.test.ts';
const registry = defaultRegistry();
const linkTypes = registry.keys('linktype');
const { packets: seeds, missing } = loadSeeds(SEED_DIRS, 8);
for (const dir of missing) console.log(`fuzz: no seed captures in ${dir} (absent); using the hand-made seeds and the others`);

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** Runs every input of an exhaustive sweep, collecting findings instead of stopping at the first. */
class Sweep {
  readonly exerciser = new Exerciser(registry);
  readonly findings: string[] = [];
  inputs = 0;

  constructor(name: string) {
    watchdog.begin(name);
  }

  one(data: Uint8Array, linkType: number, how: string): void {
    watchdog.enter(data, linkType, this.inputs);
    this.inputs++;
    try {
      this.exerciser.run(data, linkType);
    } catch (e) {
      if (!(e instanceof FuzzFinding)) throw e;
      if (this.findings.length < MAX_REPORTED) this.findings.push(`${how}: ${e.message}`);
      else this.findings.push('');
    }
  }

  check(): void {
    const shown = this.findings.filter((f) => f.length > 0);
    const more = this.findings.length - shown.length;
    expect(shown, `${this.findings.length} inputs failed${more ? ` (${more} not shown)` : ''}`).toEqual([]);
  }
}

describe('never crash: decoders, fields, getters and summaries', () => {
  it('knows some link types to fuzz', () => {
    expect(linkTypes.length).toBeGreaterThan(0);
    expect(MAX_LAYERS).toBeGreaterThan(0);
  });

  it('survives every truncation of every seed packet, as its own link type', () => {
    const run = new Sweep('truncated seeds');
    for (const s of seeds) {
      // Every cut of the first bytes (where the headers are), then cuts spread over the rest;
      // fewer for the many packets taken from capture files than for the hand-made ones.
      const handMade = !s.origin.includes('#');
      const head = handMade ? 128 : 64;
      const spread = handMade ? 32 : 12;
      const cuts = new Set<number>();
      for (let n = 0; n <= Math.min(head, s.data.length); n++) cuts.add(n);
      for (let k = 1; k <= spread; k++) cuts.add(Math.floor((s.data.length * k) / spread));
      for (const n of cuts) run.one(s.data.subarray(0, n), s.linkType, `${s.origin} cut to ${n}`);
    }
    console.log(`fuzz: ${run.inputs} truncated seed packets from ${seeds.length} seeds`);
    run.check();
  });

  it('survives every seed packet and random bytes decoded as every link type the registry knows', () => {
    const run = new Sweep('seeds as every link type');
    for (const lt of linkTypes) {
      for (const s of seeds) run.one(s.data, lt, `${s.origin} as link type ${lt}`);
      for (let i = 0; i < 300; i++) {
        const len = i < 100 ? i : (i * 7919) % 1600;
        run.one(noise(len, i + 1), lt, `noise(${len}, ${i + 1}) as link type ${lt}`);
      }
    }
    // A link type nothing decodes is data, not an error.
    run.one(noise(40, 1), 0xfffe, 'unknown link type');
    console.log(`fuzz: ${run.inputs} seed and random inputs over ${linkTypes.length} link types (${linkTypes.join(', ')})`);
    run.check();
  });

  const runs = runsFor(1);
  const name = `survives ${runs} generated packets over every link type`;
  it(
    name,
    () => {
      const exerciser = new Exerciser(registry);
      const perLinkType = new Map<number, number>();
      // The seed's own link type most of the time (mutations reach deep layers); any other the rest.
      const arbitrary = fc.tuple(
        fromSeeds(seeds.map((s) => ({ origin: s.origin, bytes: s.data }))),
        fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...linkTypes) }),
        fc.nat(linkTypes.length - 1),
      );
      const linkTypeOf = ([input, other, any]: [FuzzInput, number | undefined, number]): number =>
        other ?? (input.seed >= 0 ? seeds[input.seed]!.linkType : linkTypes[any]!);
      fuzz({ name, file: FILE, arbitrary, runs, watch: (x) => ({ bytes: x[0].bytes, tag: linkTypeOf(x) }) }, watchdog, (x) => {
        const lt = linkTypeOf(x);
        perLinkType.set(lt, (perLinkType.get(lt) ?? 0) + 1);
        exerciser.run(x[0].bytes, lt);
      });
      const e = exerciser;
      console.log(`fuzz: ${e.layers} layers, ${e.values} field values, ${e.apiValues} getter values, ${e.failures} decode failures; per link type ${[...perLinkType].map(([k, v]) => `${k}:${v}`).join(' ')}`);
      // Every link type in the registry got inputs (a newly registered one is fuzzed without touching the suite).
      expect(linkTypes.filter((lt) => !perLinkType.has(lt))).toEqual([]);
    },
    timeoutFor(runs),
  );
});
