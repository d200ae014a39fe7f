import { hexBytes } from '../bytes.js';
import { RawPayload } from '../layer.js';
import type { Protocol } from '../registry.js';

/**
 * Bytes no decoder claimed (Wireshark's `data`). `decodePacket` makes these layers itself;
 * this entry gives them their fields.
 */
export const data: Protocol<RawPayload> = {
  name: 'data',
  decode(bytes, offset, end) {
    return new RawPayload(bytes, offset, end);
  },
  fields: {
    'data.data': (l, out) => out.push(hexBytes(l.header)),
    'data.len': (l, out) => out.push(l.headerEnd - l.offset),
  },
};
