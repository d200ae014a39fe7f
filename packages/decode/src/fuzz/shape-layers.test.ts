import { runsFor, SEED } from '@pcap/fuzz';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../capture/record.js';
import type { Layer } from '../layer.js';
import { DirectShape, readShape, Shapes } from '../packet-shape.js';
import { decodePacket } from '../packet.js';
import { registerBuiltins } from '../protocols/index.js';
import { vlan } from '../protocols/vlan.js';
import { Registry } from '../registry.js';
import { shapeLayersFit } from '../shape-layers.js';
import { be16, plain, record, seedCaptures, withTag } from './plain-packets.js';

// `decodePacket` makes the first layers of the commonest packets without its dissector
// loop; they must be the layers the loop makes, for any bytes at all.

/** The built-in decoders, with the 802.1Q row a protocol of its own: the loop decodes everything. */
function loopOnly(): Registry {
  return registerBuiltins(new Registry()).register('ethertype', 0x8100, { ...vlan });
}

/** What a layer is: its class and every field of its own (the bytes it shares are compared once). */
const snapshot = (layers: readonly Layer[]): unknown[] =>
  layers.map((l) => ({ class: l.constructor.name, ...Object.fromEntries(Object.entries(l).filter(([k]) => k !== 'bytes')) }));

function bothWays(rec: CaptureRecord, registry: Registry): [unknown[], unknown[]] {
  const direct = decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength });
  const loop = decodePacket(rec.data, rec.linkType, { originalLength: rec.originalLength, registry });
  for (const l of direct.layers) expect(l.bytes).toBe(rec.data);
  return [snapshot(direct.layers), snapshot(loop.layers)];
}

describe('decodePacket on packets of the common shape', () => {
  it('makes the layers the dissector loop makes, for plain packets mutated, cut and relabelled', () => {
    const registry = loopOnly();
    const shape = new DirectShape();
    let packets = 0;
    let direct = 0;
    const packet = fc
      .record({
        v6: fc.boolean(),
        transport: fc.constantFrom<6 | 17>(6, 17),
        // An 802.1Q tag before the EtherType, or a tag of another kind.
        tag: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(0x8100, 0x9100, 0x88a8) }),
        sport: fc.oneof(fc.constantFrom(53, 5353, 80, 443, 4789), fc.integer({ min: 0, max: 0xffff })),
        dport: fc.oneof(fc.constantFrom(53, 5355, 8080, 4789), fc.integer({ min: 0, max: 0xffff })),
        payload: fc.nat(60),
        fill: fc.nat(255),
        header: fc.constantFrom(5, 5, 5, 6, 8, 15),
        udpLength: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.oneof(fc.nat(100), fc.constantFrom(0, 0xffff)) }),
        trim: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(40) }),
        changes: fc.oneof({ weight: 2, arbitrary: fc.constant<Array<[number, number]>>([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.nat(80), fc.nat(255)), { maxLength: 3 }) }),
        cut: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(40) }),
        extra: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -20, max: 200 }) }),
      })
      .map((p) => {
        let b: Uint8Array = plain(p.v6, p.transport, p.sport, p.dport, p.payload, p.fill);
        const t = p.v6 ? 54 : 34;
        if (p.transport === 6) b[t + 12] = (p.header << 4) | (b[t + 12]! & 0x0f);
        else if (p.udpLength >= 0) be16(b, t + 4, p.udpLength);
        const length = p.v6 ? 18 : 16;
        if (p.trim > 0) be16(b, length, Math.max(0, ((b[length]! << 8) | b[length + 1]!) - p.trim));
        if (p.tag !== 0) b = withTag(b, p.tag);
        for (const [at, value] of p.changes) if (at < b.length) b[at] = value;
        if (p.cut > 0) b = b.subarray(0, Math.max(0, b.length - p.cut));
        return record(b, 1, Math.max(0, b.length + p.extra));
      });
    fc.assert(
      fc.property(packet, (rec) => {
        packets++;
        if (readShape(rec.data, 1, shape, Shapes.TAGGED) && shapeLayersFit(rec.data, shape)) direct++;
        const [got, want] = bothWays(rec, registry);
        expect(got).toEqual(want);
      }),
      // FUZZ_ITERATIONS and FUZZ_SEED make the longer runs CONTRIBUTING describes.
      { numRuns: runsFor(0.1), seed: SEED },
    );
    // Both ways are exercised: many packets keep the common shape, a good share lose it.
    expect(direct).toBeGreaterThan(packets * 0.3);
    expect(direct).toBeLessThan(packets * 0.9);
  });

  it('makes the layers the dissector loop makes for every packet of the fixtures and the corpus', () => {
    const registry = loopOnly();
    const shape = new DirectShape();
    let packets = 0;
    let direct = 0;
    for (const { file, records } of seedCaptures()) {
      for (const rec of records) {
        packets++;
        if (readShape(rec.data, rec.linkType, shape, Shapes.TAGGED) && shapeLayersFit(rec.data, shape)) direct++;
        const [got, want] = bothWays(rec, registry);
        expect(got, `${file} #${rec.number}`).toEqual(want);
      }
    }
    expect(packets).toBeGreaterThan(100);
    expect(direct).toBeGreaterThan(20);
  });

  it('goes through the loop once a table the shape goes through is changed', () => {
    const registry = registerBuiltins(new Registry());
    const rec = record(plain(false, 17, 1234, 80, 4, 0));
    expect(decodePacket(rec.data, 1, { registry }).layers.map((l) => l.protocol)).toEqual(['eth', 'ip', 'udp', 'data']);
    registry.register('ip.proto', 17, { ...vlan, name: 'not-udp' });
    const layers = decodePacket(rec.data, 1, { registry }).layers;
    expect(layers[2]!.protocol).toBe('vlan');
    expect(snapshot(layers)).toEqual(snapshot(decodePacket(rec.data, 1, { registry: loopOnly().register('ip.proto', 17, { ...vlan, name: 'not-udp' }) }).layers));
  });
});
