import { ipv4At, ipv6At, u16, u32, writeIpv4At, writeIpv6At } from '../bytes.js';
import { asciiText, DnsBounds, readName } from './dns-name.js';
import type { TextBuffer } from '../text-buffer.js';

/** Resource record types this package decodes, plus the DNSSEC ones it keeps raw. */
export const DnsType = {
  A: 1,
  NS: 2,
  MD: 3,
  MF: 4,
  CNAME: 5,
  SOA: 6,
  MB: 7,
  MG: 8,
  MR: 9,
  NULL: 10,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  SSHFP: 44,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  URI: 256,
  CAA: 257,
} as const;

const TYPE_NAMES = new Map<number, string>(Object.entries(DnsType).map(([k, v]) => [v, k]));

/** Mnemonic of a type (`AAAA`), or `TYPE<n>` (RFC 3597) when unknown. */
export function dnsTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `TYPE${type}`;
}

/** One EDNS(0) option (RFC 6891). */
export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

/** One SVCB/HTTPS SvcParam (RFC 9460). */
export interface SvcParam {
  readonly key: number;
  readonly value: Uint8Array;
}

/**
 * Decoded RDATA, by record type. NSEC, NSEC3 and CSYNC list the types of their bitmaps;
 * other DNSSEC types and unknown types are kept raw.
 */
