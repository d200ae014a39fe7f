import IPv4Addr = require('./ipv4_addr');
import IPv6Addr = require('./ipv6_addr');
import { be16, be32, protoMembers, type Emitter } from '../internal/read';

/** Header flags, decoded from the two flag bytes (v3.1.0 left them all false/0). */
class DnsFlags {
  isResponse: boolean | undefined = undefined;
  opcode: number | undefined = undefined;
  isAuthority: boolean | undefined = undefined;
  isTruncated: boolean | undefined = undefined;
  isRecursionDesired: boolean | undefined = undefined;
  isRecursionAvailible: boolean | undefined = undefined;
  z: number | undefined = undefined;
  responseCode: number | undefined = undefined;

  decode(raw: Uint8Array, offset: number): this {
    const b1 = raw[offset] as number;
    const b2 = raw[offset + 1] as number;
    this.isResponse = (b1 & 0x80) !== 0;
    this.opcode = (b1 & 0x78) >> 3;
    this.isAuthority = (b1 & 0x04) !== 0;
    this.isTruncated = (b1 & 0x02) !== 0;
    this.isRecursionDesired = (b1 & 0x01) !== 0;
    this.isRecursionAvailible = (b2 & 0x80) !== 0;
    this.z = (b2 & 0x70) >> 4;
    this.responseCode = b2 & 0x0f;
    return this;
  }

  toString(): string {
    return (
      `{ isResponse:${this.isResponse} opcode:${this.opcode} isAuthority:${this.isAuthority}` +
      ` isTruncated:${this.isTruncated} isRecursionDesired:${this.isRecursionDesired}` +
      ` isRecursionAvailible:${this.isRecursionAvailible} z:${this.z} responseCode:${this.responseCode} }`
    );
  }
}

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL',
  11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA',
};
const QTYPES: Record<number, string> = { 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: '*' };
const CLASSES: Record<number, string> = { 1: 'IN', 2: 'CS', 3: 'CH', 4: 'HS' };

function typeText(n: number | null): string {
  return (n !== null && Object.hasOwn(TYPES, n) ? TYPES[n] : undefined) ?? `Unknown (${n})`;
}
function qtypeText(n: number | null): string {
  return (n !== null && Object.hasOwn(QTYPES, n) ? QTYPES[n] : undefined) ?? typeText(n);
}
function classText(n: number | null): string {
  return (n !== null && Object.hasOwn(CLASSES, n) ? CLASSES[n] : undefined) ?? `Unknown (${n})`;
}
function qclassText(n: number | null): string {
  return n === 255 ? '*' : classText(n);
}

class DNSRR {
  name = '';
  type: number | null = null;
  class: number | null = null;
  ttl: number | null = null;
  rdlength: number | null = null;
  rdata: IPv4Addr | IPv6Addr | string | null = null;
  is_question: boolean;
  declare data?: IPv6Addr;
  constructor(isQuestion: boolean) {
    this.is_question = isQuestion;
  }
  toString(): string {
    if (this.is_question) return `${this.name} ${qtypeText(this.type)} ${qclassText(this.class)}`;
    return `${this.name} ${typeText(this.type)} ${classText(this.class)} ${this.ttl} ${this.rdata}`;
  }
}

class DNSRRSet {
  rrs: (DNSRR | undefined)[];
  constructor(count: number) {
    this.rrs = new Array(count);
  }
  toString(): string {
    return this.rrs.join(', ');
  }
}

