import { be16, be32, protoMembers, type Emitter } from '../internal/read';

class TCPFlags {
  emitter: Emitter | undefined = undefined;
  nonce: boolean | undefined = undefined;
  cwr: boolean | undefined = undefined;
  ece: boolean | undefined = undefined;
  urg: boolean | undefined = undefined;
  ack: boolean | undefined = undefined;
  psh: boolean | undefined = undefined;
  rst: boolean | undefined = undefined;
  syn: boolean | undefined = undefined;
  fin: boolean | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }
  decode(first: number | undefined, second: number | undefined): this {
    const a = first as number;
    const b = second as number;
    this.nonce = (a & 1) !== 0;
    this.cwr = (b & 128) !== 0;
    this.ece = (b & 64) !== 0;
    this.urg = (b & 32) !== 0;
    this.ack = (b & 16) !== 0;
    this.psh = (b & 8) !== 0;
    this.rst = (b & 4) !== 0;
    this.syn = (b & 2) !== 0;
    this.fin = (b & 1) !== 0;
    return this;
  }
  toString(): string {
    return `[${this.cwr ? 'c' : ''}${this.ece ? 'e' : ''}${this.urg ? 'u' : ''}${this.ack ? 'a' : ''}${
      this.psh ? 'p' : ''
    }${this.rst ? 'r' : ''}${this.syn ? 's' : ''}${this.fin ? 'f' : ''}]`;
  }
}

class TCPOptions {
  mss: number | null = null;
  window_scale: number | null = null;
  sack_ok: boolean | null = null;
  sack: [number, number][] | null = null;
  timestamp: number | null = null;
  echo: number | null = null;

  /**
   * Reads the options of [offset, offset+len). Unknown kinds are skipped by their length byte
   * (v3 threw); a length below 2 or past the end stops the walk (v3 looped or threw).
   */
  decode(raw: Uint8Array, offset: number, len: number): this {
    const end = Math.min(offset + len, raw.length);
    let o = offset;
    while (o < end) {
      const kind = raw[o]!;
      if (kind === 0) break;
      if (kind === 1) {
        o += 1;
        continue;
      }
      const olen = raw[o + 1];
      if (olen === undefined || olen < 2 || o + olen > end) break;
      switch (kind) {
        case 2:
          if (olen >= 4) this.mss = be16(raw, o + 2)!;
          break;
        case 3:
          if (olen >= 3) this.window_scale = raw[o + 2]!;
          break;
        case 4:
          this.sack_ok = true;
          break;
        case 5:
          this.sack = [];
          if (olen === 10 || olen === 18 || olen === 26 || olen === 34) {
            for (let p = o + 2; p + 8 <= o + olen; p += 8) this.sack.push([be32(raw, p)!, be32(raw, p + 4)!]);
          } else {
            // v3 logged this and stopped reading options; kept, so the output matches.
            console.log(`Invalid TCP SACK option length ${raw[o + 2]}`);
            return this;
          }
          break;
        case 8:
          if (olen >= 10) {
            this.timestamp = be32(raw, o + 2)!;
            this.echo = be32(raw, o + 6)!;
          }
          break;
        default:
          break;
      }
      o += olen;
    }
    return this;
  }

  toString(): string {
    let ret = '';
    if (this.mss !== null) ret += `mss:${this.mss} `;
    if (this.window_scale !== null) ret += `scale:${this.window_scale}(${Math.pow(2, this.window_scale)}) `;
    if (this.sack_ok !== null) ret += 'sack_ok ';
    if (this.sack !== null) ret += `sack:${this.sack.join(',')} `;
    if (ret.length === 0) ret = '. ';
    return `[${ret.slice(0, -1)}]`;
  }
}

/** A TCP header with its options; `data` is a view of the payload. Emits `tcp`. */
class TCP {
  emitter: Emitter | undefined = undefined;
  sport: number | undefined = undefined;
  dport: number | undefined = undefined;
  seqno: number | undefined = undefined;
  ackno: number | undefined = undefined;
  headerLength: number | undefined = undefined;
  reserved: undefined = undefined;
  flags: TCPFlags | undefined = undefined;
  windowSize: number | undefined = undefined;
  checksum: number | undefined = undefined;
  urgentPointer: number | undefined = undefined;
  options: TCPOptions | undefined = undefined;
  data: Buffer | null | undefined = undefined;
  dataLength: number | undefined = undefined;
  constructor(emitter?: Emitter) {
    this.emitter = emitter;
  }

  decode(raw: Buffer, offset: number, len?: number): this {
    this.sport = be16(raw, offset);
    this.dport = be16(raw, offset + 2);
    this.seqno = be32(raw, offset + 4);
    this.ackno = be32(raw, offset + 8);
    const b12 = raw[offset + 12];
    const hl = ((b12 as number) & 0xf0) >> 2;
    this.headerLength = hl;
    this.flags = new TCPFlags().decode(b12, raw[offset + 13]);
    this.windowSize = be16(raw, offset + 14);
    this.checksum = be16(raw, offset + 16);
    this.urgentPointer = be16(raw, offset + 18);
    this.options = new TCPOptions();
    if (hl > 20) this.options.decode(raw, offset + 20, hl - 20);
    const start = offset + (hl > 20 ? hl : 20);

    const dataLength = (len as number) - hl;
    this.dataLength = dataLength;
    this.data = dataLength > 0 ? raw.subarray(start, start + dataLength) : null;

    if (this.emitter) this.emitter.emit('tcp', this);
    return this;
  }

  toString(): string {
    return `${this.sport}->${this.dport} seq ${this.seqno} ack ${this.ackno} flags ${this.flags} win ${this.windowSize} csum ${this.checksum} ${this.options} len ${this.dataLength}`;
  }
}
interface TCP {
  decoderName: string;
  eventsOnDecode: boolean;
}
protoMembers(TCP, { decoderName: 'tcp', eventsOnDecode: true });

export = TCP;