export type DnsRData =
  | { readonly kind: 'A'; readonly address: string }
  | { readonly kind: 'AAAA'; readonly address: string }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'MX'; readonly preference: number; readonly exchange: string }
  | { readonly kind: 'TXT'; readonly strings: readonly string[] }
  | { readonly kind: 'HINFO'; readonly cpu: string; readonly os: string }
  | {
      readonly kind: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  | { readonly kind: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }
  | { readonly kind: 'OPT'; readonly options: readonly EdnsOption[] }
  | { readonly kind: 'CAA'; readonly flags: number; readonly tag: string; readonly value: string }
  | { readonly kind: 'SVCB'; readonly priority: number; readonly target: string; readonly params: readonly SvcParam[] }
  | { readonly kind: 'URI'; readonly priority: number; readonly weight: number; readonly target: string }
  | { readonly kind: 'NSEC'; readonly next: string; readonly types: number[] }
  | {
      readonly kind: 'NSEC3';
      readonly hashAlgorithm: number;
      readonly flags: number;
      readonly iterations: number;
      readonly salt: Uint8Array;
      readonly nextHashed: Uint8Array;
      readonly types: number[];
    }
  | { readonly kind: 'CSYNC'; readonly serial: number; readonly flags: number; readonly types: number[] }
  | { readonly kind: 'raw'; readonly data: Uint8Array };

/**
 * RDATA lengths below which tshark's decoder of the type runs off the record and gives
 * up on the rest of the message, for types whose decoding is not reproduced field by
 * field below (measured against tshark 4.0).
 */
const MIN_RDLENGTH: ReadonlyMap<number, number> = new Map([
  [11, 5],
  [25, 3],
  [27, 3],
  [37, 4],
  [43, 3],
  [48, 3],
  [52, 2],
  [59, 3],
  [60, 3],
  [63, 5],
  [107, 2],
  [32769, 3],
  [65281, 16],
]);

/** Types whose RDATA is one domain name. */
const NAME_TYPES = new Set<number>([2, 3, 4, 5, 7, 8, 9, 12, 39]);

function need(msg: Uint8Array, at: number, n: number, what: string): void {
  if (n < 0 || at + n > msg.length) throw new DnsBounds(Math.min(at + Math.max(n, 0), msg.length), what);
}

/** RDATA kept as bytes: only these kinds make a view of it. */
function rawData(msg: Uint8Array, at: number, rdlength: number): DnsRData {
  return { kind: 'raw', data: msg.subarray(at, Math.min(at + rdlength, msg.length)) };
}

/**
 * Decodes the RDATA of a record of `type` that starts at `at` and declares `rdlength`
 * bytes, reading as Wireshark does: some reads go past `rdlength` (an A record always
 * reads four bytes; names and TXT strings end where their own lengths say), and a read
 * past the captured message throws `DnsBounds`, which ends the walk of the message.
 * `msg` is the message as captured, so compression pointers resolve against it.
 * `partial` receives TXT and bitmap data before their lists are filled, so that what was
 * read before such a throw is kept.
 */
export function decodeRData(msg: Uint8Array, type: number, at: number, rdlength: number, partial?: { data: DnsRData | undefined }): DnsRData {
  // Wireshark leaves an empty RDATA alone whatever the type (e.g. in dynamic updates).
  if (rdlength === 0) return rawData(msg, at, rdlength);
  if (rdlength < (MIN_RDLENGTH.get(type) ?? 0)) throw new DnsBounds(at + rdlength, `${dnsTypeName(type)} data`);
  switch (type) {
    case 1:
      need(msg, at, 4, 'A address');
      return { kind: 'A', address: ipv4At(msg, at) };
    case 28:
      need(msg, at, 16, 'AAAA address');
      return { kind: 'AAAA', address: ipv6At(msg, at) };
    case 15: {
      need(msg, at, 2, 'MX preference');
      return { kind: 'MX', preference: u16(msg, at), exchange: readName(msg, at + 2).text };
    }
    case 16:
    case 99: {
      // Strings read before a bad length still count (tshark shows them): hand them out first.
      const strings: string[] = [];
      const d: DnsRData = { kind: 'TXT', strings };
      if (partial) partial.data = d;
      characterStrings(msg, at, rdlength, strings);
      return d;
    }
    case 13: {
      need(msg, at, 1, 'HINFO cpu');
      const cl = msg[at]!;
      need(msg, at + 1, cl + 1, 'HINFO cpu');
      const ol = msg[at + 1 + cl]!;
      need(msg, at + 2 + cl, ol, 'HINFO os');
      return { kind: 'HINFO', cpu: asciiText(msg.subarray(at + 1, at + 1 + cl)), os: asciiText(msg.subarray(at + 2 + cl, at + 2 + cl + ol)) };
    }
    case 6: {
      const m = readName(msg, at);
      const r = readName(msg, at + m.length);
      const o = at + m.length + r.length;
      need(msg, o, 20, 'SOA numbers');
      return { kind: 'SOA', mname: m.text, rname: r.text, serial: u32(msg, o), refresh: u32(msg, o + 4), retry: u32(msg, o + 8), expire: u32(msg, o + 12), minimum: u32(msg, o + 16) };
    }
    case 33: {
      need(msg, at, 6, 'SRV header');
      return { kind: 'SRV', priority: u16(msg, at), weight: u16(msg, at + 2), port: u16(msg, at + 4), target: readName(msg, at + 6).text };
    }
    case 41:
      return { kind: 'OPT', options: ednsOptions(msg, at, rdlength) };
    case 257: {
      need(msg, at, 2, 'CAA header');
      const tl = msg[at + 1]!;
      need(msg, at + 2, tl, 'CAA tag');
      const vAt = at + 2 + tl;
      const vLen = restLength(msg, vAt, rdlength - 2 - tl, 'CAA value');
      return { kind: 'CAA', flags: msg[at]!, tag: asciiText(msg.subarray(at + 2, vAt)), value: asciiText(msg.subarray(vAt, vAt + vLen)) };
    }
    case 64:
    case 65:
      return svcb(msg, at, rdlength);
    case 256: {
      need(msg, at, 4, 'URI header');
      const tLen = Math.max(0, rdlength - 4);
      need(msg, at + 4, tLen, 'URI target');
      return { kind: 'URI', priority: u16(msg, at), weight: u16(msg, at + 2), target: asciiText(msg.subarray(at + 4, at + 4 + tLen)) };
    }
    case 24:
    case 46: {
      // SIG, RRSIG: fixed fields, the signer's name, then the signature to the end.
      need(msg, at, 18, `${dnsTypeName(type)} header`);
      const signer = readName(msg, at + 18);
      restLength(msg, at + 18 + signer.length, rdlength - 18 - signer.length, `${dnsTypeName(type)} signature`);
      return rawData(msg, at, rdlength);
    }
    case 47: {
      const next = readName(msg, at);
      const d: DnsRData = { kind: 'NSEC', next: next.text, types: [] };
      if (partial) partial.data = d;
      typeBitmaps(msg, at + next.length, rdlength - next.length, d.types);
      return d;
    }
    case 50: {
      // Read from the message, not the record: a short record runs into what follows.
      need(msg, at, 5, 'NSEC3 header');
      const saltLen = msg[at + 4]!;
      need(msg, at + 5, saltLen + 1, 'NSEC3 salt');
      const hashAt = at + 6 + saltLen;
      const hashLen = msg[hashAt - 1]!;
      need(msg, hashAt, hashLen, 'NSEC3 hash');
      const d: DnsRData = {
        kind: 'NSEC3',
        hashAlgorithm: msg[at]!,
        flags: msg[at + 1]!,
        iterations: u16(msg, at + 2),
        salt: msg.subarray(at + 5, at + 5 + saltLen),
        nextHashed: msg.subarray(hashAt, hashAt + hashLen),
        types: [],
      };
      if (partial) partial.data = d;
      typeBitmaps(msg, hashAt + hashLen, rdlength - (hashAt + hashLen - at), d.types);
      return d;
    }
    case 62: {
      // tshark takes a bitmap length of -1 as "to the end", any other negative one as an error.
      if (rdlength < 5) throw new DnsBounds(at + rdlength, 'CSYNC header');
      need(msg, at, 6, 'CSYNC header');
      const d: DnsRData = { kind: 'CSYNC', serial: u32(msg, at), flags: u16(msg, at + 4), types: [] };
      if (partial) partial.data = d;
      typeBitmaps(msg, at + 6, rdlength - 6, d.types);
      return d;
    }
    case 45: {
      // IPSECKEY: precedence, gateway type, algorithm, gateway, then the key to the end.
      need(msg, at, 3, 'IPSECKEY header');
      const g = msg[at + 1]!;
      const gLen = g === 1 ? 4 : g === 2 ? 16 : g === 3 ? readName(msg, at + 3).length : 0;
      need(msg, at + 3, gLen, 'IPSECKEY gateway');
      restLength(msg, at + 3 + gLen, rdlength - 3 - gLen, 'IPSECKEY key');
      return rawData(msg, at, rdlength);
    }
    case 55: {
      // HIP: HIT and public key lengths, then both, then rendezvous servers.
      need(msg, at, 4, 'HIP header');
      need(msg, at + 4, msg[at]! + u16(msg, at + 2), 'HIP identity');
      return rawData(msg, at, rdlength);
    }
    case 18:
    case 21:
    case 36:
      // AFSDB, RT, KX: a 16-bit number and a name, like MX.
      need(msg, at, 2, `${dnsTypeName(type)} preference`);
      readName(msg, at + 2);
      return rawData(msg, at, rdlength);
    case 14:
    case 17: {
      // MINFO, RP: two names.
      const first = readName(msg, at);
      readName(msg, at + first.length);
      return rawData(msg, at, rdlength);
    }
    case 26: {
      need(msg, at, 2, 'PX preference');
      const first = readName(msg, at + 2);
      readName(msg, at + 2 + first.length);
      return rawData(msg, at, rdlength);
    }
    case 30:
      readName(msg, at);
      return rawData(msg, at, rdlength);
    case 35: {
      // NAPTR: order, preference, three character-strings, replacement name.
      let o = at + 4;
      for (let i = 0; i < 3; i++) {
        need(msg, o, 1, 'NAPTR string length');
        need(msg, o + 1, msg[o]!, 'NAPTR string');
        o += 1 + msg[o]!;
      }
      readName(msg, o);
      return rawData(msg, at, rdlength);
    }
    case 249:
    case 250: {
      // TKEY, TSIG: the algorithm name, then fixed fields and two counted blobs.
      const alg = readName(msg, at);
      let o = at + alg.length + (type === 250 ? 8 : 12);
      need(msg, o, 2, `${dnsTypeName(type)} size`);
      o += 2 + u16(msg, o) + (type === 250 ? 4 : 2);
      need(msg, o, 2, `${dnsTypeName(type)} other length`);
      need(msg, o + 2, u16(msg, o), `${dnsTypeName(type)} other data`);
      return rawData(msg, at, rdlength);
    }
    default:
      if (NAME_TYPES.has(type)) return { kind: 'name', name: readName(msg, at).text };
      return rawData(msg, at, rdlength);
  }
}

/**
 * The length of a field that runs to the end of its record. tshark reads a length of -1
 * as "to the end of the message" and throws on any other negative one.
 */
function restLength(msg: Uint8Array, at: number, n: number, what: string): number {
  if (n === -1) return Math.max(0, msg.length - at);
  need(msg, at, n, what);
  return n;
}

/**
 * TXT strings as Wireshark walks them: length byte, string, until the declared RDATA
 * length is used up exactly. A string that overruns the RDATA makes the walk continue
 * into the bytes after it until it lands on zero or leaves the message; each step takes
 * at least one byte, so the walk ends.
 */
function characterStrings(msg: Uint8Array, at: number, rdlength: number, out: string[]): void {
  let left = rdlength;
  let o = at;
  while (left !== 0) {
    need(msg, o, 1, 'TXT length');
    const n = msg[o]!;
    o++;
    need(msg, o, n, 'TXT string');
    out.push(asciiText(msg.subarray(o, o + n)));
    o += n;
    left -= n + 1;
  }
}

/**
 * Walks the type bitmaps of NSEC, NSEC3 and CSYNC (RFC 4034 §4.1.2) as tshark does:
 * until exactly `left` bytes are used, so a block that overruns the record reads on into
 * what follows until the walk lands on zero or leaves the message (each step takes a
 * byte, so it ends). Every type whose bit is set goes to `types`.
 */
function typeBitmaps(msg: Uint8Array, from: number, left: number, types: number[]): void {
  let o = from;
  while (left !== 0) {
    need(msg, o, 2, 'type bitmap header');
    let type = msg[o]! * 256;
    let size = msg[o + 1]!;
    o += 2;
    left -= 2;
    for (; size > 0; size--) {
      need(msg, o, 1, 'type bitmap');
      const bits = msg[o]!;
      for (let mask = 0x80; mask > 0; mask >>= 1, type++) if (bits & mask) types.push(type);
      o++;
      left--;
    }
  }
}

function ednsOptions(msg: Uint8Array, at: number, rdlength: number): EdnsOption[] {
  const out: EdnsOption[] = [];
  let left = rdlength;
  let o = at;
  // Unlike names, options may not leave their record.
  while (left > 0) {
    if (left < 4) throw new DnsBounds(o + left, 'EDNS option header');
    const code = u16(msg, o);
    const len = u16(msg, o + 2);
    if (len > left - 4) throw new DnsBounds(o + left, 'EDNS option data');
    out.push({ code, data: msg.subarray(o + 4, o + 4 + len) });
    o += 4 + len;
    left -= 4 + len;
  }
  return out;
}

function svcb(msg: Uint8Array, at: number, rdlength: number): DnsRData {
  need(msg, at, 2, 'SVCB priority');
  const priority = u16(msg, at);
  const target = readName(msg, at + 2);
  const end = at + rdlength;
  const params: SvcParam[] = [];
  for (let o = at + 2 + target.length; o < end; ) {
    if (o + 4 > end) throw new DnsBounds(end, 'SvcParam header');
    const len = u16(msg, o + 2);
    if (o + 4 + len > end) throw new DnsBounds(end, 'SvcParam value');
    params.push({ key: u16(msg, o), value: msg.subarray(o + 4, o + 4 + len) });
    o += 4 + len;
  }
  return { kind: 'SVCB', priority, target: target.text, params };
}

/** tcpdump's safe printing: control characters as `^X`, DEL as `^?`. */
function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `^${String.fromCharCode(c.charCodeAt(0) ^ 0x40)}`);
}

