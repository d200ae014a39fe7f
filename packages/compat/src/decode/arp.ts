import EthernetAddr = require('./ethernet_addr');
import IPv4Addr = require('./ipv4_addr');
import { be16, protoMembers, type Emitter } from '../internal/read';

/** An ARP message; addresses are decoded for Ethernet/IPv4 (hlen 6, plen 4). Emits `arp`. */
class Arp {
  emitter: Emitter | undefined = undefined;
  htype: number | undefined = undefined;
  ptype: number | undefined = undefined;
  hlen: number | undefined = undefined;
  plen: number | undefined = undefined;
  operation: number | undefined = undefined;
  sender_ha: EthernetAddr | undefined = undefined;
  sender_pa: IPv4Addr | undefined = undefined;
  target_ha: EthernetAddr | undefined = undefined;
  target_pa: IPv4Addr | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.htype = be16(raw, offset);
    this.ptype = be16(raw, offset + 2);
    this.hlen = raw[offset + 4];
    this.plen = raw[offset + 5];
    this.operation = be16(raw, offset + 6);
    if (this.hlen === 6 && this.plen === 4) {
      this.sender_ha = new EthernetAddr(raw, offset + 8);
      this.sender_pa = new IPv4Addr().decode(raw, offset + 14);
      this.target_ha = new EthernetAddr(raw, offset + 18);
      this.target_pa = new IPv4Addr().decode(raw, offset + 24);
    }
    if (this.emitter) this.emitter.emit('arp', this);
    return this;
  }

  toString(): string {
    let ret = this.operation === 1 ? 'request' : this.operation === 2 ? 'reply' : 'unknown';
    if (this.sender_ha && this.sender_pa) {
      ret += ` sender ${this.sender_ha} ${this.sender_pa} target ${this.target_ha} ${this.target_pa}`;
    }
    return ret;
  }
}
interface Arp {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(Arp, { decoderName: 'arp', eventsOnDecode: true });

export = Arp;
