import { fromSeeds, fuzz, join, runsFor, STALL_MS, timeoutFor, Watchdog, type FuzzInput } from '@pcap/fuzz';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Dns } from '../protocols/dns.js';
import { tryReadName } from '../protocols/dns-name.js';
import { defaultRegistry } from '../protocols/index.js';
import { Exerciser } from './exercise.js';
import { layersOf, tcpFrame, udpFrame } from './frames.js';
import { SEED_DIRS } from './settings.js';
import { loadSeeds } from './sources.js';

// Never crash, DNS: mutated DNS messages (from every DNS message in the seeds) over UDP on
// the DNS, mDNS and LLMNR ports, and over TCP with length prefixes that agree or not, and
// names read at any offset of a message: no exception, bounded output, no hang.

const FILE = 'packages/decode/src/fuzz/dns.test.ts';
const registry = defaultRegistry();
const { packets } = loadSeeds(SEED_DIRS, 8);
const messages = layersOf(packets, registry, 'dns', (l) => (l instanceof Dns ? l.message : undefined));

const watchdog = new Watchdog(STALL_MS);
afterAll(() => watchdog.stop());

/** Longest text a name may read as: 255 bytes of labels, each byte escaped as `\\ddd`. */
const MAX_NAME_TEXT = 255 * 4 + 64;

describe('never crash: DNS', () => {
  it('has DNS messages to start from', () => {
    expect(messages.length).toBeGreaterThan(2);
  });

  const runs = runsFor(0.5);
  const name = `survives ${runs} generated DNS messages over UDP and TCP`;
  it(
    name,
    () => {
      const exerciser = new Exerciser(registry);
      const message = fromSeeds(messages, { maxLength: 2048, maxRandom: 600 });
      const overUdp = fc.tuple(message, fc.constantFrom(53, 5353, 5355), fc.boolean()).map(([m, port, query]) => udpFrame(query ? 40000 : port, query ? port : 40000, m.bytes));
      // A segment holds one or more length-prefixed messages; a prefix may lie.
      const framed = fc.tuple(message, fc.option(fc.nat(0xffff), { freq: 3, nil: undefined })).map(([m, lie]) => {
        const n = lie ?? m.bytes.length;
        return join(Uint8Array.of(n >> 8, n & 0xff), m.bytes);
      });
      const overTcp = fc.tuple(fc.array(framed, { minLength: 1, maxLength: 3 }), fc.constantFrom(53, 5353), fc.nat()).map(([parts, port, cut]) => {
        const seg = join(...parts);
        return tcpFrame(40000, port, new Uint8Array(0), seg.subarray(0, seg.length - (cut % 3 === 0 ? cut % (seg.length + 1) : 0)));
      });
      const arbitrary = fc.oneof(overUdp, overTcp);
      fuzz({ name, file: FILE, arbitrary, runs, watch: (f) => ({ bytes: f, tag: 1 }) }, watchdog, (f) => exerciser.run(f, 1));
      console.log(`fuzz: DNS: ${exerciser.layers} layers, ${exerciser.values} field values, ${exerciser.apiValues} getter values, ${exerciser.failures} decode failures`);
    },
    timeoutFor(runs),
  );

  const nameRuns = runsFor(0.1);
  const nameName = `reads names at any offset of ${nameRuns} generated messages within bounds`;
  it(
    nameName,
    () => {
      const arbitrary = fc.tuple(fromSeeds(messages, { maxLength: 2048 }), fc.nat());
      fuzz({ name: nameName, file: FILE, arbitrary, runs: nameRuns, watch: ([m, at]) => ({ bytes: m.bytes, tag: at }) }, watchdog, ([m, at]: [FuzzInput, number]) => {
        const n = tryReadName(m.bytes, at % (m.bytes.length + 1));
        if (n && (n.text.length > MAX_NAME_TEXT || n.length > m.bytes.length)) throw new Error(`a name of ${n.text.length} characters taking ${n.length} bytes`);
      });
    },
    timeoutFor(nameRuns),
  );
});
