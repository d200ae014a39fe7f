/**
 * DNS names (RFC 1035 §4.1.4) read the way Wireshark reads them, so that the text and
 * the number of bytes a name takes match tshark's, malformed names included.
 */

/** Thrown inside the DNS walk when a read runs past the captured message; never escapes it. */
export class DnsBounds {
  constructor(
    /** Offset (within the message) of the first byte that was needed. */
    readonly at: number,
    readonly what: string,
  ) {}
}

/** Longest name Wireshark keeps, terminating NUL included; longer names print as `<Name too long>`. */
const MAX_NAME = 255;
/** A pointer chain longer than this is taken for a loop (Wireshark's rule). */
const MAX_POINTERS = 255;
/** The fewest bytes an encoded name takes; less means the name is unusable. */
const MIN_NAME_LEN = 2;

export const NAME_LOOPS = '<Name contains a pointer that loops>';
export const NAME_TOO_LONG = '<Name too long>';
export const NAME_UNKNOWN_EXTENDED = '<Unknown extended label>';
export const NAME_ROOT = '<Root>';

/** A name as read from a message. */
export interface DnsName {
  /** Text as Wireshark shows it: labels joined with `.`, escaped; `<Root>` for the root. */
  readonly text: string;
  /** Bytes the name takes where it starts (up to and including its first pointer). */
  readonly length: number;
  /** Why the name is not a plain sequence of labels, if it is not. */
  readonly problem?: 'loop' | 'too long' | 'unknown extended label';
}

// The codes of a plain name, in an array of its length reused from name to name: apply reads
// the whole array, and resizing one is slow. Names are at most 255 bytes.
const MAX_PLAIN = 255;
const PLAIN_BY_LENGTH: Array<number[] | undefined> = [];

const C_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** Code points GLib does not call printable: controls, format characters, unassigned ones. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}]/u;

/**
 * Text of raw name bytes as Wireshark's `format_text` makes it: printable ASCII and
 * printable UTF-8 are kept; ASCII controls become C escapes (`\t`) or octal (`\001`);
 * other unprintable code points become `\uXXXX` (overlong forms are decoded); a bad
 * lead byte, a missing continuation byte, a surrogate or a value past U+10FFFF becomes
 * U+FFFD.
 */
