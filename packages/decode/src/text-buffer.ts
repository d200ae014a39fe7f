import { argumentRangeError, argumentTypeError } from './arguments.js';

/** Strings up to this long are copied a character at a time; longer ones are encoded by the platform in batches. */
const SHORT = 24;
/** Characters of long strings gathered before they are encoded: a batch large enough to make the call cheap, small enough to stay in the young generation. */
const BATCH = 1 << 15;

const encoder = new TextEncoder();

/** Buffers kept for reuse: enough for a stream writing one while the next is filled. */
const MAX_SPARE = 4;

// The two digits of 0..99: numbers are written two digits per division.
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + Math.floor(i / 10);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Decimal digits of a non-negative integer below 2^53. */
function digitCount(n: number): number {
  if (n < 1e5) return n < 100 ? (n < 10 ? 1 : 2) : n < 1e3 ? 3 : n < 1e4 ? 4 : 5;
  if (n < 1e10) return n < 1e7 ? (n < 1e6 ? 6 : 7) : n < 1e8 ? 8 : n < 1e9 ? 9 : 10;
  let digits = 11;
  for (let x = 1e11; x <= n; x *= 10) digits++;
  return digits;
}

/** Writes the `digits` digits of `n` (zero-padded) to end just before `end`. */
function writeDigits(b: Uint8Array, end: number, n: number, digits: number): void {
  let at = end;
  // Above 32 bits (sequence numbers often are), the low eight digits go first, so that
  // what is left fits the integer arithmetic below.
  if (n > 0x7fffffff) {
    const high = Math.floor(n / 1e8);
    writeInt(b, at, n - high * 1e8, 8);
    at -= 8;
    digits -= 8;
    n = high;
  }
  writeInt(b, at, n, digits);
}

/** Writes the digits of `n` (below 100000) at `at` in `b`; returns where they end. */
function writeSmall(b: Uint8Array, at: number, n: number): number {
  if (n < 10) {
    b[at] = 48 + n;
    return at + 1;
  }
  if (n < 100) {
    const r = n << 1;
    b[at] = PAIRS[r]!;
    b[at + 1] = PAIRS[r + 1]!;
    return at + 2;
  }
  let top = 0;
  if (n >= 10000) {
    top = (n / 10000) | 0;
    n -= top * 10000;
    b[at++] = 48 + top;
  }
  // n / 100 for n below 43699, as a multiplication.
  const hi = (n * 5243) >>> 19;
  const lo = (n - hi * 100) << 1;
  if (top !== 0 || hi >= 10) {
    const h = hi << 1;
    b[at] = PAIRS[h]!;
    b[at + 1] = PAIRS[h + 1]!;
    at += 2;
  } else {
    b[at++] = 48 + hi;
  }
  b[at] = PAIRS[lo]!;
  b[at + 1] = PAIRS[lo + 1]!;
  return at + 2;
}

/** `writeDigits` for `n` below 2^31: in int32 arithmetic, where dividing by 100 is a multiplication. */
function writeInt(b: Uint8Array, end: number, n: number, digits: number): void {
  let x = n | 0;
  let at = end;
  const stop = end - digits;
  while (at - stop >= 2) {
    const q = (x / 100) | 0;
    const r = (x - q * 100) << 1;
    b[--at] = PAIRS[r + 1]!;
    b[--at] = PAIRS[r]!;
    x = q;
  }
  if (at > stop) b[--at] = 48 + (x % 10);
}

/**
 * Text written as UTF-8 bytes into a growing buffer: what a printer fills line after line
 * and hands to a stream a large chunk at a time. Numbers are written as their digits
 * without becoming strings first, and short strings (addresses, ports, flags) are copied
 * a character at a time: for the tens of small values on every line of `--fields` output,
 * that is cheaper than building each line as a string and encoding it.
 *
 * ```ts
 * const out = new TextBuffer();
 * out.text('port ');
 * out.decimal(443);
 * out.byte(0x0a);
 * process.stdout.write(out.take()); // "port 443\n"
 * ```
 */
export class TextBuffer {
  #bytes: Uint8Array;
  #length = 0;
  // Long strings wait here and are encoded in one call when bytes must follow them.
  #pending: string[] = [];
  #pendingChars = 0;
  readonly #capacity: number;
  // Buffers given back by `recycle`, for `take` to continue in.
  #spare: Uint8Array[] = [];

  /** `capacity`: the bytes each buffer starts with; it grows for larger contents. */
  constructor(capacity = 1 << 16) {
    if (typeof capacity !== 'number' || capacity >>> 0 !== capacity || capacity === 0) {
      if (typeof capacity !== 'number') throw argumentTypeError('TextBuffer', 'capacity', 'a number of bytes', capacity);
      throw argumentRangeError('TextBuffer', 'capacity', 'an integer from 1 to 4294967295', capacity);
    }
    this.#capacity = capacity;
    this.#bytes = new Uint8Array(capacity);
  }

  /** Bytes written so far (text still waiting to be encoded counted at one byte a character, a lower bound). */
  get length(): number {
    return this.#length + this.#pendingChars;
  }

