import { int8_to_hex as hex } from '../util';
import { protoMembers } from '../internal/read';

/** The link-layer address of a Linux cooked capture: `len` significant bytes. */
class SLLAddr {
  addr: (number | undefined)[];
  constructor(raw: Uint8Array, offset: number, len: number) {
    // The field is 8 bytes on the wire; a larger length is clamped to it.
    const n = Math.max(0, Math.min(len | 0, 8));
    this.addr = new Array(n);
    for (let i = 0; i < n; i++) this.addr[i] = raw[offset + i];
  }
  /** All significant bytes (v3 printed `undefined` in place of the last one). */
  toString(): string {
    return this.addr.map((b) => hex[b as number]).join(':');
  }
}
interface SLLAddr {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(SLLAddr, { decoderName: 'ssl-addr', eventsOnDecode: false });

export = SLLAddr;
