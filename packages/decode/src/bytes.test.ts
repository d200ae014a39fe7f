import { describe, expect, it } from 'vitest';
import { decimal, ipv4At, ipv6At } from './bytes.js';

describe('number and address text', () => {
  it('gives decimal(n) as String(n) for every kind of number, the first time and again', () => {
    const numbers = [0, -0, 7, 42, 255, 9999, 10000, 12345, 65535, 99999999, 1e8, 123456789, 4294967295, 999999999999, 1e12, 2 ** 53, -1, -9999, 0.5, 9998.5, 1e21, NaN, Infinity];
    for (let pass = 0; pass < 2; pass++) for (const n of numbers) expect(decimal(n), String(n)).toBe(String(n));
    for (let n = 0; n < 20000; n += 37) expect(decimal(n)).toBe(String(n));
  });

  it('gives IPv4 and IPv6 text as the URL parser canonicalises it', () => {
    const v4 = Uint8Array.of(9, 10, 0, 255, 192, 168, 100, 1);
    expect(ipv4At(v4, 1)).toBe('10.0.255.192');
    expect(ipv4At(v4, 4)).toBe('192.168.100.1');
    expect(ipv4At(v4, 0)).toBe('9.10.0.255');
    const samples = ['2001:db8::1', 'fe80::1:2:3:4', '::', '::1', '2001:db8:0:0:1:0:0:1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '1:0:0:2::3', '2001:DB8:0:0:0::AB'];
    for (const s of samples) {
      const canonical = new URL(`http://[${s}]/`).hostname.slice(1, -1);
      const bytes = new Uint8Array(16);
      expand(canonical).forEach((w, i) => {
        bytes[2 * i] = w >> 8;
        bytes[2 * i + 1] = w & 0xff;
      });
      expect(ipv6At(bytes, 0), s).toBe(canonical);
    }
    const mapped = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3);
    expect(ipv6At(mapped, 0)).toBe('::ffff:10.1.2.3');
  });
});

/** The eight 16-bit words of an IPv6 text without a dotted quad. */
function expand(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (part: string | undefined): number[] => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  return tail === undefined ? a : [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
}
