import { HeaderLayer } from '../layer.js';
import { hex, hexBytes, ipv4At, macAt, u16 } from '../bytes.js';
import type { Protocol } from '../registry.js';
import { beyondCapture, short } from './need.js';

/** ARP fixed header: hardware type, protocol type, their address lengths, operation. */
const FIXED = 8;

/**
 * ARP or RARP packet (RFC 826, RFC 903) of any address sizes. A packet cut short keeps
 * the fixed header, plus (as Wireshark does) every whole address captured once the
 * addresses its summary names were all captured.
 */
export class Arp extends HeaderLayer {
  readonly protocol = 'arp';
  // An explicit constructor lets V8 inline the base one; see HeaderLayer.
  constructor(bytes: Uint8Array, offset: number, payloadOffset: number, payloadEnd: number, headerEnd: number = payloadOffset) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  get hardwareType(): number {
    return this.u16(0);
  }
  get protocolType(): number {
    return this.u16(2);
  }
  get hardwareLength(): number {
    return this.u8(4);
  }
  get protocolLength(): number {
    return this.u8(5);
  }
  /** 1 request, 2 reply, 3 and 4 RARP, 8 and 9 InARP ... */
  get opcode(): number {
    return this.u16(6);
  }
  /** True when all four addresses were captured. */
  get addresses(): boolean {
    return this.headerEnd - this.offset === FIXED + 2 * (this.hardwareLength + this.protocolLength);
  }
  /** True when the hardware addresses are MACs (Ethernet or IEEE 802 hardware, 6 bytes). */
  get hasMacs(): boolean {
    const t = this.hardwareType;
    return (t === 1 || t === 6) && this.hardwareLength === 6;
  }
  /** True when the protocol addresses are IPv4 addresses. */
  get hasIpv4(): boolean {
    return this.protocolType === 0x0800 && this.protocolLength === 4;
  }
  private at(which: 'sha' | 'spa' | 'tha' | 'tpa'): number {
    const h = this.hardwareLength;
    const p = this.protocolLength;
    return FIXED + { sha: 0, spa: h, tha: h + p, tpa: 2 * h + p }[which];
  }
  /** Sender/target addresses as text: `aa:bb:...` / dotted quad when they are MAC / IPv4, else hex. */
  address(which: 'sha' | 'spa' | 'tha' | 'tpa'): string | undefined {
    const o = this.at(which);
    const hw = which === 'sha' || which === 'tha';
    const n = hw ? this.hardwareLength : this.protocolLength;
    if (n === 0 || o + n > this.headerEnd - this.offset) return undefined;
    const at = this.offset + o;
    if (hw && this.hasMacs) return macAt(this.bytes, at);
    if (!hw && this.hasIpv4) return ipv4At(this.bytes, at);
    return hexBytes(this.bytes.subarray(at, at + n));
  }
}

/**
 * The last address Wireshark reads for its summary of an operation, measured against
 * tshark 4.0.17 (operations 1, 2, 4 and 6 name the target protocol address; 3, 5 and 8
 * the target hardware address; 9 and 11 to 23 the sender protocol address). Other
 * operations are shown address by address.
 */
const NAMED_ADDRESSES: Readonly<Record<number, 'spa' | 'tha' | 'tpa'>> = {
  1: 'tpa',
  2: 'tpa',
  3: 'tha',
  4: 'tpa',
  5: 'tha',
  6: 'tpa',
  8: 'tha',
  9: 'spa',
  ...Object.fromEntries(Array.from({ length: 13 }, (_, i) => [11 + i, 'spa' as const])),
};

/** Decodes ARP and RARP (EtherTypes 0x0806 and 0x8035). */
export const arp: Protocol<Arp> = {
  name: 'arp',
  decode(bytes, offset, end, ctx) {
    const have = end - offset;
    if (have < FIXED) return short('arp', bytes, offset, end, FIXED);
    const h = bytes[offset + 4]!;
    const p = bytes[offset + 5]!;
    const total = FIXED + 2 * (h + p);
    if (have < total) {
      // Wireshark first reads the addresses it names in its summary of the operation and
      // shows none if one of those is missing.
      const upTo = NAMED_ADDRESSES[u16(bytes, offset + 6)];
      let named = upTo === 'tpa' ? total : upTo === 'tha' ? FIXED + 2 * h + p : upTo === 'spa' ? FIXED + h + p : FIXED;
      // A packet the frame itself ends inside (not a snaplen cut) shows no address at all.
      if (have + beyondCapture(ctx, end) < total) named = total;
      const l = new Arp(bytes, offset, end, end, have < named ? offset + FIXED : end);
      l.truncated = true;
      ctx.fail(short('arp', bytes, offset, end, total, 'address length fields'));
      return l;
    }
    // What follows the addresses is link-layer padding, not ARP payload.
    const stop = offset + total;
    return new Arp(bytes, offset, stop, stop);
  },
  fields: {
    'arp.hw.type': (l, out) => out.push(l.hardwareType),
    'arp.proto.type': (l, out) => out.push(hex(l.protocolType, 4)),
    'arp.hw.size': (l, out) => out.push(l.hardwareLength),
    'arp.proto.size': (l, out) => out.push(l.protocolLength),
    'arp.opcode': (l, out) => out.push(l.opcode),
    'arp.src.hw_mac': (l, out) => {
      const a = l.hasMacs ? l.address('sha') : undefined;
      if (a !== undefined) out.push(a);
    },
    'arp.src.proto_ipv4': (l, out) => {
      const a = l.hasIpv4 ? l.address('spa') : undefined;
      if (a !== undefined) out.push(a);
    },
    'arp.dst.hw_mac': (l, out) => {
      const a = l.hasMacs ? l.address('tha') : undefined;
      if (a !== undefined) out.push(a);
    },
    'arp.dst.proto_ipv4': (l, out) => {
      const a = l.hasIpv4 ? l.address('tpa') : undefined;
      if (a !== undefined) out.push(a);
    },
  },
  summary(l) {
    const len = l.headerEnd - l.offset;
    const spa = l.address('spa') ?? '?';
    const tpa = l.address('tpa') ?? '?';
    switch (l.opcode) {
      case 1:
        return `ARP, Request who-has ${tpa} tell ${spa}, length ${len}`;
      case 2:
        return `ARP, Reply ${spa} is-at ${l.address('sha') ?? '?'}, length ${len}`;
      case 3:
        return `ARP, Reverse Request who-is ${l.address('tha') ?? '?'} tell ${l.address('sha') ?? '?'}, length ${len}`;
      case 4:
        return `ARP, Reverse Reply ${l.address('tha') ?? '?'} at ${tpa}, length ${len}`;
      default:
        return `ARP, opcode ${l.opcode}, length ${len}`;
    }
  },
};
