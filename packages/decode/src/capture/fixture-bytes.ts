/**
 * Builds capture files byte by byte for the tests, independently of the writers, so that a
 * reader bug and a writer bug cannot cancel out. Not part of the public API.
 */

export type Endian = 'le' | 'be';

class Bytes {
  readonly parts: number[] = [];
  constructor(private readonly e: Endian) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.e === 'le' ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.e === 'le' ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  u64(v: bigint): this {
    const hi = Number((BigInt.asUintN(64, v) >> 32n) & 0xffffffffn);
    const lo = Number(BigInt.asUintN(64, v) & 0xffffffffn);
    return this.e === 'le' ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  pad(): this {
    while (this.parts.length % 4) this.parts.push(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
}

const utf8 = new TextEncoder();

/** An option: code and value (a string is UTF-8 text). */
export type Opt = [code: number, value: string | Uint8Array | readonly number[]];

function options(e: Endian, opts: readonly Opt[] | undefined): number[] {
  if (!opts || opts.length === 0) return [];
  const b = new Bytes(e);
  for (const [code, v] of opts) {
    const value = typeof v === 'string' ? utf8.encode(v) : v;
    b.u16(code).u16(value.length).raw(value).pad();
  }
  b.u32(0);
  return b.parts;
}

/** A whole block: type, length, `body` (padded), options, length. */
export function block(e: Endian, type: number, body: readonly number[], opts?: readonly Opt[]): Uint8Array {
  const inner = new Bytes(e).raw(body).pad().raw(options(e, opts));
  const out = new Bytes(e).u32(type).u32(inner.length + 12).raw(inner.parts).u32(inner.length + 12);
  return Uint8Array.from(out.parts);
}

export function shb(e: Endian, opts?: readonly Opt[], version: [number, number] = [1, 0]): Uint8Array {
  const b = new Bytes(e).u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u64(-1n);
  return block(e, 0x0a0d0d0a, b.parts, opts);
}

export function idb(e: Endian, linkType: number, snaplen: number, opts?: readonly Opt[]): Uint8Array {
  return block(e, 1, new Bytes(e).u16(linkType).u16(0).u32(snaplen).parts, opts);
}

export function epb(e: Endian, iface: number, ticks: bigint, data: Uint8Array, origLen = data.length, opts?: readonly Opt[]): Uint8Array {
  const b = new Bytes(e).u32(iface).u32(Number(ticks >> 32n)).u32(Number(ticks & 0xffffffffn)).u32(data.length).u32(origLen).raw(data);
  return block(e, 6, b.parts, opts);
}

export function opb(e: Endian, iface: number, drops: number, ticks: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
  const b = new Bytes(e).u16(iface).u16(drops).u32(Number(ticks >> 32n)).u32(Number(ticks & 0xffffffffn)).u32(data.length).u32(origLen).raw(data);
  return block(e, 2, b.parts);
}

export function spb(e: Endian, origLen: number, data: Uint8Array): Uint8Array {
  return block(e, 3, new Bytes(e).u32(origLen).raw(data).parts);
}

/** A 64-bit option value. */
export function u64opt(e: Endian, v: bigint): number[] {
  return new Bytes(e).u64(v).parts;
}

/** A classic pcap file: magic picks micro (a1b2c3d4), nano (a1b23c4d) or modified (a1b2cd34). */
export function pcapFile(
  e: Endian,
  magic: number,
  linkType: number,
  records: readonly { sec: number; frac: number; data: Uint8Array; orig?: number }[],
  snaplen = 65535,
): Uint8Array {
  const b = new Bytes(e).u32(magic).u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(linkType);
  for (const r of records) {
    b.u32(r.sec).u32(r.frac).u32(r.data.length).u32(r.orig ?? r.data.length);
    if (magic === 0xa1b2cd34) b.u32(3).u16(0x0800).u8(0).u8(0);
    b.raw(r.data);
  }
  return Uint8Array.from(b.parts);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
