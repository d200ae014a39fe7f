import { DecodeFailure } from '../layer.js';

/** The failure of a header that needs `required` bytes where `data` has fewer. */
export function short(protocol: string, data: Uint8Array, offset: number, required: number, reason = 'minimum header'): DecodeFailure {
  return new DecodeFailure(protocol, offset, required, data.length, reason, data);
}
