/**
 * What tcpdump prints after a TCP segment to or from port 80 or 8080 that carries data: `HTTP`,
 * then `: ` and the first line when the data starts like an HTTP request (a known method) or
 * response (a three-digit status as second word). Like tcpdump, a line with bytes that are not
 * printable text is not shown, a line with no end in the segment ends with ` [|http]`, a word
 * cut by the snapshot length is no word, and a line cut by it gives `HTTP [|http]`.
 */

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

/** Thrown inside the scan when it needs a byte the capture did not keep. */
const CUT = Symbol('cut');

const printable = (c: number): boolean => c >= 0x20 && c < 0x7f;
const blank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/**
 * The text for the data at `start` of `bytes`: `captured` ends what was captured, `declared`
 * what the segment carries.
 */
export function httpLine(bytes: Uint8Array, start: number, captured: number, declared: number): string {
  const at = (i: number): number => {
    if (i >= captured) throw CUT;
    return bytes[i]!;
  };
  // A word and the blanks after it: [word, where the next one starts], or undefined when there is none.
  const word = (from: number): [string, number] | undefined => {
    let i = from;
    let w = '';
    for (; i < declared; i++) {
      // A word cut by the snapshot length is no word (tcpdump checks before it reads here).
      if (i >= captured) return undefined;
      const c = bytes[i]!;
      if (c >= 0x80) return undefined;
      if (blank(c)) break;
      if (!printable(c) || w.length >= MAX_WORD) return undefined;
      w += String.fromCharCode(c);
    }
    if (w === '') return undefined;
    // Spaces only: tcpdump stops at a tab, as at anything else.
    while (i < declared && i < captured && bytes[i] === 0x20) i++;
    return [w, i];
  };
  try {
    const first = word(start);
    let shown = first !== undefined && METHODS.has(first[0].toUpperCase());
    if (first !== undefined && !shown) {
      const second = word(first[1]);
      shown = second !== undefined && /^\d{3}$/.test(second[0]);
    }
    if (!shown) return 'HTTP';
    for (let i = start; i < declared; i++) {
      const c = at(i);
      if (c === 0x0a) return `HTTP: ${text(bytes, start, i)}`;
      if (c === 0x0d) {
        if (i + 1 >= declared) return 'HTTP';
        return at(i + 1) === 0x0a ? `HTTP: ${text(bytes, start, i)}` : 'HTTP';
      }
      if (!printable(c) && c !== 0x09) return 'HTTP';
    }
    return `HTTP: ${text(bytes, start, declared)} [|http]`;
  } catch (e) {
    if (e === CUT) return 'HTTP [|http]';
    throw e;
  }
}

function text(bytes: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}
