import { decodePacket, DecodeFailure, layerFields, summarize } from '@pcap/decode';
import type { StoredPacket } from './packet-ring.js';
import type { LayerDetail, PacketDetail } from './snapshot.js';

/** Every layer of a stored packet with its Wireshark fields, and the bytes as hex: the detail pane. */
export function packetDetail(p: StoredPacket): PacketDetail {
  const pkt = decodePacket(p.data, p.linkType, { originalLength: p.length });
  const views = pkt.layers.map((l, index): LayerDetail => {
    if (l instanceof DecodeFailure) {
      return { protocol: l.layer, offset: l.offset, length: l.actual, fields: {}, error: `${l.reason} (needed ${l.required} bytes, ${l.actual} captured)` };
    }
    const view: LayerDetail = { protocol: l.protocol, offset: l.offset, length: l.header.length + l.payload.length, fields: {} };
    if (l.truncated) view.truncated = true;
    view.fields = layerFields(pkt, index);
    return view;
  });
  return {
    number: p.number,
    time: p.seconds + p.nanoseconds / 1e9,
    length: p.length,
    capturedLength: p.data.length,
    linkType: p.linkType,
    summary: summarize(pkt),
    layers: views,
    hex: Buffer.from(p.data.buffer, p.data.byteOffset, p.data.byteLength).toString('hex'),
  };
}
