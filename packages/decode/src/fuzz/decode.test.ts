import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LAYERS } from '../packet.js';
import { defaultRegistry } from '../protocols/index.js';
import { Exerciser, FuzzFinding } from './exercise.js';
import { mutate } from './mutate.js';
import { Prng } from './prng.js';
import { ITERATIONS, MAX_REPORTED, SEED, SEED_DIRS, STALL_MS, TEST_TIMEOUT_MS } from './settings.js';
import { loadSeeds, type SeedPacket } from './sources.js';
import { Watchdog } from './watchdog.js';

// Never crash: no bytes may make decodePacket, any field or the summary throw, return
// unbounded output or hang. Inputs are deterministic for a seed (FUZZ_SEED); the number of
// mutated packets is FUZZ_ITERATIONS. See CONTRIBUTING.md, "Fuzzing".

const registry = defaultRegistry();
const linkTypes = registry.keys('linktype');
const { packets: seeds, missing } = loadSeeds(SEED_DIRS, 8);
for (const dir of missing) console.log(`fuzz: no seed captures in ${dir} (absent); using the hand-made seeds and the others`);

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** Runs inputs, collecting findings instead of stopping at the first. */
class Run {
  readonly exerciser = new Exerciser(registry);
  readonly findings: string[] = [];
  inputs = 0;

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

function byLinkType(): Map<number, SeedPacket[]> {
  const m = new Map<number, SeedPacket[]>();
  for (const s of seeds) {
    let list = m.get(s.linkType);
    if (!list) m.set(s.linkType, (list = []));
    list.push(s);
  }
  return m;
}

describe('never crash: decoders, fields and summaries', () => {
  it('knows some link types to fuzz', () => {
    expect(linkTypes.length).toBeGreaterThan(0);
    expect(MAX_LAYERS).toBeGreaterThan(0);
  });

  it('survives every truncation of every seed packet, as its own link type', () => {
    const run = new Run();
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
    const run = new Run();
    const rng = new Prng(SEED);
    for (const lt of linkTypes) {
      for (const s of seeds) run.one(s.data, lt, `${s.origin} as link type ${lt}`);
      for (let i = 0; i < 300; i++) {
        const len = i < 100 ? i : rng.below(1600);
        run.one(rng.bytes(len), lt, `random bytes #${i} (seed ${SEED}) as link type ${lt}`);
      }
    }
    // A link type nothing decodes is data, not an error.
    run.one(rng.bytes(40), 0xfffe, 'unknown link type');
    console.log(`fuzz: ${run.inputs} seed and random inputs over ${linkTypes.length} link types (${linkTypes.join(', ')})`);
    run.check();
  });

  it(`survives ${ITERATIONS} mutated packets spread over every link type (seed ${SEED})`, () => {
    const run = new Run();
    const rng = new Prng(SEED ^ 0x5eed);
    const grouped = byLinkType();
    const donors = seeds.map((s) => s.data);
    for (let i = 0; i < ITERATIONS; i++) {
      const lt = linkTypes[i % linkTypes.length]!;
      const own = grouped.get(lt);
      const from = own && rng.chance(0.8) ? rng.pick(own) : rng.pick(seeds);
      const input = mutate(rng, from.data, donors);
      run.one(input, lt, `iteration ${i} (seed ${SEED}, from ${from.origin})`);
    }
    const e = run.exerciser;
    console.log(`fuzz: ${run.inputs} mutated packets: ${e.layers} layers, ${e.values} field values, ${e.failures} decode failures reported`);
    run.check();
  }, TEST_TIMEOUT_MS);
});
