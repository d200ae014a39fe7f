/**
 * What tcpdump prints after a TCP segment to or from port 80 or 8080 that carries data: `HTTP`,
 * then `: ` and the first line when the data starts like an HTTP request (a known method) or
 * response (a three-digit status as second word). Like tcpdump, a line with bytes that are not
 * printable text is not shown, a line with no end in the segment ends with ` [|http]`, a word
 * cut by the snapshot length is no word, and a line cut by it gives `HTTP [|http]`.
 */

import { ascii, textOf, type TextBuffer } from '../text-buffer.js';

/** Ports tcpdump prints HTTP lines for. */
export const HTTP_LINE_PORTS: ReadonlySet<number> = new Set([80, 8080]);

/** Request methods tcpdump knows (HTTP and WebDAV), upper case. */
const METHODS: ReadonlySet<string> = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE',
  'LABEL', 'MERGE', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'NOTIFY', 'BDELETE', 'CONNECT',
  'OPTIONS', 'CHECKIN', 'PROPFIND', 'CHECKOUT', 'CCM_POST', 'SUBSCRIBE', 'PROPPATCH', 'BPROPFIND',
  'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE', 'UNSUBSCRIBE', 'RPC_CONNECT',
  'VERSION-CONTROL', 'BASELINE-CONTROL',
]);

/** Longest word looked at; a longer one is not a method or a status. */
const MAX_WORD = 127;

/** The methods by length, as bytes: a word is compared with them where it lies, without becoming a string. */
const METHODS_BY_LENGTH: Uint8Array[][] = [];
for (const m of METHODS) (METHODS_BY_LENGTH[m.length] ??= []).push(Uint8Array.from(m, (c) => c.charCodeAt(0)));

const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;
const blank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

const HTTP = ascii('HTTP');
const HTTP_LINE = ascii('HTTP: ');
const HTTP_CUT = ascii('HTTP [|http]');
const CUT_TAIL = ascii(' [|http]');

/**
 * Writes the text for the data at `start` of `bytes` into `out`: `captured` ends what was
 * captured, `declared` what the segment carries. The line is copied from the packet as it
 * is, every byte of it printable ASCII or a tab.
 */
export function writeHttpLine(out: TextBuffer, bytes: Uint8Array, start: number, captured: number, declared: number): void {
  const first = wordEnd(bytes, start, captured, declared);
  let shown = first > start && isMethod(bytes, start, first);
  if (first > start && !shown) {
    const from = afterSpaces(bytes, first, captured, declared);
    const second = wordEnd(bytes, from, captured, declared);
    shown = second - from === 3 && isDigit(bytes[from]!) && isDigit(bytes[from + 1]!) && isDigit(bytes[from + 2]!);
  }
  if (!shown) return out.bytes(HTTP);
  for (let i = start; i < declared; i++) {
    if (i >= captured) return out.bytes(HTTP_CUT);
    const c = bytes[i]!;
    if (c === 0x0a) return writeLine(out, bytes, start, i);
    if (c === 0x0d) {
      if (i + 1 >= declared) return out.bytes(HTTP);
      if (i + 1 >= captured) return out.bytes(HTTP_CUT);
      return bytes[i + 1] === 0x0a ? writeLine(out, bytes, start, i) : out.bytes(HTTP);
    }
    if (!printable(c) && c !== 0x09) return out.bytes(HTTP);
  }
  writeLine(out, bytes, start, declared);
  out.bytes(CUT_TAIL);
}

/** `writeHttpLine` as a string. */
export function httpLine(bytes: Uint8Array, start: number, captured: number, declared: number): string {
  return textOf((out) => writeHttpLine(out, bytes, start, captured, declared));
}

function writeLine(out: TextBuffer, bytes: Uint8Array, from: number, to: number): void {
  out.bytes(HTTP_LINE);
  out.bytes(bytes, from, to);
}

/**
 * Where the word at `from` ends (at a blank, or where the segment does), or `from` when
 * there is no word there: nothing before a blank, a byte that is not printable ASCII, a
 * word longer than 127 bytes, or one cut by the snapshot length (tcpdump checks before it
 * reads there).
 */
function wordEnd(bytes: Uint8Array, from: number, captured: number, declared: number): number {
  let i = from;
  for (; i < declared; i++) {
    if (i >= captured) return from;
    const c = bytes[i]!;
    if (blank(c)) break;
    if (!printable(c) || i - from >= MAX_WORD) return from;
  }
  return i;
}

/** Past the spaces at `from` (only spaces: tcpdump stops at a tab, as at anything else). */
function afterSpaces(bytes: Uint8Array, from: number, captured: number, declared: number): number {
  let i = from;
  while (i < declared && i < captured && bytes[i] === 0x20) i++;
  return i;
}

/** True when `bytes[from..to)`, upper-cased, is a method tcpdump knows. */
function isMethod(bytes: Uint8Array, from: number, to: number): boolean {
  const candidates = METHODS_BY_LENGTH[to - from];
  if (candidates === undefined) return false;
  next: for (const m of candidates) {
    for (let i = 0; i < m.length; i++) {
      const c = bytes[from + i]!;
      if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== m[i]) continue next;
    }
    return true;
  }
  return false;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