/** A DNS message: header, flags and the four record sections. Emits `dns`. */
class DNS {
  emitter: Emitter | undefined = undefined;
  header: DnsFlags | undefined = undefined;
  question: DNSRRSet | undefined = undefined;
  answer: DNSRRSet | undefined = undefined;
  authority: DNSRRSet | undefined = undefined;
  additional: DNSRRSet | undefined = undefined;
  _error: string | undefined = undefined;
  declare raw_packet: Buffer;
  declare offset: number;
  declare id: number | undefined;
  declare qdcount: number | undefined;
  declare ancount: number | undefined;
  declare nscount: number | undefined;
  declare arcount: number | undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number): this {
    this.raw_packet = raw;
    this.offset = offset;
    this.id = be16(raw, offset);
    this.header = new DnsFlags().decode(raw, offset + 2);
    this.qdcount = be16(raw, offset + 4);
    this.ancount = be16(raw, offset + 6);
    this.nscount = be16(raw, offset + 8);
    this.arcount = be16(raw, offset + 10);
    this.offset += 12;
    if (this.arcount === undefined) {
      this._error = `Malformed DNS packet: header is ${Math.max(0, raw.length - offset)} bytes, needs 12`;
    } else {
      // Each section is stored before it is filled, so a cut-off message keeps what was read.
      const sections = ['question', 'answer', 'authority', 'additional'] as const;
      const counts = [this.qdcount!, this.ancount!, this.nscount!, this.arcount];
      try {
        for (let s = 0; s < 4; s++) {
          const count = counts[s]!;
          if (count > 100) {
            this._error = `Malformed DNS packet: too many RRs at offset ${this.offset}`;
            this[sections[s]!] = undefined;
            continue;
          }
          const set = new DNSRRSet(count);
          this[sections[s]!] = set;
          for (let i = 0; i < count; i++) {
            try {
              set.rrs[i] = this.decode_RR(s === 0);
            } catch (e) {
              // The set keeps the records read before the damage.
              set.rrs.length = i;
              throw e;
            }
          }
        }
      } catch (e) {
        if (!(e instanceof Error)) throw e;
        this._error = e.message;
      }
    }
    if (this.emitter) this.emitter.emit('dns', this);
    return this;
  }

  /** A section of `count` records; over 100 is taken as garbage and leaves it undefined. */
  decode_RRs(count: number, isQuestion: boolean): DNSRRSet | undefined {
    if (count > 100) {
      this._error = `Malformed DNS packet: too many RRs at offset ${this.offset}`;
      return undefined;
    }
    const set = new DNSRRSet(count);
    for (let i = 0; i < count; i++) set.rrs[i] = this.decode_RR(isQuestion);
    return set;
  }

  /** Reads a possibly compressed name at `offset`, advancing it past the name. */
  read_name(): string {
    const raw = this.raw_packet;
    let result = '';
    let pointers = 0;
    let pos = this.offset;
    // A name is at most 255 bytes; 128 labels or pointers is more than any valid one has.
    for (let steps = 0; steps < 256; steps++) {
      const len = raw[pos];
      if (len === undefined) throw new Error(`Malformed DNS RR: name runs past the end at offset ${pos}`);
      if (len === 0) {
        if (pointers === 0) this.offset = pos + 1;
        return result;
      }
      if ((len & 0xc0) === 0xc0) {
        const low = raw[pos + 1];
        if (low === undefined) throw new Error(`Malformed DNS RR: name runs past the end at offset ${pos}`);
        pos = ((len & 0x3f) << 8) | low;
        pointers++;
        if (pointers === 1) this.offset += 2;
        if (pointers > 5) throw new Error(`invalid DNS RR: too many compression pointers found at offset ${pos}`);
        continue;
      }
      if (result.length > 0) result += '.';
      if (len > 63) throw new Error(`invalid DNS RR: length is too large at offset ${pos}`);
      pos++;
      if (pos + len > raw.length) throw new Error(`Malformed DNS RR: name runs past the end at offset ${pos}`);
      for (let i = pos; i < pos + len; i++) result += String.fromCharCode(raw[i]!);
      pos += len;
      if (pointers === 0) this.offset = pos;
    }
    throw new Error(`invalid DNS RR: name too long at offset ${pos}`);
  }

  decode_RR(isQuestion: boolean): DNSRR {
    const raw = this.raw_packet;
    if (this.offset > raw.length) {
      throw new Error(`Malformed DNS RR. Offset is beyond packet len (decode_RR) :${this.offset} packet_len:${raw.length}`);
    }
    const rr = new DNSRR(isQuestion);
    rr.name = this.read_name();
    const need = isQuestion ? 4 : 10;
    if (this.offset + need > raw.length) throw new Error(`Malformed DNS RR: record runs past the end at offset ${this.offset}`);
    rr.type = be16(raw, this.offset)!;
    rr.class = be16(raw, this.offset + 2)!;
    this.offset += 4;
    if (isQuestion) return rr;
    rr.ttl = be32(raw, this.offset)!;
    rr.rdlength = be16(raw, this.offset + 4)!;
    this.offset += 6;
    if (rr.type === 1 && rr.class === 1 && rr.rdlength) {
      rr.rdata = new IPv4Addr().decode(raw, this.offset);
    } else if (rr.type === 2 && rr.class === 1) {
      const at = this.offset;
      rr.rdata = this.read_name();
      this.offset = at;
    } else if (rr.type === 28 && rr.class === 1 && rr.rdlength === 16) {
      // v3 left this IPv6Addr empty and rdata null; both now hold the address.
      rr.data = new IPv6Addr().decode(raw, this.offset);
      rr.rdata = rr.data;
    }
    this.offset += rr.rdlength;
    return rr;
  }

  toString(): string {
    let ret = ` DNS ${this.header}`;
    if ((this.qdcount as number) > 0 && this.question && this.question.rrs.length > 0) ret += `\n  question:${this.question.rrs[0]}`;
    if ((this.ancount as number) > 0 && this.answer) ret += `\n  answer:${this.answer}`;
    if ((this.nscount as number) > 0 && this.authority) ret += `\n  authority:${this.authority}`;
    if ((this.arcount as number) > 0 && this.additional) ret += `\n  additional:${this.additional}`;
    return ret;
  }
}
interface DNS {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(DNS, { decoderName: 'dns', eventsOnDecode: true });

export = DNS;
