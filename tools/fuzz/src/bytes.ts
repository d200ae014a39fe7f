import fc from 'fast-check';

/** Byte values that sit on boundaries decoders branch on (lengths, versions, flags, sign bits). */
const INTERESTING_8 = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0f, 0x10, 0x11, 0x3f, 0x40, 0x45, 0x60, 0x7f, 0x80, 0x81, 0xc0, 0xfe, 0xff];
const INTERESTING_16 = [0x0000, 0x0001, 0x0002, 0x0004, 0x0008, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xc00c, 0xfffe, 0xffff, 0x0800, 0x86dd, 0x8100, 0x88a8];
const INTERESTING_32 = [0x00000000, 0x00000001, 0x0000ffff, 0x00010000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x0a0d0d0a, 0x1a2b3c4d];

/** Most bytes a mutated input may grow to, so that growth mutations stay bounded. */
export const MAX_INPUT = 4096;

/** The kinds of `Mutation`, in the order fast-check shrinks towards (the first is the gentlest). */
export const MUTATION_KINDS = 11;

/**
 * One change to a byte string, as plain numbers so that fast-check can shrink it:
 * `kind` (below `MUTATION_KINDS`), a position (taken modulo the length + 1) and an argument.
 */
export type Mutation = readonly [kind: number, at: number, arg: number];

/** A mutation; shrinks towards a bit flip at the start. */
export const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(MUTATION_KINDS - 1), fc.nat(), fc.nat());

/** One to four mutations. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** `n` bytes from a seed (xorshift32): random content that shrinks by its length and seed. */
export function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed | 0) || 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Random bytes up to `maxLength` long; shrinks towards the empty input. */
export function randomBytes(maxLength: number): fc.Arbitrary<Uint8Array> {
  // Made from a length and a seed rather than byte by byte: 10 M inputs must be cheap to generate.
  return fc.tuple(fc.nat(maxLength), fc.integer()).map(([n, s]) => noise(n, s));
}

/**
 * A copy of `input` changed by `list`: bit flips, byte, word and double-word overwrites with
 * boundary values, a length byte pointing just past the end, cuts, insertions, deletions,
 * duplicated slices and slices spliced in from `donors`. The result is cut to `maxLength`.
 */
export function applyMutations(input: Uint8Array, list: readonly Mutation[], donors: readonly Uint8Array[], maxLength = MAX_INPUT): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  for (const [kind, rawAt, arg] of list) {
    const at = rawAt % (b.length + 1);
    const last = Math.min(at, b.length - 1);
    switch (kind) {
      case 0:
        if (b.length) b[last] = b[last]! ^ (1 << (arg % 8));
        break;
      case 1:
        if (b.length) b[last] = INTERESTING_8[arg % INTERESTING_8.length]!;
        break;
      case 2:
        if (b.length) b[last] = arg & 0xff;
        break;
      case 3:
        if (b.length >= 2) {
          const v = INTERESTING_16[arg % INTERESTING_16.length]!;
          const o = Math.min(at, b.length - 2);
          b[o] = v >>> 8;
          b[o + 1] = v & 0xff;
        }
        break;
      case 4:
        if (b.length >= 4) {
          const v = INTERESTING_32[arg % INTERESTING_32.length]!;
          const o = Math.min(at, b.length - 4);
          // Either byte order: capture files come in both.
          for (let k = 0; k < 4; k++) b[o + k] = (v >>> ((arg & 0x10 ? k : 3 - k) * 8)) & 0xff;
        }
        break;
      case 5:
        // A length-like byte pointing just past the end, where off-by-one bugs live.
        if (b.length) b[last] = (b.length - at + (arg % 3) - 1) & 0xff;
        break;
      case 6:
        // Cut: the bytes a snaplen or a damaged length would leave.
        b = b.slice(0, at);
        break;
      case 7:
        b = join(b.subarray(0, at), noise(1 + (arg % 16), arg), b.subarray(at));
        break;
      case 8: {
        const n = 1 + (arg % 32);
        b = join(b.subarray(0, at), b.subarray(Math.min(b.length, at + n)));
        break;
      }
      case 9: {
        // Duplicate a slice in place: repeated options, headers and labels.
        const from = arg % (b.length + 1);
        const n = (arg >>> 8) % (Math.min(64, b.length - from) + 1);
        b = join(b.subarray(0, at), b.subarray(from, from + n), b.subarray(at));
        break;
      }
      default: {
        if (donors.length === 0) break;
        const d = donors[arg % donors.length]!;
        const from = (arg >>> 4) % (d.length + 1);
        const n = (arg >>> 12) % (Math.min(128, d.length - from) + 1);
        b = join(b.subarray(0, at), d.subarray(from, from + n), b.subarray(Math.min(b.length, at + n)));
        break;
      }
    }
  }
  return b.length > maxLength ? b.slice(0, maxLength) : b;
}

