/**
 * The commonest packets, recognised from their bytes: Ethernet II, then IPv4 (no options,
 * not a fragment) or IPv6 (no extension header), then TCP or UDP, every byte of the
 * datagram captured. What the decoders make of such a packet is known in advance (one
 * Ethernet, one IP and one transport header, then what the ports lead to), so fields and
 * summaries can be read where the decoders would read them, without making the tree.
 */
import { LinkType } from './linktype.js';
import { ethernet } from './protocols/ethernet.js';
import { ipv4 } from './protocols/ipv4.js';
import { ipv6 } from './protocols/ipv6.js';
import { tcp } from './protocols/tcp.js';
import { udp } from './protocols/udp.js';
import type { Registry } from './registry.js';

const ETH = 14;
const IP4_END = ETH + 20;
const IP6_END = ETH + 40;

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;

/** Where the headers of a packet of the common shape lie. */
export class DirectShape {
  /** 4 or 6. */
  version = 0;
  /** Offset of the transport header. */
  transport = 0;
  /** 6 (TCP) or 17 (UDP). */
  protocol = 0;
  /** Offset just past the IP payload (the datagram's end, before any Ethernet padding). */
  end = 0;
}

/**
 * Fills `s` and returns true when `b` (a packet of link type `linkType`) has the common
 * shape; false for anything else, which then goes through the decoders.
 */
export function readShape(b: Uint8Array, linkType: number, s: DirectShape): boolean {
  const n = b.length;
  if (linkType !== LinkType.ETHERNET || n < IP4_END + 8) return false;
  const type = u16(b, 12);
  let payload: number;
  if (type === 0x0800) {
    // Version 4 with a 20-byte header; a total length of 0 (offload) or below the header, a
    // datagram not captured whole, or a fragment, takes the decoders' longer way.
    if (b[ETH] !== 0x45) return false;
    const total = u16(b, ETH + 2);
    if (total < 20 || ETH + total > n || (u16(b, ETH + 6) & 0x3fff) !== 0) return false;
    s.version = 4;
    s.protocol = b[ETH + 9]!;
    s.transport = IP4_END;
    payload = total - 20;
    s.end = ETH + total;
  } else if (type === 0x86dd) {
    if (n < IP6_END + 8 || b[ETH]! >> 4 !== 6) return false;
    const length = u16(b, ETH + 4);
    if (length === 0 || IP6_END + length > n) return false;
    s.version = 6;
    s.protocol = b[ETH + 6]!;
    s.transport = IP6_END;
    payload = length;
    s.end = IP6_END + length;
  } else {
    return false;
  }
  if (s.protocol === 17) return payload >= 8;
  if (s.protocol !== 6 || payload < 20) return false;
  const header = (b[s.transport + 12]! >> 4) * 4;
  return header >= 20 && header <= payload;
}

/** True while `registry` decodes the common shape with the built-in decoders (checked once per revision). */
export function builtinDecoders(registry: Registry): boolean {
  return (
    registry.lookup('linktype', LinkType.ETHERNET) === ethernet &&
    registry.lookup('ethertype', 0x0800) === ipv4 &&
    registry.lookup('ethertype', 0x86dd) === ipv6 &&
    registry.lookup('ip.proto', 6) === tcp &&
    registry.lookup('ip.proto', 17) === udp
  );
}
