/**
 * decodePacket with decoders of a caller's own: one that decodes another packet inside its
 * own (a tunnel), and one that throws. The packets around them must come out whole.
 */
import { describe, expect, it } from 'vitest';
import { HeaderLayer, type Layer } from './layer.js';
import { decodePacket, type Packet } from './packet.js';
import { registerBuiltins } from './protocols/index.js';
import { Registry, type Protocol } from './registry.js';

/** A tunnel header of 4 bytes whose payload is an Ethernet frame, kept as a packet of its own. */
class Tunnel extends HeaderLayer {
  readonly protocol = 'tunnel';
  constructor(
    bytes: Uint8Array,
    offset: number,
    end: number,
    readonly inner: Packet,
  ) {
    super(bytes, offset, end, end, offset + 4);
  }
}

const tunnel: Protocol<Tunnel> = {
  name: 'tunnel',
  decode(bytes, offset, end) {
    return new Tunnel(bytes, offset, end, decodePacket(bytes.subarray(offset + 4, end), 1));
  },
};

const boom: Protocol<Layer> = {
  name: 'boom',
  decode() {
    throw new Error('a decoder that fails');
  },
};

/** Ethernet + IPv4 + UDP from port 40000 to `port`, around `payload`. */
function udpFrame(port: number, payload: Uint8Array): Uint8Array {
  const total = 28 + payload.length;
  const f = new Uint8Array(14 + total);
  f.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
  f.set([0x45, 0, total >> 8, total & 255, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  f.set([0x9c, 0x40, port >> 8, port & 255, (8 + payload.length) >> 8, (8 + payload.length) & 255, 0, 0], 34);
  f.set(payload, 42);
  return f;
}

const registry = registerBuiltins(new Registry()).register('udp.port', 4789, tunnel).register('udp.port', 6666, boom);
const protocols = (p: Packet): string[] => p.layers.map((l) => l.protocol);

describe('decodePacket around decoders of a caller', () => {
  const innerFrame = udpFrame(53, new Uint8Array([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  const outerFrame = udpFrame(4789, new Uint8Array([...new Uint8Array(4), ...innerFrame]));

  it('a decoder may decode a packet inside its own: both come out whole', () => {
    const p = decodePacket(outerFrame, 1, { registry });
    expect(protocols(p)).toEqual(['eth', 'ip', 'udp', 'tunnel']);
    expect(p.failure).toBeUndefined();
    const inner = (p.layers[3] as Tunnel).inner;
    expect(protocols(inner)).toEqual(['eth', 'ip', 'udp', 'dns']);
    expect(inner.data.length).toBe(innerFrame.length);
    // The outer packet's layers are its own, not the inner packet's.
    expect(p.layers[2]!.offset).toBe(34);
    expect(inner.layers[2]!.offset).toBe(34);
  });

  it("the inner packet's damage stays in the inner packet", () => {
    const cut = innerFrame.subarray(0, 20);
    const p = decodePacket(udpFrame(4789, new Uint8Array([...new Uint8Array(4), ...cut])), 1, { registry });
    expect(protocols(p)).toEqual(['eth', 'ip', 'udp', 'tunnel']);
    expect(p.failure).toBeUndefined();
    const inner = (p.layers[3] as Tunnel).inner;
    expect(inner.failure?.layer).toBe('ip');
  });

  it('a decoder that throws fails only its own call; later packets decode as before', () => {
    const before = protocols(decodePacket(outerFrame, 1, { registry }));
    expect(() => decodePacket(udpFrame(6666, new Uint8Array(8)), 1, { registry })).toThrow('a decoder that fails');
    for (let i = 0; i < 3; i++) {
      const p = decodePacket(outerFrame, 1, { registry });
      expect(protocols(p)).toEqual(before);
      expect(protocols((p.layers[3] as Tunnel).inner)).toEqual(['eth', 'ip', 'udp', 'dns']);
      expect(protocols(decodePacket(innerFrame, 1))).toEqual(['eth', 'ip', 'udp', 'dns']);
    }
  });

  it('a link type without a decoder gives the bytes as one data layer', () => {
    const p = decodePacket(new Uint8Array([1, 2, 3]), 4000);
    expect(protocols(p)).toEqual(['data']);
    expect(p.layers[0]!.header).toEqual(new Uint8Array([1, 2, 3]));
  });
});
