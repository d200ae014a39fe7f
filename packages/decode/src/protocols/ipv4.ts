import { hex, ipv4At, u16 } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** IPv4 header (RFC 791), options included. */
export class IPv4 implements Layer {
  readonly protocol = 'ip';
  truncated = false;
  missing = 0;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
  ) {}

  get version(): number {
    return this.header[0]! >> 4;
  }
  /** Header length in bytes (IHL × 4). */
  get headerLength(): number {
    return (this.header[0]! & 0x0f) * 4;
  }
  get dsfield(): number {
    return this.header[1]!;
  }
  get totalLength(): number {
    return u16(this.header, 2);
  }
  get id(): number {
    return u16(this.header, 4);
  }
  get dontFragment(): boolean {
    return (this.header[6]! & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.header[6]! & 0x20) !== 0;
  }
  /** Fragment offset in 8-byte units. */
  get fragmentOffset(): number {
    return u16(this.header, 6) & 0x1fff;
  }
  get ttl(): number {
    return this.header[8]!;
  }
  get protocolNumber(): number {
    return this.header[9]!;
  }
  get checksum(): number {
    return u16(this.header, 10);
  }
  get src(): string {
    return ipv4At(this.header, 12);
  }
  get dst(): string {
    return ipv4At(this.header, 16);
  }
  /** The options area (bytes 20 … IHL×4). */
  get options(): Uint8Array {
    return this.header.subarray(20);
  }
  /** Type byte of every option, in order; stops at End of Options or at a malformed length. */
  get optionTypes(): number[] {
    const o = this.options;
    const types: number[] = [];
    for (let i = 0; i < o.length; ) {
      const t = o[i]!;
      types.push(t);
      if (t === 0) break;
      if (t === 1) {
        i++;
        continue;
      }
      const len = o[i + 1];
      if (len === undefined || len < 2) break;
      i += len;
    }
    return types;
  }
}

export const ipv4: Protocol<IPv4> = {
  name: 'ip',
  decode(data, offset) {
    if (data.length < 20) return short('ip', data, offset, 20);
    const version = data[0]! >> 4;
    if (version !== 4) return new DecodeFailure('ip', offset, 1, 1, `version field is ${version}, not 4`, data);
    const hlen = (data[0]! & 0x0f) * 4;
    if (hlen < 20) return new DecodeFailure('ip', offset, 20, hlen, 'IHL field below 5', data);
    if (data.length < hlen) return short('ip', data, offset, hlen, 'IHL field');
    const total = u16(data, 2);
    if (total < hlen) return new DecodeFailure('ip', offset, hlen, total, 'total length field below header length', data);
    const end = Math.min(total, data.length);
    const l = new IPv4(offset, data.subarray(0, hlen), data.subarray(hlen, end));
    l.missing = Math.max(0, total - data.length);
    l.truncated = l.missing > 0;
    // A later fragment starts mid-datagram: its bytes are not a transport header.
    if (l.fragmentOffset !== 0) return { layer: l };
    return { layer: l, next: { table: 'ip.proto', keys: [l.protocolNumber] } };
  },
  fields: {
    'ip.version': (l, out) => out.push(String(l.version)),
    'ip.hdr_len': (l, out) => out.push(String(l.headerLength)),
    'ip.dsfield': (l, out) => out.push(hex(l.dsfield, 2)),
    'ip.len': (l, out) => out.push(String(l.totalLength)),
    'ip.id': (l, out) => out.push(hex(l.id, 4)),
    'ip.flags.df': (l, out) => out.push(l.dontFragment ? '1' : '0'),
    'ip.flags.mf': (l, out) => out.push(l.moreFragments ? '1' : '0'),
    'ip.frag_offset': (l, out) => out.push(String(l.fragmentOffset)),
    'ip.ttl': (l, out) => out.push(String(l.ttl)),
    'ip.proto': (l, out) => out.push(String(l.protocolNumber)),
    'ip.checksum': (l, out) => out.push(hex(l.checksum, 4)),
    'ip.src': (l, out) => out.push(l.src),
    'ip.dst': (l, out) => out.push(l.dst),
    'ip.opt.type': (l, out) => {
      for (const t of l.optionTypes) out.push(String(t));
    },
  },
  summary(l) {
    const frag = l.fragmentOffset !== 0 || l.moreFragments ? ` (frag ${l.id}:${l.payload.length}@${l.fragmentOffset * 8}${l.moreFragments ? '+' : ''})` : '';
    return `IP ${l.src} > ${l.dst}: ip-proto-${l.protocolNumber} ${l.payload.length}${frag}`;
  },
};
