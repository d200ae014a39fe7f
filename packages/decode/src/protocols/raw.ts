import type { Layer } from '../layer.js';
import type { Protocol } from '../registry.js';

/** Bytes LINKTYPE_RAW needs before Wireshark looks at the version nibble. */
const MIN_SNIFF = 8;

/**
 * LINKTYPE_RAW (101): a packet that starts with its IP header, version 4 or 6, with no
 * link header at all. This zero-length layer records that choice (Wireshark's `raw`);
 * LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) go straight to their IP decoder instead.
 */
export class RawIp implements Layer {
  readonly protocol = 'raw';
  truncated = false;
  readonly header: Uint8Array;
  constructor(
    readonly offset: number,
    readonly payload: Uint8Array,
  ) {
    this.header = payload.subarray(0, 0);
  }

  /** The IP version nibble of the first byte (undefined for an empty packet). */
  get ipVersion(): number | undefined {
    const b = this.payload[0];
    return b === undefined ? undefined : b >> 4;
  }
}

/** Next: `ethertype` 0x0800 for version 4, 0x86dd for version 6; anything else is data. */
export const raw: Protocol<RawIp> = {
  name: 'raw',
  decode(data, offset) {
    const l = new RawIp(offset, data);
    // Wireshark leaves a packet shorter than this as data.
    if (data.length < MIN_SNIFF) return { layer: l };
    const v = l.ipVersion;
    if (v === 4) return { layer: l, next: { table: 'ethertype', keys: [0x0800] } };
    if (v === 6) return { layer: l, next: { table: 'ethertype', keys: [0x86dd] } };
    return { layer: l };
  },
  summary(l) {
    const v = l.ipVersion;
    // IPv4 and IPv6 speak for themselves; tcpdump names any other version.
    return v === undefined || v === 4 || v === 6 ? undefined : `unknown ip ${v}`;
  },
};
