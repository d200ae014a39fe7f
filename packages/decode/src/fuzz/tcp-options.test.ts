import { fromSeeds, fuzz, noise, runsFor, STALL_MS, timeoutFor, Watchdog } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRegistry } from '../protocols/index.js';
import { Tcp } from '../protocols/tcp.js';
import { decodePacket } from '../packet.js';
import { Exerciser } from './exercise.js';
import { layersOf, tcpFrame } from './frames.js';
import { SEED_DIRS } from './settings.js';
import { loadSeeds } from './sources.js';

// Never crash, TCP options: mutated option lists (from every TCP header with options in the
// seeds, and random ones) in a segment whose data offset agrees with them or not: no
// exception, never more options than option bytes, no hang.

const FILE = 'packages/decode/src/fuzz/tcp-options.test.ts';
const registry = defaultRegistry();
const { packets } = loadSeeds(SEED_DIRS, 8);
const optionLists = layersOf(packets, registry, 'tcp', (l) => (l instanceof Tcp && l.header.length > 20 ? l.header.subarray(20) : undefined));

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

describe('never crash: TCP options', () => {
  it('has option lists to start from', () => {
    expect(optionLists.length).toBeGreaterThan(2);
  });

  const runs = runsFor(0.5);
  const name = `survives ${runs} generated option lists`;
  it(
    name,
    () => {
      const exerciser = new Exerciser(registry);
      const arbitrary = fc
        .tuple(
          fromSeeds(optionLists, { maxLength: 40, maxRandom: 40 }),
          // The data offset agrees with the options most of the time.
          fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat(15) }),
          fc.constantFrom(80, 443, 53, 1234),
          fc.nat(64),
        )
        .map(([opts, offset, port, payload]) => tcpFrame(40000, port, opts.bytes, noise(payload, payload + 1), offset));
      let options = 0;
      fuzz({ name, file: FILE, arbitrary, runs, watch: (f) => ({ bytes: f, tag: 1 }) }, watchdog, (frame) => {
        exerciser.run(frame, 1);
        const tcp = decodePacket(frame, 1, { registry }).layer<Tcp>('tcp');
        if (!tcp) return;
        const list = tcp.options;
        options += list.length;
        if (list.length > 40) throw new Error(`${list.length} options from at most 40 option bytes`);
        for (const o of list) if (o.data.length > 40) throw new Error(`an option of ${o.data.length} bytes`);
      });
      console.log(`fuzz: TCP options: ${options} options listed, ${exerciser.failures} decode failures`);
    },
    timeoutFor(runs),
  );
});
