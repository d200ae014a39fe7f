import { linkTypeName } from './linktype.js';
import type { Packet } from './packet.js';
import { defaultRegistry } from './protocols/index.js';
import type { Registry } from './registry.js';
import type { Tcp } from './protocols/tcp.js';
import type { TcpSequenceBases } from './protocols/tcp-sequence.js';

/** How `summarize` speaks. */
export interface SummaryOptions {
  /**
   * TCP sequence and acknowledgment numbers relative to each conversation's first, as tcpdump
   * prints them without `-S`: give the same instance for every packet, in order. Without it
   * they are absolute.
   */
  tcpSequence?: TcpSequenceBases;
}

/**
 * A tcpdump-like one-line description of a packet (without the timestamp): the deepest
 * layer that has something to say speaks, with the layers below it for context.
 *
 * ```ts
 * summarize(decodePacket(bytes, 1));
 * // 'IP 10.0.0.1.51234 > 10.0.0.2.80: Flags [S], seq 1000, win 64240, options [mss 1460], length 0'
 * ```
 */
export function summarize(packet: Packet, registry: Registry = defaultRegistry(), options: SummaryOptions = {}): string {
  const layers = packet.layers;
  let text: string | undefined;
  let last = layers.length - 1;
  for (let i = 0; i < last; i++) if (layers[i]!.quotesPacket) last = i;
  const tcpSequence = options.tcpSequence;
  // Every TCP header counts towards its conversation's numbers, even where a layer above speaks.
  if (tcpSequence) for (let i = 0; i <= last; i++) if (layers[i]!.protocol === 'tcp') tcpSequence.numbers(layers[i] as Tcp, layers, i);
  for (let i = last; i >= 0 && text === undefined; i--) {
    const l = layers[i]!;
    const p = registry.protocol(l.protocol);
    if (p?.summary) text = p.summary(l, { layers, index: i, tcpSequence });
  }
  text ??= `${linkTypeName(packet.linkType)}, length ${packet.data.length}`;
  const failure = packet.failure;
  // A quoted datagram is cut short by design: its failure is not the packet's.
  if (failure && last >= layers.length - 2) text += ` [|${failure.layer}]`;
  return text;
}
