import { argumentTypeError, isBytes, optionsArgument } from './arguments.js';
import type { CaptureRecord } from './capture/record.js';
import { linkTypeName } from './linktype.js';
import { decodePacket, Packet } from './packet.js';
import { DirectShape, readShape, Shapes } from './packet-shape.js';
import { builtinSummaries, writeShapeSummary } from './summary-direct.js';
import { TextBuffer, textOf } from './text-buffer.js';
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
  checkArguments('summarize', packet, registry, options);
  return textOf((out) => speak(packet, registry, options.tcpSequence, out));
}

/**
 * `summarize` written as UTF-8 into `out`, followed by nothing (no newline): what a printer
 * writing bytes calls, so that a line never becomes a string.
 *
 * ```ts
 * const out = new TextBuffer();
 * writeSummary(decodePacket(bytes, 1), out);
 * out.byte(0x0a);
 * process.stdout.write(out.take());
 * ```
 */
export function writeSummary(packet: Packet, out: TextBuffer, registry: Registry = defaultRegistry(), options: SummaryOptions = {}): void {
  checkArguments('writeSummary', packet, registry, options);
  if (!(out instanceof TextBuffer)) throw argumentTypeError('writeSummary', 'out', 'a TextBuffer', out, 'make one with new TextBuffer()');
  speak(packet, registry, options.tcpSequence, out);
}

/**
 * `writeSummary` of a capture record's packet, decoded with its wire length, in one call.
 * The commonest packets (Ethernet, IPv4 or IPv6, TCP or UDP carrying data no protocol
 * claims) are summarised straight from their bytes, without the tree being made: the same
 * text, at a fraction of the cost. A printer of tcpdump-like lines calls this.
 *
 * ```ts
 * const out = new TextBuffer();
 * const tcpSequence = new TcpSequenceBases();
 * for await (const rec of readCapture('x.pcap')) {
 *   writeRecordSummary(rec, out, undefined, { tcpSequence });
 *   out.byte(0x0a);
 * }
 * process.stdout.write(out.take());
 * ```
 */
export function writeRecordSummary(record: CaptureRecord, out: TextBuffer, registry: Registry = defaultRegistry(), options: SummaryOptions = {}): void {
  if (
    typeof record !== 'object' ||
    record === null ||
    !(record.data instanceof Uint8Array) ||
    isPacket(record) ||
    !(out instanceof TextBuffer) ||
    typeof (registry as Registry | null)?.resolve !== 'function' ||
    typeof options !== 'object' ||
    options === null
  ) {
    checkRecordArguments(record, out, registry, options);
  }
  const b = record.data;
  const tcpSequence = options.tcpSequence;
  if (tcpSequence !== undefined && typeof (tcpSequence as TcpSequenceBases | null)?.numbers !== 'function') checkRecordArguments(record, out, registry, options);
  if (readShape(b, record.linkType, shape, Shapes.TAGGED | Shapes.OPTION_HEADERS | Shapes.ICMP | Shapes.LATER_FRAGMENTS)) {
    // A counter from another copy of this package may not count headers read from the bytes.
    const counts = tcpSequence === undefined || typeof tcpSequence.writeAt === 'function';
    if (counts && builtinSummaries(registry) && writeShapeSummary(b, shape, registry, tcpSequence, out)) return;
  }
  speak(decodePacket(b, record.linkType, { originalLength: record.originalLength, registry }), registry, tcpSequence, out);
}

// The shape of the record at hand.
const shape = new DirectShape();

/** Throws for arguments `writeRecordSummary` cannot use. */
function checkRecordArguments(record: unknown, out: unknown, registry: Registry, options: SummaryOptions): void {
  const fn = 'writeRecordSummary';
  if (isPacket(record)) throw argumentTypeError(fn, 'record', 'a capture record', record, 'for a decoded packet use writeSummary(packet, out)');
  if (typeof record !== 'object' || record === null || !((record as { data?: unknown }).data instanceof Uint8Array)) {
    throw argumentTypeError(fn, 'record', 'a capture record (from readCapture or parseCapture)', record);
  }
  if (!(out instanceof TextBuffer)) throw argumentTypeError(fn, 'out', 'a TextBuffer', out, 'make one with new TextBuffer()');
  checkArguments(fn, NO_PACKET, registry, options);
}

