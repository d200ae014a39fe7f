import DNS = require('./dns');
import { be16, protoMembers, type Emitter } from '../internal/read';

/** A UDP header; `data` is a view of the payload. Emits `udp`. */
class UDP {
  emitter: Emitter | undefined = undefined;
  sport: number | undefined = undefined;
  dport: number | undefined = undefined;
  length: number | undefined = undefined;
  checksum: number | undefined = undefined;
  data: Buffer | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.sport = be16(raw, offset);
    this.dport = be16(raw, offset + 2);
    this.length = be16(raw, offset + 4);
    this.checksum = be16(raw, offset + 6);
    const start = offset + 8;
    // A length field below 8 gives an empty view.
    const end = this.length === undefined ? raw.length : Math.max(start, start + this.length - 8);
    this.data = raw.subarray(Math.min(start, raw.length), end);
    if (this.emitter) this.emitter.emit('udp', this);
    return this;
  }

  /** Port 53 appends the DNS message's text, as v3 did (decoded here without an emitter). */
  toString(): string {
    let ret = `UDP ${this.sport}->${this.dport} len ${this.length}`;
    if ((this.sport === 53 || this.dport === 53) && this.data) ret += new DNS().decode(this.data, 0).toString();
    return ret;
  }
}
interface UDP {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(UDP, { decoderName: 'udp', eventsOnDecode: true });

export = UDP;
