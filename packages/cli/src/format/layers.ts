import { DecodeFailure, layerFields, type LayerFields, type Packet } from '@pcap/decode';

export type { LayerFields };

export interface LayerView {
  protocol: string;
  offset: number;
  length: number;
  truncated?: true;
  fields: LayerFields;
  /** For a layer that could not be decoded: why. */
  error?: { layer: string; reason: string; required: number; actual: number };
}

/**
 * Every decoded layer with its fields by Wireshark name, in the order the protocol lists
 * them: the stable shape of `--json` and `-v`.
 */
export function layerViews(packet: Packet): LayerView[] {
  return packet.layers.map((l, index) => {
    const view: LayerView = { protocol: l.protocol, offset: l.offset, length: l.header.length + l.payload.length, fields: {} };
    if (l.truncated && !(l instanceof DecodeFailure)) view.truncated = true;
    if (l instanceof DecodeFailure) {
      view.protocol = '_failure';
      view.error = { layer: l.layer, reason: l.reason, required: l.required, actual: l.actual };
      return view;
    }
    view.fields = layerFields(packet, index);
    return view;
  });
}
