import { int8_to_hex as hex } from '../util';

/** A MAC address, decoded in the constructor; `addr` holds its six bytes. */
class EthernetAddr {
  addr: (number | undefined)[];
  constructor(raw: Uint8Array, offset: number) {
    this.addr = [raw[offset], raw[offset + 1], raw[offset + 2], raw[offset + 3], raw[offset + 4], raw[offset + 5]];
  }
  toString(): string {
    const a = this.addr as number[];
    return `${hex[a[0]!]}:${hex[a[1]!]}:${hex[a[2]!]}:${hex[a[3]!]}:${hex[a[4]!]}:${hex[a[5]!]}`;
  }
}

export = EthernetAddr;
