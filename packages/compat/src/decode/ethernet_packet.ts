import EthernetAddr = require('./ethernet_addr');
import Vlan = require('./vlan');
import { be16, protoMembers, type Emitter } from '../internal/read';
import { ethertypePayload, ethertypeText } from '../internal/ethertype';

/** An Ethernet II frame, with one optional 802.1Q tag. */
class EthernetPacket {
  emitter: Emitter | undefined = undefined;
  dhost: EthernetAddr | null = null;
  shost: EthernetAddr | null = null;
  ethertype: number | null = null;
  vlan: Vlan | null = null;
  payload: { toString(): string } | null = null;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.dhost = new EthernetAddr(raw, offset);
    this.shost = new EthernetAddr(raw, offset + 6);
    let type = be16(raw, offset + 12);
    let at = offset + 14;
    if (type === 0x8100) {
      this.vlan = new Vlan().decode(raw, at);
      type = be16(raw, at + 2);
      at += 4;
    }
    if (type === undefined) return this; // cut before the ethertype: nothing more to decode
    if (type < 1536) {
      // An 802.3 length field, not an ethertype.
      this.ethertype = 0;
    } else {
      this.ethertype = type;
      this.payload = ethertypePayload(type, raw, at, this.emitter, 'EthernetFrame()');
    }
    return this;
  }

  /** v3's text; a frame without a decoded payload ends after the ethertype (v3 threw). */
  toString(): string {
    let ret = `${this.shost} -> ${this.dhost}`;
    if (this.vlan) ret += ` vlan ${this.vlan}`;
    ret += ethertypeText(this.ethertype);
    return this.payload === null || this.payload === undefined ? ret : `${ret} ${this.payload.toString()}`;
  }
}
interface EthernetPacket {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(EthernetPacket, { decoderName: 'ethernet-packet', eventsOnDecode: false });

export = EthernetPacket;
