import { fromSeeds, runsFor, SEED } from '@pcap/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { DirectShape, readShape, Shapes } from '../packet-shape.js';
import { decodePacket } from '../packet.js';
import { Dns, dns } from '../protocols/dns.js';
import { ethernet } from '../protocols/ethernet.js';
import { defaultRegistry, registerBuiltins } from '../protocols/index.js';
import { TcpSequenceBases } from '../protocols/tcp-sequence.js';
import { Registry } from '../registry.js';
import { writeRecordSummary, writeSummary } from '../summary.js';
import { TextBuffer } from '../text-buffer.js';
import { layersOf } from './frames.js';
import { be16, plain, record, seedCaptures, withOptionHeaders, withTag } from './plain-packets.js';
import { SEED_DIRS } from './settings.js';
import { loadSeeds } from './sources.js';

// `writeRecordSummary` writes the lines of plain packets from their bytes; whatever it writes
// must be what `writeSummary` writes from the decoded tree, for any bytes at all, with the
// relative TCP numbers of a whole run of packets counted the same way.

const text = (write: (out: TextBuffer) => void): string => {
  const out = new TextBuffer();
  write(out);
  return new TextDecoder().decode(out.take());
};

/** Summaries of `recs` in order both ways, each way with a counter of its own (none for absolute numbers). */
function bothWays(recs: readonly CaptureRecord[], relative: boolean, registry?: Registry): Array<[direct: string, tree: string]> {
  const viaBytes = relative ? { tcpSequence: new TcpSequenceBases() } : {};
  const viaTree = relative ? { tcpSequence: new TcpSequenceBases() } : {};
  return recs.map((rec) => [
    text((out) => writeRecordSummary(rec, out, registry, viaBytes)),
    text((out) => writeSummary(decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength, ...(registry ? { registry } : {}) }), out, registry, viaTree)),
  ]);
}

const u32be = (b: Uint8Array, o: number, v: number): void => {
  be16(b, o, v >>> 16);
  be16(b, o + 2, v & 0xffff);
};

