import type { CaptureRecord } from '../capture/record.js';
import { FieldSelector, knownFields } from '../fields.js';
import { DecodeFailure, HeaderLayer, type Layer } from '../layer.js';
import { decodePacket, MAX_LAYERS } from '../packet.js';
import type { Registry } from '../registry.js';
import { summarize } from '../summary.js';
import { TcpSequenceBases } from '../protocols/tcp-sequence.js';
import { TextBuffer } from '../text-buffer.js';

const decoder = new TextDecoder();

/**
 * Characters of field text allowed per input byte. A bounded decoder can legitimately expand
 * bytes (a 2-byte DNS pointer names up to 255 characters); unbounded output means an
 * unbounded loop.
 */
const TEXT_PER_BYTE = 512;

/**
 * Values (array elements, object fields, bytes of copied buffers) a layer's getters may
 * produce per input byte: anything a decoder builds is read from the bytes, so more means an
 * allocation sized by a length field rather than by the input.
 */
const VALUES_PER_BYTE = 8;

/** Getters every layer has that only return views of the packet. */
const VIEW_GETTERS = new Set(['bytes', 'header', 'payload', 'constructor']);

/** What went wrong with one input. */
export class FuzzFinding extends Error {
  override readonly name = 'FuzzFinding';
  constructor(
    readonly problem: string,
    readonly linkType: number,
    readonly input: Uint8Array,
    cause?: unknown,
  ) {
    super(`${problem} (link type ${linkType}, ${input.length} bytes: ${Buffer.from(input).toString('hex')})`, { cause });
  }
}

/**
 * Runs one input through everything a user would: the full decode, every known field, and
 * the summary. Throws a `FuzzFinding` when any of them throws or does unbounded work.
 */
export class Exerciser {
  private readonly selector: FieldSelector;
  // Shared by every input, as a printer shares it across a capture, so conversations meet mutated packets.
  private readonly tcpSequence = new TcpSequenceBases(1024);
  private readonly bytes = new TextBuffer(256);
  /** Work done so far, for the report: layers decoded and field values produced. */
  layers = 0;
  values = 0;
  failures = 0;
  /** Values the layers' getters produced. */
  apiValues = 0;

  constructor(private readonly registry: Registry) {
    this.selector = new FieldSelector(knownFields(registry), registry);
  }

  run(data: Uint8Array, linkType: number): void {
    const fail = (problem: string, cause?: unknown): never => {
      throw new FuzzFinding(problem, linkType, data, cause);
    };
    let stage = 'decodePacket';
    try {
      const packet = decodePacket(data, linkType, { registry: this.registry });
      const layers = packet.layers;
      // MAX_LAYERS decoded layers, then at most a failure or the raw payload.
      if (layers.length > MAX_LAYERS + 2) fail(`${layers.length} layers, more than ${MAX_LAYERS} + 2`);
      for (const l of layers) {
        if (l.offset < 0 || l.offset > data.length) fail(`layer ${l.protocol} at offset ${l.offset}, outside the ${data.length} bytes`);
        // A span past the packet would be clamped silently by the views, hiding a wrong length.
        if (l.payloadOffset < l.offset || l.payloadEnd < l.payloadOffset || l.payloadEnd > data.length || l.header.length + l.payload.length > data.length) {
          fail(`layer ${l.protocol} spans more bytes than the packet has`);
        }
        if (l instanceof DecodeFailure) this.failures++;
      }
      this.layers += layers.length;
      stage = 'layer getters';
      const produced = new Produced(data.buffer);
      for (const l of layers) produced.layer(l);
      this.apiValues += produced.values;
      if (produced.values > VALUES_PER_BYTE * (data.length + 16)) fail(`the layers' getters made ${produced.values} values from ${data.length} bytes`);
      if (produced.text > TEXT_PER_BYTE * (data.length + 16)) fail(`the layers' getters made ${produced.text} characters from ${data.length} bytes`);
      stage = 'FieldSelector.values';
      const record: CaptureRecord = {
        seconds: 1,
        nanoseconds: 2,
        capturedLength: data.length,
        originalLength: data.length,
        linkType,
        interfaceId: undefined,
        data,
        number: 1,
      };
      const row = this.selector.values(record, packet);
      let text = 0;
      for (const v of row) {
        text += v.length;
        if (v.length) this.values++;
      }
      if (text > TEXT_PER_BYTE * (data.length + 16)) fail(`${text} characters of field text from ${data.length} bytes`);
      stage = 'FieldSelector.writeLine';
      // The byte path prints what the string path makes, for any bytes.
      this.bytes.clear();
      this.selector.writeLine(record, packet, this.bytes);
      const written = decoder.decode(this.bytes.contents());
      if (written !== `${row.join('\t')}\n`) fail('writeLine wrote other text than values() gives');
      stage = 'summarize';
      const line = summarize(packet, this.registry, { tcpSequence: this.tcpSequence });
      if (typeof line !== 'string' || line.length > TEXT_PER_BYTE * (data.length + 16)) fail(`a summary of ${line.length} characters`);
    } catch (e) {
      if (e instanceof FuzzFinding) throw e;
      fail(`${stage} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, e);
    }
  }
}

/** Getter names of a layer class, from the class up to (not including) `HeaderLayer`. */
const gettersByClass = new Map<object, string[]>();

function gettersOf(layer: Layer): string[] {
  const proto = Object.getPrototypeOf(layer) as object;
  let names = gettersByClass.get(proto);
  if (names) return names;
  names = [];
  for (let p: object | null = proto; p && p !== HeaderLayer.prototype && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (d.get && !VIEW_GETTERS.has(name) && !names.includes(name)) names.push(name);
    }
  }
  gettersByClass.set(proto, names);
  return names;
}

/**
 * Reads every getter of every layer, as a program exploring the API would, and sizes what
 * they return: lazily parsed lists (DNS records, TCP options, radiotap items) are built here.
 */
class Produced {
  values = 0;
  text = 0;
  private readonly seen = new Set<object>();

  constructor(private readonly packet: ArrayBufferLike) {}

  layer(l: Layer): void {
    for (const name of gettersOf(l)) this.size((l as unknown as Record<string, unknown>)[name], 0);
  }

  private size(v: unknown, depth: number): void {
    if (typeof v === 'string') {
      this.text += v.length;
      return;
    }
    if (typeof v !== 'object' || v === null) {
      this.values++;
      return;
    }
    if (this.seen.has(v) || depth > 6) return;
    this.seen.add(v);
    if (ArrayBuffer.isView(v)) {
      // A view of the packet costs nothing; a copy costs its length.
      this.values += v.buffer === this.packet ? 1 : v.byteLength;
      return;
    }
    if (v instanceof HeaderLayer) {
      this.values++;
      return;
    }
    if (Array.isArray(v)) {
      this.values += v.length;
      for (const x of v) this.size(x, depth + 1);
      return;
    }
    for (const x of Object.values(v)) {
      this.values++;
      this.size(x, depth + 1);
    }
  }
}
