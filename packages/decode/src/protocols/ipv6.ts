import { hex, ipv6At, u16, u32 } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { beyondCapture, short } from './need.js';

/** Fixed IPv6 header length. */
const HEADER = 40;

/**
 * IPv6 fixed header (RFC 8200). Extension headers are layers of their own.
 *
 * A header cut short keeps every whole field captured (`shown` bytes); a wrong version
 * keeps only `version`, as Wireshark shows it.
 */
export class IPv6 implements Layer {
  readonly protocol = 'ipv6';
  truncated = false;
  missing = 0;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
    /** How many header bytes have their fields shown (40 for a whole header, 0 for a wrong version). */
    readonly shown: number = header.length,
  ) {}

  get version(): number {
    return this.header[0]! >> 4;
  }
  get trafficClass(): number {
    return ((this.header[0]! & 0x0f) << 4) | (this.header[1]! >> 4);
  }
  get flowLabel(): number {
    return ((this.header[1]! & 0x0f) << 16) | u16(this.header, 2);
  }
  get payloadLength(): number {
    return u16(this.header, 4);
  }
  get nextHeader(): number {
    return this.header[6]!;
  }
  get hopLimit(): number {
    return this.header[7]!;
  }
  get src(): string {
    return ipv6At(this.header, 8);
  }
  get dst(): string {
    return ipv6At(this.header, 24);
  }
}

/** Option type of the Jumbo Payload option (RFC 2675). */
const JUMBO = 0xc2;

/** The length in the first Jumbo Payload option of a Hop-by-Hop header, if it has one. Bounded by the header. */
function jumboLength(hbh: Uint8Array): number | undefined {
  if (hbh.length < 2) return undefined;
  const end = Math.min((hbh[1]! + 1) * 8, hbh.length);
  for (let i = 2; i + 1 < end; ) {
    const type = hbh[i]!;
    if (type === 0) {
      i++;
      continue;
    }
    const len = hbh[i + 1]!;
    if (type === JUMBO && len === 4 && i + 6 <= end) return u32(hbh, i + 2);
    i += 2 + len;
  }
  return undefined;
}

/** Decodes the IPv6 fixed header. Next: `ip.proto` by Next Header (extension headers included). */
export const ipv6: Protocol<IPv6> = {
  name: 'ipv6',
  decode(data, offset, ctx) {
    if (data.length < 1) return short('ipv6', data, offset, HEADER);
    const version = data[0]! >> 4;
    if (version !== 6) {
      const l = new IPv6(offset, data.subarray(0, 1), data.subarray(1, 1), 0);
      l.truncated = true;
      return { layer: l, failure: new DecodeFailure('ipv6', offset, 1, 1, `version field is ${version}, not 6`, data) };
    }
    if (data.length < HEADER) {
      const l = new IPv6(offset, data, data.subarray(data.length));
      l.truncated = true;
      return { layer: l, failure: short('ipv6', data, offset, HEADER) };
    }
    const plen = u16(data, 4);
    // A zero payload length with a Hop-by-Hop header announces a jumbogram, whose length is
    // in the Jumbo Payload option; without one, Wireshark takes the payload as empty.
    const declared = plen === 0 && data[6] === 0 ? (jumboLength(data.subarray(HEADER)) ?? 0) : plen;
    const end = Math.min(HEADER + declared, data.length);
    const l = new IPv6(offset, data.subarray(0, HEADER), data.subarray(HEADER, end));
    l.missing = Math.max(0, Math.min(HEADER + declared, data.length + beyondCapture(ctx, offset, data)) - data.length);
    l.truncated = l.missing > 0;
    if (declared === 0) return { layer: l };
    return { layer: l, next: { table: 'ip.proto', keys: [l.nextHeader] } };
  },
  fields: {
    'ip.version': (l, out) => out.push(String(l.version)),
    'ipv6.tclass': (l, out) => {
      if (l.shown >= 2) out.push(hex(l.trafficClass, 8));
    },
    'ipv6.flow': (l, out) => {
      if (l.shown >= 4) out.push(hex(l.flowLabel, 6));
    },
    'ipv6.plen': (l, out) => {
      // Wireshark reads the payload length together with the next header byte.
      if (l.shown >= 7) out.push(String(l.payloadLength));
    },
    'ipv6.nxt': (l, out) => {
      if (l.shown >= 7) out.push(String(l.nextHeader));
    },
    'ipv6.hlim': (l, out) => {
      if (l.shown >= 8) out.push(String(l.hopLimit));
    },
    'ipv6.src': (l, out) => {
      if (l.shown >= 24) out.push(l.src);
    },
    'ipv6.dst': (l, out) => {
      if (l.shown >= 40) out.push(l.dst);
    },
  },
  summary(l) {
    if (l.shown < HEADER) return l.shown === 0 ? `IP6 version error: ${l.version} != 6` : `IP6 truncated-ip6, length ${l.shown}`;
    return `IP6 ${l.src} > ${l.dst}: ip-proto-${l.nextHeader} ${l.payload.length}`;
  },
};
