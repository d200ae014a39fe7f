import { hex, macAt } from '../bytes.js';
import { HeaderLayer } from '../layer.js';
import type { DecodeContext, Protocol } from '../registry.js';
import { short } from './need.js';

/** ARPHRD_ values that change how the protocol field is read. */
const ARPHRD_IPGRE = 778;
const ARPHRD_NETLINK = 824;
/** Largest protocol value Wireshark reads as a Linux protocol rather than an EtherType (0x0600 included). */
const MAX_LINUX_TYPE = 0x0600;

/**
 * Linux "cooked" capture header: LINKTYPE_LINUX_SLL (113, 16 bytes) or LINKTYPE_LINUX_SLL2
 * (276, 20 bytes, adds the interface index). Both are Wireshark's `sll`. A header cut
 * short keeps the fields whose bytes were captured.
 */
export class Sll extends HeaderLayer {
  readonly protocol = 'sll';
  constructor(
    bytes: Uint8Array,
    offset: number,
    payloadOffset: number,
    payloadEnd: number,
    headerEnd: number,
    /** 1 for SLL, 2 for SLL2. */
    readonly version: 1 | 2,
  ) {
    super(bytes, offset, payloadOffset, payloadEnd, headerEnd);
  }

  private has(at: number, n: number): boolean {
    return this.headerEnd - this.offset >= at + n;
  }
  /** 0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us. */
  get packetType(): number | undefined {
    // Wireshark reads SLL's packet type together with the address type.
    if (this.version === 1) return this.has(0, 4) ? this.u16(0) : undefined;
    return this.has(10, 1) ? this.u8(10) : undefined;
  }
  /** ARPHRD_ type of the interface (1 Ethernet, 772 loopback, 65534 none ...). */
  get hatype(): number | undefined {
    const at = this.version === 1 ? 2 : 8;
    return this.has(at, 2) ? this.u16(at) : undefined;
  }
  /** Link-layer address length. */
  get halen(): number | undefined {
    if (this.version === 1) return this.has(4, 2) ? this.u16(4) : undefined;
    return this.has(11, 1) ? this.u8(11) : undefined;
  }
  /** Source MAC, when the address is six bytes long and captured. */
  get srcMac(): string | undefined {
    const at = this.version === 1 ? 6 : 12;
    return this.halen === 6 && this.has(at, 6) ? macAt(this.bytes, this.offset + at) : undefined;
  }
  /** The protocol field: an EtherType, or a Linux protocol value (4 = 802.2 LLC ...) below 0x0600. */
  get protocolField(): number | undefined {
    const at = this.version === 1 ? 14 : 0;
    return this.has(at, 2) ? this.u16(at) : undefined;
  }
  /** SLL2 interface index. */
  get ifindex(): number | undefined {
    return this.version === 2 && this.has(4, 4) ? this.u32(4) : undefined;
  }
  /** The protocol field when it is an EtherType for this interface type. */
  get etherType(): number | undefined {
    const p = this.protocolField;
    const ha = this.hatype;
    if (p === undefined || p <= MAX_LINUX_TYPE || ha === ARPHRD_IPGRE || ha === ARPHRD_NETLINK) return undefined;
    return p;
  }
  /** The protocol field when it is a Linux protocol value (`sll.ltype`). */
  get linuxType(): number | undefined {
    const p = this.protocolField;
    const ha = this.hatype;
    if (p === undefined || p > MAX_LINUX_TYPE || ha === ARPHRD_IPGRE || ha === ARPHRD_NETLINK) return undefined;
    return p;
  }
}

function decodeSll(version: 1 | 2): Protocol<Sll>['decode'] {
  const size = version === 1 ? 16 : 20;
  // Wireshark shows nothing of an SLL header below 4 bytes (packet and address types), or
  // of an SLL2 header below 12 (everything up to the address).
  const first = version === 1 ? 4 : 12;
  return (bytes, offset, end, ctx) => {
    if (end - offset < first) return short('sll', bytes, offset, end, size);
    const at = offset + size;
    if (at > end) {
      const l = new Sll(bytes, offset, end, end, end, version);
      l.truncated = true;
      ctx.fail(short('sll', bytes, offset, end, size));
      return l;
    }
    const l = new Sll(bytes, offset, at, end, at, version);
    nextOf(l, ctx);
    return l;
  };
}

function nextOf(l: Sll, ctx: DecodeContext): void {
  const ha = l.hatype;
  if (ha === ARPHRD_NETLINK) return;
  const p = l.protocolField!;
  // A GRE interface's protocol field is a GRE protocol type, which for IP is its EtherType.
  if (ha === ARPHRD_IPGRE || p > MAX_LINUX_TYPE) ctx.next('ethertype', p);
  else ctx.next('sll.ltype', p);
}

const fields: Protocol<Sll>['fields'] = {
  'sll.pkttype': (l, out) => {
    const v = l.packetType;
    if (v !== undefined) out.push(v);
  },
  'sll.hatype': (l, out) => {
    const v = l.hatype;
    if (v !== undefined) out.push(v);
  },
  'sll.halen': (l, out) => {
    const v = l.halen;
    if (v !== undefined) out.push(v);
  },
  'sll.src.eth': (l, out) => {
    const v = l.srcMac;
    if (v !== undefined) out.push(v);
  },
  'sll.etype': (l, out) => {
    const v = l.etherType;
    if (v !== undefined) out.push(hex(v, 4));
  },
  'sll.ltype': (l, out) => {
    const v = l.linuxType;
    if (v !== undefined) out.push(hex(v, 4));
  },
  'sll.ifindex': (l, out) => {
    const v = l.ifindex;
    if (v !== undefined) out.push(v);
  },
};

const PKTTYPE = ['In', 'B', 'M', 'P', 'Out'];

function summary(l: Sll): string {
  const dir = PKTTYPE[l.packetType ?? -1] ?? '?';
  const ifx = l.ifindex === undefined ? '' : ` ifindex ${l.ifindex}`;
  const mac = l.srcMac === undefined ? '' : ` ${l.srcMac}`;
  const p = l.protocolField;
  const what = p === undefined ? '' : p > MAX_LINUX_TYPE ? ` ethertype ${hex(p, 4)}` : ` linux protocol ${hex(p, 4)}`;
  return `${dir}${ifx}${mac}${what}, length ${l.payloadEnd - l.offset}`;
}

/** LINKTYPE_LINUX_SLL (113). Next: `ethertype`, or `sll.ltype` for Linux protocol values (4 -> LLC). */
export const sll: Protocol<Sll> = { name: 'sll', decode: decodeSll(1), fields, summary };

/** LINKTYPE_LINUX_SLL2 (276): same fields as `sll`, plus `sll.ifindex`. */
export const sll2: Protocol<Sll> = { name: 'sll', decode: decodeSll(2), fields, summary };
