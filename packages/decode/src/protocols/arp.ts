import { hex, hexBytes, ipv4At, macAt, u16 } from '../bytes.js';
import type { Layer } from '../layer.js';
import type { Protocol } from '../registry.js';
import { short } from './need.js';

/** ARP fixed header: hardware type, protocol type, their address lengths, operation. */
const FIXED = 8;

/**
 * ARP or RARP packet (RFC 826, RFC 903) of any address sizes. A packet cut short keeps
 * the fixed header, plus (as Wireshark does) every whole address captured when those
 * its summary names were all captured.
 */
export class Arp implements Layer {
  readonly protocol = 'arp';
  truncated = false;
  constructor(
    readonly offset: number,
    readonly header: Uint8Array,
    readonly payload: Uint8Array,
  ) {}

  get hardwareType(): number {
    return u16(this.header, 0);
  }
  get protocolType(): number {
    return u16(this.header, 2);
  }
  get hardwareLength(): number {
    return this.header[4]!;
  }
  get protocolLength(): number {
    return this.header[5]!;
  }
  /** 1 request, 2 reply, 3 and 4 RARP, 8 and 9 InARP … */
  get opcode(): number {
    return u16(this.header, 6);
  }
  /** True when all four addresses were captured. */
  get addresses(): boolean {
    return this.header.length === FIXED + 2 * (this.hardwareLength + this.protocolLength);
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
  /** Sender/target addresses as text: `aa:bb:…` / dotted quad when they are MAC / IPv4, else hex. */
  address(which: 'sha' | 'spa' | 'tha' | 'tpa'): string | undefined {
    const o = this.at(which);
    const hw = which === 'sha' || which === 'tha';
    const n = hw ? this.hardwareLength : this.protocolLength;
    if (n === 0 || o + n > this.header.length) return undefined;
    if (hw && this.hasMacs) return macAt(this.header, o);
    if (!hw && this.hasIpv4) return ipv4At(this.header, o);
    return hexBytes(this.header.subarray(o, o + n));
  }
}

/** Decodes ARP and RARP (EtherTypes 0x0806 and 0x8035). */
export const arp: Protocol<Arp> = {
  name: 'arp',
  decode(data, offset) {
    if (data.length < FIXED) return short('arp', data, offset, FIXED);
    const total = FIXED + 2 * (data[4]! + data[5]!);
    if (data.length < total) {
      // Wireshark first reads the addresses it names in its summary (through the target
      // hardware address for RARP, all four otherwise) and shows none if one is missing.
      const op = u16(data, 6);
      const named = op === 3 || op === 4 ? FIXED + 2 * data[4]! + data[5]! : total;
      const l = new Arp(offset, data.length < named ? data.subarray(0, FIXED) : data, data.subarray(data.length));
      l.truncated = true;
      return { layer: l, failure: short('arp', data, offset, total, 'address length fields') };
    }
    // What follows the addresses is link-layer padding, not ARP payload.
    return { layer: new Arp(offset, data.subarray(0, total), data.subarray(total, total)) };
  },
  fields: {
    'arp.hw.type': (l, out) => out.push(String(l.hardwareType)),
    'arp.proto.type': (l, out) => out.push(hex(l.protocolType, 4)),
    'arp.hw.size': (l, out) => out.push(String(l.hardwareLength)),
    'arp.proto.size': (l, out) => out.push(String(l.protocolLength)),
    'arp.opcode': (l, out) => out.push(String(l.opcode)),
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
    const len = l.header.length;
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
