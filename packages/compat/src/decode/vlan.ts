import { protoMembers } from '../internal/read';

/** An 802.1Q tag: priority, CFI/DEI bit and VLAN id. */
class Vlan {
  priority: number | null = null;
  canonical_format: number | null = null;
  id: number | null = null;
  decode(raw: Uint8Array, offset: number): this {
    const b0 = raw[offset]!;
    this.priority = (b0 & 0xe0) >> 5;
    this.canonical_format = (b0 & 0x10) >> 4;
    this.id = ((b0 & 0x0f) << 8) | raw[offset + 1]!;
    return this;
  }
  toString(): string {
    return `${this.priority} ${this.canonical_format} ${this.id}`;
  }
}
interface Vlan {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(Vlan, { decoderName: 'vlan', eventsOnDecode: false });

export = Vlan;
