/**
 * The commonest packets, recognised from their bytes: Ethernet II, then IPv4 (no options,
 * not a fragment) or IPv6 (no extension header), then TCP or UDP, every byte of the datagram
 * captured; each reader may take a few more shapes (`Shapes`). What the decoders make of
 * such a packet is known in advance (one Ethernet, one IP and one transport header, then
 * what the ports lead to), so its layers, fields and summary can be made without the
 * dissector loop, or without the tree at all.
 */
import { u16 } from './bytes.js';
import { LinkType } from './linktype.js';
import { ethernet } from './protocols/ethernet.js';
import { ipv4 } from './protocols/ipv4.js';
import { ipv6 } from './protocols/ipv6.js';
import { dstopts, hopopts, walk as optionsWalk } from './protocols/ipv6-options.js';
import { tcp } from './protocols/tcp.js';
import { udp } from './protocols/udp.js';
import { vlan } from './protocols/vlan.js';
import type { Registry } from './registry.js';

const ETH = 14;
/** The TPID of an 802.1Q tag, and the tag's length. */
const TAG = 0x8100;
const TAG_LENGTH = 4;

/** Where the headers of a packet of the common shape lie. */
export class DirectShape {
  /** 4 or 6. */
  version = 0;
  /** Offset of the IP header: 14, or 18 after an 802.1Q tag. */
  ip = ETH;
  /** Offset of the transport header. */
  transport = 0;
  /** The IP protocol number: 6 (TCP) or 17 (UDP); 1 or 58 (ICMP) or any (a later fragment) where the reader takes them. */
  protocol = 0;
  /** Offset just past the IP payload (the datagram's end, before any Ethernet padding). */
  end = 0;
  /** IPv6 Hop-by-Hop and Destination Options headers between the IPv6 header and the transport header (read only when asked for). */
  extensions = 0;
  /** True for an IPv4 fragment after the first (read only when asked for): its data is no transport header. */
  laterFragment = false;
}

/** Option headers read through at most, when asked for: real packets carry one or two. */
const MAX_OPTION_HEADERS = 4;

/** What a reader of shapes takes beyond the plainest (untagged, no option headers, TCP or UDP); flags for `readShape`. */
export const Shapes = {
  /** One 802.1Q tag, which moves the IP header 4 bytes on. */
  TAGGED: 1,
  /** IPv6 Hop-by-Hop and Destination Options headers before the transport header, each one whole and its options as the decoder accepts them. */
  OPTION_HEADERS: 2,
  /** An ICMP or ICMPv6 message of 8 bytes at least in place of TCP or UDP. */
  ICMP: 4,
  /** An IPv4 fragment after the first, whatever it carries. */
  LATER_FRAGMENTS: 8,
} as const;

/**
 * Fills `s` and returns true when `b` (a packet of link type `linkType`) has the common
 * shape, with what `shapes` (see `Shapes`) adds to it; false for anything else, which then
 * goes through the decoders.
 */
export function readShape(b: Uint8Array, linkType: number, s: DirectShape, shapes = 0): boolean {
  const n = b.length;
  if (linkType !== LinkType.ETHERNET || n < ETH + 28) return false;
  let ip = ETH;
  let type = u16(b, 12);
  if (type === TAG && (shapes & Shapes.TAGGED) !== 0) {
    type = u16(b, ETH + 2);
    ip += TAG_LENGTH;
  }
  let payload: number;
  let later = false;
  if (type === 0x0800) {
    // Version 4 with a 20-byte header; a total length of 0 (offload) or below the header, a
    // datagram not captured whole, or a fragment, takes the decoders' longer way.
    if (n < ip + 28 || b[ip] !== 0x45) return false;
    const total = u16(b, ip + 2);
    if (total < 20 || ip + total > n) return false;
    const fragment = u16(b, ip + 6) & 0x3fff;
    later = (fragment & 0x1fff) !== 0;
    if (fragment !== 0 && !(later && (shapes & Shapes.LATER_FRAGMENTS) !== 0)) return false;
    s.version = 4;
    s.protocol = b[ip + 9]!;
    s.transport = ip + 20;
    payload = total - 20;
  } else if (type === 0x86dd) {
    if (n < ip + 48 || b[ip]! >> 4 !== 6) return false;
    const length = u16(b, ip + 4);
    if (length === 0 || ip + 40 + length > n) return false;
    s.version = 6;
    s.protocol = b[ip + 6]!;
    s.transport = ip + 40;
    payload = length;
  } else {
    return false;
  }
  s.ip = ip;
  s.end = s.transport + payload;
  s.extensions = 0;
  s.laterFragment = later;
  // A later fragment's data is no transport header: nothing more to check.
  if (later) return true;
  if ((shapes & Shapes.OPTION_HEADERS) !== 0 && s.version === 6 && !skipOptionHeaders(b, s)) return false;
  payload = s.end - s.transport;
  if (s.protocol === 17) return payload >= 8;
  if (s.protocol === 1 || s.protocol === 58) return (shapes & Shapes.ICMP) !== 0 && payload >= 8;
  if (s.protocol !== 6 || payload < 20) return false;
  const header = (b[s.transport + 12]! >> 4) * 4;
  return header >= 20 && header <= payload;
}

/**
 * Moves `s.transport` past the Hop-by-Hop and Destination Options headers after the IPv6
 * header, counting them in `s.extensions`; false when one is cut short, malformed (the
 * decoder would report it) or one too many.
 */
function skipOptionHeaders(b: Uint8Array, s: DirectShape): boolean {
  let o = s.transport;
  while (s.protocol === 0 || s.protocol === 60) {
    if (s.extensions === MAX_OPTION_HEADERS || o + 2 > s.end) return false;
    const length = (b[o + 1]! + 1) * 8;
    if (o + length > s.end || optionsWalk(b, o, o + length, s.end) !== undefined) return false;
    s.protocol = b[o]!;
    s.extensions++;
    o += length;
  }
  s.transport = o;
  return true;
}

/** True while `registry` decodes IPv6 option headers with the built-in decoders. */
export function builtinOptionHeaders(registry: Registry): boolean {
  return registry.lookup('ip.proto', 0) === hopopts && registry.lookup('ip.proto', 60) === dstopts;
}

/** True while `registry` decodes the common shape with the built-in decoders. */
export function builtinDecoders(registry: Registry): boolean {
  return (
    registry.lookup('linktype', LinkType.ETHERNET) === ethernet &&
    registry.lookup('ethertype', 0x0800) === ipv4 &&
    registry.lookup('ethertype', TAG) === vlan &&
    registry.lookup('ethertype', 0x86dd) === ipv6 &&
    registry.lookup('ip.proto', 6) === tcp &&
    registry.lookup('ip.proto', 17) === udp
  );
}

/**
 * `check` of a registry, worked out again only when another registry is asked about or the
 * registry's revision changes: what the hot paths call for every packet.
 */
export function byRevision(check: (registry: Registry) => boolean): (registry: Registry) => boolean {
  let known: Registry | undefined;
  let revision = -1;
  let answer = false;
  return (registry) => {
    if (registry !== known || registry.revision !== revision) {
      answer = check(registry);
      known = registry;
      revision = registry.revision;
    }
    return answer;
  };
}

/** `builtinDecoders`, worked out once per registry revision. */
export const shapeDecoders = byRevision(builtinDecoders);
