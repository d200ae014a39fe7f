import { hexBytes } from '../bytes.js';
import type { RawPayload } from '../layer.js';
import type { Protocol } from '../registry.js';

/**
 * Bytes no decoder claimed (Wireshark's `data`). `decodePacket` makes these layers itself;
 * this entry gives them their fields.
 */
export const data: Protocol<RawPayload> = {
  name: 'data',
  decode(bytes, offset) {
    return { layer: { protocol: 'data', offset, header: bytes, payload: bytes.subarray(bytes.length), truncated: false } as RawPayload };
  },
  fields: {
    'data.data': (l, out) => out.push(hexBytes(l.header)),
    'data.len': (l, out) => out.push(String(l.header.length)),
  },
};
