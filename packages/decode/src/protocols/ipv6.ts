import { hex, ipv6At, u16 } from '../bytes.js';
import { DecodeFailure, type Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** IPv6 fixed header (RFC 8200). Extension headers are layers of their own. */
export class IPv6 implements Layer {
  readonly protocol = 'ipv6';
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

export const ipv6: Protocol<IPv6> = {
  name: 'ipv6',
  decode(data, offset) {
    if (data.length < 40) return short('ipv6', data, offset, 40);
    const version = data[0]! >> 4;
    if (version !== 6) return new DecodeFailure('ipv6', offset, 1, 1, `version field is ${version}, not 6`, data);
    const plen = u16(data, 4);
    // A zero payload length with a Hop-by-Hop header may announce a jumbogram: take what was captured.
    const declared = plen === 0 && data[6] === 0 ? data.length - 40 : plen;
    const end = Math.min(40 + declared, data.length);
    const l = new IPv6(offset, data.subarray(0, 40), data.subarray(40, end));
    l.missing = Math.max(0, 40 + declared - data.length);
    l.truncated = l.missing > 0;
    return { layer: l, next: { table: 'ip.proto', keys: [l.nextHeader] } };
  },
  fields: {
    'ip.version': (l, out) => out.push(String(l.version)),
    'ipv6.tclass': (l, out) => out.push(hex(l.trafficClass, 8)),
    'ipv6.flow': (l, out) => out.push(hex(l.flowLabel, 6)),
    'ipv6.plen': (l, out) => out.push(String(l.payloadLength)),
    'ipv6.nxt': (l, out) => out.push(String(l.nextHeader)),
    'ipv6.hlim': (l, out) => out.push(String(l.hopLimit)),
    'ipv6.src': (l, out) => out.push(l.src),
    'ipv6.dst': (l, out) => out.push(l.dst),
  },
  summary(l) {
    return `IP6 ${l.src} > ${l.dst}: ip-proto-${l.nextHeader} ${l.payload.length}`;
  },
};
