import { int8_to_hex as hex } from '../util';
import { protoMembers } from '../internal/read';

/** An IPv6 address; `addr` holds its sixteen bytes. Prints eight uncompressed groups, as v3 did. */
class IPv6Addr {
  addr: (number | undefined)[];
  constructor() {
    this.addr = new Array(16);
  }
  decode(raw: Uint8Array, offset: number): this {
    for (let i = 0; i < 16; i++) this.addr[i] = raw[offset + i];
    return this;
  }
  toString(): string {
    const a = this.addr as number[];
    let s = '';
    for (let i = 0; i < 16; i += 2) s += (i ? ':' : '') + hex[a[i]!] + hex[a[i + 1]!];
    return s;
  }
}
interface IPv6Addr {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(IPv6Addr, { decoderName: 'ipv6-addr', eventsOnDecode: false });

export = IPv6Addr;
