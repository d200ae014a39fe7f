import IPv6Addr = require('./ipv6_addr');
import { be16, protoMembers, type Emitter } from '../internal/read';
import { ipProtocol } from '../internal/protocols';

/** An IPv6 header. Emits `ipv6` after its payload is decoded. */
class IPv6 {
  emitter: Emitter | undefined = undefined;
  version: number | undefined = undefined;
  trafficClass: number | undefined = undefined;
  flowLabel: number | undefined = undefined;
  payloadLength: number | undefined = undefined;
  nextHeader: number | undefined = undefined;
  hopLimit: number | undefined = undefined;
  saddr: IPv6Addr | undefined = undefined;
  daddr: IPv6Addr | undefined = undefined;
  payload: { toString(): string } | undefined = undefined;
  declare protocolName?: string;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    const b0 = raw[offset]!;
    const b1 = raw[offset + 1]!;
    this.version = (b0 & 0xf0) >> 4;
    this.trafficClass = ((b0 & 0x0f) << 4) | ((b1 & 0xf0) >> 4);
    this.flowLabel = ((b1 & 0x0f) << 16) + (raw[offset + 2]! << 8) + raw[offset + 3]!;
    this.payloadLength = be16(raw, offset + 4);
    this.nextHeader = raw[offset + 6];
    this.hopLimit = raw[offset + 7];
    this.saddr = new IPv6Addr().decode(raw, offset + 8);
    this.daddr = new IPv6Addr().decode(raw, offset + 24);

    const Decoder = ipProtocol(this.nextHeader);
    if (Decoder === undefined) {
      this.protocolName = 'Unknown';
    } else if (offset + 40 <= raw.length) {
      // The payload length from the header (v3 passed the whole frame's length minus 40);
      // 0 means a jumbogram, whose length is in a hop-by-hop option: use what was captured.
      const len = this.payloadLength ? this.payloadLength : raw.length - offset - 40;
      this.payload = new Decoder(this.emitter).decode(raw, offset + 40, len) as IPv6['payload'];
    }

    if (this.emitter) this.emitter.emit('ipv6', this);
    return this;
  }

  toString(): string {
    const ret = `${this.saddr} -> ${this.daddr} `;
    const what = this.payload === undefined || this.payload === null ? `proto ${this.nextHeader}` : this.payload.constructor.name;
    return `${ret}${what} ${this.payload}`;
  }
}
interface IPv6 {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(IPv6, { decoderName: 'ipv6', eventsOnDecode: true });

export = IPv6;
