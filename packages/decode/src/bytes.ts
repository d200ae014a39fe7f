/**
 * Byte readers and the address/number formats shared by every protocol.
 * Readers never check bounds: decoders check lengths once per header instead.
 */
import type { TextBuffer } from './text-buffer.js';

export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

export function u16le(b: Uint8Array, o: number): number {
  return b[o]! | (b[o + 1]! << 8);
}

export function u32le(b: Uint8Array, o: number): number {
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + ((b[o + 3]! << 24) >>> 0);
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** `aa:bb:cc:dd:ee:ff`, lowercase, of six bytes at `o`. */
export function macAt(b: Uint8Array, o: number): string {
  return `${HEX[b[o]!]}:${HEX[b[o + 1]!]}:${HEX[b[o + 2]!]}:${HEX[b[o + 3]!]}:${HEX[b[o + 4]!]}:${HEX[b[o + 5]!]}`;
}

/** Dotted quad of four bytes at `o`. */
export function ipv4At(b: Uint8Array, o: number): string {
  return V4_TEXT[ipv4Slot(b, o)]!;
}

/** `ipv4At` written into `out` as bytes, with no string read a character at a time. */
export function writeIpv4At(out: TextBuffer, b: Uint8Array, o: number): void {
  const slot = ipv4Slot(b, o);
  const at = slot * V4_WIDTH;
  out.bytes(V4_BYTES, at, at + V4_LENGTH[slot]!);
}

/**
 * The cache slot holding the text of the address at `o`, filled first if need be. A capture
 * holds few addresses and prints each many times: the text of recent ones is kept in a small
 * direct-mapped cache keyed by the address as a 32-bit integer, as a string and as bytes.
 */
function ipv4Slot(b: Uint8Array, o: number): number {
  const key = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const slot = cacheSlot(key, V4_SLOTS);
  if (V4_KEYS[slot] === key && V4_LENGTH[slot] !== 0) return slot;
  const text = small(b[o]!) + '.' + small(b[o + 1]!) + '.' + small(b[o + 2]!) + '.' + small(b[o + 3]!);
  V4_KEYS[slot] = key;
  V4_TEXT[slot] = text;
  V4_LENGTH[slot] = text.length;
  for (let i = 0, at = slot * V4_WIDTH; i < text.length; i++) V4_BYTES[at + i] = text.charCodeAt(i);
  return slot;
}

/** Where a 32-bit key (or hash) lives in a direct-mapped cache of `slots` (a power of two) entries. */
function cacheSlot(key: number, slots: number): number {
  return (key ^ (key >>> 11) ^ (key >>> 22)) & (slots - 1);
}

const V4_SLOTS = 4096;
/** Bytes of the longest dotted quad, `255.255.255.255`, plus one. */
const V4_WIDTH = 16;
const V4_KEYS = new Int32Array(V4_SLOTS);
const V4_TEXT: string[] = new Array<string>(V4_SLOTS).fill('');
// 0 for an empty slot: no address has empty text.
const V4_LENGTH = new Uint8Array(V4_SLOTS);
const V4_BYTES = new Uint8Array(V4_SLOTS * V4_WIDTH);

// Decimal text of 0..9999, plain and zero-padded to four digits. Printing turns tens of
// numbers per packet into text; V8 makes each 32-bit one a heap number and formats it
// through its slow double path, where these tables cost a lookup or two. Each text is made
// the first time it is needed: a program that never prints numbers pays nothing for them.
let plainDigits: Array<string | undefined> | undefined;
let paddedDigits: Array<string | undefined> | undefined;

/** Text of an integer from 0 to 9999. */
function small(n: number): string {
  const table = (plainDigits ??= new Array<string | undefined>(10000));
  return table[n] ?? (table[n] = String(n));
}

/** Text of an integer from 0 to 9999, zero-padded to four digits. */
function four(n: number): string {
  const table = (paddedDigits ??= new Array<string | undefined>(10000));
  return table[n] ?? (table[n] = String(n).padStart(4, '0'));
}

/** Decimal text of a non-negative integer below 2^53 (`String(n)`, made faster for the numbers packets carry). */
export function decimal(n: number): string {
  if (n < 10000) return n >= 0 && Math.floor(n) === n ? small(n) : String(n);
  if (n >= 1e12 || n !== Math.floor(n)) return String(n);
  if (n < 1e8) {
    const hi = Math.floor(n / 10000);
    return small(hi) + four(n - hi * 10000);
  }
  return overEightDigits(n);
}

/** `n` below 10^12 as its digits above the last eight, then those eight zero-padded. */
function overEightDigits(n: number): string {
  const top = Math.floor(n / 1e8);
  const rest = n - top * 1e8;
  const mid = Math.floor(rest / 10000);
  return small(top) + four(mid) + four(rest - mid * 10000);
}

/** RFC 5952 text of sixteen bytes at `o`: lowercase, longest zero run (of two or more) as `::`, v4-mapped and v4-compatible as dotted quad. */
export function ipv6At(b: Uint8Array, o: number): string {
  return V6_TEXT[ipv6Slot(b, o)]!;
}

/** `ipv6At` written into `out` as bytes (see `writeIpv4At`). */
export function writeIpv6At(out: TextBuffer, b: Uint8Array, o: number): void {
  const slot = ipv6Slot(b, o);
  const at = slot * V6_WIDTH;
  out.bytes(V6_BYTES, at, at + V6_LENGTH[slot]!);
}

/** The cache slot holding the text of the address at `o`, filled first if need be: as for IPv4, recent addresses keep their text in a direct-mapped cache. */
function ipv6Slot(b: Uint8Array, o: number): number {
  const w0 = (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
  const w1 = (b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!;
  const w2 = (b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!;
  const w3 = (b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!;
  const slot = cacheSlot(w0 ^ w1 ^ w2 ^ w3, V6_SLOTS);
  const k = slot * 4;
  if (V6_LENGTH[slot] !== 0 && V6_KEYS[k] === w0 && V6_KEYS[k + 1] === w1 && V6_KEYS[k + 2] === w2 && V6_KEYS[k + 3] === w3) return slot;
  const text = ipv6Text(b, o);
  V6_KEYS[k] = w0;
  V6_KEYS[k + 1] = w1;
  V6_KEYS[k + 2] = w2;
  V6_KEYS[k + 3] = w3;
  V6_TEXT[slot] = text;
  V6_LENGTH[slot] = text.length;
  for (let i = 0, at = slot * V6_WIDTH; i < text.length; i++) V6_BYTES[at + i] = text.charCodeAt(i);
  return slot;
}

const V6_SLOTS = 1024;
/** Bytes of the longest text, eight groups of four hex digits and seven colons, plus one. */
const V6_WIDTH = 40;
const V6_KEYS = new Int32Array(V6_SLOTS * 4);
const V6_TEXT: string[] = new Array<string>(V6_SLOTS).fill('');
const V6_LENGTH = new Uint8Array(V6_SLOTS);
const V6_BYTES = new Uint8Array(V6_SLOTS * V6_WIDTH);

function ipv6Text(b: Uint8Array, o: number): string {
  const word = (i: number): number => (b[o + i * 2]! << 8) | b[o + i * 2 + 1]!;
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (word(i) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && word(j) === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestAt === 0 && bestLen === 5 && word(5) === 0xffff) return `::ffff:${ipv4At(b, o + 12)}`;
  // An IPv4-compatible address (six zero words, then a non-zero seventh) prints its last
  // 32 bits as a dotted quad, as inet_ntop and Wireshark do: `::16.0.0.1`.
  if (bestAt === 0 && bestLen === 6) return `::${ipv4At(b, o + 12)}`;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestAt) {
      s += '::';
      i += bestLen - 1;
      continue;
    }
    if (s !== '' && i !== bestAt + bestLen) s += ':';
    const w = word(i);
    const words = (hexWords ??= new Array<string | undefined>(65536));
    s += words[w] ?? (words[w] = w.toString(16));
  }
  return s;
}

/** Lowercase hex of 16-bit values without leading zeros, as IPv6 text writes each word; made at the first IPv6 address, filled as words are seen. */
let hexWords: Array<string | undefined> | undefined;

/** Lowercase hex of bytes with no separators (of `b[from..to]` when given). */
export function hexBytes(b: Uint8Array, from = 0, to = b.length): string {
  let s = '';
  for (let i = from; i < to; i++) s += HEX[b[i]!];
  return s;
}

/** `0x` + lowercase hex zero-padded to `digits`, as tshark prints BASE_HEX fields. */
export function hex(n: number, digits: number): string {
  // Flags, types and checksums of every packet come through here: the common widths are
  // put together from the byte table.
  if (digits === 4 && n >>> 0 === n && n < 0x10000) return '0x' + HEX[n >> 8]! + HEX[n & 0xff]!;
  if (digits === 2 && n >>> 0 === n && n < 0x100) return '0x' + HEX[n]!;
  return `0x${n.toString(16).padStart(digits, '0')}`;
}

/** `n` (0 to 999,999,999) as nine digits, zero-padded: the fraction of a nanosecond timestamp. */
export function nineDigits(n: number): string {
  return overEightDigits(n);
}
