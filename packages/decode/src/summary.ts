import { linkTypeName } from './linktype.js';
import type { Packet } from './packet.js';
import { defaultRegistry } from './protocols/index.js';
import type { Registry } from './registry.js';

/**
 * A tcpdump-like one-line description of a packet (without the timestamp): the deepest
 * layer that has something to say speaks, with the layers below it for context.
 *
 * ```ts
 * summarize(decodePacket(bytes, 1));
 * // 'IP 10.0.0.1.51234 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0'
 * ```
 */
export function summarize(packet: Packet, registry: Registry = defaultRegistry()): string {
  const layers = packet.layers;
  let text: string | undefined;
  let last = layers.length - 1;
  for (let i = 0; i < last; i++) if (layers[i]!.quotesPacket) last = i;
  for (let i = last; i >= 0 && text === undefined; i--) {
    const l = layers[i]!;
    const p = registry.protocol(l.protocol);
    if (p?.summary) text = p.summary(l, { layers, index: i });
  }
  text ??= `${linkTypeName(packet.linkType)}, length ${packet.data.length}`;
  const failure = packet.failure;
  // A quoted datagram is cut short by design: its failure is not the packet's.
  if (failure && last >= layers.length - 2) text += ` [|${failure.layer}]`;
  return text;
}
