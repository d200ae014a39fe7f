/**
 * The first layers of the commonest packets (see packet-shape.ts: Ethernet II with or
 * without one 802.1Q tag, IPv4 without options and not a fragment or IPv6 without extension
 * headers, TCP or UDP, the datagram captured whole), made as their decoders make them but
 * without the dissector loop: no table is looked up and no decoder's checks run again on
 * what the shape has already checked. `decodePacket` goes on from the transport layer's
 * payload as usual.
 *
 * Each layer here is the one its decoder returns for such bytes; the differential test
 * (fuzz/shape-layers.test.ts) holds the two ways to the same layers.
 */
import { u16 } from './bytes.js';
import type { Layer } from './layer.js';
import type { DirectShape } from './packet-shape.js';
import { Ethernet } from './protocols/ethernet.js';
import { IPv4 } from './protocols/ipv4.js';
import { IPv6 } from './protocols/ipv6.js';
import { Tcp } from './protocols/tcp.js';
import { Udp } from './protocols/udp.js';
import { Vlan } from './protocols/vlan.js';

const ETH = 14;

/** True when `s` (filled by `readShape` for `b`) is a packet whose first layers `pushShapeLayers` makes. */
export function shapeLayersFit(b: Uint8Array, s: DirectShape): boolean {
  // UDP with a length field below 8 is a malformed header, which its decoder reports (or,
  // over IPv6, a length of 0, which it reads as the IPv6 payload's).
  return s.protocol === 6 || u16(b, s.transport + 4) >= 8;
}

/**
 * Pushes the Ethernet (and 802.1Q), IP and TCP or UDP layers of `b` (a packet
 * `shapeLayersFit` accepts) onto `layers`, and returns the transport layer.
 */
export function pushShapeLayers(b: Uint8Array, s: DirectShape, layers: Layer[]): Tcp | Udp {
  const t = s.transport;
  const end = s.end;
  layers.push(new Ethernet(b, 0, ETH, b.length));
  if (s.ip !== ETH) layers.push(new Vlan(b, ETH, s.ip, b.length));
  // The whole datagram was captured: nothing of it is missing or cut.
  layers.push(s.version === 4 ? new IPv4(b, s.ip, t, end) : new IPv6(b, s.ip, t, end));
  if (s.protocol === 6) {
    const header = (b[t + 12]! >> 4) * 4;
    // Not a fragment and not quoted: `inFragment` and `inQuote` keep their false.
    const l = new Tcp(b, t, t + header, end, t + header, end - t - header);
    layers.push(l);
    return l;
  }
  // A length field past the IP payload is bogus: the IP payload bounds the datagram then.
  const field = u16(b, t + 4);
  const l = new Udp(b, t, t + 8, field <= end - t ? t + field : end);
  layers.push(l);
  return l;
}
