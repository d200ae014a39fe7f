import type { Emitter } from '../../internal/read';
import { ipProtocol } from '../../internal/protocols';

/** A generic IPv6 extension header (RFC 6564): its length and next header, body not decoded. */
class HeaderExtension {
  payload: { toString(): string } | undefined = undefined;
  nextHeader: number | undefined = undefined;
  headerLength: number | undefined = undefined;
  declare protocolName?: string;
  // v3 did not keep the emitter here; it is passed on so inner layers still emit.
  #emitter: Emitter | undefined;
  constructor(emitter?: Emitter) {
    this.#emitter = emitter;
  }

  decode(raw: Buffer, offset: number, len?: number): this {
    this.nextHeader = raw[offset];
    const hl = (raw[offset + 1]! + 1) * 8;
    this.headerLength = hl;
    const Decoder = ipProtocol(this.nextHeader);
    if (Decoder === undefined) {
      this.protocolName = 'Unknown';
    } else if (offset + 2 <= raw.length) {
      const rest = len === undefined || Number.isNaN(len) ? raw.length - offset - hl : len - hl;
      this.payload = new Decoder(this.#emitter).decode(raw, offset + hl, rest) as HeaderExtension['payload'];
    }
    return this;
  }

  toString(): string {
    const what = this.payload === undefined || this.payload === null ? `proto ${this.nextHeader}` : this.payload.constructor.name;
    return `${what} ${this.payload}`;
  }
}

export = HeaderExtension;