describe('writeRecordSummary', () => {
  it('writes what writeSummary writes from the tree, for runs of plain packets mutated, cut and relabelled', () => {
    const shape = new DirectShape();
    let direct = 0;
    let throughOptions = 0;
    // ICMP and ICMPv6 messages of the shape (echoes among them).
    let echoes = 0;
    let laterFragments = 0;
    let packets = 0;
    const packet = fc
      .record({
        v6: fc.boolean(),
        transport: fc.oneof(
          { weight: 6, arbitrary: fc.constant<6 | 17 | 1 | 58>(6) },
          { weight: 2, arbitrary: fc.constant<6 | 17 | 1 | 58>(17) },
          { weight: 1, arbitrary: fc.constantFrom<6 | 17 | 1 | 58>(1, 58) },
        ),
        // IPv4 fragments: the first (more to come, offset 0), later ones, the last one.
        fragment: fc.oneof({ weight: 4, arbitrary: fc.constant(0x4000) }, { weight: 1, arbitrary: fc.constantFrom(0x2000, 0x20b9, 0x00b9, 0x1fff, 0x8001) }),
        // ICMP and ICMPv6 types: echoes, which are written from the bytes, and others, which are not.
        icmpType: fc.constantFrom(0, 8, 128, 129, 3, 11, 135, 1),
        // A few conversations, so that relative numbers are counted across packets; ports
        // with decoders of their own (DNS) or lines of their own (HTTP) among them.
        side: fc.boolean(),
        conversation: fc.nat(3),
        ports: fc.constantFrom<[number, number]>([40000, 443], [40001, 80], [40002, 53], [5353, 5353], [40003, 8080], [40004, 40005]),
        flags: fc.constantFrom(0x002, 0x012, 0x010, 0x018, 0x011, 0x004, 0x030, 0x000, 0x0ff),
        seq: fc.constantFrom(0, 1, 1000, 0xfffffff0, 0x7fffffff),
        ack: fc.constantFrom(0, 1, 5000, 0xffffffff),
        options: fc.constantFrom<number[]>([], [2, 4, 5, 0xb4], [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], [4, 2, 3, 3, 7, 1], [5, 10, 0, 0, 0, 1, 0, 0, 0, 9], [0, 0, 0, 0], [30, 4, 0x10, 0], [9, 9, 9, 9]),
        payload: fc.oneof(fc.constant(0), fc.nat(40), fc.constantFrom('GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n')),
        fill: fc.nat(255),
        // Bytes changed in the headers (most packets keep theirs, some get a few changed).
        changes: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<[number, number]>>([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(100), fc.nat(255)), { maxLength: 3 }) }),
        cut: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(40) }),
        // The IP length made shorter than the frame (Ethernet padding after the datagram), and
        // the UDP length field set to something else than what the datagram holds.
        trim: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(30) }),
        udpLength: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.oneof(fc.nat(80), fc.constantFrom(0, 0xffff)) }),
        linkType: fc.oneof({ weight: 12, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 101, 113) }),
        // An 802.1Q tag (VLAN 5) before the EtherType, or a tag of another kind.
        tag: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0x8100, 0x9100, 0x88a8) }),
        // IPv6 Hop-by-Hop and Destination Options headers, with options that walk or not.
        optionHeaders: fc.oneof(
          { weight: 2, arbitrary: fc.constant([]) },
          { weight: 1, arbitrary: fc.array(fc.record({ kind: fc.constantFrom(0, 60), units: fc.nat(2), fill: fc.constantFrom(0, 1, 1, 5, 0xc2) }), { minLength: 1, maxLength: 5 }) },
        ),
        extra: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -20, max: 100 }) }),
      })
      .map((p) => {
        const [a, c] = p.ports;
        const [sport, dport] = p.side ? [c, a] : [a, c];
        const options = p.transport === 6 ? p.options : [];
        const words = Math.ceil(options.length / 4);
        const data = typeof p.payload === 'string' ? new TextEncoder().encode(p.payload) : new Uint8Array(p.payload).fill(p.fill);
        const plainPacket = plain(p.v6, p.transport, sport, dport, words * 4 + data.length, p.fill);
        let b: Uint8Array = plainPacket;
        const ip = p.v6 ? 40 : 20;
        const t = 14 + ip;
        // Addresses by conversation and side, so that replies belong to their conversation.
        const lo = 10 + p.conversation;
        const [src, dst] = p.side ? [200, lo] : [lo, 200];
        b[14 + (p.v6 ? 23 : 15)] = src;
        b[14 + (p.v6 ? 39 : 19)] = dst;
        if (p.transport === 6) {
          u32be(b, t + 4, p.seq);
          u32be(b, t + 8, p.ack);
          b[t + 12] = (5 + words) << 4;
          b[t + 13] = p.flags & 0xff;
          be16(b, t + 14, 512);
          b.fill(1, t + 20, t + 20 + words * 4);
          b.set(options, t + 20);
          b.set(data, t + 20 + words * 4);
        } else if (p.transport === 17) {
          b.set(data, t + 8);
          if (p.udpLength >= 0) be16(b, t + 4, p.udpLength);
        } else {
          b.set(data, t + 8);
          b[t] = p.icmpType;
          b[t + 1] = 0;
        }
        if (p.v6 && p.optionHeaders.length > 0) b = withOptionHeaders(b, p.optionHeaders);
        if (!p.v6) be16(b, 20, p.fragment);
        if (p.trim > 0) {
          const at = p.v6 ? 18 : 16;
          be16(b, at, Math.max(0, ((b[at]! << 8) | b[at + 1]!) - p.trim));
        }
        if (p.tag !== 0) b = withTag(b, p.tag);
        for (const [at, value] of p.changes) if (at < b.length) b[at] = value;
        if (p.cut > 0) b = b.subarray(0, Math.max(0, b.length - p.cut));
        return record(b, p.linkType, Math.max(0, b.length + p.extra));
      });
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 12 }), fc.boolean(), (recs, relative) => {
        for (const rec of recs) {
          packets++;
          if (readShape(rec.data, rec.linkType, shape, Shapes.TAGGED | Shapes.OPTION_HEADERS | Shapes.ICMP | Shapes.LATER_FRAGMENTS)) {
            direct++;
            if (shape.extensions > 0) throughOptions++;
            if (shape.protocol === 1 || shape.protocol === 58) echoes++;
            if (shape.laterFragment) laterFragments++;
          }
        }
        for (const [got, want] of bothWays(recs, relative)) expect(got).toBe(want);
      }),
      // FUZZ_ITERATIONS and FUZZ_SEED make the longer runs CONTRIBUTING describes.
      { numRuns: runsFor(0.05), seed: SEED },
    );
    // Both ways are exercised: most packets keep the common shape, a good share lose it.
    expect(direct).toBeGreaterThan(packets * 0.4);
    expect(direct).toBeLessThan(packets * 0.95);
    expect(throughOptions).toBeGreaterThan(packets * 0.02);
    expect(echoes).toBeGreaterThan(packets * 0.01);
    expect(laterFragments).toBeGreaterThan(packets * 0.01);
  });

  it('writes what writeSummary writes for DNS, mDNS and LLMNR messages mutated and cut, over IPv4 and IPv6', () => {
    // Every DNS message of the seeds, changed, cut or grown with random bytes: the walk of
    // the sections that keeps nothing must end, fail and speak where the layer's does.
    const { packets: seeds } = loadSeeds(SEED_DIRS, 8);
    const messages = layersOf(seeds, defaultRegistry(), 'dns', (l) => (l instanceof Dns ? l.message : undefined));
    expect(messages.length).toBeGreaterThan(2);
    const datagram = fc.record({ message: fromSeeds(messages, { maxLength: 1024, maxRandom: 300 }), v6: fc.boolean(), port: fc.constantFrom(53, 5353, 5355), query: fc.boolean(), tagged: fc.boolean() }).map((d) => {
      const m = d.message.bytes;
      const b = plain(d.v6, 17, d.query ? 40000 : d.port, d.query ? d.port : 40000, m.length, 0);
      b.set(m, 14 + (d.v6 ? 40 : 20) + 8);
      return record(d.tagged ? withTag(b, 0x8100) : b);
    });
    fc.assert(
      fc.property(fc.array(datagram, { minLength: 1, maxLength: 4 }), (recs) => {
        for (const [got, want] of bothWays(recs, false)) expect(got).toBe(want);
      }),
      { numRuns: runsFor(0.05), seed: SEED },
    );
  });

  it('writes what writeSummary writes for every packet of the fixtures and the corpus, numbers relative and absolute', () => {
    let packets = 0;
    for (const { file, records } of seedCaptures()) {
      packets += records.length;
      for (const relative of [true, false]) {
        bothWays(records, relative).forEach(([got, want], i) => {
          if (got !== want) expect(`${file} #${i + 1}: ${got}`).toBe(`${file} #${i + 1}: ${want}`);
        });
      }
    }
    expect(packets).toBeGreaterThan(100);
  });

  it('reads an address answer cut short by the end of its message as the decoder does', () => {
    // A response whose last answer declares fewer address bytes than its type has, and
    // the message ends there: the decoder reads on past the record and gives up.
    const answer = (type: number, rdata: number[]): number[] => [0xc0, 12, 0, type, 0, 1, 0, 0, 0, 60, 0, rdata.length, ...rdata];
    const message = (answers: number[][]): Uint8Array => {
      const head = [0x12, 0x34, 0x81, 0x80, 0, 1, 0, answers.length, 0, 0, 0, 0, 1, 0x61, 0, 0, 1, 0, 1];
      return Uint8Array.from([...head, ...answers.flat()]);
    };
    const lines = [
      message([answer(1, [192, 0, 2, 1]), answer(1, [10, 0])]),
      message([answer(28, [0x20, 0x01, 0x0d, 0xb8])]),
      message([answer(1, [192, 0, 2, 1]), answer(28, Array.from({ length: 16 }, (_, i) => i))]),
      message([answer(1, [])]),
    ].map((m) => {
      const b = plain(false, 17, 53, 40000, m.length, 0);
      b.set(m, 42);
      const [[got, want]] = bothWays([record(b)], false) as [[string, string]];
      expect(got).toBe(want);
      return got;
    });
    expect(lines[0]).toBe('IP 0.0.0.0.53 > 0.0.0.0.40000: 4660 2/0/0 A 192.0.2.1, A [|domain] (49)');
    expect(lines[1]).toBe('IP 0.0.0.0.53 > 0.0.0.0.40000: 4660 1/0/0 AAAA [|domain] (35)');
    expect(lines[2]).toMatch(/ 2\/0\/0 A 192\.0\.2\.1, AAAA 1:203:405:607:809:a0b:c0d:e0f \(/);
    expect(lines[3]).toBe('IP 0.0.0.0.53 > 0.0.0.0.40000: 4660 1/0/0 A (31)');
  });

  it('lets a protocol registered on a port speak, and notices the registry changing', () => {
    const registry = registerBuiltins(new Registry());
    const b = plain(false, 17, 40000, 4000, 20, 0);
    const rec = record(b);
    const before = text((out) => writeRecordSummary(rec, out, registry));
    expect(before).toBe('IP 0.0.0.0.40000 > 0.0.0.0.4000: UDP, length 20');
    registry.register('udp.port', 4000, dns);
    const after = text((out) => writeRecordSummary(rec, out, registry));
    expect(after).not.toBe(before);
    expect(after).toBe(bothWays([rec], false, registry)[0]![1]);
  });

  it('decodes when the registry gives DNS messages or VLAN tags other protocols', () => {
    const registry = registerBuiltins(new Registry());
    const query = plain(false, 17, 40000, 53, 17, 0);
    query.set([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1], 42);
    const tagged = withTag(query, 0x8100);
    const lines = (): string[] => [query, tagged].map((b) => text((out) => writeRecordSummary(record(b), out, registry)));
    expect(lines()).toEqual(['IP 0.0.0.0.40000 > 0.0.0.0.53: 4660+ A? . (17)', 'IP 0.0.0.0.40000 > 0.0.0.0.53: 4660+ A? . (17)']);
    registry.addProtocol({ ...dns, writeSummary: (_l, _ctx, out) => (out.text('dns of its own'), true) });
    expect(lines()).toEqual(['dns of its own', 'dns of its own']);
    registry.register('ethertype', 0x8100, ethernet);
    expect(lines()[1]).toBe(bothWays([record(tagged)], false, registry)[0]![1]);
    expect(lines()[1]).not.toBe('dns of its own');
  });

  it('speaks for the TCP header itself when its segment carries no data, whatever the ports lead to', () => {
    const rec = record(plain(false, 6, 40000, 53, 0, 0));
    const [[got, want]] = bothWays([rec], true) as [[string, string]];
    expect(got).toBe(want);
    expect(got).toMatch(/^IP 0\.0\.0\.0\.40000 > 0\.0\.0\.0\.53: Flags \[none\], win 0, length 0$/);
  });

  it('refuses what is not a record, naming writeSummary for a decoded packet', () => {
    const out = new TextBuffer();
    const pkt = decodePacket(plain(false, 6, 1, 2, 0, 0), 1);
    expect(() => writeRecordSummary(pkt as unknown as CaptureRecord, out)).toThrow(/writeSummary\(packet, out\)/);
    expect(() => writeRecordSummary({} as CaptureRecord, out)).toThrow(TypeError);
    expect(() => writeRecordSummary(record(new Uint8Array(60)), {} as TextBuffer)).toThrow(/TextBuffer/);
    expect(() => writeRecordSummary(record(new Uint8Array(60)), out, { tcpSequence: new TcpSequenceBases() } as unknown as Registry)).toThrow(/options go last: writeRecordSummary\(record, out, undefined/);
    expect(() => writeRecordSummary(record(plain(false, 6, 1, 2, 0, 0)), out, undefined, { tcpSequence: {} as TcpSequenceBases })).toThrow(/TcpSequenceBases/);
  });
});