/** Concatenation of byte strings. */
export function join(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** A byte string to start from, and where it came from (a file and record, or a name). */
export interface SeedBytes {
  readonly origin: string;
  readonly bytes: Uint8Array;
}

/**
 * A generated input: its bytes, the seed it was made from (-1 for random bytes) and how.
 * fast-check prints it, shrunk, as that description and the bytes in hex.
 */
export class FuzzInput {
  constructor(
    readonly bytes: Uint8Array,
    readonly seed: number,
    readonly how: string,
  ) {}

  [fc.toStringMethod](): string {
    return `${this.how} (${this.bytes.length} bytes: ${Buffer.from(this.bytes).toString('hex')})`;
  }
}

export interface FromSeedsOptions {
  /** Foreign bytes spliced in by mutations; the seeds by default. */
  donors?: readonly Uint8Array[];
  /** Longest input. */
  maxLength?: number;
  /** Longest random input (no seed); 0 for none. */
  maxRandom?: number;
}

/**
 * Inputs made from `seeds`: mostly mutated seeds, then seeds cut short, two seeds spliced,
 * and random bytes. A failing input shrinks towards fewer and gentler changes to the first
 * seeds, and towards shorter inputs.
 */
export function fromSeeds(seeds: readonly SeedBytes[], options: FromSeedsOptions = {}): fc.Arbitrary<FuzzInput> {
  if (seeds.length === 0) throw new Error('fromSeeds needs at least one seed');
  const donors = options.donors ?? seeds.map((s) => s.bytes);
  const maxLength = options.maxLength ?? MAX_INPUT;
  const maxRandom = options.maxRandom ?? 1600;
  const pick = fc.nat(seeds.length - 1);
  const mutated = fc.tuple(pick, mutations).map(([i, m]) => new FuzzInput(applyMutations(seeds[i]!.bytes, m, donors, maxLength), i, `${seeds[i]!.origin} mutated ${JSON.stringify(m)}`));
  const cut = fc.tuple(pick, fc.nat()).map(([i, n]) => {
    const b = seeds[i]!.bytes;
    const at = n % (b.length + 1);
    return new FuzzInput(b.subarray(0, at), i, `${seeds[i]!.origin} cut to ${at}`);
  });
  const spliced = fc.tuple(pick, pick, fc.nat(), fc.nat()).map(([i, j, x, y]) => {
    const a = seeds[i]!.bytes;
    const b = seeds[j]!.bytes;
    const ax = x % (a.length + 1);
    const by = y % (b.length + 1);
    const out = join(a.subarray(0, ax), b.subarray(by));
    return new FuzzInput(out.length > maxLength ? out.subarray(0, maxLength) : out, i, `${seeds[i]!.origin} to ${ax}, then ${seeds[j]!.origin} from ${by}`);
  });
  const parts: Array<fc.WeightedArbitrary<FuzzInput>> = [
    { weight: 12, arbitrary: mutated },
    { weight: 3, arbitrary: cut },
    { weight: 2, arbitrary: spliced },
  ];
  if (maxRandom > 0) parts.push({ weight: 1, arbitrary: randomBytes(maxRandom).map((b) => new FuzzInput(b, -1, 'random bytes')) });
  return fc.oneof(...parts);
}
