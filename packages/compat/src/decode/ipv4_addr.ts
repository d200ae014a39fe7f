import { int8_to_dec as dec } from '../util';
import { protoMembers } from '../internal/read';

/** An IPv4 address; `addr` holds its four bytes. */
class IPv4Addr {
  addr: (number | undefined)[];
  constructor() {
    this.addr = new Array(4);
  }
  decode(raw: Uint8Array, offset: number): this {
    const a = this.addr;
    a[0] = raw[offset];
    a[1] = raw[offset + 1];
    a[2] = raw[offset + 2];
    a[3] = raw[offset + 3];
    return this;
  }
  toString(): string {
    const a = this.addr as number[];
    return `${dec[a[0]!]}.${dec[a[1]!]}.${dec[a[2]!]}.${dec[a[3]!]}`;
  }
}
interface IPv4Addr {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(IPv4Addr, { decoderName: 'ipv4-addr', eventsOnDecode: false });

export = IPv4Addr;