export function formatNameText(raw: Uint8Array, length: number = raw.length): string {
  const n = Math.min(length, raw.length);
  // Nearly every name is printable ASCII: made from its codes in one call, not a character at a time.
  if (n <= MAX_PLAIN) {
    const codes = (PLAIN_BY_LENGTH[n] ??= new Array<number>(n).fill(0));
    let i = 0;
    for (; i < n; i++) {
      const c = raw[i]!;
      if (c < 0x20 || c >= 0x7f) break;
      codes[i] = c;
    }
    if (i === n) return String.fromCharCode.apply(null, codes);
  }
  let out = '';
  for (let i = 0; i < n; ) {
    const c = raw[i++]!;
    if (c < 0x80) {
      if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
      else out += C_ESCAPES[c] ?? `\\${c.toString(8).padStart(3, '0')}`;
      continue;
    }
    let more: number;
    let uc: number;
    if ((c & 0xe0) === 0xc0) {
      more = 1;
      uc = c & 0x1f;
    } else if ((c & 0xf0) === 0xe0) {
      more = 2;
      uc = c & 0x0f;
    } else if ((c & 0xf8) === 0xf0) {
      more = 3;
      uc = c & 0x07;
    } else if ((c & 0xfc) === 0xf8) {
      // The five- and six-byte forms of the original UTF-8 are still read as one character.
      more = 4;
      uc = c & 0x03;
    } else if ((c & 0xfe) === 0xfc) {
      more = 5;
      uc = c & 0x01;
    } else {
      out += '\ufffd';
      continue;
    }
    let ok = true;
    for (let k = 0; k < more; k++) {
      const b = i < n ? raw[i] : undefined;
      if (b === undefined || (b & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      uc = (uc << 6) | (b & 0x3f);
      i++;
    }
    // Surrogates and values past U+10FFFF are not characters.
    if (!ok || uc > 0x10ffff || (uc >= 0xd800 && uc <= 0xdfff)) {
      out += '\ufffd';
      continue;
    }
    const ch = String.fromCodePoint(uc);
    if (!UNPRINTABLE.test(ch)) out += ch;
    else out += uc > 0xffff ? `\\U${uc.toString(16).toUpperCase().padStart(8, '0')}` : `\\u${uc.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/**
 * A character-string (TXT, HINFO, URI ...) as Wireshark's ASCII decoding shows it: cut at
 * the first NUL, every byte of 0x80 or more becomes U+FFFD.
 */
export function asciiText(raw: Uint8Array): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === 0) break;
    out += c >= 0x80 ? '\ufffd' : String.fromCharCode(c);
  }
  return out;
}

const FIELD_ESCAPES: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** tshark's `-T fields` escaping of a string value: backspace, form feed, newline, return and tab. */
export function escapeFieldText(s: string): string {
  return /[\b\f\n\r\t]/.test(s) ? s.replace(/[\b\f\n\r\t]/g, (c) => FIELD_ESCAPES[c]!) : s;
}

/**
 * Reads the name at `at` in `msg` (offsets are relative to the message start, as
 * compression pointers are). Throws `DnsBounds` where Wireshark gives up on the name.
 * Every loop is bounded: at most 256 pointers are followed, and between two pointers
 * the offset only grows, so the walk ends within the message.
 */
export function readName(msg: Uint8Array, at: number): DnsName {
  const length = skipName(msg, at);
  switch (walked) {
    case Walked.Text:
      return { text: formatNameText(NAME, shownBytes), length };
    case Walked.Root:
      return { text: NAME_ROOT, length };
    case Walked.Loop:
      return { text: NAME_LOOPS, length, problem: 'loop' };
    case Walked.TooLong:
      return { text: NAME_TOO_LONG, length, problem: 'too long' };
    default:
      return { text: NAME_UNKNOWN_EXTENDED, length, problem: 'unknown extended label' };
  }
}

/** What the last `skipName` found: a name to show as text, or one of the fixed texts. */
const Walked = { Text: 0, Root: 1, Loop: 2, TooLong: 3, UnknownExtended: 4 } as const;
let walked: number = Walked.Text;
// Bytes of NAME the last name shows, when it is text.
let shownBytes = 0;

/**
 * The bytes the name at `at` takes, read as `readName` reads it (throwing where it throws)
 * without making its text: for a walk that only needs to get past the name. The name is
 * left in NAME, and `walked` and `shownBytes` say what it is, for `readName` to make its text.
 */
export function skipName(msg: Uint8Array, at: number): number {
  const end = msg.length;
  const buf = NAME;
  // Wireshark keeps a write position and, apart from it, a count of the bytes it shows:
  // bitstring labels advance the first only, so a name shows just its leading bytes.
  let np = 0;
  let shown = 0;
  let room = MAX_NAME;
  let offset = at;
  let len = -1;
  let pointers = 0;
  for (;;) {
    if (offset >= end) throw new DnsBounds(offset, 'name');
    const c = msg[offset++]!;
    if (c === 0) break;
    switch (c & 0xc0) {
      case 0x00: {
        // With the name already too long, labels only move on: jump over the whole run
        // (unless this very label overruns the message, which is an error below).
        if (room <= 0) {
          const stop = labelRunEnd(msg, offset - 1);
          if (stop !== offset - 1) {
            offset = stop;
            continue;
          }
        }
        if (np > 0) {
          if (room > 0) {
            buf[np++] = 0x2e;
            shown++;
            room--;
          }
        } else {
          room--;
        }
        if (offset + c > end) throw new DnsBounds(end, 'label');
        for (let i = 0; i < c && room > 0; i++, room--) {
          buf[np++] = msg[offset + i]!;
          shown++;
        }
        offset += c;
        break;
      }
      case 0x40: {
        if ((c & 0x3f) !== 1) {
          // Extended label types other than bitstring are unknown: the rest cannot be read.
          const l = offset - at;
          checkLength(l, at);
          walked = Walked.UnknownExtended;
          return l;
        }
        // Bitstring label (RFC 2673), written as \[x<hex>/<bits>].
        if (offset >= end) throw new DnsBounds(offset, 'bitstring label');
        const bits = msg[offset++]!;
        const bytes = Math.trunc((bits - 1) / 8) + 1;
        if (offset + bytes > end) throw new DnsBounds(end, 'bitstring label');
        writer.np = np;
        writer.room = room;
        print('\\[x');
        for (let i = 0; i < bytes; i++) print(msg[offset + i]!.toString(16).padStart(2, '0'));
        print(`/${bits}]`);
        np = writer.np;
        room = writer.room;
        offset += bytes;
        break;
      }
      case 0x80:
        throw new DnsBounds(offset - 1, 'label type 0x80');
      default: {
        if (offset >= end) throw new DnsBounds(offset, 'pointer');
        const target = ((c & 0x3f) << 8) | msg[offset++]!;
        pointers++;
        if (len < 0) len = offset - at;
        // Wireshark's loop test: a pointer to just past the two bytes after it, or too many pointers.
        if (target === offset + 2 || pointers > MAX_POINTERS) {
          walked = Walked.Loop;
          return len;
        }
        offset = target;
      }
    }
  }
  if (len < 0) len = offset - at;
  if (room <= 0) {
    walked = Walked.TooLong;
    return len;
  }
  if ((np === 0 || buf[0] === 0) && len <= MIN_NAME_LEN) {
    walked = Walked.Root;
    return len;
  }
  checkLength(len, at);
  if (len > MIN_NAME_LEN && shown === 0) throw new DnsBounds(at, 'empty name');
  walked = Walked.Text;
  shownBytes = shown;
  return len;
}

// One buffer for every name: a name is read to the end and turned into text before the next
// one starts. Bitstring labels are written through `print`, which keeps its position in
// `writer` so that the label loop's own counters stay plain local variables.
const NAME = new Uint8Array(MAX_NAME + 1);
const writer = { np: 0, room: 0 };

/** Writes `text` for a bitstring label; a piece that does not fit is dropped and ends the room, as in Wireshark. */
function print(text: string): void {
  if (writer.room <= 0) return;
  if (text.length > writer.room) {
    writer.room = 0;
    return;
  }
  for (let i = 0; i < text.length && writer.np < MAX_NAME; i++) NAME[writer.np++] = text.charCodeAt(i);
  writer.room -= text.length;
}

/** Per message: where the run of plain labels from each offset stops, plus one (0: not known yet). */
const labelRuns = new WeakMap<Uint8Array, Int32Array>();

/**
 * Where a run of plain labels starting at `from` stops: at a zero or non-label byte, at a
 * label that would overrun the message, or at its end. Remembered per message, so that
 * the many overlong names a hostile message can hold cost linear time in all. The result
 * is never before `from`, so the name walk keeps moving forward between pointers.
 */
function labelRunEnd(msg: Uint8Array, from: number): number {
  let runs = labelRuns.get(msg);
  if (!runs) labelRuns.set(msg, (runs = new Int32Array(msg.length + 1)));
  const path: number[] = [];
  let o = from;
  while (o < msg.length) {
    // A run only goes forward; an entry that does not (the bytes were changed since) is ignored.
    const known = runs[o]!;
    if (known - 1 > o) {
      o = known - 1;
      break;
    }
    const c = msg[o]!;
    if (c === 0 || (c & 0xc0) !== 0 || o + 1 + c > msg.length) break;
    path.push(o);
    o += 1 + c;
  }
  for (const p of path) runs[p] = o + 1;
  return o;
}

function checkLength(len: number, at: number): void {
  if (len < MIN_NAME_LEN) throw new DnsBounds(at, 'name');
}

/** The name at `at`, or undefined where Wireshark could not read one. */
export function tryReadName(msg: Uint8Array, at: number): DnsName | undefined {
  try {
    return readName(msg, at);
  } catch (e) {
    if (e instanceof DnsBounds) return undefined;
    throw e;
  }
}
