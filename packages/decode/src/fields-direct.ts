/**
 * Fields read straight from the bytes of the commonest packets (see packet-shape.ts). For
 * such a packet the decoded tree holds nothing a column of these fields could see beyond
 * one Ethernet, one IP and one transport header, so the values can be read where the
 * decoders would read them, without making the tree.
 *
 * Every rule here restates what the decoders do for these packets; the differential test
 * (fuzz/fields-direct.test.ts) holds the two to the same text over mutated and truncated packets.
 */
import { hex, ipv4At, ipv6At, macAt } from './bytes.js';
import type { DirectShape } from './packet-shape.js';
import { dns, dnsTcp, llmnr, mdns } from './protocols/dns.js';
import type { Protocol, Registry } from './registry.js';
import type { TextBuffer } from './text-buffer.js';

/** Writes one column's value (nothing when the field is absent) for a packet of the common shape. */
export type DirectField = (b: Uint8Array, s: DirectShape, out: TextBuffer) => void;

const ETH = 14;

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

/** Protocols reached by port whose layers are DNS messages only: nothing below them is IP, TCP or UDP. */
const LEAVES: ReadonlySet<Protocol<any>> = new Set<Protocol<any>>([dns, mdns, llmnr, dnsTcp]);

/** True when what the registry decodes after the transport header of `b` holds no further IP, TCP or UDP header. */
export function leafAbove(b: Uint8Array, s: DirectShape, registry: Registry): boolean {
  const a = u16(b, s.transport);
  const c = u16(b, s.transport + 2);
  // The lower port first, as the transport decoders ask.
  const next = registry.resolve(s.protocol === 6 ? 'tcp.port' : 'udp.port', Math.min(a, c), Math.max(a, c));
  return next === undefined || LEAVES.has(next);
}
