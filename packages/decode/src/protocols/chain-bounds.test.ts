/**
 * Chains a crafted packet can make as long as its length fields allow: DNS compression
 * pointers, IPv6 extension headers (and IPv6 nested in IPv6), radiotap presence words,
 * namespaces and vendor namespaces. Each decode ends with the problem flagged, and its work is
 * shown bounded by counting what it did (bytes read, layers, items), never by timing.
 */
import { describe, expect, it } from 'vitest';
import type { DecodeFailure } from '../layer.js';
import { decodePacket, MAX_LAYERS } from '../packet.js';
import { readName, NAME_LOOPS } from './dns-name.js';
import type { Dns } from './dns.js';
import { MAX_EXTENSION_HEADERS } from './ipv6-chain.js';
import type { Ipv6Options } from './ipv6-options.js';
import type { Radiotap } from './radiotap.js';

/** The message behind a proxy that counts every indexed byte read. */
function counting(msg: Uint8Array): { view: Uint8Array; reads: () => number } {
  let n = 0;
  const view = new Proxy(msg, {
    get(target, key, receiver) {
      if (typeof key === 'string' && key.length > 0 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57) n++;
      const v = Reflect.get(target, key, receiver === view ? target : receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { view, reads: () => n };
}

/** IPv4 + UDP to port 53 around a DNS message (raw IPv4 link type). */
function udp53(msg: Uint8Array): Uint8Array {
  const total = 28 + msg.length;
  const out = new Uint8Array(total);
  out.set([0x45, 0, total >> 8, total & 255, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2]);
  out.set([0x30, 0x39, 0, 53, (8 + msg.length) >> 8, (8 + msg.length) & 255, 0, 0], 20);
  out.set(msg, 28);
  return out;
}
const RAW_IPV4 = 228;

/** A DNS query whose first question is `labels` one-byte labels ending in a pointer back to it; the other questions point at it too. */
function pointerBomb(labels: number, questions: number): Uint8Array {
  const m = [0x12, 0x34, 0x01, 0x00, questions >> 8, questions & 255, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < labels; i++) m.push(1, 0x61);
  m.push(0xc0, 0x0c, 0, 1, 0, 1);
  for (let q = 1; q < questions; q++) m.push(0xc0, 0x0c, 0, 1, 0, 1);
  return new Uint8Array(m);
}

describe('DNS compression pointer loops', () => {
  const HEADER = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0];
  const cases: Array<[string, number[]]> = [
    ['a pointer to itself', [0xc0, 0x0c]],
    ['two names pointing at each other through a label', [0x01, 0x61, 0xc0, 0x0c]],
    ['a run of 30,000 labels ending in a pointer back to its start', [...Array<number>(30_000).fill(0).flatMap(() => [1, 0x61]), 0xc0, 0x0c]],
    ['256 pointers, each to the one before', (() => {
      const b: number[] = [];
      for (let i = 0; i < 256; i++) b.push(0xc0 | ((12 + (i + 1) * 2) >> 8), (12 + (i + 1) * 2) & 255);
      b.push(0xc0, 0x0c);
      return b;
    })()],
  ];

  for (const [what, name] of cases) {
    it(`${what}: flagged as a loop after reading a bounded number of bytes`, () => {
      const msg = new Uint8Array([...HEADER, ...name]);
      const { view, reads } = counting(msg);
      const r = readName(view, 12);
      expect(r.text).toBe(NAME_LOOPS);
      expect(r.problem).toBe('loop');
      // Each of at most 256 pointer hops reads its two bytes; the labels are read once, then
      // skipped by their remembered run; the name itself is at most 255 bytes.
      const bound = 3 * msg.length + 256 * 4 + 256;
      console.log(`resource caps: dns ${what}: ${reads()} byte reads for a ${msg.length}-byte message (bound ${bound})`);
      expect(reads()).toBeLessThanOrEqual(bound);
    });
  }

  it('a 44 KB message of 2,000 questions, all looping through a 16,000-label run, costs bounded work per name', () => {
    const msg = pointerBomb(16_000, 2_000);
    const { view, reads } = counting(msg);
    let o = 12;
    for (let q = 0; q < 2_000; q++) {
      const r = readName(view, o);
      expect(r.problem).toBe('loop');
      o += r.length + 4;
    }
    expect(o).toBe(msg.length);
    // The run is walked once; after that each name costs its own bounded pointer walk.
    const perName = (reads() - msg.length) / 2_000;
    console.log(`resource caps: dns pointer bomb of ${msg.length} bytes, 2000 looping names: ${reads()} byte reads (${perName.toFixed(0)} per name beyond one pass)`);
    expect(reads()).toBeLessThanOrEqual(3 * msg.length + 2_000 * (256 * 4 + 256));
    // Decoded as a packet, every question is kept with the loop flagged in its name.
    const dns = decodePacket(udp53(msg), RAW_IPV4).layer<Dns>('dns')!;
    expect(dns.questions).toHaveLength(2_000);
    expect(dns.questions.every((q) => q.name === NAME_LOOPS)).toBe(true);
  });
});

/** Ethernet + IPv6 (next header `first`) + `rest` as the IPv6 payload. */
function ipv6(first: number, rest: number[]): Uint8Array {
  const a = [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 1];
  const plen = rest.length;
  return new Uint8Array([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60, 0, 0, 0, plen >> 8, plen & 255, first, 64, ...a, ...a, ...rest]);
}

describe('IPv6 extension header chains', () => {
  it('8,000 chained extension headers: the first 16 are decoded, then a failure says why', () => {
    // Hop-by-hop, destination options, routing and fragment headers in turn, 8 bytes each.
    const kinds = [0, 60, 43, 44];
    const rest: number[] = [];
    for (let i = 0; i < 8_000; i++) {
      const next = i === 7_999 ? 59 : kinds[(i + 1) % 4]!;
      const kind = kinds[i % 4]!;
      if (kind === 43) rest.push(next, 0, 0, 0, 0, 0, 0, 0);
      else if (kind === 44) rest.push(next, 0, 0, 0, 0, 0, 0, 0);
      else rest.push(next, 0, 1, 4, 0, 0, 0, 0);
    }
    const pkt = decodePacket(ipv6(0, rest), 1);
    const names = pkt.layers.map((l) => l.protocol);
    console.log(`resource caps: ipv6 chain of 8000 extension headers (${rest.length} bytes): ${pkt.layers.length} layers, ${pkt.failure?.message}`);
    expect(names.slice(0, 2)).toEqual(['eth', 'ipv6']);
    expect(names.slice(2, 2 + MAX_EXTENSION_HEADERS)).toEqual(Array.from({ length: MAX_EXTENSION_HEADERS }, (_, i) => ['ipv6.hopopts', 'ipv6.dstopts', 'ipv6.routing', 'ipv6.fraghdr'][i % 4]));
    expect(pkt.layers).toHaveLength(2 + MAX_EXTENSION_HEADERS + 1);
    expect(pkt.failure?.reason).toBe(`more than ${MAX_EXTENSION_HEADERS} extension headers`);
  });

  it('IPv6 nested in IPv6 1,300 deep (each behind a hop-by-hop header): 64 layers, then a failure', () => {
    // Each level: a 40-byte IPv6 header (next header 0), then a hop-by-hop header (next header 41).
    const depth = 1_300;
    const inner = new Uint8Array(depth * 48);
    for (let i = 0; i < depth; i++) {
      const o = i * 48;
      const plen = inner.length - o - 40;
      inner.set([0x60, 0, 0, 0, plen >> 8, plen & 255, 0, 64, 0x20, 0x01, 0x0d, 0xb8], o);
      inner[o + 23] = i & 255;
      inner.set([0x20, 0x01, 0x0d, 0xb8], o + 24);
      inner.set([41, 0, 1, 4, 0, 0, 0, 0], o + 40);
    }
    const pkt = decodePacket(ipv6(41, [...inner]), 1);
    console.log(`resource caps: ipv6 nested ${inner.length} bytes deep: ${pkt.layers.length} layers, ${pkt.failure?.message}`);
    expect(pkt.layers).toHaveLength(MAX_LAYERS + 1);
    expect(pkt.failure).toMatchObject({ reason: `more than ${MAX_LAYERS} nested layers` } satisfies Partial<DecodeFailure>);
  });

  it('a hop-by-hop header of 2,048 bytes of Pad1 options: at most one option per byte', () => {
    // Next header 59 (none), then four bytes of data: Wireshark reads the byte after each Pad1.
    const rest = [59, 255, ...Array<number>(2046).fill(0), 1, 2, 3, 4];
    const pkt = decodePacket(ipv6(0, rest), 1);
    const hbh = pkt.layer<Ipv6Options>('ipv6.hopopts')!;
    expect(hbh.options).toHaveLength(2046);
    expect(pkt.failure).toBeUndefined();
  });
});

/** A radiotap header: version 0, `len`, the presence `words`, then `data` (the 802.11 frame follows nothing). */
function radiotap(words: number[], data: number[], len = 4 + words.length * 4 + data.length): Uint8Array {
  const out = new Uint8Array(Math.max(len, 4 + words.length * 4 + data.length));
  const dv = new DataView(out.buffer);
  dv.setUint16(2, len, true);
  words.forEach((w, i) => dv.setUint32(4 + i * 4, w >>> 0, true));
  out.set(data, 4 + words.length * 4);
  return out;
}
const RADIOTAP = 127;
const EXT = 0x80000000;
const RADIOTAP_NS = 0x20000000;
const VENDOR_NS = 0x40000000;
const FLAGS = 0x2;

describe('radiotap presence and namespace chains', () => {
  it('presence words that never end (every one sets the extension bit to the end of a 64 KB header)', () => {
    const words = Array<number>(16_382).fill(EXT);
    const rt = decodePacket(radiotap(words, []), RADIOTAP).layer<Radiotap>('radiotap')!;
    console.log(`resource caps: radiotap ${words.length} presence words without an end: problem "${rt.problem}", ${rt.items.length} items`);
    expect(rt.problem).toBe('presence bitmaps past header');
    expect(rt.items).toHaveLength(0);
  });

  it('10,000 radiotap namespaces, each with a Flags field: one item per namespace, data past the header flagged', () => {
    const n = 10_000;
    const words = [...Array<number>(n - 1).fill(EXT | RADIOTAP_NS | FLAGS), FLAGS];
    const whole = radiotap(words, Array<number>(n).fill(0));
    const ok = decodePacket(whole, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(ok.problem).toBeUndefined();
    expect(ok.items).toHaveLength(n);
    expect(ok.items[n - 1]!.namespace).toBe(n - 1);
    // One byte short: the last Flags field lies past the header.
    const short = decodePacket(radiotap(words, Array<number>(n).fill(0), whole.length - 1), RADIOTAP).layer<Radiotap>('radiotap')!;
    console.log(`resource caps: radiotap ${n} namespaces in ${whole.length} bytes: ${ok.items.length} items; one byte short: problem "${short.problem}", ${short.items.length} items`);
    expect(short.problem).toBe('data past header');
    expect(short.items.length).toBeLessThan(n);
  });

  it('vendor namespaces chained to the end of the header, each skipping the next: bounded by the header length', () => {
    const n = 5_000;
    const words = [...Array<number>(n - 1).fill(EXT | VENDOR_NS), VENDOR_NS];
    // Each vendor namespace: OUI, sub-namespace, skip length 0 (6 bytes, 2-aligned).
    const data = Array.from({ length: n }, () => [0x00, 0x11, 0x22, 0x01, 0, 0]).flat();
    const whole = radiotap(words, data);
    const rt = decodePacket(whole, RADIOTAP).layer<Radiotap>('radiotap')!;
    expect(rt.vendorNamespaces).toHaveLength(n);
    const short = decodePacket(radiotap(words, data, whole.length - 3), RADIOTAP).layer<Radiotap>('radiotap')!;
    console.log(`resource caps: radiotap ${n} vendor namespaces in ${whole.length} bytes: ${rt.vendorNamespaces.length} kept; cut short: problem "${short.problem}"`);
    expect(short.problem).toBe('data past header');
    expect(short.vendorNamespaces.length).toBeLessThan(n);
  });
});
