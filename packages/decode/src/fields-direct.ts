/**
 * Fields read straight from the bytes of the commonest packets: Ethernet II, then IPv4
 * (no options, not a fragment) or IPv6 (no extension header), then TCP or UDP, every byte
 * of the datagram captured. For such a packet the decoded tree holds nothing a column of
 * these fields could see beyond one Ethernet, one IP and one transport header, so the
 * values can be read where the decoders would read them, without making the tree.
 *
 * Every rule here restates what the decoders do for these packets; the differential test
 * (fuzz/fields-direct.test.ts) holds the two to the same text over mutated and truncated packets.
 */
import { hex, ipv4At, ipv6At, macAt } from './bytes.js';
import { LinkType } from './linktype.js';
import { dns, dnsTcp, llmnr, mdns } from './protocols/dns.js';
import { ethernet } from './protocols/ethernet.js';
import { ipv4 } from './protocols/ipv4.js';
import { ipv6 } from './protocols/ipv6.js';
import { tcp } from './protocols/tcp.js';
import { udp } from './protocols/udp.js';
import type { Protocol, Registry } from './registry.js';
import type { TextBuffer } from './text-buffer.js';

/** Where the headers of a packet of the common shape lie. */
export class DirectShape {
  /** 4 or 6. */
  version = 0;
  /** Offset of the transport header. */
  transport = 0;
  /** 6 (TCP) or 17 (UDP). */
  protocol = 0;
}

/** Writes one column's value (nothing when the field is absent) for a packet of the common shape. */
export type DirectField = (b: Uint8Array, s: DirectShape, out: TextBuffer) => void;

const ETH = 14;
const IP4_END = ETH + 20;
const IP6_END = ETH + 40;

const u16 = (b: Uint8Array, o: number): number => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number): number => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;

/** `write` for packets whose IP version (4 or 6) or transport protocol (6 or 17) is `want`; nothing for the others. */
function only(kind: 'version' | 'protocol', want: number, write: (b: Uint8Array, t: number, out: TextBuffer) => void): DirectField {
  return (b, s, out) => {
    if (s[kind] === want) write(b, s.transport, out);
  };
}
const v4 = (write: (b: Uint8Array, out: TextBuffer) => void): DirectField => only('version', 4, (b, _t, out) => write(b, out));
const v6 = (write: (b: Uint8Array, out: TextBuffer) => void): DirectField => only('version', 6, (b, _t, out) => write(b, out));
const tcp6 = (write: (b: Uint8Array, t: number, out: TextBuffer) => void): DirectField => only('protocol', 6, write);
const udp17 = (write: (b: Uint8Array, t: number, out: TextBuffer) => void): DirectField => only('protocol', 17, write);

/** Both ports, as `tcp.port` and `udp.port` give them. */
function ports(b: Uint8Array, t: number, out: TextBuffer): void {
  out.decimal(u16(b, t));
  out.byte(0x2c);
  out.decimal(u16(b, t + 2));
}

/** The fields this lane writes, by Wireshark name. */
export const DIRECT_FIELDS: Readonly<Record<string, DirectField>> = {
  'eth.dst': (b, _s, out) => out.text(macAt(b, 0)),
  'eth.src': (b, _s, out) => out.text(macAt(b, 6)),
  'eth.type': (b, _s, out) => out.text(hex(u16(b, 12), 4)),
  'ip.version': (_b, s, out) => out.decimal(s.version),
  'ip.len': v4((b, out) => out.decimal(u16(b, ETH + 2))),
  'ip.id': v4((b, out) => out.text(hex(u16(b, ETH + 4), 4))),
  'ip.ttl': v4((b, out) => out.decimal(b[ETH + 8]!)),
  'ip.proto': v4((b, out) => out.decimal(b[ETH + 9]!)),
  // Without options there is no source route, so the destination field is the final one.
  'ip.src': v4((b, out) => out.text(ipv4At(b, ETH + 12))),
  'ip.dst': v4((b, out) => out.text(ipv4At(b, ETH + 16))),
  'ipv6.nxt': v6((b, out) => out.decimal(b[ETH + 6]!)),
  'ipv6.hlim': v6((b, out) => out.decimal(b[ETH + 7]!)),
  'ipv6.src': v6((b, out) => out.text(ipv6At(b, ETH + 8))),
  'ipv6.dst': v6((b, out) => out.text(ipv6At(b, ETH + 24))),
  'tcp.srcport': tcp6((b, t, out) => out.decimal(u16(b, t))),
  'tcp.dstport': tcp6((b, t, out) => out.decimal(u16(b, t + 2))),
  'tcp.port': tcp6(ports),
  'tcp.seq_raw': tcp6((b, t, out) => out.decimal(u32(b, t + 4))),
  'tcp.ack_raw': tcp6((b, t, out) => out.decimal(u32(b, t + 8))),
  'tcp.flags': tcp6((b, t, out) => out.text(hex(u16(b, t + 12) & 0x0fff, 4))),
  'tcp.window_size_value': tcp6((b, t, out) => out.decimal(u16(b, t + 14))),
  'udp.srcport': udp17((b, t, out) => out.decimal(u16(b, t))),
  'udp.dstport': udp17((b, t, out) => out.decimal(u16(b, t + 2))),
  'udp.port': udp17(ports),
  'udp.length': udp17((b, t, out) => out.decimal(u16(b, t + 4))),
};

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
  } else if (type === 0x86dd) {
    if (n < IP6_END + 8 || b[ETH]! >> 4 !== 6) return false;
    const length = u16(b, ETH + 4);
    if (length === 0 || IP6_END + length > n) return false;
    s.version = 6;
    s.protocol = b[ETH + 6]!;
    s.transport = IP6_END;
    payload = length;
  } else {
    return false;
  }
  if (s.protocol === 17) return payload >= 8;
  if (s.protocol !== 6 || payload < 20) return false;
  const header = (b[s.transport + 12]! >> 4) * 4;
  return header >= 20 && header <= payload;
}

/** Protocols reached by port whose layers are DNS messages only: nothing below them is IP, TCP or UDP. */
const LEAVES: ReadonlySet<Protocol<any>> = new Set<Protocol<any>>([dns, mdns, llmnr, dnsTcp]);

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

/** True when what the registry decodes after the transport header of `b` holds no further IP, TCP or UDP header. */
export function leafAbove(b: Uint8Array, s: DirectShape, registry: Registry): boolean {
  const a = u16(b, s.transport);
  const c = u16(b, s.transport + 2);
  // The lower port first, as the transport decoders ask.
  const next = registry.resolve(s.protocol === 6 ? 'tcp.port' : 'udp.port', Math.min(a, c), Math.max(a, c));
  return next === undefined || LEAVES.has(next);
}
