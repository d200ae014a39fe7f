import { runsFor, SEED } from '@pcap/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import { DIRECT_FIELDS } from '../fields-direct.js';
import { DirectShape, readShape } from '../packet-shape.js';
import { FieldSelector } from '../fields.js';
import { decodePacket } from '../packet.js';
import { ethernet } from '../protocols/ethernet.js';
import { registerBuiltins } from '../protocols/index.js';
import { Registry } from '../registry.js';
import { TextBuffer } from '../text-buffer.js';
import { plain, record, seedCaptures } from './plain-packets.js';

// `writeRecord` reads the common fields of plain packets from their bytes; whatever it
// writes must be what `writeLine` writes from the decoded tree, for any bytes at all.

const ALL = ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', ...Object.keys(DIRECT_FIELDS)];

function viaTree(sel: FieldSelector, rec: CaptureRecord, registry?: Registry): string {
  const out = new TextBuffer();
  sel.writeLine(rec, decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength, ...(registry ? { registry } : {}) }), out);
  return new TextDecoder().decode(out.take());
}

function viaRecord(sel: FieldSelector, rec: CaptureRecord): string {
  const out = new TextBuffer();
  sel.writeRecord(rec, out);
  return new TextDecoder().decode(out.take());
}

describe('FieldSelector.writeRecord', () => {
  it('writes what writeLine writes from the tree, for plain packets mutated, cut and relabelled', () => {
    const shape = new DirectShape();
    let direct = 0;
    let runs = 0;
    const packet = fc
      .record({
        v6: fc.boolean(),
        transport: fc.constantFrom<6 | 17>(6, 17),
        // DNS ports lead to decoders of their own; the others to none.
        sport: fc.oneof(fc.constantFrom(53, 5353, 5355, 80), fc.integer({ min: 0, max: 0xffff })),
        dport: fc.oneof(fc.constantFrom(53, 5353, 5355, 443), fc.integer({ min: 0, max: 0xffff })),
        payload: fc.nat(40),
        fill: fc.nat(255),
        // Bytes changed in the headers (most runs change a few, some none).
        changes: fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 3 }),
        cut: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(30) }),
        linkType: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 101, 113) }),
        extra: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -20, max: 100 }) }),
        columns: fc.subarray(ALL, { minLength: 1 }),
      })
      .map((p) => {
        let b = plain(p.v6, p.transport, p.sport, p.dport, p.payload, p.fill);
        for (const [at, value] of p.changes) if (at < b.length) b[at] = value;
        if (p.cut > 0) b = b.subarray(0, Math.max(0, b.length - p.cut));
        return { rec: record(b, p.linkType, Math.max(0, b.length + p.extra)), columns: p.columns };
      });
    fc.assert(
      fc.property(packet, ({ rec, columns }) => {
        const sel = new FieldSelector(columns);
        runs++;
        if (readShape(rec.data, rec.linkType, shape)) direct++;
        expect(viaRecord(sel, rec)).toBe(viaTree(sel, rec));
      }),
      // FUZZ_ITERATIONS and FUZZ_SEED make the longer runs CONTRIBUTING describes.
      { numRuns: runsFor(0.1), seed: SEED },
    );
    // Both ways are exercised: most packets keep the common shape, a good share lose it.
    expect(direct).toBeGreaterThan(runs * 0.3);
    expect(direct).toBeLessThan(runs * 0.9);
  });

  it('writes what writeLine writes for every packet of the fixtures and the corpus', () => {
    const sel = new FieldSelector(ALL);
    const shape = new DirectShape();
    let packets = 0;
    let direct = 0;
    for (const { file, records } of seedCaptures()) {
      for (const rec of records) {
        packets++;
        if (readShape(rec.data, rec.linkType, shape)) direct++;
        const got = viaRecord(sel, rec);
        if (got !== viaTree(sel, rec)) expect(`${file} #${rec.number}: ${got}`).toBe(`${file} #${rec.number}: ${viaTree(sel, rec)}`);
      }
    }
    expect(packets).toBeGreaterThan(100);
    expect(direct).toBeGreaterThan(20);
  });

  it('decodes where a protocol reached by port may hold more headers, and notices the registry changing', () => {
    // An Ethernet frame inside UDP to port 4789 (as VXLAN carries one, header left out here).
    const inner = plain(false, 17, 1000, 2000, 0, 0);
    const outer = plain(false, 17, 50000, 4789, inner.length, 0);
    inner.set([198, 51, 100, 1], 26);
    outer.set([192, 0, 2, 1], 26);
    outer.set(inner, outer.length - inner.length);
    const registry = registerBuiltins(new Registry());
    const sel = new FieldSelector(['ip.src', 'udp.dstport'], registry);
    const rec = record(outer);
    expect(viaRecord(sel, rec)).toBe('192.0.2.1\t4789\n');
    registry.register('udp.port', 4789, ethernet);
    expect(viaRecord(sel, rec)).toBe('192.0.2.1,198.51.100.1\t4789,2000\n');
    expect(viaRecord(sel, rec)).toBe(viaTree(sel, rec, registry));
  });

  it('takes the tree when a table the common shape goes through is changed', () => {
    const registry = registerBuiltins(new Registry());
    const sel = new FieldSelector(['ip.proto', 'udp.srcport'], registry);
    const rec = record(plain(false, 17, 1234, 80, 0, 0));
    expect(viaRecord(sel, rec)).toBe('17\t1234\n');
    // IPv4 by EtherType now decodes as plain Ethernet would: no IP, no UDP.
    registry.register('ethertype', 0x0800, ethernet);
    expect(viaRecord(sel, rec)).toBe(viaTree(sel, rec, registry));
    expect(viaRecord(sel, rec)).not.toBe('17\t1234\n');
  });

  it('refuses what is not a record, naming writeLine for a decoded packet', () => {
    const sel = new FieldSelector(['ip.src']);
    const out = new TextBuffer();
    const pkt = decodePacket(plain(false, 6, 1, 2, 0, 0), 1);
    expect(() => sel.writeRecord(pkt as unknown as CaptureRecord, out)).toThrow(/writeLine\(record, packet, out\)/);
    expect(() => sel.writeRecord({} as CaptureRecord, out)).toThrow(TypeError);
    expect(() => sel.writeRecord(record(new Uint8Array(60)), {} as TextBuffer)).toThrow(/TextBuffer/);
  });
});
