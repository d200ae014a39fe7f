/** pcapng option lists: code, length, value padded to 4 bytes, ended by code 0 or the block's end. */

/** Option codes every block type shares. */
export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;

const utf8 = new TextDecoder('utf-8');

/** Text of an option value (UTF-8; a trailing NUL some writers add is dropped). */
export function optionText(b: Uint8Array, from: number, length: number): string {
  let end = from + length;
  while (end > from && b[end - 1] === 0) end--;
  return utf8.decode(b.subarray(from, end));
}

/**
 * Calls `visit(code, valueStart, valueLength)` for each option in `b[from, to)`. Stops at
 * `opt_endofopt`, or quietly at an option that would run past `to` (tshark keeps the packet too).
 * The loop advances at least 4 bytes per option, so it ends within (to - from) / 4 steps.
 */
export function readOptions(
  b: Uint8Array,
  from: number,
  to: number,
  le: boolean,
  visit: (code: number, at: number, length: number) => void,
): void {
  let p = from;
  while (p + 4 <= to) {
    const code = le ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
    const length = le ? b[p + 2]! | (b[p + 3]! << 8) : (b[p + 2]! << 8) | b[p + 3]!;
    if (code === OPT_ENDOFOPT) return;
    const at = p + 4;
    if (at + length > to) return;
    visit(code, at, length);
    p = at + ((length + 3) & ~3);
  }
}
