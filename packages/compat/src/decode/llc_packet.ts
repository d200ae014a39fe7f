import IPv4 = require('./ipv4');
import IPv6 = require('./ipv6');
import Arp = require('./arp');
import { be16, protoMembers, type Emitter } from '../internal/read';

/** IEEE 802.2 LLC with SNAP, as carried by 802.11 data frames. Emits `llc`. */
class LogicalLinkControl {
  emitter: Emitter | undefined = undefined;
  dsap: number | undefined = undefined;
  ssap: number | undefined = undefined;
  controlField: number | undefined = undefined;
  orgCode: (number | undefined)[] | undefined = undefined;
  type: number | undefined = undefined;
  _error: string | undefined = undefined;
  declare payload?: IPv4 | IPv6 | Arp;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.dsap = raw[offset];
    this.ssap = raw[offset + 1];
    if ((this.dsap === 0xaa && this.ssap === 0xaa) || (this.dsap === 0 && this.ssap === 0)) {
      this.controlField = raw[offset + 2];
      this.orgCode = [raw[offset + 3], raw[offset + 4], raw[offset + 5]];
      this.type = be16(raw, offset + 6);
      const at = offset + 8;
      if (this.type === 0x0800) this.payload = new IPv4(this.emitter).decode(raw, at);
      else if (this.type === 0x0806) this.payload = new Arp(this.emitter).decode(raw, at);
      else if (this.type === 0x86dd) this.payload = new IPv6(this.emitter).decode(raw, at);
    } else {
      this._error = `Unknown LLC types: DSAP: ${this.dsap}, SSAP: ${this.ssap}`;
    }
    if (this.emitter) this.emitter.emit('llc', this);
    return this;
  }
}
interface LogicalLinkControl {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(LogicalLinkControl, { decoderName: 'llc', eventsOnDecode: true });

export = LogicalLinkControl;