/** tcpdump's text of a record's data (`A 1.2.3.4`, `MX mail.example. 10`), written into `out`. */
export function writeRdataText(out: TextBuffer, type: number, d: DnsRData | undefined): void {
  out.text(dnsTypeName(type));
  if (!d) return;
  switch (d.kind) {
    case 'A':
    case 'AAAA':
      out.byte(0x20);
      return out.text(d.address);
    case 'name':
      out.byte(0x20);
      return writeNameWithDot(out, d.name);
    case 'MX':
      out.byte(0x20);
      writeNameWithDot(out, d.exchange);
      out.byte(0x20);
      return out.decimal(d.preference);
    case 'TXT':
      // tcpdump prints the space before the strings even when there are none.
      if (d.strings.length === 0) out.byte(0x20);
      for (const t of d.strings) {
        out.text(' "');
        out.text(printable(t));
        out.byte(0x22);
      }
      return;
    case 'SRV':
      out.byte(0x20);
      writeNameWithDot(out, d.target);
      out.byte(0x3a);
      out.decimal(d.port);
      out.byte(0x20);
      out.decimal(d.priority);
      out.byte(0x20);
      return out.decimal(d.weight);
    case 'URI':
      out.byte(0x20);
      out.decimal(d.priority);
      out.byte(0x20);
      out.decimal(d.weight);
      out.byte(0x20);
      return out.text(printable(d.target));
  }
}

/**
 * The size of the address of an A or AAAA record at `at` (4 or 16) when `decodeRData` reads it
 * without failing, as it does while the message holds it; 0 for anything else.
 */
export function addressSize(msg: Uint8Array, type: number, at: number, rdlength: number): number {
  if (rdlength === 0) return 0;
  if (type === DnsType.A) return at + 4 <= msg.length ? 4 : 0;
  if (type === DnsType.AAAA) return at + 16 <= msg.length ? 16 : 0;
  return 0;
}

/** `writeRdataText` of an A or AAAA record whose address (`size` bytes, see `addressSize`) is at `at` in `msg`, copied from there. */
export function writeAddressData(out: TextBuffer, type: number, msg: Uint8Array, at: number, size: number): void {
  out.text(dnsTypeName(type));
  if (size === 0) return;
  out.byte(0x20);
  if (size === 4) writeIpv4At(out, msg, at);
  else writeIpv6At(out, msg, at);
}

/** A domain name as tcpdump prints it, with its final dot (the root alone is `.`). */
export function writeNameWithDot(out: TextBuffer, name: string): void {
  if (name !== '<Root>') out.text(name);
  out.byte(0x2e);
}
