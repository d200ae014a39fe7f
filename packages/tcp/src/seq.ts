/**
 * TCP sequence arithmetic. Sequence numbers wrap at 2^32; a stream is tracked by absolute
 * offsets (plain numbers, exact to 2^53 bytes) that are derived from a sequence number by
 * its signed 32-bit distance from a known point, so wrapping is never a special case.
 */

/** `a - b` as a signed 32-bit distance: positive when `a` is after `b` in sequence space. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** The sequence number `n` bytes after `seq`. */
export function seqAdd(seq: number, n: number): number {
  return (seq + n) >>> 0;
}
