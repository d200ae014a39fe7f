import { be16, protoMembers, type Emitter } from '../internal/read';

const UNREACHABLE = [
  'Destination Network Unreachable',
  'Destination Host Unreachable',
  'Destination Protocol Unreachable',
  'Destination Port Unreachable',
  'Fragmentation required, and DF flag set',
  'Source route failed',
  'Destination network unknown',
  'Destination host unknown',
  'Source host isolated',
  'Network administratively prohibited',
  'Host administratively prohibited',
  'Network unreachable for TOS',
  'Host unreachable for TOS',
  'Communication administratively prohibited',
];
const REDIRECT = ['Redirect Network', 'Redirect Host', 'Redirect TOS and Network', 'Redirect TOS and Host'];
const EXCEEDED = ['TTL expired in transit', 'Fragment reassembly time exceeded'];
const SIMPLE: Record<number, string> = {
  0: 'Echo Reply',
  4: 'Source Quench',
  6: 'Alternate Host Address',
  7: 'Reserved',
  8: 'Echo Request',
  9: 'Router Advertisement',
  10: 'Router Solicitation',
};

/** An ICMP header (type, code, checksum); the body is not decoded. Emits `icmp`. */
class ICMP {
  emitter: Emitter | undefined = undefined;
  type: number | undefined = undefined;
  code: number | undefined = undefined;
  checksum: number | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.type = raw[offset];
    this.code = raw[offset + 1];
    this.checksum = be16(raw, offset + 2);
    if (this.emitter) this.emitter.emit('icmp', this);
    return this;
  }

  toString(): string {
    const t = this.type as number;
    const c = this.code as number;
    if (Object.hasOwn(SIMPLE, t)) return SIMPLE[t]!;
    if (t === 3) return UNREACHABLE[c] ?? `Destination Unreachable (unknown code ${c})`;
    if (t === 5) return REDIRECT[c] ?? `Redirect (unknown code ${c})`;
    if (t === 11) return EXCEEDED[c] ?? `Time Exceeded (unknown code ${c})`;
    return `type ${t} code ${c}`;
  }
}
interface ICMP {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(ICMP, { decoderName: 'icmp', eventsOnDecode: true });

export = ICMP;
