import { DecodeFailure } from '../layer.js';
import type { DecodeContext } from '../registry.js';

/** The failure of a header that needs `required` bytes where `data` has fewer. */
export function short(protocol: string, data: Uint8Array, offset: number, required: number, reason = 'minimum header'): DecodeFailure {
  return new DecodeFailure(protocol, offset, required, data.length, reason, data);
}

/**
 * How many bytes past `data` a length field of the layer at `offset` may claim as missing
 * (cut by the snaplen): the frame's uncaptured bytes when `data` runs to the end of the
 * captured packet, 0 when it stops earlier, unlimited when the original length is unknown.
 */
export function beyondCapture(ctx: DecodeContext, offset: number, data: Uint8Array): number {
  if (ctx.frameMissing === undefined || ctx.capturedLength === undefined) return Infinity;
  return offset + data.length >= ctx.capturedLength ? ctx.frameMissing : 0;
}
