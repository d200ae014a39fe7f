import type { Prng } from './prng.js';

/** Byte values that sit on boundaries decoders branch on (lengths, versions, flags, sign bits). */
const INTERESTING_8 = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0f, 0x10, 0x11, 0x3f, 0x40, 0x45, 0x60, 0x7f, 0x80, 0x81, 0xc0, 0xfe, 0xff];
const INTERESTING_16 = [0x0000, 0x0001, 0x0002, 0x0004, 0x0008, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xc00c, 0xfffe, 0xffff, 0x0800, 0x86dd, 0x8100, 0x88a8];

/** Most bytes an input may grow to, so that growth mutations stay bounded. */
export const MAX_INPUT = 4096;

/**
 * A copy of `input` changed by one to four random operations: bit flips, byte and word
 * overwrites with boundary values, insertions, deletions, duplicated or spliced slices, cuts.
 * `donors` supplies foreign bytes to splice in; the result is cut to `maxLength`.
 */
export function mutate(rng: Prng, input: Uint8Array, donors: readonly Uint8Array[], maxLength = MAX_INPUT): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  const steps = 1 + rng.below(4);
  for (let s = 0; s < steps; s++) {
    const at = rng.below(b.length + 1);
    switch (rng.below(10)) {
      case 0:
        if (b.length) b[Math.min(at, b.length - 1)]! ^= 1 << rng.below(8);
        break;
      case 1:
        if (b.length) b[Math.min(at, b.length - 1)] = rng.next() & 0xff;
        break;
      case 2:
        if (b.length) b[Math.min(at, b.length - 1)] = rng.pick(INTERESTING_8);
        break;
      case 3:
        if (b.length >= 2) {
          const v = rng.pick(INTERESTING_16);
          const o = Math.min(at, b.length - 2);
          b[o] = v >>> 8;
          b[o + 1] = v & 0xff;
        }
        break;
      case 4: {
        // Cut: the bytes a snaplen or a damaged length would leave.
        b = b.slice(0, at);
        break;
      }
      case 5: {
        const n = 1 + rng.below(16);
        b = join(b.subarray(0, at), rng.bytes(n), b.subarray(at));
        break;
      }
      case 6: {
        const n = 1 + rng.below(Math.max(1, Math.min(32, b.length - at)));
        b = join(b.subarray(0, at), b.subarray(Math.min(b.length, at + n)));
        break;
      }
      case 7: {
        // Duplicate a slice in place: repeated options, headers and labels.
        const from = rng.below(b.length + 1);
        const n = rng.below(Math.min(64, b.length - from) + 1);
        b = join(b.subarray(0, at), b.subarray(from, from + n), b.subarray(at));
        break;
      }
      case 8: {
        if (donors.length === 0) break;
        const d = rng.pick(donors);
        const from = rng.below(d.length + 1);
        const n = rng.below(Math.min(128, d.length - from) + 1);
        b = join(b.subarray(0, at), d.subarray(from, from + n), b.subarray(Math.min(b.length, at + n)));
        break;
      }
      default: {
        // A length-like byte pointing just past the end, where off-by-one bugs live.
        if (b.length) b[Math.min(at, b.length - 1)] = (b.length - at + rng.below(3) - 1) & 0xff;
        break;
      }
    }
  }
  return b.length > maxLength ? b.slice(0, maxLength) : b;
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