/** A packet for checking the other arguments with. */
const NO_PACKET = new Packet(new Uint8Array(0), 1, []);

function speak(packet: Packet, registry: Registry, tcpSequence: TcpSequenceBases | undefined, out: TextBuffer): void {
  const layers = packet.layers;
  let last = layers.length - 1;
  // One pass finds where the summary speaks from (the layers after an ICMP error are the
  // packet it quotes) and counts every TCP header towards its conversation's numbers, even
  // where a layer above speaks.
  for (let i = 0; i <= last; i++) {
    const l = layers[i]!;
    if (l.protocol === 'tcp' && tcpSequence) tcpSequence.numbers(l as Tcp, layers, i);
    if (l.quotesPacket && i < last) last = i;
  }
  const ctx = { layers, index: last, tcpSequence };
  let spoken = false;
  for (let i = last; i >= 0 && !spoken; i--) {
    const l = layers[i]!;
    const p = registry.protocol(l.protocol);
    if (p === undefined) continue;
    ctx.index = i;
    if (p.writeSummary) spoken = p.writeSummary(l, ctx, out);
    else if (p.summary) {
      const text = p.summary(l, ctx);
      if (text !== undefined) {
        out.text(text);
        spoken = true;
      }
    }
  }
  if (!spoken) {
    out.text(linkTypeName(packet.linkType));
    out.text(', length ');
    out.decimal(packet.data.length);
  }
  const failure = packet.failure;
  // A quoted datagram is cut short by design: its failure is not the packet's.
  if (failure && last >= layers.length - 2) {
    out.text(' [|');
    out.text(failure.layer);
    out.byte(0x5d);
  }
}

/** A decoded packet: duck-typed, so that a `Packet` from another copy of this package is one too. */
export function isPacket(value: unknown): value is Packet {
  // The class test is the quick answer for every packet of a capture; the shape test accepts packets of another copy of this library.
  if (value instanceof Packet) return true;
  return typeof value === 'object' && value !== null && Array.isArray((value as Packet).layers) && isBytes((value as Packet).data);
}

/** What to do with a value given where a decoded packet was wanted. */
export function packetHint(value: unknown): string {
  const data = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
  return data instanceof Uint8Array
    ? 'decode the record first: decodePacket(record.data, record.linkType)'
    : 'pass what decodePacket() returns';
}

function checkArguments(fn: string, packet: Packet, registry: Registry, options: SummaryOptions): void {
  if (
    isPacket(packet) &&
    typeof (registry as Registry | null)?.protocol === 'function' &&
    typeof options === 'object' &&
    options !== null &&
    (options.tcpSequence === undefined || typeof (options.tcpSequence as TcpSequenceBases | null)?.numbers === 'function')
  ) {
    return;
  }
  if (!isPacket(packet)) throw argumentTypeError(fn, 'packet', 'a Packet', packet, packetHint(packet));
  if (typeof (registry as Registry | null)?.protocol !== 'function') {
    const looksLikeOptions = typeof registry === 'object' && registry !== null && 'tcpSequence' in registry;
    throw argumentTypeError(
      fn,
      'registry',
      'a Registry',
      registry,
      looksLikeOptions ? `options go last: ${fn}(${fn === 'summarize' ? 'packet' : fn === 'writeRecordSummary' ? 'record, out' : 'packet, out'}, undefined, { tcpSequence })` : 'leave it out (undefined) for the built-in protocols',
    );
  }
  const o = optionsArgument<SummaryOptions>(fn, options as SummaryOptions);
  const seq = o.tcpSequence as unknown;
  if (seq !== undefined && typeof (seq as TcpSequenceBases | null)?.numbers !== 'function') {
    throw argumentTypeError(fn, 'options.tcpSequence', 'a TcpSequenceBases', seq, 'make one with new TcpSequenceBases() and pass it for every packet');
  }
}
