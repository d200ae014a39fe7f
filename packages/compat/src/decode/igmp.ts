import IPv4Addr = require('./ipv4_addr');
import { be16, protoMembers, type Emitter } from '../internal/read';

const VERSION: Record<number, number> = { 0x11: 3, 0x12: 1, 0x16: 2, 0x17: 2, 0x22: 3 };

/** An IGMP message header. Emits `igmp`. */
class IGMP {
  emitter: Emitter | undefined = undefined;
  type: number | undefined = undefined;
  version: number | undefined = undefined;
  maxResponseTime: number | undefined = undefined;
  checksum: number | undefined = undefined;
  groupAddress: IPv4Addr | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.type = raw[offset];
    this.maxResponseTime = raw[offset + 1];
    this.checksum = be16(raw, offset + 2);
    this.groupAddress = new IPv4Addr().decode(raw, offset + 4);
    const v = this.type === undefined ? undefined : VERSION[this.type];
    if (v !== undefined) this.version = v;
    if (this.emitter) this.emitter.emit('igmp', this);
    return this;
  }

  toString(): string {
    switch (this.type) {
      case 0x11:
        return 'Membership Query';
      case 0x12:
      case 0x16:
      case 0x22:
        return 'Membership Report';
      case 0x17:
        return 'Leave Group';
      default:
        return `type ${this.type}`;
    }
  }
}
interface IGMP {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(IGMP, { decoderName: 'igmp', eventsOnDecode: true });

export = IGMP;
