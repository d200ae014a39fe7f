import IPv4Addr = require('./ipv4_addr');
import { be16, protoMembers, type Emitter } from '../internal/read';
import { ipProtocol } from '../internal/protocols';

class IPFlags {
  emitter: Emitter | undefined = undefined;
  reserved: boolean | undefined = undefined;
  doNotFragment: boolean | undefined = undefined;
  moreFragments: boolean | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }
  decode(b: number | undefined): this {
    const f = b as number;
    this.reserved = (f & 0x80) !== 0;
    this.doNotFragment = (f & 0x40) !== 0;
    this.moreFragments = (f & 0x20) !== 0;
    return this;
  }
  toString(): string {
    return `[${this.reserved ? 'r' : ''}${this.doNotFragment ? 'd' : ''}${this.moreFragments ? 'm' : ''}]`;
  }
}

/** An IPv4 header; options are skipped. Emits `ipv4` after its payload is decoded. */
class IPv4 {
  emitter: Emitter | undefined = undefined;
  version: number | undefined = undefined;
  headerLength: number | undefined = undefined;
  diffserv: number | undefined = undefined;
  length: number | undefined = undefined;
  identification: number | undefined = undefined;
  flags: IPFlags | undefined = undefined;
  fragmentOffset: number | undefined = undefined;
  ttl: number | undefined = undefined;
  protocol: number | undefined = undefined;
  headerChecksum: number | undefined = undefined;
  saddr: IPv4Addr | undefined = undefined;
  daddr: IPv4Addr | undefined = undefined;
  protocolName: string | undefined = undefined;
  payload: { toString(): string } | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    const b0 = raw[offset]!;
    this.version = (b0 & 0xf0) >> 4;
    const hl = (b0 & 0x0f) << 2;
    this.headerLength = hl;
    this.diffserv = raw[offset + 1];
    this.length = be16(raw, offset + 2);
    this.identification = be16(raw, offset + 4);
    this.flags = new IPFlags().decode(raw[offset + 6]);
    const frag = be16(raw, offset + 6);
    this.fragmentOffset = frag === undefined ? undefined : (frag & 0x1fff) << 3;
    this.ttl = raw[offset + 8];
    this.protocol = raw[offset + 9];
    this.headerChecksum = be16(raw, offset + 10);
    this.saddr = new IPv4Addr().decode(raw, offset + 12);
    this.daddr = new IPv4Addr().decode(raw, offset + 16);

    const Decoder = ipProtocol(this.protocol);
    if (Decoder === undefined) {
      this.protocolName = 'Unknown';
    } else if (offset + 20 <= raw.length) {
      // v3 handed a truncated header's garbage to the next decoder; nothing follows a short header.
      this.payload = new Decoder(this.emitter).decode(raw, offset + hl, (this.length as number) - hl) as IPv4['payload'];
    }

    if (this.emitter) this.emitter.emit('ipv4', this);
    return this;
  }

  toString(): string {
    let ret = `${this.saddr} -> ${this.daddr} `;
    const flags = String(this.flags);
    if (flags.length > 2) ret += `flags ${flags} `;
    ret += this.payload === undefined || this.payload === null ? `proto ${this.protocol}` : this.payload.constructor.name;
    return `${ret} ${this.payload}`;
  }
}
interface IPv4 {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(IPv4, { decoderName: 'ipv4', eventsOnDecode: true });

export = IPv4;
