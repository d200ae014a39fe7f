import { defaultRegistry, DecodeFailure, type Packet } from '@pcap/decode';

/** One layer's Wireshark fields: a string per field, an array when it occurs several times. */
export type LayerFields = Record<string, string | string[]>;

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
  const registry = defaultRegistry();
  const out: string[] = [];
  const layers = packet.layers;
  return layers.map((l, index) => {
    const view: LayerView = { protocol: l.protocol, offset: l.offset, length: l.header.length + l.payload.length, fields: {} };
    if (l.truncated && !(l instanceof DecodeFailure)) view.truncated = true;
    if (l instanceof DecodeFailure) {
      view.protocol = '_failure';
      view.error = { layer: l.layer, reason: l.reason, required: l.required, actual: l.actual };
      return view;
    }
    const fields = registry.protocol(l.protocol)?.fields ?? {};
    for (const [name, extract] of Object.entries(fields)) {
      out.length = 0;
      extract(l as never, out, { layers, index });
      if (out.length === 1) view.fields[name] = out[0]!;
      else if (out.length > 1) view.fields[name] = [...out];
    }
    return view;
  });
}
