import { ipv4At, ipv6At } from './bytes.js';
import { parseCapture } from './capture/read.js';
import { LinkType } from './linktype.js';

/**
 * The fast path: a packet's 5-tuple read straight from its bytes, with no layer objects and
 * no allocation per packet. One `FlowTuple` is reused for every packet; its fields describe
 * the last packet read until the next call.
 */
export class FlowTuple {
  /** 4 or 6; 0 when the packet carries no IP header that could be reached. */
  ipVersion = 0;
  /** IP protocol number of the transport (6 TCP, 17 UDP, ...); -1 when unknown. */
  protocol = -1;
  /** Transport ports; -1 when the packet has none (not TCP/UDP, a later fragment, too short). */
  srcPort = -1;
  dstPort = -1;
  /** Where the network header starts in `bytes`; -1 without one. */
  networkOffset = -1;
  /** Where the transport header starts in `bytes`; -1 without one. */
  transportOffset = -1;
  /** The buffer the offsets point into. */
  bytes: Uint8Array = EMPTY;

  /** The source address as text (allocates: call only for the packets you keep). */
  get src(): string {
    if (this.ipVersion === 4) return ipv4At(this.bytes, this.networkOffset + 12);
    if (this.ipVersion === 6) return ipv6At(this.bytes, this.networkOffset + 8);
    return '';
  }
  get dst(): string {
    if (this.ipVersion === 4) return ipv4At(this.bytes, this.networkOffset + 16);
    if (this.ipVersion === 6) return ipv6At(this.bytes, this.networkOffset + 24);
    return '';
  }
}

const EMPTY = new Uint8Array(0);

/** VLAN tags, IPv6 extension headers: more than this many is no real packet. */
const MAX_HOPS = 8;

function reset(out: FlowTuple, bytes: Uint8Array): void {
  out.ipVersion = 0;
  out.protocol = -1;
  out.srcPort = -1;
  out.dstPort = -1;
  out.networkOffset = -1;
  out.transportOffset = -1;
  out.bytes = bytes;
}

/**
 * Reads the 5-tuple of the packet in `bytes[start, end)` of link type `linkType` into
 * `out`. Returns true when ports were found. Never throws; stops at whatever it cannot read.
 *
 * ```ts
 * const t = new FlowTuple();
 * if (readFlowTuple(frame, LinkType.ETHERNET, t)) console.log(t.src, t.srcPort, t.dst, t.dstPort);
 * ```
 */
export function readFlowTuple(bytes: Uint8Array, linkType: number, out: FlowTuple, start = 0, end = bytes.length): boolean {
  reset(out, bytes);
  let p = start;
  let ethertype = -1;
  switch (linkType) {
    case LinkType.ETHERNET: {
      if (end - p < 14) return false;
      ethertype = (bytes[p + 12]! << 8) | bytes[p + 13]!;
      p += 14;
      for (let hops = 0; (ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100) && hops < MAX_HOPS; hops++) {
        if (end - p < 4) return false;
        ethertype = (bytes[p + 2]! << 8) | bytes[p + 3]!;
        p += 4;
      }
      break;
    }
    case LinkType.LINUX_SLL:
      if (end - p < 16) return false;
      ethertype = (bytes[p + 14]! << 8) | bytes[p + 15]!;
      p += 16;
      break;
    case LinkType.LINUX_SLL2:
      if (end - p < 20) return false;
      ethertype = (bytes[p]! << 8) | bytes[p + 1]!;
      p += 20;
      break;
    case LinkType.NULL:
    case LinkType.LOOP:
      if (end - p < 4) return false;
      p += 4;
      ethertype = versionEthertype(bytes, p, end);
      break;
    case LinkType.RAW:
      ethertype = versionEthertype(bytes, p, end);
      break;
    case LinkType.IPV4:
      ethertype = 0x0800;
      break;
    case LinkType.IPV6:
      ethertype = 0x86dd;
      break;
    default:
      return false;
  }
  if (ethertype === 0x0800) return ipv4(bytes, p, end, out);
  if (ethertype === 0x86dd) return ipv6(bytes, p, end, out);
  return false;
}

function versionEthertype(bytes: Uint8Array, p: number, end: number): number {
  if (p >= end) return -1;
  const v = bytes[p]! >> 4;
  return v === 4 ? 0x0800 : v === 6 ? 0x86dd : -1;
}

