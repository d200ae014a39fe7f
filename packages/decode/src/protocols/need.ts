import { DecodeFailure } from '../layer.js';
import type { DecodeContext } from '../registry.js';

/** The failure of a header at `offset` that needs `required` bytes where only those up to `end` are there. */
export function short(protocol: string, bytes: Uint8Array, offset: number, end: number, required: number, reason = 'minimum header'): DecodeFailure {
  return new DecodeFailure(protocol, bytes, offset, end, required, end - offset, reason);
}

/**
 * How many bytes past `end` a length field of a layer may claim as missing (cut by the
 * snaplen): the frame's uncaptured bytes when `end` is the end of the captured packet, 0
 * when it stops earlier, unlimited when the original length is unknown.
 */
export function beyondCapture(ctx: DecodeContext, end: number): number {
  if (ctx.frameMissing === undefined || ctx.capturedLength === undefined) return Infinity;
  return end >= ctx.capturedLength ? ctx.frameMissing : 0;
}
