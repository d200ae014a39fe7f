import { HeaderLayer } from '../layer.js';
import type { Protocol } from '../registry.js';

/** Bytes LINKTYPE_RAW needs before Wireshark looks at the version nibble. */
const MIN_SNIFF = 8;

/**
 * LINKTYPE_RAW (101): a packet that starts with its IP header, version 4 or 6, with no
 * link header at all. This zero-length layer records that choice (Wireshark's `raw`);
 * LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) go straight to their IP decoder instead.
 */
export class RawIp extends HeaderLayer {
  readonly protocol = 'raw';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  /** The IP version nibble of the first byte (undefined for an empty packet). */
  get ipVersion(): number | undefined {
    return this.payloadOffset < this.payloadEnd ? this.bytes[this.payloadOffset]! >> 4 : undefined;
  }
}

/** Next: `ethertype` 0x0800 for version 4, 0x86dd for version 6; anything else is data. */
export const raw: Protocol<RawIp> = {
  name: 'raw',
  decode(bytes, offset, end, ctx) {
    const l = new RawIp(bytes, offset, offset, end);
    // Wireshark leaves a packet shorter than this as data.
    if (end - offset < MIN_SNIFF) return l;
    const v = bytes[offset]! >> 4;
    if (v === 4) ctx.next('ethertype', 0x0800);
    else if (v === 6) ctx.next('ethertype', 0x86dd);
    return l;
  },
  summary(l) {
    const v = l.ipVersion;
    // IPv4 and IPv6 speak for themselves; tcpdump names any other version.
    return v === undefined || v === 4 || v === 6 ? undefined : `unknown ip ${v}`;
  },
};
