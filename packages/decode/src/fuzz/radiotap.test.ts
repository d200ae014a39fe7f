import { fromSeeds, fuzz, join, runsFor, STALL_MS, timeoutFor, Watchdog } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { LinkType } from '../linktype.js';
import { defaultRegistry } from '../protocols/index.js';
import { Exerciser } from './exercise.js';
import { layersOf } from './frames.js';
import { SEED_DIRS } from './settings.js';
import { loadSeeds } from './sources.js';

// Never crash, radiotap and 802.11: mutated radiotap headers (present-word chains, vendor
// namespaces, alignment) in front of mutated 802.11 frames (management elements, control,
// data, A-MSDU), and bare 802.11 frames: no exception, bounded output, no hang.

const FILE = 'packages/decode/src/fuzz/radiotap.test.ts';
const registry = defaultRegistry();
const { packets } = loadSeeds(SEED_DIRS, 8);
const headers = layersOf(packets, registry, 'radiotap', (l) => l.header);
const frames = layersOf(packets, registry, 'wlan', (l) => l.bytes.subarray(l.offset));

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

describe('never crash: radiotap and 802.11', () => {
  it('has radiotap headers and 802.11 frames to start from', () => {
    expect(headers.length).toBeGreaterThan(0);
    expect(frames.length).toBeGreaterThan(2);
  });

  const runs = runsFor(0.5);
  const name = `survives ${runs} generated radiotap headers and 802.11 frames`;
  it(
    name,
    () => {
      const exerciser = new Exerciser(registry);
      const frame = fromSeeds(frames, { maxLength: 2400, maxRandom: 300 });
      // The header's length field says its true length most of the time, so that the frame behind it is reached.
      const withRadiotap = fc.tuple(fromSeeds(headers, { maxLength: 256, maxRandom: 64 }), frame, fc.boolean()).map(([h, f, fix]) => {
        const head = h.bytes.slice();
        if (fix && head.length >= 4) {
          head[2] = head.length & 0xff;
          head[3] = head.length >> 8;
        }
        return { bytes: join(head, f.bytes), linkType: LinkType.IEEE802_11_RADIOTAP as number };
      });
      const bare = frame.map((f) => ({ bytes: f.bytes, linkType: LinkType.IEEE802_11 as number }));
      const arbitrary = fc.oneof({ weight: 3, arbitrary: withRadiotap }, { weight: 1, arbitrary: bare });
      fuzz({ name, file: FILE, arbitrary, runs, watch: (x) => ({ bytes: x.bytes, tag: x.linkType }) }, watchdog, (x) => exerciser.run(x.bytes, x.linkType));
      console.log(`fuzz: radiotap/802.11: ${exerciser.layers} layers, ${exerciser.values} field values, ${exerciser.apiValues} getter values, ${exerciser.failures} decode failures`);
    },
    timeoutFor(runs),
  );
});
