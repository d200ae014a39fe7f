import IPv4 = require('./ipv4');
import IPv6 = require('./ipv6');
import { protoMembers, type Emitter } from '../internal/read';

/** BSD loopback (DLT_NULL): a 4-byte address family in either byte order. */
class NullPacket {
  emitter: Emitter | undefined = undefined;
  pftype: number | undefined = undefined;
  payload: IPv4 | IPv6 | undefined = undefined;
  _error: string | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    // Family values fit in one byte, so whichever end is non-zero holds it.
    this.pftype = raw[offset] === 0 && raw[offset + 1] === 0 ? raw[offset + 3] : raw[offset];
    if (this.pftype === 2) this.payload = new IPv4(this.emitter).decode(raw, offset + 4);
    else if (this.pftype === 30) this.payload = new IPv6(this.emitter).decode(raw, offset + 4);
    else this._error = `unknown protocol family ${this.pftype}`;
    return this;
  }

  toString(): string {
    return `${this.pftype} ${this.payload}`;
  }
}
interface NullPacket {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(NullPacket, { decoderName: 'null-packet', eventsOnDecode: false });

export = NullPacket;
