import { hex, ipv6At, u16, u32 } from '../bytes.js';
import { DecodeFailure, HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { writeIpProtoLine } from './ip-line.js';
import { beyondCapture, short } from './need.js';

/** Fixed IPv6 header length. */
const HEADER = 40;

/**
 * IPv6 fixed header (RFC 8200). Extension headers are layers of their own.
 *
 * A header cut short keeps every whole field captured (`shown` bytes); a wrong version
 * keeps only `version`, as Wireshark shows it.
 */
export class IPv6 extends HeaderLayer {
  readonly protocol = 'ipv6';
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number = payloadOffset,
    /** How many header bytes have their fields shown (40 for a whole header, 0 for a wrong version). */
    readonly shown: number = headerEnd - offset,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get version(): number {
    return this.u8(0) >> 4;
  }
  get trafficClass(): number {
    return ((this.u8(0) & 0x0f) << 4) | (this.u8(1) >> 4);
  }
  get flowLabel(): number {
    return ((this.u8(1) & 0x0f) << 16) | this.u16(2);
  }
  get payloadLength(): number {
    return this.u16(4);
  }
  get nextHeader(): number {
    return this.u8(6);
  }
  get hopLimit(): number {
    return this.u8(7);
  }
  /** The source address; like every field past the captured header, all zeros when cut off (see `shown`). */
  get src(): string {
    return this.headerEnd - this.offset >= 24 ? ipv6At(this.bytes, this.offset + 8) : '::';
  }
  /** The destination address (all zeros when cut off). */
  get dst(): string {
    return this.headerEnd - this.offset >= 40 ? ipv6At(this.bytes, this.offset + 24) : '::';
  }
}

/** Option type of the Jumbo Payload option (RFC 2675). */
const JUMBO = 0xc2;

/**
 * The length in the first Jumbo Payload option of the Hop-by-Hop header at `at` (captured
 * up to `captured`), if it has one. Bounded by the header.
 */
function jumboLength(b: Uint8Array, at: number, captured: number): number | undefined {
  if (captured - at < 2) return undefined;
  const end = Math.min(at + (b[at + 1]! + 1) * 8, captured);
  for (let i = at + 2; i + 1 < end; ) {
    const type = b[i]!;
    if (type === 0) {
      i++;
      continue;
    }
    const len = b[i + 1]!;
    if (type === JUMBO && len === 4 && i + 6 <= end) return u32(b, i + 2);
    i += 2 + len;
  }
  return undefined;
}

/** Decodes the IPv6 fixed header. Next: `ip.proto` by Next Header (extension headers included). */
export const ipv6: Protocol<IPv6> = {
  name: 'ipv6',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < 1) return short('ipv6', bytes, offset, end, HEADER);
    const version = bytes[offset]! >> 4;
    if (version !== 6) {
      const l = new IPv6(bytes, offset, offset + 1, offset + 1, offset + 1, 0);
      l.truncated = true;
      ctx.fail(new DecodeFailure('ipv6', bytes, offset, end, 1, 1, `version field is ${version}, not 6`));
      return l;
    }
    if (have < HEADER) {
      const l = new IPv6(bytes, offset, end, end);
      l.truncated = true;
      ctx.fail(short('ipv6', bytes, offset, end, HEADER));
      return l;
    }
    const plen = u16(bytes, offset + 4);
    // A zero payload length with a Hop-by-Hop header announces a jumbogram, whose length is
    // in the Jumbo Payload option; without one, Wireshark takes the payload as empty.
    const declared = plen === 0 && bytes[offset + 6] === 0 ? (jumboLength(bytes, offset + HEADER, end) ?? 0) : plen;
    const l = new IPv6(bytes, offset, offset + HEADER, offset + Math.min(HEADER + declared, have));
    l.missing = Math.max(0, Math.min(HEADER + declared, have + beyondCapture(ctx, end)) - have);
    l.truncated = l.missing > 0;
    if (declared !== 0) ctx.next('ip.proto', l.nextHeader);
    return l;
  },
  fields: {
    'ip.version': (l, out) => out.push(l.version),
    'ipv6.tclass': (l, out) => {
      if (l.shown >= 2) out.push(hex(l.trafficClass, 8));
    },
    'ipv6.flow': (l, out) => {
      if (l.shown >= 4) out.push(hex(l.flowLabel, 6));
    },
    'ipv6.plen': (l, out) => {
      // Wireshark reads the payload length together with the next header byte.
      if (l.shown >= 7) out.push(l.payloadLength);
    },
    'ipv6.nxt': (l, out) => {
      if (l.shown >= 7) out.push(l.nextHeader);
    },
    'ipv6.hlim': (l, out) => {
      if (l.shown >= 8) out.push(l.hopLimit);
    },
    'ipv6.src': (l, out) => {
      if (l.shown >= 24) out.push(l.src);
    },
    'ipv6.dst': (l, out) => {
      if (l.shown >= 40) out.push(l.dst);
    },
  },
  writeSummary(l, _ctx, out) {
    if (l.shown < HEADER) {
      out.text(l.shown === 0 ? `IP6 version error: ${l.version} != 6` : `IP6 truncated-ip6, length ${l.shown}`);
      return true;
    }
    writeIpProtoLine(out, 'IP6', l.src, l.dst, l.nextHeader, l.payload.length);
    return true;
  },
};