  /**
   * Exactly the bytes written so far (text waiting to be encoded is encoded first): where
   * the next byte goes, for a writer that notes places in the text to come back to.
   */
  get byteLength(): number {
    if (this.#pendingChars !== 0) this.#commit();
    return this.#length;
  }

  /** Appends `s` as UTF-8; an unpaired surrogate becomes U+FFFD, as `Buffer.from(s)` and `TextEncoder` make it. */
  text(s: string): void {
    const n = s.length;
    if (n > SHORT) {
      this.#wait(s);
      return;
    }
    if (this.#pendingChars !== 0) this.#commit();
    // Room for ASCII; other text is encoded (and room made for it) below.
    if (this.#length + n > this.#bytes.length) this.#grow(n);
    const b = this.#bytes;
    let at = this.#length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.#length = at;
        this.#encode(s.slice(i));
        return;
      }
      b[at++] = c;
    }
    this.#length = at;
  }

  /** Appends `s` and a newline: a whole line of output. */
  line(s: string): void {
    if (s.length > SHORT) {
      this.#wait(s);
      this.#wait('\n');
      return;
    }
    this.text(s);
    this.byte(0x0a);
  }

  /** Appends one byte (a separator, a newline). */
  byte(c: number): void {
    if (this.#pendingChars !== 0) this.#commit();
    if (this.#length === this.#bytes.length) this.#grow(1);
    this.#bytes[this.#length++] = c;
  }

  /**
   * Appends `String(n)`; an integer from 0 to 2^53 - 1 is written digit by digit, zero-padded
   * to `width` digits when it has fewer (a clock's fields, a fraction of a second). Other
   * numbers are written as `String(n)`, unpadded.
   */
  decimal(n: number, width = 0): void {
    // Most numbers are below 2^32, which the first test alone accepts.
    if (n >>> 0 !== n && !(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) {
      this.text(String(n));
      return;
    }
    if (this.#pendingChars !== 0) this.#commit();
    if (n < 100000 && width === 0) {
      // Ports, lengths, windows, ids: most numbers of a line, written without a loop.
      if (this.#length + 5 > this.#bytes.length) this.#grow(5);
      this.#length = writeSmall(this.#bytes, this.#length, n);
      return;
    }
    const digits = Math.max(digitCount(n), width);
    if (this.#length + digits > this.#bytes.length) this.#grow(digits);
    this.#length += digits;
    writeDigits(this.#bytes, this.#length, n, digits);
  }


  /** Appends `b[from...to)` as it is. */
  bytes(b: Uint8Array, from = 0, to = b.length): void {
    if (this.#pendingChars !== 0) this.#commit();
    const n = to - from;
    if (n <= 0) return;
    if (this.#length + n > this.#bytes.length) this.#grow(n);
    const into = this.#bytes;
    const at = this.#length;
    // A line's worth is copied faster by hand than through a view and a call.
    if (n < 128) for (let i = 0; i < n; i++) into[at + i] = b[from + i]!;
    else into.set(b.subarray(from, to), at);
    this.#length = at + n;
  }

  /**
   * The bytes written, handed over: the buffer starts empty in other memory (a buffer given
   * back with `recycle`, or a fresh one), so the bytes returned stay as they are while a
   * stream writes them.
   */
  take(): Uint8Array {
    if (this.#pendingChars !== 0) this.#commit();
    const full = this.#bytes.subarray(0, this.#length);
    this.#bytes = this.#spare.pop() ?? new Uint8Array(this.#capacity);
    this.#length = 0;
    return full;
  }

  /**
   * Gives back bytes that `take` handed over, once they are written, for a later `take` to
   * fill again: printing then reuses a few buffers instead of allocating one per chunk,
   * which the collector has to find and free.
   */
  recycle(taken: Uint8Array): void {
    const buffer = taken.buffer;
    if (taken.byteOffset !== 0 || buffer.byteLength !== this.#capacity || buffer === this.#bytes.buffer) return;
    if (this.#spare.length < MAX_SPARE && !this.#spare.some((x) => x.buffer === buffer)) this.#spare.push(new Uint8Array(buffer));
  }

  /**
   * The bytes written so far, left in place: a view that the next writes may change or
   * leave behind. Copy it (`contents().slice()`) to keep it, then `clear()` to start again
   * in the same memory.
   */
  contents(): Uint8Array {
    if (this.#pendingChars !== 0) this.#commit();
    return this.#bytes.subarray(0, this.#length);
  }

  /** Forgets what was written, keeping the buffer for more. */
  clear(): void {
    this.#pending = [];
    this.#pendingChars = 0;
    this.#length = 0;
  }

  /** Keeps `s` for the next batch to encode. */
  #wait(s: string): void {
    this.#pending.push(s);
    this.#pendingChars += s.length;
    if (this.#pendingChars >= BATCH) this.#commit();
  }

  #commit(): void {
    const s = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#pending = [];
    this.#pendingChars = 0;
    this.#encode(s);
  }

  #encode(s: string): void {
    // Encoded into the room there is; only what does not fit makes the buffer grow.
    let rest = s;
    for (;;) {
      const r = encoder.encodeInto(rest, this.#bytes.subarray(this.#length));
      this.#length += r.written;
      if (r.read === rest.length) return;
      rest = rest.slice(r.read);
      // UTF-8 takes at most three bytes for each UTF-16 unit.
      this.#grow(rest.length * 3);
    }
  }

  #grow(need: number): void {
    const bigger = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + need));
    bigger.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = bigger;
  }
}

/**
 * The bytes of `s`, an ASCII constant of a writer, for `TextBuffer.bytes`: copying them is
 * about twice as fast as copying the string a character at a time, which matters for the
 * words every line of the default output repeats.
 */
export function ascii(s: string): Uint8Array {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) throw new Error(`not ASCII: ${JSON.stringify(s)}`);
  return encoder.encode(s);
}

let scratch: TextBuffer | undefined;
const decoder = new TextDecoder();

/**
 * The text `write` writes, as a string: how the string form of a writer (`summarize`,
 * `dnsText`) is made. One buffer serves every call; a writer that asks for text itself
 * gets a buffer of its own.
 */
export function textOf(write: (out: TextBuffer) => void): string {
  const out = scratch ?? new TextBuffer(256);
  scratch = undefined;
  try {
    write(out);
    return decoder.decode(out.contents());
  } finally {
    out.clear();
    scratch = out;
  }
}
