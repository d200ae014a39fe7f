/**
 * Bounded readers: v3 threw a RangeError when a header ran past the captured bytes; these
 * return `undefined` instead, which leaves the field at its initial value.
 */
import * as bytes from '@pcap/decode';

// Bound once: the CommonJS build of @pcap/decode exposes its exports through getters,
// which would otherwise run on every read.
const { u16, u32, u16le, u32le } = bytes;

/** Anything with an `emit`, as v3 accepted (usually an EventEmitter). */
export interface Emitter {
  emit(event: string, ...args: unknown[]): unknown;
}

export function be16(b: Uint8Array, o: number): number | undefined {
  return o >= 0 && o + 2 <= b.length ? u16(b, o) : undefined;
}

export function be32(b: Uint8Array, o: number): number | undefined {
  return o >= 0 && o + 4 <= b.length ? u32(b, o) : undefined;
}

export function le16(b: Uint8Array, o: number): number | undefined {
  return o >= 0 && o + 2 <= b.length ? u16le(b, o) : undefined;
}

export function le32(b: Uint8Array, o: number): number | undefined {
  return o >= 0 && o + 4 <= b.length ? u32le(b, o) : undefined;
}

/** A decoder class as stored in `ip_protocols` and chosen by the link layers. */
export interface DecoderClass {
  new (emitter?: Emitter): { decode(raw: Buffer, offset: number, len?: number): unknown };
}

/** Sets prototype members the way v3 declared them (not own properties, so not serialised). */
export function protoMembers(cls: { prototype: object }, members: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(members)) {
    Object.defineProperty(cls.prototype, k, { value: v, writable: true, enumerable: true, configurable: true });
  }
}