function ipv4(bytes: Uint8Array, p: number, end: number, out: FlowTuple): boolean {
  if (end - p < 20 || bytes[p]! >> 4 !== 4) return false;
  const hlen = (bytes[p]! & 0x0f) * 4;
  if (hlen < 20 || end - p < hlen) return false;
  out.ipVersion = 4;
  out.networkOffset = p;
  out.protocol = bytes[p + 9]!;
  // A later fragment starts mid-datagram: its first bytes are not ports.
  if ((((bytes[p + 6]! & 0x1f) << 8) | bytes[p + 7]!) !== 0) return false;
  return ports(bytes, p + hlen, end, out);
}

function ipv6(bytes: Uint8Array, p: number, end: number, out: FlowTuple): boolean {
  if (end - p < 40 || bytes[p]! >> 4 !== 6) return false;
  out.ipVersion = 6;
  out.networkOffset = p;
  let next = bytes[p + 6]!;
  p += 40;
  for (let hops = 0; hops < MAX_HOPS; hops++) {
    if (next === 0 || next === 43 || next === 60) {
      if (end - p < 8) return false;
      next = bytes[p]!;
      p += (bytes[p + 1]! + 1) * 8;
    } else if (next === 44) {
      if (end - p < 8) return false;
      const offset = ((bytes[p + 2]! << 8) | bytes[p + 3]!) >> 3;
      next = bytes[p]!;
      p += 8;
      if (offset !== 0) {
        out.protocol = next;
        return false;
      }
    } else if (next === 51) {
      if (end - p < 8) return false;
      next = bytes[p]!;
      p += (bytes[p + 1]! + 2) * 4;
    } else {
      break;
    }
  }
  out.protocol = next;
  return ports(bytes, p, end, out);
}

function ports(bytes: Uint8Array, p: number, end: number, out: FlowTuple): boolean {
  const proto = out.protocol;
  if ((proto !== 6 && proto !== 17 && proto !== 132) || end - p < 4) return false;
  out.transportOffset = p;
  out.srcPort = (bytes[p]! << 8) | bytes[p + 1]!;
  out.dstPort = (bytes[p + 2]! << 8) | bytes[p + 3]!;
  return true;
}

/** Called for each record by `scanCapture`: the packet is `bytes[start, end)`. */
export type RecordVisitor = (bytes: Uint8Array, start: number, end: number, linkType: number, seconds: number, nanoseconds: number) => void;

/**
 * Visits every record of an in-memory capture without making an object per record: the
 * fast companion of `parseCapture`, with the same errors for damaged files.
 *
 * ```ts
 * const t = new FlowTuple();
 * let web = 0;
 * scanCapture(readFileSync('big.pcap'), (b, s, e, lt) => {
 *   if (readFlowTuple(b, lt, t, s, e) && (t.dstPort === 443 || t.srcPort === 443)) web++;
 * });
 * ```
 */
export function scanCapture(bytes: Uint8Array, visit: RecordVisitor): number {
  const magic = bytes.length >= 24 ? ((bytes[0]! << 24) >>> 0) + ((bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) : 0;
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const be = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && !be) {
    // pcapng, the modified pcap format and damaged files take the general reader.
    let n = 0;
    for (const r of parseCapture(bytes)) {
      const base = r.data.byteOffset - bytes.byteOffset;
      const own = r.data.buffer === bytes.buffer;
      visit(own ? bytes : r.data, own ? base : 0, own ? base + r.data.length : r.data.length, r.linkType, r.seconds, r.nanoseconds);
      n++;
    }
    return n;
  }
  const nano = magic === 0x4d3cb2a1 || magic === 0xa1b23c4d;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const linkType = dv.getUint32(20, le) & 0x03ffffff;
  const maxRecord = Math.max(dv.getUint32(16, le), 262144);
  let p = 24;
  let n = 0;
  while (bytes.length - p >= 16) {
    const caplen = dv.getUint32(p + 8, le);
    if (caplen > maxRecord || p + 16 + caplen > bytes.length) break;
    const frac = dv.getUint32(p + 4, le);
    visit(bytes, p + 16, p + 16 + caplen, linkType, dv.getUint32(p, le), nano ? frac : frac * 1000);
    p += 16 + caplen;
    n++;
  }
  if (p < bytes.length) {
    // Let the general reader say where and why the file is damaged.
    const it = parseCapture(bytes);
    for (let i = 0; i <= n; i++) it.next();
  }
  return n;
}
