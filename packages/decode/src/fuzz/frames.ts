import { join } from '@pcap/fuzz';
import { decodePacket } from '../packet.js';
import type { Layer } from '../layer.js';
import type { Registry } from '../registry.js';
import type { SeedPacket } from './sources.js';

/**
 * Well-formed Ethernet/IPv4 wrappers around fuzzed bytes, so that a mutation lands in the
 * protocol under test instead of breaking the headers in front of it. Checksums are zero.
 */

const ETH = [0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x08, 0x00];

function ipv4(proto: number, payload: number): number[] {
  const total = 20 + payload;
  return [0x45, 0, (total >> 8) & 0xff, total & 0xff, 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
}

/** An Ethernet frame holding `payload` in a UDP datagram between the given ports. */
export function udpFrame(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const len = 8 + payload.length;
  const udp = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, (len >> 8) & 0xff, len & 0xff, 0, 0];
  return join(Uint8Array.from([...ETH, ...ipv4(17, len), ...udp]), payload);
}

/**
 * An Ethernet frame holding a TCP segment with `options` (padded with zeros to a multiple
 * of four) and `payload`; `dataOffset` overrides the header length field when given.
 */
export function tcpFrame(sport: number, dport: number, options: Uint8Array, payload: Uint8Array, dataOffset?: number): Uint8Array {
  const optLen = Math.min(40, (options.length + 3) & ~3);
  const opts = new Uint8Array(optLen);
  opts.set(options.subarray(0, optLen));
  const off = dataOffset ?? 5 + optLen / 4;
  const tcp = [sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, 0, 0, 0x10, 0, 0, 0, 0x20, 0, (off & 0xf) << 4, 0x18, 0x20, 0, 0, 0, 0, 0];
  return join(Uint8Array.from([...ETH, ...ipv4(6, 20 + optLen + payload.length), ...tcp]), opts, payload);
}

/** The first layer of `protocol` in each seed packet, decoded with `registry`, by what `take` keeps of it. */
export function layersOf(seeds: readonly SeedPacket[], registry: Registry, protocol: string, take: (l: Layer) => Uint8Array | undefined): Array<{ origin: string; bytes: Uint8Array }> {
  const out: Array<{ origin: string; bytes: Uint8Array }> = [];
  const seen = new Set<string>();
  for (const s of seeds) {
    const l = decodePacket(s.data, s.linkType, { registry }).layer(protocol);
    const b = l && take(l);
    if (!b || b.length === 0) continue;
    const key = Buffer.from(b).toString('hex');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ origin: s.origin, bytes: b.slice() });
  }
  return out;
}
