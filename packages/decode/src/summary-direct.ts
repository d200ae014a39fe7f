/**
 * Summaries written straight from the bytes of the commonest packets (see packet-shape.ts)
 * when nothing above the transport header would speak: a TCP or UDP line whose payload the
 * registry leaves as data. The tree of such a packet is known in advance, so its line is
 * too; the TCP and UDP summaries and this file end in the same writers.
 *
 * The differential test (fuzz/summary-direct.test.ts) holds this to `writeSummary` over
 * mutated and truncated packets, with relative TCP numbers counted both ways.
 */
import { ipv4At, ipv6At, u16, u32 } from './bytes.js';
import { DirectShape, builtinDecoders } from './packet-shape.js';
import { data } from './protocols/data.js';
import { tcp, writeFlagsText, writeSegmentText, writeSequenceText } from './protocols/tcp.js';
import type { TcpSequenceBases } from './protocols/tcp-sequence.js';
import { udp } from './protocols/udp.js';
import type { Registry } from './registry.js';
import type { TextBuffer } from './text-buffer.js';

/** True while `registry` decodes and summarises the common shape with the built-in protocols. */
export function builtinSummaries(registry: Registry): boolean {
  // A protocol registered under one of these names would speak, or speak differently.
  return builtinDecoders(registry) && registry.protocol('tcp') === tcp && registry.protocol('udp') === udp && registry.protocol('data') === data;
}

/**
 * Writes the summary of `b`, a packet of the shape `s` describes, and returns true; false,
 * having written nothing, when a protocol above the transport header would speak for it.
 */
export function writeShapeSummary(b: Uint8Array, s: DirectShape, registry: Registry, tcpSequence: TcpSequenceBases | undefined, out: TextBuffer): boolean {
  const t = s.transport;
  const sport = u16(b, t);
  const dport = u16(b, t + 2);
  if (s.protocol === 6) {
    const header = (b[t + 12]! >> 4) * 4;
    const length = s.end - t - header;
    // The decoders look the ports up only for a segment that carries data.
    if (length > 0 && registry.resolve('tcp.port', Math.min(sport, dport), Math.max(sport, dport)) !== undefined) return false;
    writeEndpointsAt(out, b, s, sport, dport);
    const flags = u16(b, t + 12) & 0x0fff;
    writeFlagsText(out, flags);
    const addresses = s.version === 4 ? 26 : 22;
    if (tcpSequence) tcpSequence.writeAt(b, addresses, s.version === 4 ? 4 : 16, t, length, out);
    else writeSequenceText(out, flags, length, u32(b, t + 4), u32(b, t + 8));
    writeSegmentText(out, b, t, header - 20, header - 20, 20, length, t + header, s.end);
    return true;
  }
  const field = u16(b, t + 4);
  // A length field below 8 is a malformed header, which the decoders report.
  if (field < 8) return false;
  const datagram = field <= s.end - t ? field : s.end - t;
  if (datagram > 8 && registry.resolve('udp.port', Math.min(sport, dport), Math.max(sport, dport)) !== undefined) return false;
  writeEndpointsAt(out, b, s, sport, dport);
  out.text(': UDP, length ');
  out.decimal(field - 8);
  return true;
}

/** `IP src.port > dst.port` (or `IP6 ...`) from the IP header of the shape. */
function writeEndpointsAt(out: TextBuffer, b: Uint8Array, s: DirectShape, sport: number, dport: number): void {
  const v4 = s.version === 4;
  out.text(v4 ? 'IP ' : 'IP6 ');
  out.text(v4 ? ipv4At(b, 26) : ipv6At(b, 22));
  out.byte(0x2e);
  out.decimal(sport);
  out.text(' > ');
  out.text(v4 ? ipv4At(b, 30) : ipv6At(b, 38));
  out.byte(0x2e);
  out.decimal(dport);
}
