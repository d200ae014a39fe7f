import SLLAddr = require('./sll_addr');
import { be16, protoMembers, type Emitter } from '../internal/read';
import { ethertypePayload, ethertypeText } from '../internal/ethertype';

const PACKET_TYPES = ['recv_us', 'broadcast', 'multicast', 'remote_remote', 'sent_us'];

/** Linux cooked capture (SLL, the `any` device). */
class SLLPacket {
  emitter: Emitter | undefined = undefined;
  packet_type: number | null = null;
  address_type: number | null = null;
  address_len: number | null = null;
  address: SLLAddr | null = null;
  ethertype: number | null = null;
  payload: { toString(): string } | null = null;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    const pt = be16(raw, offset);
    const at = be16(raw, offset + 2);
    const al = be16(raw, offset + 4);
    const type = be16(raw, offset + 14);
    if (pt === undefined || at === undefined || al === undefined) return this;
    this.packet_type = pt;
    this.address_type = at;
    this.address_len = al;
    this.address = new SLLAddr(raw, offset + 6, al);
    if (type === undefined) return this;
    if (type < 1536) {
      this.ethertype = 0;
    } else {
      this.ethertype = type;
      this.payload = ethertypePayload(type, raw, offset + 16, this.emitter, 'SLLPacket()');
    }
    return this;
  }

  toString(): string {
    let ret = (this.packet_type !== null ? PACKET_TYPES[this.packet_type] : undefined) ?? '';
    ret += ` addrtype ${this.address_type} ${this.address}${ethertypeText(this.ethertype)}`;
    return this.payload === null || this.payload === undefined ? ret : `${ret} ${this.payload.toString()}`;
  }
}
interface SLLPacket {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(SLLPacket, { decoderName: 'ssl-packet', eventsOnDecode: false });

export = SLLPacket;
