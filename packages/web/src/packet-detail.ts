import { decodePacket, defaultRegistry, DecodeFailure, summarize } from '@pcap/decode';
import type { StoredPacket } from './packet-ring.js';
import type { LayerDetail, PacketDetail } from './snapshot.js';

/** Every layer of a stored packet with its Wireshark fields, and the bytes as hex: the detail pane. */
export function packetDetail(p: StoredPacket): PacketDetail {
  const pkt = decodePacket(p.data, p.linkType, { originalLength: p.length });
  const registry = defaultRegistry();
  const layers = pkt.layers;
  const out: string[] = [];
  const views = layers.map((l, index): LayerDetail => {
    if (l instanceof DecodeFailure) {
      return { protocol: l.layer, offset: l.offset, length: l.actual, fields: {}, error: `${l.reason} (needed ${l.required} bytes, ${l.actual} captured)` };
    }
    const view: LayerDetail = { protocol: l.protocol, offset: l.offset, length: l.header.length + l.payload.length, fields: {} };
    if (l.truncated) view.truncated = true;
    const fields = registry.protocol(l.protocol)?.fields ?? {};
    for (const [name, extract] of Object.entries(fields)) {
      out.length = 0;
      try {
        extract(l as never, out, { layers, index });
      } catch {
        // A field extractor is not wire parsing; if one fails, the pane still shows the rest.
        continue;
      }
      if (out.length === 1) view.fields[name] = out[0]!;
      else if (out.length > 1) view.fields[name] = [...out];
    }
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
